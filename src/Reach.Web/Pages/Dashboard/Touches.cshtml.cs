using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Access;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The touches behind one dashboard figure (touches, touches by type, meetings held): <see cref="MetricService.TouchesBehind"/>
/// for the same period, scope, cuts and channel as the figure, read one by one, newest first.
/// </summary>
public sealed class TouchesModel(ReachDb db) : PageModel
{
    public DrillDown Drill { get; private set; } = null!;
    public MetricResult Figure { get; private set; } = null!;
    public IReadOnlyList<ActivityFact> Touches { get; private set; } = [];
    public Dictionary<Guid, Activity> Records { get; private set; } = [];
    public Dictionary<Guid, string> Owners { get; private set; } = [];
    public Dictionary<Guid, string> Deals { get; private set; } = [];
    public Dictionary<Guid, string> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        try
        {
            Drill = await DrillDown.ReadAsync(db, ReachAccess.RequireActor(HttpContext), Request.Query, now, MetricSource.Touches, cancellationToken);
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        var facts = await MetricFacts.LoadTouchesOneByOneAsync(db, await WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, Drill.Query, cancellationToken);
        Figure = MetricService.Compute(facts, Drill.Metric, Drill.Query, now);
        Touches = MetricService.TouchesBehind(facts, Drill.Metric, Drill.Query, now);
        var ids = Touches.Take(DrillDown.Shown).Select(t => t.Id).ToList();
        Records = await db.Activities.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        Owners = await UserNames.OfAsync(db, Records.Values.Select(a => a.OwnerId), cancellationToken);
        // Only the deals and accounts the reader may open are named and linked.
        var deals = Records.Values.Select(a => a.DealId).OfType<Guid>().Distinct().ToList();
        Deals = await db.Deals.AsNoTracking().Where(d => deals.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var accounts = Records.Values.Select(a => a.AccountId).OfType<Guid>().Distinct().ToList();
        Accounts = await db.Accounts.AsNoTracking().Where(a => accounts.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        return Page();
    }
}
