using Reach.Metrics.Reports;

namespace Reach.Web;

/// <summary>
/// The scheduled-report sender: every <c>Reach:ReportMail:IntervalSeconds</c> (default 300) it sends the reports whose
/// period has closed (<see cref="ReportMailer"/>). <c>Reach:ReportMail:Enabled=false</c> turns it off (tests run passes
/// themselves with an injected clock).
/// </summary>
public sealed class ReportMailWorker(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<ReportMailWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue("Reach:ReportMail:Enabled", true) is false)
            return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Reach:ReportMail:IntervalSeconds", 300)));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<ReportMailer>().RunOnceAsync(stoppingToken);
                if (run.Sent + run.Failed > 0)
                    log.LogInformation("Scheduled reports: {Sent} sent, {Failed} failed (retried with backoff).", run.Sent, run.Failed);
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
                log.LogError(error, "Scheduled report pass failed.");
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }
}
