using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Web.Access;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The deals behind one dashboard figure: <see cref="MetricService.DealsBehind"/>, the list the API's
/// <c>/metrics/deals</c> gives, for the same period, scope and channel as the figure.
/// </summary>
public sealed class DealsModel(ReachDb db) : PageModel
{
    public DashboardView View { get; private set; } = null!;
    public DrillDown Drill { get; private set; } = null!;
    public MetricResult Figure { get; private set; } = null!;
    public string Channel { get; private set; } = "all";
    public IReadOnlyList<(DealFact Deal, decimal? Converted)> Deals { get; private set; } = [];
    public Dictionary<Guid, string> Owners { get; private set; } = [];

    /// <summary>
    /// The deals the figure counts: for an amount, those converted into the workspace currency (the others are listed
    /// but left out of the amount for want of an exchange rate, as the figure's note says).
    /// </summary>
    public int Counted => Figure.Metric.Unit == MetricUnit.Money ? Deals.Count(d => d.Converted is not null) : Deals.Count;
    public Dictionary<Guid, (Guid Id, string Name)> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        try
        {
            var drill = await DrillDown.ReadAsync(db, ReachAccess.RequireActor(HttpContext), Request.Query, now, MetricSource.Deals, cancellationToken);
            (View, Channel, Drill) = (drill.View, drill.Channel, drill);
            var (definition, query) = (drill.Metric, drill.Query);
            var facts = await MetricFacts.LoadDetailedAsync(db, await WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, query, cancellationToken);
            Figure = MetricService.Compute(facts, definition, query, now);
            Deals = [.. MetricService.DealsBehind(facts, definition, query, now).Select(d => (d, facts.Converter.Convert(d.Amount, d.Currency,
                definition.Id is "pipeline_created" or "opportunities_created" ? d.CreatedAt : d.Status == DealStatus.Open ? now : d.ClosedAt ?? d.CreatedAt)))];
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        Owners = await UserNames.OfAsync(db, Deals.Select(d => d.Deal.OwnerId), cancellationToken);
        var ids = Deals.Select(d => d.Deal.Id).ToList();
        Accounts = await db.Deals.AsNoTracking().Where(d => ids.Contains(d.Id) && d.Account != null)
            .Select(d => new { d.Id, AccountId = d.Account!.Id, d.Account.Name })
            .ToDictionaryAsync(d => d.Id, d => (d.AccountId, d.Name), cancellationToken);
        return Page();
    }
}
