using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary>
/// An oversized open deal's odds come from deals that were oversized too when they were open (docs/forecasting.md,
/// "Oversized deals"), on a history worked out by hand. All in mid-market, all from stage A:
/// <list type="bullet">
/// <item>day −400: the first win, 10,000 (nothing won before it, so not oversized);</item>
/// <item>day −300: three deals of 50,000 lost (5× the 10,000 won before them: oversized);</item>
/// <item>day −200: one of 50,000 won (5× the 10,000: oversized);</item>
/// <item>day −150: six of 5,000, four won, two lost (a tenth of the 50,000: ordinary).</item>
/// </list>
/// 11 closed, 6 won (6/11); 4 similar, 1 won. Open, 3 days in A: 200,000 (4.0× the 50,000) and 5,000.
/// </summary>
public sealed class OversizedOddsTests
{
    static readonly DateTime AsOf = new(2027, 1, 20, 0, 0, 0, DateTimeKind.Utc);
    static readonly Smoothing None = new(0, 0, false);

    // The similar deals' rate shrunk toward the workspace's by a prior worth 5 deals: (1 + 5 × 6/11) / (4 + 5) = 41/99.
    const double SimilarRate = 41 / 99.0;
    const double WorkspaceRate = 6 / 11.0;

    static Histories MidMarket(out ForecastDeal big, out ForecastDeal ordinary)
    {
        var histories = new Histories();
        histories.AddIn("mid-market", AsOf.AddDays(-420), 10_000, (Histories.Won, 20));
        for (var i = 0; i < 3; i++)
            histories.AddIn("mid-market", AsOf.AddDays(-330), 50_000, (Histories.Lost, 30));
        histories.AddIn("mid-market", AsOf.AddDays(-230), 50_000, (Histories.Won, 30));
        for (var i = 0; i < 6; i++)
            histories.AddIn("mid-market", AsOf.AddDays(-180), 5_000, (i < 4 ? Histories.Won : Histories.Lost, 30));
        big = histories.AddIn("mid-market", AsOf.AddDays(-3), 200_000);
        ordinary = histories.AddIn("mid-market", AsOf.AddDays(-3), 5_000);
        return histories;
    }

    static DealOutlook Outlook(ForecastHistory history, ForecastDeal deal, Smoothing smoothing)
    {
        var model = StageOdds.Fit(history, AsOf, smoothing);
        var oversized = OversizedOdds.Fit(history, AsOf, "EUR");
        return Forecaster.Assess(model, deal, history.StateAt(deal, AsOf)!.Value, Period.Containing(AsOf, PeriodKind.Month), oversized).Outlook;
    }

    [Fact]
    public void SimilarDealsAreThoseTheRuleFlaggedOnTheirLastOpenDay()
    {
        var odds = OversizedOdds.Fit(MidMarket(out _, out _).Build(), AsOf, "EUR");

        Assert.Equal((11, 6, 4, 1), (odds.ClosedDeals, odds.WonDeals, odds.SimilarDeals, odds.SimilarWon));
        Assert.Equal(1, odds.OpenOversized);
    }

    [Fact]
    public void AnOversizedDealsStageOddsAreScaledByHowSimilarDealsFared()
    {
        var history = MidMarket(out var big, out var ordinary).Build();

        var outlook = Outlook(history, big, None);

        // The stage: 6 of 11 won (every closed deal sat in A longer than 3 days). Scaled by (41/99) / (6/11).
        Assert.Equal(WorkspaceRate * (SimilarRate / WorkspaceRate), outlook.WinProbability, 12);
        Assert.Equal("4.0× the largest deal won in mid-market, €50k", outlook.Oversized!.Text);
        Assert.Equal(4.0m, outlook.Oversized.Ratio);
        var similar = outlook.SimilarDeals!;
        Assert.Equal((4, 1), (similar.Deals, similar.Won));
        Assert.Equal(WorkspaceRate, similar.StageWinProbability, 12);
        Assert.Equal(SimilarRate, similar.SimilarWinRate, 12);
        Assert.Equal("1 of 4 similar deals won: 41 % instead of the stage's 55 %", similar.Text);
        // The ordinary deal keeps its stage's odds.
        var plain = Outlook(history, ordinary, None);
        Assert.Null(plain.Oversized);
        Assert.Null(plain.SimilarDeals);
        Assert.Equal(WorkspaceRate, plain.WinProbability, 12);
    }

    [Fact]
    public void WithTheDefaultSmoothingTheScaledOddsAreTheStageAndKindsOddsTimesTheRatio()
    {
        var history = MidMarket(out var big, out _).Build();

        var outlook = Outlook(history, big, Smoothing.Default);

        // Stage (6 + 1 × 0.5) / 12, kind (6 + 10 × that) / 21; times (41/99) / (6/11) = 41/54.
        var stage = (6 + (10 * (6.5 / 12))) / 21;
        Assert.Equal(stage * 41 / 54, outlook.WinProbability, 12);
        Assert.Equal(stage, outlook.SimilarDeals!.StageWinProbability, 12);
        // The chance of closing within the period is scaled the same way (the timing is the stage's).
        var plainModel = StageOdds.Fit(history, AsOf, Smoothing.Default);
        var plain = Forecaster.Assess(plainModel, big, history.StateAt(big, AsOf)!.Value, Period.Containing(AsOf, PeriodKind.Month)).Outlook;
        Assert.Equal(plain.CloseInPeriodProbability * 41 / 54, outlook.CloseInPeriodProbability, 12);
    }

    [Fact]
    public void ASegmentWithoutWinsIsMeasuredAgainstTheWorkspace()
    {
        var histories = MidMarket(out _, out _);
        var enterprise = histories.AddIn("enterprise", AsOf.AddDays(-3), 160_000);

        var outlook = Outlook(histories.Build(), enterprise, None);

        Assert.Equal("3.2× the largest deal won in the workspace, €50k", outlook.Oversized!.Text);
        Assert.Null(outlook.Oversized.Segment);
        Assert.Equal(SimilarRate, outlook.WinProbability, 12);
    }

    [Fact]
    public void WithoutSimilarDealsTheStageOddsStandAndSaySo()
    {
        var histories = new Histories();
        for (var i = 0; i < 4; i++)
            histories.AddIn("smb", AsOf.AddDays(-100), 1_000, (i < 3 ? Histories.Won : Histories.Lost, 10));
        var big = histories.AddIn("smb", AsOf.AddDays(-3), 10_000);

        var outlook = Outlook(histories.Build(), big, None);

        Assert.Equal(0.75, outlook.WinProbability, 12);
        Assert.Equal("no deal this far out of scale has closed yet: the stage's 75 %", outlook.SimilarDeals!.Text);
    }

    [Fact]
    public void TheWorkspaceFactorDecides()
    {
        var history = MidMarket(out var big, out _).Build(dealSizeFactor: 5);

        // 4.0× is within 5×, and the 50,000 deals (5.0×) were not above it either.
        var outlook = Outlook(history, big, None);

        Assert.Null(outlook.Oversized);
        Assert.Equal(WorkspaceRate, outlook.WinProbability, 12);
        Assert.Equal(0, OversizedOdds.Fit(history, AsOf, "EUR").SimilarDeals);
    }

    [Fact]
    public void TheForecastListsTheOversizedDealAndBooksItWithTheScaledOdds()
    {
        var history = MidMarket(out var big, out _).Build();
        var options = new ForecastOptions { Smoothing = None, Trials = 500, ModelDraws = 0, Correlation = 0, NewBusinessLookbacks = 0 };

        var report = Forecaster.Forecast(history, AsOf, options);

        var listed = Assert.Single(report.OversizedDeals);
        Assert.Equal(big.Id, listed.Id);
        Assert.Equal(SimilarRate, listed.WinProbability, 12);
        // Every win came 20 or 30 days after entering A, so both open deals are booked by the end of February.
        var pipeline = report.Periods.Sum(p => p.Total.ExpectedFromPipeline);
        var expected = (200_000 * (decimal)SimilarRate) + (5_000 * (decimal)WorkspaceRate);
        Assert.True(Math.Abs(expected - pipeline) <= 0.02m, $"{pipeline} booked from the pipeline, {expected} expected");
    }

    [Fact]
    public void TheBacktestScoresDealsWithTheSameRule()
    {
        // On 1 July 2026 the 50,000 win of day −200 was open and oversized, with three similar deals lost before it.
        var options = new ForecastOptions { Trials = 200, ModelDraws = 0, Correlation = 0, Currency = "EUR" };
        var flagged = Backtest.Run(MidMarket(out _, out _).Build(), AsOf, options);
        var unflagged = Backtest.Run(MidMarket(out _, out _).Build(dealSizeFactor: 100), AsOf, options);

        Assert.Contains(flagged.Points, p => p.AsOf == new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.NotEqual(unflagged.Summary[0].Brier, flagged.Summary[0].Brier);
        Assert.NotEqual(unflagged.Points.Single(p => p.AsOf.Month == 7 && p.AsOf.Year == 2026 && p.Horizon == 0).Expected,
            flagged.Points.Single(p => p.AsOf.Month == 7 && p.AsOf.Year == 2026 && p.Horizon == 0).Expected);
    }
}
