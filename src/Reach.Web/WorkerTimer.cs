namespace Reach.Web;

/// <summary>The wait of the background workers between their passes.</summary>
public static class WorkerTimer
{
    /// <summary>
    /// The next tick, or false once the host stops the worker. Left to throw, the cancelled wait ends the worker's task
    /// in error and the host logs it as a failure, critically, at every shutdown that disposes the host without
    /// stopping it first.
    /// </summary>
    public static async Task<bool> NextTickAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
