using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

public sealed class TrackRecordTests
{
    static readonly DateTime Now = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // BacktestTests' steady business: 25 deals a month for two years, each won with probability 0.35.
    static ForecastHistory Steady()
    {
        var random = new Random(2026);
        var histories = new Histories();
        for (var month = 0; month < 24; month++)
        {
            for (var i = 0; i < 25; i++)
            {
                var created = new DateTime(2025, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddMonths(month).AddDays(random.Next(0, 28));
                histories.Add(created, 50 + (50 * random.Next(0, 10)), (random.NextDouble() < 0.35 ? Histories.Won : Histories.Lost, 10 + (random.NextDouble() * 60)));
            }
        }
        return histories.Build();
    }

    [Fact]
    public void AMissIsMeasuredInHalfWidthsOfTheBandOnItsSideAndTheFactorIsTheEightiethPercentile()
    {
        // 130 against P50 100 and P90 120: 30 / 20 = 1.5 half-widths out; 90 against P10 80: 10 / 20 = 0.5, inside.
        Assert.Equal(1.5, TrackRecord.Miss(130, 80, 100, 120));
        Assert.Equal(0.5, TrackRecord.Miss(90, 80, 100, 120));
        Assert.Equal(0, TrackRecord.Miss(100, 100, 100, 100));
        // Sorted 0, 0.2, 0.5, 1.5, 2: the 80th percentile sits at position 3.2, 1.5 + 0.2 × 0.5 = 1.6.
        Assert.Equal(1.6, TrackRecord.Factor([0, 0.5, 1.5, 2, 0.2]), 12);
        Assert.Equal(TrackRecord.MaxFactor, TrackRecord.Factor([100, 100, 100]));
    }

    [Fact]
    public void AForecastShowsItsBacktestOverTheLastTwelveMonthStartsAndItsBandIsScaledByIt()
    {
        var history = Steady();
        var options = new ForecastOptions { Trials = 1000, Seed = 7, ModelDraws = 0, Correlation = 0 };

        var raw = Forecaster.Forecast(history, Now, options);
        var report = Forecaster.ForecastWithTrackRecord(history, Now, options);

        var record = report.TrackRecord!;
        Assert.True(record.Available);
        Assert.Equal(12, record.Periods);
        Assert.Equal((new DateTime(2025, 12, 1), new DateTime(2026, 11, 1)), (record.From!.Value, record.To!.Value));
        var total = record.Horizons[0].Total;
        Assert.Equal(12, total.Points);
        Assert.Equal(total.Held / 12.0, total.Coverage, 12);
        Assert.NotNull(total.CalibratedCoverage);
        Assert.Single(record.Horizons[0].Channels);

        // The shown band is the simulated one with its half-widths scaled by the factor; the P50 stays.
        var before = raw.Periods[0].Total;
        var after = report.Periods[0].Total;
        Assert.Equal(before.P50, after.P50);
        Assert.Equal(before.P50 + ((before.P90 - before.P50) * (decimal)total.Factor), after.P90);
        // Cached: the same history replays nothing and gives the same record.
        Assert.Same(record, Forecaster.ForecastWithTrackRecord(history, Now, options).TrackRecord);
    }

    [Fact]
    public void AWorkspaceTooYoungToReplaySaysSoAndKeepsTheSimulatedBand()
    {
        var histories = new Histories();
        histories.Add(Now.AddDays(-40), 100, (Histories.Won, 10));
        histories.Add(Now.AddDays(-20), 100);
        var history = histories.Build();

        var report = Forecaster.ForecastWithTrackRecord(history, Now, new ForecastOptions { Trials = 200 });

        Assert.False(report.TrackRecord!.Available);
        Assert.StartsWith("This forecast cannot be backtested yet", report.TrackRecord.Reason, StringComparison.Ordinal);
        Assert.Equal(Forecaster.Forecast(history, Now, new ForecastOptions { Trials = 200 }).Periods[0].Total, report.Periods[0].Total);
    }
}
