using Reach.Data;
using Reach.Metrics.Rollups;

namespace Reach.Web;

/// <summary>
/// Keeps the metrics' stored rollups up to date: the first pass builds them for the whole workspace, then every
/// <c>Reach:Rollups:IntervalSeconds</c> (default 10) it rebuilds the days writes made stale (<see cref="RollupRefresh"/>).
/// <c>Reach:Rollups:Enabled=false</c> turns it off; figures stay right without it (stale days are computed live), only slower.
/// </summary>
public sealed class RollupWorker(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<RollupWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue("Reach:Rollups:Enabled", true) is false)
            return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Reach:Rollups:IntervalSeconds", 10)));
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
                await RefreshAsync(stoppingToken);
            while (await timer.NextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped during a pass: nothing went wrong.
        }
    }

    async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var run = await RollupRefresh.RunAsync(scope.ServiceProvider.GetRequiredService<ReachDb>(), cancellationToken: stoppingToken);
            if (run.Built)
                log.LogInformation("Metric rollups built: {Days} days, {Rows} rows.", run.Days, run.Rows);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        // The loop must survive a bad pass (the database restarting, say); the next tick tries again.
#pragma warning disable CA1031
        catch (Exception error)
#pragma warning restore CA1031
        {
            log.LogError(error, "Metric rollup refresh failed.");
        }
    }
}
