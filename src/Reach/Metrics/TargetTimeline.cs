using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Metrics;

/// <summary>A target beside what was reached over its period, channel and scope (so far, for a period under way).</summary>
public sealed record TargetRow(Target Target, Period Period, decimal? Actual, decimal? Attainment, decimal? Projection)
{
    public string ChannelName => Target.Channel is { } c ? MetricService.ChannelName(c) : "all";
}

/// <summary>
/// The targets of one scope and metric over time, each against its actual figure (<see cref="MetricService"/>'s, as on
/// the dashboard). The Targets page shows it; the API reads targets one by one (<c>/api/v1/targets</c>) under the same
/// access rules.
/// </summary>
public static class TargetTimeline
{
    /// <summary>
    /// The targets of <paramref name="scope"/> (its rep's, else its team's, else the workspace's) for
    /// <paramref name="metric"/>, oldest first, blended before each channel, with their actual figures.
    /// </summary>
    public static async Task<IReadOnlyList<TargetRow>> ReadAsync(ReachDb db, MetricScope scope, MetricDefinition metric, string currency, DateTime now,
        CancellationToken cancellationToken = default)
    {
        var targets = await db.Targets.AsNoTracking()
            .Where(t => t.Metric == metric.Id && t.UserId == scope.RepId && (scope.RepId != null || t.TeamId == scope.TeamId))
            .ToListAsync(cancellationToken);
        // Targets stored before periods were bounded (year 9999, say) have no figure to be read against: they are left out.
        targets = [.. targets.Where(t => Period.RangeError(t.PeriodStart, t.PeriodEnd) is null).OrderBy(t => t.PeriodStart).ThenBy(t => t.PeriodEnd).ThenBy(t => t.Channel is null ? -1 : (int)t.Channel)];
        if (targets.Count == 0)
            return [];
        var periods = targets.Select(t => PeriodOf(t.PeriodStart, t.PeriodEnd)).ToList();
        // Figures compare with the previous period: those are loaded too.
        var loaded = periods.SelectMany(p => new[] { p, p.Previous() }).Distinct().ToList();
        var query = new MetricQuery(periods[0]) { RepId = scope.RepId, TeamId = scope.TeamId };
        var facts = await MetricFacts.LoadAsync(db, currency, now, loaded, query, cancellationToken: cancellationToken);
        // One result per period gives the blend and every channel: the targets of a period share it.
        var results = new Dictionary<Period, MetricResult>();
        return [.. targets.Select((t, i) =>
        {
            // A period not begun has reached nothing yet: no figure rather than a zero.
            if (periods[i].StartsAt > now)
                return new TargetRow(t, periods[i], null, null, null);
            if (!results.TryGetValue(periods[i], out var result))
                results[periods[i]] = result = MetricService.Compute(facts, metric, query with { Period = periods[i] }, now);
            var figure = t.Channel is { } channel ? result.Channels.Single(c => c.Channel == MetricService.ChannelName(channel)) : result.Total;
            var attainment = t.Value > 0 && figure.Value is { } actual ? Math.Round(actual / t.Value, 4) : (decimal?)null;
            return new TargetRow(t, periods[i], figure.Value, attainment, figure.Projection);
        })];
    }

    /// <summary>A target's days as the period people name (a month, quarter or ISO week) when they are one, else a range.</summary>
    public static Period PeriodOf(DateOnly start, DateOnly end)
    {
        var at = start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        foreach (var kind in (PeriodKind[])[PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Week])
        {
            var natural = Period.Containing(at, kind);
            if (natural.Start == start && natural.End == end)
                return natural;
        }
        return Period.Range(start, end);
    }
}
