using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Forecasting;
using Reach.Leads;
using Reach.Metrics;
using Reach.Web.Access;
using Reach.Web.Api;

namespace Reach.Web.Pages;

/// <summary>
/// My day: what needs doing now. A rep sees their own work; a manager their teams' (the access
/// filters decide), an admin the workspace's.
/// </summary>
public sealed class IndexModel(ReachDb db, IConfiguration configuration) : PageModel
{
    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public DateTime Now { get; private set; }
    public List<(Activity Task, string? Account)> Due { get; private set; } = [];
    public List<Deal> NoNextStep { get; private set; } = [];
    public List<Deal> PastClose { get; private set; } = [];
    public List<Lead> Waiting { get; private set; } = [];
    /// <summary>This month's bookings in the user's scope (a rep: theirs; a manager: their team), against target — the same figure as the reports.</summary>
    public MetricResult Bookings { get; private set; } = null!;
    public List<(string Currency, decimal Open, int Deals)> OpenPipeline { get; private set; } = [];
    public int TouchesThisWeek { get; private set; }
    public List<Reach.Forecasting.DealOutlook> Underestimated { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = db.UtcNow;
        var endOfToday = Now.Date.AddDays(1);
        var today = DateOnly.FromDateTime(Now);
        var mine = Actor.Role == UserRole.Rep ? Actor.UserId : null;

        var tasks = db.Activities.AsNoTracking().Where(a => a.CompletedAt == null && a.DueAt != null && a.DueAt < endOfToday);
        var deals = db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage).Where(d => d.Status == DealStatus.Open);
        var leads = db.Leads.AsNoTracking().Where(l => l.Status == LeadStatus.New);
        if (mine is not null)
        {
            tasks = tasks.Where(a => a.OwnerId == mine);
            deals = deals.Where(d => d.OwnerId == mine);
            leads = leads.Where(l => l.OwnerId == mine || l.OwnerId == null);
        }
        var due = await tasks.OrderBy(a => a.DueAt).Take(20).ToListAsync(cancellationToken);
        var accountIds = due.Where(a => a.AccountId != null).Select(a => a.AccountId!.Value).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        Due = [.. due.Select(a => (a, a.AccountId is { } id ? names.GetValueOrDefault(id) : null))];
        NoNextStep = await deals.Where(d => d.NextStep == null || d.NextStep == "").OrderByDescending(d => d.StageEnteredAt).Take(10).ToListAsync(cancellationToken);
        PastClose = await deals.Where(d => d.ExpectedClose != null && d.ExpectedClose < today).OrderBy(d => d.ExpectedClose).Take(10).ToListAsync(cancellationToken);
        Waiting = await leads.OrderBy(l => l.ReceivedAt).Take(10).ToListAsync(cancellationToken);

        var openIds = await deals.Select(d => d.Id).ToListAsync(cancellationToken);
        Underestimated = [.. (await Reach.Forecasting.Forecaster.AssessAsync(db, Now, Reach.Forecasting.PeriodKind.Month, openIds, cancellationToken: cancellationToken))
            .Where(o => o.Flags.Contains(Reach.Forecasting.DealFlag.CycleUnderestimated)).OrderBy(o => o.ExpectedClose).Take(10)];

        var scope = await MetricScope.ResolveAsync(db, Actor, null, null, cancellationToken);
        var query = new MetricQuery(Period.Containing(Now, PeriodKind.Month)) { RepId = scope.RepId, TeamId = scope.TeamId };
        Bookings = (await MetricService.ComputeAsync(db, [MetricCatalogue.Find("bookings")!], query, MetricsApi.CurrencyOf(configuration), Now, cancellationToken))[0];
        var open = await deals.Select(d => new { d.Currency, d.Amount }).ToListAsync(cancellationToken);
        OpenPipeline = [.. open.GroupBy(d => d.Currency).Select(g => (g.Key, g.Sum(d => d.Amount), g.Count()))];
        var weekStart = Now.Date.AddDays(-(((int)Now.DayOfWeek + 6) % 7));
        TouchesThisWeek = await db.Activities.AsNoTracking().CountAsync(a => a.OccurredAt >= weekStart && a.OccurredAt <= Now && a.Type != ActivityType.Task && (mine == null || a.OwnerId == mine), cancellationToken);
    }
}
