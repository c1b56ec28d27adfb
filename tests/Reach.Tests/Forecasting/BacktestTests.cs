using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

public sealed class BacktestTests
{
    static readonly DateTime Now = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Every month of 2026, four deals of 100 created on the 1st at 9:00: two won 10 days later, two lost after 5. One
    // more deal of 1,000 is created on 20 November and won on 20 December.
    static ForecastHistory Regular()
    {
        var histories = new Histories();
        for (var month = 1; month <= 12; month++)
        {
            var created = new DateTime(2026, month, 1, 9, 0, 0, DateTimeKind.Utc);
            histories.Add(created, 100, (Histories.Won, 10));
            histories.Add(created, 100, (Histories.Won, 10));
            histories.Add(created, 100, (Histories.Lost, 5));
            histories.Add(created, 100, (Histories.Lost, 5));
        }
        histories.Add(new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc), 1000, (Histories.Won, 30));
        return histories.Build();
    }

    [Fact]
    public void ReplaysEveryMonthWhoseNextPeriodHasEnded()
    {
        var dates = Backtest.AsOfDates(Regular(), Now, PeriodKind.Month);

        // Six months after the first deal (1 July 9:00), from the next 1st; November's next period ends on 1 January.
        Assert.Equal([new(2026, 8, 1), new(2026, 9, 1), new(2026, 10, 1), new(2026, 11, 1)], dates.Select(DateOnly.FromDateTime));
    }

    [Fact]
    public void ComparesForecastsMadeWithWhatWasKnownThenWithWhatWasBooked()
    {
        var report = Backtest.Run(Regular(), Now, new ForecastOptions { Trials = 500 });

        // At each 1st nothing is open; every earlier month booked 200 from deals created within it, so the forecast
        // is 200 with no spread. The deal created on 20 November is unknown on 1 November: December books 1,200.
        Assert.Equal(8, report.Points.Count);
        Assert.All(report.Points, p => Assert.Equal((200m, 200m, 200m, 200m), (p.Expected, p.P10, p.P50, p.P90)));
        Assert.Equal([200m, 200m, 200m, 200m], report.Points.Where(p => p.Horizon == 0).Select(p => p.Actual));
        Assert.Equal([200m, 200m, 200m, 1200m], report.Points.Where(p => p.Horizon == 1).Select(p => p.Actual));

        var (current, next) = (report.Summary[0], report.Summary[1]);
        Assert.Equal((0.0, 0.0, 1.0), (current.Mape, current.Bias, current.Coverage));
        Assert.Equal(1000 / 1200.0 / 4, next.Mape, 12);
        Assert.Equal(-1000 / 1200.0 / 4, next.Bias, 12);
        Assert.Equal(0.75, next.Coverage);
        Assert.Equal((4, 0.75), (next.ChannelPoints, next.ChannelCoverage));
        Assert.Empty(report.Tuning);
    }

    [Fact]
    public void TuningComparesEverySettingOfTheGrid()
    {
        var report = Backtest.Run(Regular(), Now, new ForecastOptions { Trials = 100 }, tune: true);

        Assert.Equal(Backtest.Grid, report.Tuning.Take(Backtest.Grid.Count).Select(t => t.Smoothing));
        // Then each correlation of the common shock, without and with model draws.
        Assert.Equal([.. Backtest.CorrelationGrid, .. Backtest.CorrelationGrid], report.Tuning.Skip(Backtest.Grid.Count).Select(t => t.Correlation));
        Assert.Equal(0, report.Tuning[Backtest.Grid.Count].ModelDraws);
        Assert.All(report.Tuning, t => Assert.Equal(0.0, t.Summary[0].Mape));
    }

    // Two years of a steady business drawn with a fixed seed: 25 deals a month, each won with probability 0.35 after
    // 10 to 70 days in stage A, or lost; amounts 50 to 500. Deals are independent, as the model assumes.
    static ForecastHistory Steady()
    {
        var random = new Random(2026);
        var histories = new Histories();
        for (var month = 0; month < 24; month++)
        {
            for (var i = 0; i < 25; i++)
            {
                var created = new DateTime(2025, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddMonths(month).AddDays(random.Next(0, 28));
                var amount = 50 + (50 * random.Next(0, 10));
                var days = 10 + (random.NextDouble() * 60);
                histories.Add(created, amount, (random.NextDouble() < 0.35 ? Histories.Won : Histories.Lost, days));
            }
        }
        return histories.Build();
    }

    [Fact]
    public void TheP10ToP90BandHoldsAboutFourInFiveOutcomesOnASteadyHistory()
    {
        var report = Backtest.Run(Steady(), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), new ForecastOptions { Trials = 1000, Seed = 7 });

        // 16 as-of dates, two horizons: the band should miss about one in five. A band that ignores the error of the
        // fitted rates (no model draws) is narrower: it must not cover more than the default.
        var points = report.Summary.Sum(s => s.Points);
        var coverage = report.Summary.Sum(s => s.Coverage * s.Points) / points;
        Assert.Equal(32, points);
        Assert.InRange(coverage, 0.65, 0.95);

        var exact = Backtest.Run(Steady(), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), new ForecastOptions { Trials = 1000, Seed = 7, ModelDraws = 0, Correlation = 0 });
        var narrower = exact.Points.Zip(report.Points, (e, d) => (e.P90 - e.P10) <= (d.P90 - d.P10)).Count(x => x);
        Assert.True(narrower >= 28, $"the band without model draws or shock was at most as wide in {narrower} of 32 points");
    }
}
