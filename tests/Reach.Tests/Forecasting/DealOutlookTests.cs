using Reach.Deals;
using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

public sealed class DealOutlookTests
{
    // Mid-month: the period ends on 1 February, 12 days on.
    static readonly DateTime AsOf = new(2027, 1, 20, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateOnly Today = new(2027, 1, 20);

    static DealOutlook Outlook(DateOnly? expectedClose)
    {
        var histories = new Histories();
        var start = AsOf.AddDays(-200);
        histories.Add(start, 100, (Histories.Won, 10));
        histories.Add(start, 100, (Histories.Won, 20));
        histories.Add(start, 100, (Histories.Won, 30));
        histories.Add(start, 100, (Histories.Lost, 5));
        var open = histories.Add(AsOf, 1000, DealKind.New, expectedClose);
        var history = histories.Build();
        var model = StageOdds.Fit(history, AsOf, new Smoothing(0, 0, false));
        return Forecaster.Assess(model, open, history.StateAt(open, AsOf)!.Value, Period.Containing(AsOf, PeriodKind.Month)).Outlook;
    }

    [Fact]
    public void ACloseDateMoreThanAWeekBeforeTheStagesP10IsFlaggedCycleUnderestimated()
    {
        // The earliest plausible close is day 10: day 2 is 8 days before it.
        var outlook = Outlook(Today.AddDays(2));

        Assert.Equal([DealFlag.CycleUnderestimated], outlook.Flags);
        Assert.Equal(Today.AddDays(10), outlook.EarliestPlausibleClose);
        Assert.Equal(Today.AddDays(20), outlook.LikelyClose);
        Assert.Equal(0.75, outlook.WinProbability, 12);
        // Won within 12 days: only the 10-day win of the three.
        Assert.Equal(0.25, outlook.CloseInPeriodProbability, 12);
    }

    [Fact]
    public void ACloseDateWithinAWeekOfTheEarliestPlausibleIsNotFlagged() => Assert.Empty(Outlook(Today.AddDays(3)).Flags);

    [Fact]
    public void APlausibleCloseDateIsNotFlagged() => Assert.Empty(Outlook(Today.AddDays(12)).Flags);

    [Fact]
    public void ACloseDateInThePastIsFlaggedAsPassed() => Assert.Equal([DealFlag.CloseDatePassed], Outlook(Today.AddDays(-1)).Flags);

    [Fact]
    public void ADealWithoutACloseDateIsNotFlagged() => Assert.Empty(Outlook(null).Flags);
}
