using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary>The warnings of issue 26: each names its segment or channel and the number behind it.</summary>
public class PlanWarningsTests
{
    private static (PlanFile Plan, PlanResult Result) Evaluate(string channels, string segments, int horizon = 24, decimal target = 1000000)
    {
        var plan = PlanReader.Read($"""
            currency: EUR
            start: 2027-01-01
            horizon_months: {horizon}
            target:
              new_arr: {target}
            economics:
              gross_margin: 0.8
              annual_churn: 0.2
              max_lifetime_years: 5
              min_ltv_to_cac: 3
            channels:
            {channels}
            segments:
            {segments}
            """);
        return (plan, Planner.Evaluate(plan));
    }

    private const string Field = """
          - name: field
            kind: field
            rep_cost_per_year: 260000
            deals_per_rep_per_year: 6
            ramp_months: 6
            win_rate: 0.25
            lead_to_opportunity: 0.3
            cost_per_lead: 400
            cycle_days: 210
        """;

    private static string Segment(string name, decimal acv, string share) => $"""
          - name: {name}
            acv: {acv}
            accounts: 1000
            share_of_target: {share}
        """;

    [Fact]
    public void SharesBelowOneLeavePartOfTheTargetToNoSegment()
    {
        var (plan, result) = Evaluate(Field, Segment("enterprise", 100000, "0.6"));

        Assert.Contains(
            "The segments' share_of_target add up to 0.6: 40% of the target (400,000 EUR) is left to no segment.",
            PlanReport.Warnings(plan, result));
    }

    [Fact]
    public void AFieldChannelSellingOnlyAFewMonthsOfTheHorizonWarnsOfItsHorizonCac()
    {
        // m = 16 − 6 − 210 / 30.4 = 3.09 selling months; 7 reps paid for 16 months win 10 customers:
        // LTV/CAC over the horizon about 1.6, against 400,000 / 48,667 = 8.22 at steady state.
        var (plan, result) = Evaluate(Field, Segment("enterprise", 100000, "1"), horizon: 16);

        var field = result.Timeline.Channels.Single();
        Assert.Equal(10m, field.Customers);
        Assert.True(field.LtvToCac < 3);
        var warning = Assert.Single(PlanReport.Warnings(plan, result), w => w.StartsWith("field sells for only", StringComparison.Ordinal));
        Assert.StartsWith("field sells for only 3.1 of the 16 months after a hire (ramp 6 + cycle 6.9 months): over the horizon its CAC is ", warning, StringComparison.Ordinal);
        Assert.EndsWith("below 3 (8.22 at steady state).", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void HiringMoreThanFiveRepsInAMonthWithoutAHiringLimitIsNamed()
    {
        // MonthByMonthTests' plan hires its 7 reps in month 1: nobody set a pace, so the time to target assumes it.
        var plan = MonthByMonthTests.Plan();
        Assert.Contains(
            "inside hires 7 reps in month 1 and sets no max_hires_per_month: recruiting and onboarding rarely absorb more "
            + "than 5 a month; set it to see when the target is reached at the pace you can hire.",
            PlanReport.Warnings(plan, Planner.Evaluate(plan)));

        // A pace the plan chose, even a fast one, is the founder's call.
        var paced = MonthByMonthTests.Plan("    max_hires_per_month: 7");
        Assert.DoesNotContain(PlanReport.Warnings(paced, Planner.Evaluate(paced)), w => w.Contains("max_hires_per_month", StringComparison.Ordinal));
    }

    [Fact]
    public void ATargetReachedOnlyInTheLastMonthAndMissedWhenAnAssumptionSlipsIsNamed()
    {
        // The dev tool example lands on its target in month 24 of 24; 20% fewer deals per rep misses it.
        var plan = Plans.Example("devtool-self-serve-enterprise");
        var result = Planner.EvaluateInFull(plan);

        Assert.Equal(24, result.Timeline.TimeToTargetMonths);
        var warning = Assert.Single(PlanReport.Warnings(plan, result), w => w.StartsWith("The target is reached only in month 24", StringComparison.Ordinal));
        Assert.Contains("deals_per_rep_per_year −20% (", warning, StringComparison.Ordinal);
        Assert.EndsWith("short): the plan has no room for that slip.", warning, StringComparison.Ordinal);

        // The partner example also lands in month 24 but holds under every ±20%: no such warning.
        var partners = Plans.Example("convenience-store-partners");
        Assert.DoesNotContain(PlanReport.Warnings(partners, Planner.EvaluateInFull(partners)), w => w.StartsWith("The target is reached only", StringComparison.Ordinal));
    }

    [Fact]
    public void AChannelUnprofitableAtEveryPriceItAcceptsIsNamed()
    {
        const string SelfService = """
              - name: webshop
                kind: self_service
                acquisition_cost: 1000
                max_acv: 600
            """;
        var (plan, result) = Evaluate(SelfService + "\n" + Field, Segment("enterprise", 100000, "1"));

        // LTV at 600 = 600 × 0.8 × 5 = 2,400: 2.40 < 3; break-even ACV 3 × 1,000 / (0.8 × 5) = 750.
        Assert.Contains(
            "webshop is unprofitable at every price it accepts: at its max ACV of 600 EUR LTV/CAC is 2.40, below 3 (it breaks even at an ACV of 750 EUR).",
            PlanReport.Warnings(plan, result));
    }

    [Fact]
    public void ASegmentPricedFarAboveAnythingWonIsNamedWithItsShare()
    {
        var (plan, result) = Evaluate(Field, Segment("enterprise", 150000, "0.4") + "\n" + Segment("mid", 60000, "0.6"));
        var calibration = new Calibration(
            new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), "EUR", [],
            [new SegmentCalibration("enterprise", 150000, null, 0, null, []), new SegmentCalibration("mid", 60000, 35000, 4, 40000, [])],
            0, [], 50000);

        var warnings = PlanReport.Warnings(plan, result, calibration);

        // enterprise has no won deal of its own: 150,000 is 3× the workspace's largest (50,000). mid: 60,000 ≤ 2 × 40,000.
        Assert.Contains(
            "enterprise: 40% of the target (400,000 EUR) rests on 150,000 EUR deals, 3× the largest won in the workspace in the last 12 months (50,000 EUR).",
            warnings);
        Assert.DoesNotContain(warnings, w => w.StartsWith("mid:", StringComparison.Ordinal));
        Assert.DoesNotContain(PlanReport.Warnings(plan, result), w => w.Contains("rests on", StringComparison.Ordinal));
    }
}
