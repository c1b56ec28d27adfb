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

        Assert.Equal(Backtest.Grid, report.Tuning.Select(t => t.Smoothing));
        Assert.All(report.Tuning, t => Assert.Equal(0.0, t.Summary[0].Mape));
    }
}
