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

    /// <summary>The response targets each lead's first touch is held to (<c>first_touch_within_target</c>).</summary>
    public Reach.Access.ResponseTargets Targets { get; private set; } = Reach.Access.ResponseTargets.Default;

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
        Targets = facts.ResponseTargets;
        Leads = MetricService.LeadsBehind(facts, Drill.Metric, Drill.Query, now);
        var ids = Leads.Take(DrillDown.Shown).Select(l => l.Id).ToList();
        Records = await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        Owners = await UserNames.OfAsync(db, Records.Values.Select(l => l.OwnerId), cancellationToken);
        return Page();
    }

    /// <summary>Whether the lead's first touch came within its channel's response target, as the metric counts it.</summary>
    public string WithinTarget(LeadFact lead)
    {
        var target = Targets.Of(lead.Channel);
        var minutes = $"{target.TotalMinutes:0} min";
        return lead.FirstTouchAt is { } at ? (at - lead.ReceivedAt <= target ? "yes" : "no") + $" ({minutes})" : $"not yet ({minutes})";
    }

    /// <summary>Hours from receipt to first touch, as speed to first touch counts them (never below zero).</summary>
    public static string HoursToFirstTouch(LeadFact lead) => lead.FirstTouchAt is { } at
        ? Math.Max(0, (at - lead.ReceivedAt).TotalHours).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)
        : "not yet";
}
