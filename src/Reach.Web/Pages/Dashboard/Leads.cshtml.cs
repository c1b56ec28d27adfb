using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Leads;
using Reach.Metrics;
using Reach.Web.Access;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The leads behind one dashboard figure (new leads, speed to first touch): <see cref="MetricService.LeadsBehind"/> for
/// the same period, scope, cuts and channel as the figure, newest first.
/// </summary>
public sealed class LeadsModel(ReachDb db) : PageModel
{
    public DrillDown Drill { get; private set; } = null!;
    public MetricResult Figure { get; private set; } = null!;
    public IReadOnlyList<LeadFact> Leads { get; private set; } = [];
    public Dictionary<Guid, Lead> Records { get; private set; } = [];
    public Dictionary<Guid, string> Owners { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        try
        {
            Drill = await DrillDown.ReadAsync(db, ReachAccess.RequireActor(HttpContext), Request.Query, now, MetricSource.Leads, cancellationToken);
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        var facts = await MetricFacts.LoadDetailedAsync(db, await WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, Drill.Query, cancellationToken);
        Figure = MetricService.Compute(facts, Drill.Metric, Drill.Query, now);
        Leads = MetricService.LeadsBehind(facts, Drill.Metric, Drill.Query, now);
        var ids = Leads.Take(DrillDown.Shown).Select(l => l.Id).ToList();
        Records = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        Owners = await UserNames.OfAsync(db, Records.Values.Select(l => l.OwnerId), cancellationToken);
        return Page();
    }

    /// <summary>Hours from receipt to first touch, as speed to first touch counts them (never below zero).</summary>
    public static string HoursToFirstTouch(LeadFact lead) => lead.FirstTouchAt is { } at
        ? Math.Max(0, (at - lead.ReceivedAt).TotalHours).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)
        : "not yet";
}
