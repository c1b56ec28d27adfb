using Reach.Data;

namespace Reach.Forecasting;

/// <summary>One forecast made in the past, beside what was then booked. Horizon 0 is the as-of's own period, 1 the next.</summary>
public sealed record BacktestPoint(DateTime AsOf, string Period, int Horizon, decimal Actual, decimal Expected, decimal P10, decimal P50, decimal P90)
{
    public bool Inside => Actual >= P10 && Actual <= P90;
}

/// <summary>
/// A horizon's errors over all as-of dates: the mean absolute percentage error of the P50 (periods with bookings),
/// its mean signed error (bias, positive = forecast too high), the share of periods whose actual fell inside P10–P90
/// for the total and for each channel (ideally 0.8), and the Brier score of each open deal's modelled chance of being
/// won by the horizon's end.
/// </summary>
public sealed record BacktestSummary(int Horizon, int Points, double Mape, double Bias, double Coverage, int ChannelPoints, double ChannelCoverage, int Deals, double Brier);

public sealed record BacktestTuning(Smoothing Smoothing, double Correlation, int ModelDraws, IReadOnlyList<BacktestSummary> Summary);

public sealed record BacktestReport(
    DateTime Now,
    PeriodKind PeriodKind,
    string Currency,
    int Trials,
    Smoothing Smoothing,
    double Correlation,
    int ModelDraws,
    IReadOnlyList<BacktestPoint> Points,
    IReadOnlyList<BacktestSummary> Summary,
    IReadOnlyList<BacktestTuning> Tuning);

/// <summary>
/// Replays the forecast at the first of every month from six months into the history until the last month whose
/// next period has ended by <c>now</c>, using only what was known then: deals created before, their stage at that
/// moment from the log, and a model fitted on deals closed before (docs/forecasting.md).
/// </summary>
public static class Backtest
{
    /// <summary>The smoothing settings compared by <see cref="Run"/> when asked to tune.</summary>
    public static readonly IReadOnlyList<Smoothing> Grid =
    [
        new(0, 0, false), new(1, 0, false), new(5, 0, false), new(20, 0, false),
        new(1, 2, true), new(5, 2, true), new(5, 10, true), new(5, 40, true),
        new(20, 10, true), new(20, 40, true), new(1, 10, true),
    ];

    /// <summary>The correlations of the channel's common shock compared when asked to tune, with and without model draws.</summary>
    public static readonly IReadOnlyList<double> CorrelationGrid = [0, 0.05, 0.1, 0.2, 0.3];

    public static BacktestReport Run(ForecastHistory history, DateTime now, ForecastOptions options, bool tune = false)
    {
        var asOfs = AsOfDates(history, now, options.PeriodKind);
        var currency = options.Currency ?? Forecaster.Forecast(history, now, options with { Trials = 1 }).Currency;
        options = options with { Currency = currency };
        var (points, summary) = Evaluate(history, now, asOfs, options);
        var tuning = new List<BacktestTuning>();
        if (tune)
        {
            foreach (var s in Grid)
                tuning.Add(new BacktestTuning(s, options.Correlation, options.ModelDraws, Evaluate(history, now, asOfs, options with { Smoothing = s }).Summary));
            foreach (var draws in new[] { 0, options.ModelDraws }.Distinct())
            {
                foreach (var rho in CorrelationGrid)
                {
                    var setting = options with { Correlation = rho, ModelDraws = draws };
                    tuning.Add(new BacktestTuning(options.Smoothing, rho, draws, Evaluate(history, now, asOfs, setting).Summary));
                }
            }
        }
        return new BacktestReport(now, options.PeriodKind, currency, options.Trials, options.Smoothing, options.Correlation, options.ModelDraws, points, summary, tuning);
    }

    public static IReadOnlyList<DateTime> AsOfDates(ForecastHistory history, DateTime now, PeriodKind kind)
    {
        if (history.Deals.Count == 0)
            return [];
        var earliest = history.Deals.Min(d => d.CreatedAt).AddMonths(6);
        var at = new DateTime(earliest.Year, earliest.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        var dates = new List<DateTime>();
        for (; Period.Containing(at, kind).Next().EndsAt <= now; at = at.AddMonths(1))
            dates.Add(at);
        return dates;
    }

    static (List<BacktestPoint> Points, List<BacktestSummary> Summary) Evaluate(ForecastHistory history, DateTime now, IReadOnlyList<DateTime> asOfs, ForecastOptions options)
    {
        var points = new List<BacktestPoint>();
        var channelHits = new int[2];
        var channelPoints = new int[2];
        var brier = new double[2];
        var deals = new int[2];
        foreach (var asOf in asOfs)
        {
            var report = Forecaster.Forecast(history, asOf, options);
            for (var h = 0; h < report.Periods.Count; h++)
            {
                var period = report.Periods[h];
                var actual = Booked(history, now, options.Currency!, period, null);
                points.Add(new BacktestPoint(asOf, period.Label, h, actual, period.Total.Expected, period.Total.P10, period.Total.P50, period.Total.P90));
                foreach (var channel in Enum.GetValues<Channel>())
                {
                    var actualInChannel = Booked(history, now, options.Currency!, period, channel);
                    var forecast = period.Channels.FirstOrDefault(c => c.Channel == channel);
                    if (forecast is null && actualInChannel == 0)
                        continue;
                    channelPoints[h]++;
                    if (forecast is not null && actualInChannel >= forecast.P10 && actualInChannel <= forecast.P90)
                        channelHits[h]++;
                }
            }

            // Deal by deal: the modelled chance of being won by each horizon's end against what happened.
            var model = StageOdds.Fit(history, asOf, options.Smoothing);
            var oversized = OversizedOdds.Fit(history, asOf, options.Currency!);
            var current = Period.Containing(asOf, options.PeriodKind);
            foreach (var deal in history.Deals)
            {
                if (history.StateAt(deal, asOf) is not { IsOpen: true } state)
                    continue;
                var (_, inCurrent, byNextEnd) = Forecaster.Assess(model, deal, state, current, oversized);
                var final = history.StateAt(deal, now);
                for (var h = 0; h < 2; h++)
                {
                    var end = h == 0 ? current.EndsAt : current.Next().EndsAt;
                    var won = final is { IsWon: true } f && f.EnteredAt < end ? 1.0 : 0.0;
                    var p = h == 0 ? inCurrent : byNextEnd;
                    brier[h] += (p - won) * (p - won);
                    deals[h]++;
                }
            }
        }

        var summary = new List<BacktestSummary>();
        for (var h = 0; h < 2; h++)
        {
            var at = points.Where(p => p.Horizon == h).ToList();
            var withBookings = at.Where(p => p.Actual > 0).ToList();
            summary.Add(new BacktestSummary(h, at.Count,
                withBookings.Count == 0 ? 0 : withBookings.Average(p => (double)(Math.Abs(p.P50 - p.Actual) / p.Actual)),
                withBookings.Count == 0 ? 0 : withBookings.Average(p => (double)((p.P50 - p.Actual) / p.Actual)),
                at.Count == 0 ? 0 : (double)at.Count(p => p.Inside) / at.Count,
                channelPoints[h], channelPoints[h] == 0 ? 0 : (double)channelHits[h] / channelPoints[h],
                deals[h], deals[h] == 0 ? 0 : brier[h] / deals[h]));
        }
        return (points, summary);
    }

    internal static decimal Booked(ForecastHistory history, DateTime now, string currency, PeriodForecast period, Channel? channel)
    {
        var from = period.Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = period.End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var sum = 0m;
        foreach (var deal in history.Deals)
        {
            if ((channel is null || deal.Channel == channel)
                && string.Equals(deal.Currency, currency, StringComparison.OrdinalIgnoreCase)
                && history.StateAt(deal, now) is { IsWon: true } state && state.EnteredAt >= from && state.EnteredAt < to)
                sum += deal.Amount;
        }
        return sum;
    }
}
