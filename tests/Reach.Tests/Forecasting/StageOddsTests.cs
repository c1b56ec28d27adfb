using Reach.Deals;
using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

public sealed class StageOddsTests
{
    static readonly DateTime AsOf = new(2027, 1, 20, 0, 0, 0, DateTimeKind.Utc);
    static readonly Smoothing None = new(0, 0, false);

    // Won 10, 20 and 30 days after entering A, lost after 5: all long closed.
    static Histories ThreeWinsOneLoss()
    {
        var histories = new Histories();
        var start = AsOf.AddDays(-200);
        histories.Add(start, 100, (Histories.Won, 10));
        histories.Add(start, 100, (Histories.Won, 20));
        histories.Add(start, 100, (Histories.Won, 30));
        histories.Add(start, 100, (Histories.Lost, 5));
        return histories;
    }

    [Fact]
    public void TheWinRateAndRemainingDaysComeFromClosedDeals()
    {
        var model = StageOdds.Fit(ThreeWinsOneLoss().Build(), AsOf, None);

        var odds = model.Odds(Histories.A.Id, DealKind.New, 0);

        Assert.Equal(0.75, odds.WinProbability, 12);
        Assert.Equal(10, odds.Remaining!.Quantile(0.1));
        Assert.Equal(20, odds.Remaining.Quantile(0.5));
        Assert.Equal(30, odds.Remaining.Quantile(0.9));
        Assert.Equal(1 / 3.0, odds.Remaining.Below(12), 12);
        Assert.Equal(4, model.ClosedDeals);
    }

    [Fact]
    public void AResampledFitWeighsEachDealByABootstrapDrawAndIsReproducible()
    {
        var history = ThreeWinsOneLoss().Build();
        var rates = Enumerable.Range(1, 400).Select(r => StageOdds.Fit(history, AsOf, None, resample: (ulong)r).Odds(Histories.A.Id, DealKind.New, 0).WinProbability).ToList();

        // Each draw is one plausible rate; over many draws they centre on the fitted 0.75 (the Dirichlet mean).
        Assert.Equal(rates[0], StageOdds.Fit(history, AsOf, None, resample: 1).Odds(Histories.A.Id, DealKind.New, 0).WinProbability);
        Assert.True(rates.Distinct().Count() > 300);
        Assert.InRange(rates.Min(), 0, 0.6);
        Assert.Equal(0.75, rates.Average(), 0.03);
    }

    [Fact]
    public void ThePriorWeighsAsManyDealsAsItsStrength()
    {
        var model = StageOdds.Fit(ThreeWinsOneLoss().Build(), AsOf, new Smoothing(4, 0, false));

        // (4 × 0.75 + 4 × 0.5) / (4 + 4)
        Assert.Equal(0.625, model.Odds(Histories.A.Id, DealKind.New, 0).WinProbability, 12);
    }

    [Fact]
    public void ADealThatHasSatInTheStageIsComparedWithDealsThatSatThereAsLong()
    {
        var model = StageOdds.Fit(ThreeWinsOneLoss().Build(), AsOf, None);

        var odds = model.Odds(Histories.A.Id, DealKind.New, 15);

        // Only the wins after 20 and 30 days sat in A longer than 15 days.
        Assert.Equal(1, odds.WinProbability, 12);
        Assert.Equal(5, odds.Remaining!.Quantile(0.1));
        Assert.Equal(15, odds.Remaining.Quantile(0.9));
    }

    [Fact]
    public void ADealThatMovedOnDoesNotCountForOneStillInTheStage()
    {
        var histories = new Histories();
        var start = AsOf.AddDays(-100);
        histories.Add(start, 100, (Histories.B, 2), (Histories.Won, 12));
        histories.Add(start, 100, (Histories.Lost, 20));
        var model = StageOdds.Fit(histories.Build(), AsOf, None);

        Assert.Equal(0.5, model.Odds(Histories.A.Id, DealKind.New, 0).WinProbability, 12);
        Assert.Equal(0, model.Odds(Histories.A.Id, DealKind.New, 10).WinProbability, 12);
        var fromB = model.Odds(Histories.B.Id, DealKind.New, 0);
        Assert.Equal(1, fromB.WinProbability, 12);
        Assert.Equal(10, fromB.Remaining!.Quantile(0.5), 9);
    }

    [Fact]
    public void OpenDealsAreCensoredRatherThanIgnored()
    {
        var histories = ThreeWinsOneLoss();
        histories.Add(AsOf.AddDays(-25), 100);
        var model = StageOdds.Fit(histories.Build(), AsOf, None);

        var odds = model.Odds(Histories.A.Id, DealKind.New, 0);

        // Aalen–Johansen over lost 5, won 10, won 20, open 25, won 30: the loss and the first two wins take 1/5 each,
        // the last win the 2/5 left with it, so P(won) = 0.8 and the wins weigh 1/4, 1/4, 1/2.
        Assert.Equal(0.8, odds.WinProbability, 12);
        Assert.Equal(0.5, odds.Remaining!.Below(25), 12);
        Assert.Equal(20, odds.Remaining.Quantile(0.5));
        Assert.Equal(30, odds.Remaining.Quantile(0.9));
        Assert.Equal(4, model.ClosedDeals);
    }

    [Fact]
    public void AKindWithFewDealsIsShrunkTowardTheWholeStage()
    {
        var histories = ThreeWinsOneLoss();
        histories.Add(AsOf.AddDays(-100), 100, DealKind.Expansion, null, (Histories.Won, 4));
        histories.Add(AsOf.AddDays(-100), 100, DealKind.Expansion, null, (Histories.Won, 4));
        var model = StageOdds.Fit(histories.Build(), AsOf, new Smoothing(0, 2, true));

        var expansion = model.Odds(Histories.A.Id, DealKind.Expansion, 0);
        var fresh = model.Odds(Histories.A.Id, DealKind.New, 0);

        // Stage: 5 of 6 won. Expansion: (2 × 1 + 2 × 5/6) / 4; new: (4 × 3/4 + 2 × 5/6) / 6.
        Assert.Equal(11 / 12.0, expansion.WinProbability, 12);
        Assert.Equal(14 / 18.0, fresh.WinProbability, 12);
        // Timing: the kind's {4, 4} weigh 2 / (2 + 2); the stage's {4, 4, 10, 20, 30} the other half.
        Assert.Equal(0.7, expansion.Remaining!.Below(5), 12);
        Assert.Equal(4, expansion.Remaining.Quantile(0.5));
        Assert.Equal(10, expansion.Remaining.Quantile(0.75));
    }

    [Fact]
    public void WithoutHistoryAStageFallsBackToTheTeamsProbability()
    {
        var model = StageOdds.Fit(new Histories().Build(), AsOf, Smoothing.Default);

        var odds = model.Odds(Histories.B.Id, DealKind.New, 3);

        Assert.Equal(0.8, odds.WinProbability, 12);
        Assert.Null(odds.Remaining);
    }
}
