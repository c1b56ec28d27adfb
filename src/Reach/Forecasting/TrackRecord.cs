using System.Collections.Concurrent;
using Reach.Data;

namespace Reach.Forecasting;

/// <summary>
/// The forecast's own track record, shown beside every forecast: the forecast replayed over the last
/// <see cref="Periods"/> month starts (as <see cref="Backtest"/> does), how often its P10–P90 band held the actual
/// bookings and how far its P50 was off, per horizon, for the total and per channel. The replay also calibrates the
/// band: each band's half-widths are scaled by the factor that made the backtested bands hold in 80% of periods
/// (docs/forecasting.md, "Track record and calibrated bands").
/// </summary>
public static class TrackRecord
{
    /// <summary>How many past as-of dates (month starts) are replayed at most.</summary>
    public const int Periods = 12;

    /// <summary>The share of backtested periods the calibrated band aims to hold.</summary>
    public const double TargetCoverage = 0.8;

    /// <summary>Widening factors stay in [1/<see cref="MaxFactor"/>, MaxFactor]: a few periods must not blow the band up.</summary>
    public const double MaxFactor = 5;

    /// <summary>Below this many backtested periods a group's band is left as simulated.</summary>
    public const int MinPointsToCalibrate = 4;

    const int Trials = 1_000;

    static readonly ConcurrentDictionary<string, ForecastTrackRecord> Cache = new();

    /// <summary>
    /// The track record for a forecast at <paramref name="now"/>, replayed once per history and period kind and then
    /// cached in memory (the key holds the data's fingerprint, so any change of the deals or their stages replays it).
    /// </summary>
    public static ForecastTrackRecord For(ForecastHistory history, DateTime now, ForecastOptions options, string currency)
    {
        var asOfs = Backtest.AsOfDates(history, now, options.PeriodKind).TakeLast(Periods).ToList();
        var key = $"{Fingerprint(history)}|{options.PeriodKind}|{currency}|{options.Smoothing}|{options.Correlation}|{options.ModelDraws}|{string.Join(',', asOfs.Select(a => a.Ticks))}";
        if (Cache.TryGetValue(key, out var cached))
            return cached;
        var record = Compute(history, now, asOfs, options with { Currency = currency, Trials = Trials });
        if (Cache.Count > 64)
            Cache.Clear();
        Cache[key] = record;
        return record;
    }

    /// <summary>The forecast with its track record and each band scaled by its group's calibration factor.</summary>
    public static ForecastReport Apply(ForecastReport report, ForecastTrackRecord record)
    {
        var periods = report.Periods.Select((p, h) =>
        {
            var horizon = record.Horizons.FirstOrDefault(x => x.Horizon == h);
            Bookings Widen(Bookings b, double factor) => factor == 1 ? b : b with
            {
                P10 = Math.Max(b.ClosedWon, b.P50 - ((b.P50 - b.P10) * (decimal)factor)),
                P90 = b.P50 + ((b.P90 - b.P50) * (decimal)factor),
            };
            if (horizon is null)
                return p;
            return p with
            {
                Total = Widen(p.Total, horizon.Total.Factor),
                Channels = [.. p.Channels.Select(c => Widen(c, horizon.Channels.FirstOrDefault(x => x.Channel == c.Channel)?.Factor ?? 1))],
            };
        }).ToList();
        return report with { Periods = periods, TrackRecord = record };
    }

    static ForecastTrackRecord Compute(ForecastHistory history, DateTime now, List<DateTime> asOfs, ForecastOptions options)
    {
        if (asOfs.Count == 0)
        {
            return new ForecastTrackRecord(false,
                "This forecast cannot be backtested yet: a replay needs deals created at least six months before a whole "
                + "period that has ended, and this workspace's history is shorter. Its band is the simulation's, unchecked.",
                0, null, null, []);
        }

        var points = new List<(int Horizon, Channel? Channel, decimal Actual, decimal P10, decimal P50, decimal P90)>();
        foreach (var asOf in asOfs)
        {
            var report = Forecaster.Forecast(history, asOf, options);
            for (var h = 0; h < report.Periods.Count; h++)
            {
                var period = report.Periods[h];
                var total = period.Total;
                points.Add((h, null, Backtest.Booked(history, now, options.Currency!, period, null), total.P10, total.P50, total.P90));
                foreach (var channel in Enum.GetValues<Channel>())
                {
                    var actual = Backtest.Booked(history, now, options.Currency!, period, channel);
                    var forecast = period.Channels.FirstOrDefault(c => c.Channel == channel);
                    if (forecast is null && actual == 0)
                        continue;
                    points.Add((h, channel, actual, forecast?.P10 ?? 0, forecast?.P50 ?? 0, forecast?.P90 ?? 0));
                }
            }
        }

        var horizons = points.Select(p => p.Horizon).Distinct().Order().Select(h =>
        {
            var at = points.Where(p => p.Horizon == h).ToList();
            var channels = at.Where(p => p.Channel is not null).Select(p => p.Channel!.Value).Distinct().Order()
                .Select(c => Score(c, at.Where(p => p.Channel == c).Select(p => (p.Actual, p.P10, p.P50, p.P90)).ToList()))
                .ToList();
            return new HorizonTrackRecord(h, Score(null, at.Where(p => p.Channel is null).Select(p => (p.Actual, p.P10, p.P50, p.P90)).ToList()), channels);
        }).ToList();
        return new ForecastTrackRecord(true, null, asOfs.Count, asOfs[0], asOfs[^1], horizons);
    }

    /// <summary>
    /// A group's record: how often the simulated band held, the P50's mean absolute percentage error (periods with
    /// bookings), the calibration factor (the 80th percentile of how far out each actual fell, in band half-widths),
    /// and how often the calibrated band held when each period is left out of its own factor (an honest estimate).
    /// </summary>
    static GroupTrackRecord Score(Channel? channel, List<(decimal Actual, decimal P10, decimal P50, decimal P90)> points)
    {
        var misses = points.Select(p => Miss(p.Actual, p.P10, p.P50, p.P90)).ToList();
        var held = misses.Count(m => m <= 1);
        var withBookings = points.Where(p => p.Actual > 0).ToList();
        double? error = withBookings.Count == 0 ? null : withBookings.Average(p => (double)(Math.Abs(p.P50 - p.Actual) / p.Actual));
        if (points.Count < MinPointsToCalibrate)
            return new GroupTrackRecord(channel, points.Count, held, (double)held / Math.Max(1, points.Count), error, 1, null);

        var factor = Factor(misses);
        var heldLeftOut = 0;
        for (var i = 0; i < misses.Count; i++)
        {
            var others = misses.Where((_, j) => j != i).ToList();
            if (misses[i] <= Factor(others))
                heldLeftOut++;
        }

        return new GroupTrackRecord(channel, points.Count, held, (double)held / points.Count, error, factor, (double)heldLeftOut / points.Count);
    }

    /// <summary>How far out an actual fell, in half-widths of the band on its side of the P50: 1 is on the edge, below 1 inside.</summary>
    public static double Miss(decimal actual, decimal p10, decimal p50, decimal p90)
    {
        var side = actual < p50 ? p50 - p10 : p90 - p50;
        var distance = Math.Abs(actual - p50);
        if (distance == 0)
            return 0;
        return side == 0 ? MaxFactor * 2 : (double)(distance / side);
    }

    /// <summary>The 80th percentile of the misses (linear interpolation), within [1/<see cref="MaxFactor"/>, <see cref="MaxFactor"/>].</summary>
    public static double Factor(IReadOnlyList<double> misses)
    {
        var sorted = misses.Order().ToArray();
        return Math.Clamp(Forecaster.Percentile(sorted, TargetCoverage), 1 / MaxFactor, MaxFactor);
    }

    // Deals, their stage entries and amounts: any change in the history changes the fingerprint.
    static string Fingerprint(ForecastHistory history)
    {
        var hash = new HashCode();
        foreach (var deal in history.Deals)
        {
            hash.Add(deal.Id);
            hash.Add(deal.Amount);
            hash.Add(deal.Currency);
            hash.Add(deal.Segment);
            hash.Add(deal.Log.Count);
            if (deal.Log.Count > 0)
            {
                hash.Add(deal.Log[^1].StageId);
                hash.Add(deal.Log[^1].At);
            }
        }

        // The deal-size rule's inputs: the workspace's wins (a rep's history does not hold them all) and its factor.
        hash.Add(history.DealSizeFactor);
        foreach (var win in history.Wins)
        {
            hash.Add(win.DealId);
            hash.Add(win.Amount);
            hash.Add(win.Segment);
        }

        return $"{history.Deals.Count}:{hash.ToHashCode()}";
    }
}

/// <summary>
/// Whether the forecast could be replayed (if not, <c>Reason</c> says why), over how many month starts from
/// <c>From</c> to <c>To</c>, and the record per horizon (0 the current period, 1 the next).
/// </summary>
public sealed record ForecastTrackRecord(
    bool Available,
    string? Reason,
    int Periods,
    DateTime? From,
    DateTime? To,
    IReadOnlyList<HorizonTrackRecord> Horizons);

public sealed record HorizonTrackRecord(int Horizon, GroupTrackRecord Total, IReadOnlyList<GroupTrackRecord> Channels);

/// <summary>
/// One group (the total, or a channel): <c>Held</c> of <c>Points</c> backtested periods inside the simulated P10–P90
/// (<c>Coverage</c>), the P50's mean absolute percentage error (<c>P50Error</c>, null without bookings), the factor
/// the shown band's half-widths were scaled by, and <c>CalibratedCoverage</c>: how often the scaled band held with each
/// period left out of its own factor (null when too few periods to calibrate).
/// </summary>
public sealed record GroupTrackRecord(
    Channel? Channel,
    int Points,
    int Held,
    double Coverage,
    double? P50Error,
    double Factor,
    double? CalibratedCoverage);
