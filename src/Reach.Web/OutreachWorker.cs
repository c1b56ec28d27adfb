using Reach.Outreach;

namespace Reach.Web;

/// <summary>
/// The background sender: every <c>Reach:Outreach:IntervalSeconds</c> (default 60) it reads replies and
/// sends the due steps of the durable queue. <c>Reach:Outreach:Enabled=false</c> turns it off (tests
/// drive passes themselves with an injected clock).
/// </summary>
public sealed class OutreachWorker(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<OutreachWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue("Reach:Outreach:Enabled", true) is false)
            return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Reach:Outreach:IntervalSeconds", 60)));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<OutreachSender>().RunOnceAsync(stoppingToken);
                if (run.Sent + run.TasksCreated + run.Failed + run.RepliesFound > 0)
                    log.LogInformation("Outreach: {Sent} sent, {Tasks} tasks, {Failed} failed, {Replies} replies, {Stopped} stopped.", run.Sent, run.TasksCreated, run.Failed, run.RepliesFound, run.Stopped);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // The loop must survive a bad pass (the database restarting, say); the next tick tries again.
#pragma warning disable CA1031
            catch (Exception error)
#pragma warning restore CA1031
            {
                log.LogError(error, "Outreach pass failed.");
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }
}
