using Reach.Data;
using Reach.Leads;
using Reach.Outreach;

namespace Reach.Web;

/// <summary>
/// Escalates new leads not touched within their channel's response target (<see cref="LeadEscalation"/>): every
/// <c>Reach:LeadEscalation:IntervalSeconds</c> (default 60) on the workspace clock. <c>Reach:LeadEscalation:Enabled=false</c>
/// turns it off (tests run passes themselves).
/// </summary>
public sealed class LeadEscalationWorker(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<LeadEscalationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue("Reach:LeadEscalation:Enabled", true) is false)
            return;
        var interval = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Reach:LeadEscalation:IntervalSeconds", 60)));
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await LeadEscalation.RunOnceAsync(scope.ServiceProvider.GetRequiredService<ReachDb>(), scope.ServiceProvider.GetRequiredService<MailClient>(), stoppingToken);
                if (run.Escalated > 0)
                    log.LogInformation("Leads past their response target: {Escalated} escalated, {Mailed} managers mailed.", run.Escalated, run.Mailed);
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
                log.LogError(error, "Lead escalation pass failed.");
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }
}
