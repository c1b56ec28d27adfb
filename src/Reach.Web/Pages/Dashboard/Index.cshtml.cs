using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Access;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The dashboard: the key metrics of a week, month or quarter per channel beside the blend, against target and the
/// previous period, with charts; every deal-based figure links to the deals behind it. The figures are
/// <see cref="MetricService"/>'s, the same the API, reports and CLI give, for the scope the reader may see.
/// </summary>
public sealed class IndexModel(ReachDb db) : PageModel
{
    /// <summary>The figures of the table, in this order.</summary>
    public static readonly string[] KeyMetrics = DashboardFigures.KeyMetrics;

    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public DashboardView View { get; private set; } = null!;
    public IReadOnlyList<MetricResult> Results { get; private set; } = [];
    public IReadOnlyList<(Period Period, MetricResult Result)> BookingsHistory { get; private set; } = [];
    public IReadOnlyList<(Period Period, MetricResult Result)> PipelineWeeks { get; private set; } = [];
    public IReadOnlyList<FunnelStage> Funnel { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        try
        {
            View = await DashboardView.ReadAsync(db, Actor, Request.Query, now, cancellationToken);
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        var figures = await DashboardFigures.ComputeAsync(db, View.Query(View.Period), await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cancellationToken);
        (Results, BookingsHistory, PipelineWeeks, Funnel) = (figures.Results, figures.BookingsHistory, figures.PipelineWeeks, figures.Funnel);
        return Page();
    }

    public IHtmlContent FunnelChart() => DashboardCharts.Funnel(Funnel, Result("bookings").Currency);

    public MetricResult Result(string id) => Results.First(r => r.Metric.Id == id);

    /// <summary>The page listing the deals behind one figure, or null for a figure not made of deals.</summary>
    public string? DrillLink(MetricResult result, string channel) => View.DrillLink(result, channel);

    public string Value(MetricResult result, decimal? value) => DashboardCharts.Format(result.Metric.Unit, value, result.Currency);

    public IHtmlContent TargetChart() => DashboardCharts.BookingsAgainstTarget(Result("bookings"), View);

    public IHtmlContent HistoryChart() => DashboardCharts.BookingsOverTime(BookingsHistory);

    public IHtmlContent ChannelChart() => DashboardCharts.WinRateAndCycle(Result("win_rate"), Result("sales_cycle_median"));

    public IHtmlContent WeeksChart() => DashboardCharts.PipelinePerWeek(PipelineWeeks);
}
