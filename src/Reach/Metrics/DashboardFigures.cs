using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;

namespace Reach.Metrics;

/// <summary>One open stage of a channel's pipeline with the scope's open deals in it (value in the workspace currency).</summary>
public sealed record FunnelStage(string Channel, string Stage, int Deals, decimal Value);

/// <summary>
/// What the dashboard shows for one period and scope: the key metrics (with previous period and targets), bookings of
/// the last six periods, pipeline created in the last twelve weeks, and the open funnel by stage. The page renders it;
/// the metrics benchmark times it.
/// </summary>
public sealed record DashboardFigures(
    IReadOnlyList<MetricResult> Results, IReadOnlyList<(Period Period, MetricResult Result)> BookingsHistory,
    IReadOnlyList<(Period Period, MetricResult Result)> PipelineWeeks, IReadOnlyList<FunnelStage> Funnel)
{
    /// <summary>The figures of the table, in this order.</summary>
    public static readonly string[] KeyMetrics =
    [
        "bookings", "deals_won", "win_rate", "average_deal_size", "sales_cycle_median", "expansion_bookings",
        "pipeline_created", "opportunities_created", "open_pipeline", "pipeline_coverage", "meetings_held", "touches", "new_leads",
        "speed_to_first_touch", "first_touch_within_target", "cac",
    ];

    /// <summary>The figures for <paramref name="query"/>: its period is the one shown; the history and weeks use its other cuts.</summary>
    public static async Task<DashboardFigures> ComputeAsync(ReachDb db, MetricQuery query, string currency, DateTime now, CancellationToken cancellationToken = default)
    {
        var months = new List<Period>();
        for (var (p, i) = (query.Period, 0); i < 6; p = p.Previous(), i++)
            months.Insert(0, p);
        var weeks = new List<Period>();
        var lastWeek = Period.Containing(query.Period.EndsAt.AddDays(-1) < now ? query.Period.EndsAt.AddDays(-1) : now, PeriodKind.Week);
        for (var (w, i) = (lastWeek, 0); i < 12; w = w.Previous(), i++)
            weeks.Insert(0, w);
        // Every figure compares with its previous period; touches are only in the key metrics.
        var periods = months.Concat(weeks).SelectMany(p => new[] { p, p.Previous() }).Distinct().ToList();
        // No figure of the dashboard counts proposals sent: those are not read.
        var facts = await MetricFacts.LoadAsync(db, currency, now, periods, query, [query.Period, query.Period.Previous()], withProposals: false, withFirstTouches: true, cancellationToken);
        var results = KeyMetrics.Select(id => MetricService.Compute(facts, MetricCatalogue.Find(id)!, query, now)).ToList();

        var bookings = MetricCatalogue.Find("bookings")!;
        var history = months.Select(p => (p, MetricService.Compute(facts, bookings, query with { Period = p }, now))).ToList();
        var created = MetricCatalogue.Find("pipeline_created")!;
        var pipelineWeeks = weeks.Select(w => (w, MetricService.Compute(facts, created, query with { Period = w }, now))).ToList();

        var funnel = await FunnelAsync(db, facts.Cut(query), now, cancellationToken);
        return new DashboardFigures(results, history, pipelineWeeks, funnel);
    }

    // The open pipeline now, by channel and stage: the scope's open deals (the metric facts' cut) placed on their stage.
    static async Task<List<FunnelStage>> FunnelAsync(ReachDb db, MetricFacts facts, DateTime now, CancellationToken cancellationToken)
    {
        var placed = facts.Deals.Where(d => d.Role.HasFlag(DealRole.Open) && d.Status == DealStatus.Open).ToLookup(d => d.StageId);
        var stages = await db.Stages.AsNoTracking().Where(s => s.Outcome == StageOutcome.Open)
            .Join(db.Pipelines.AsNoTracking(), s => s.PipelineId, p => p.Id, (s, p) => new { s.Id, s.Name, s.Position, p.Channel })
            .ToListAsync(cancellationToken);
        return [.. stages.OrderBy(s => s.Channel).ThenBy(s => s.Position).Select(s => new FunnelStage(MetricService.ChannelName(s.Channel), s.Name,
            placed[s.Id].Sum(d => d.Weight), placed[s.Id].Sum(d => facts.Converter.Convert(d.Amount, d.Currency, now) ?? 0)))];
    }
}
