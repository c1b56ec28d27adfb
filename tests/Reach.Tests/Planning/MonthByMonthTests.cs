using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary>
/// The month-by-month plan on one inside channel whose figures are easy by hand (docs/planner.md, "Month by month"):
/// CAC = 120,000 / 24 + 100 / (0.5 × 0.25) = 5,800; N = 1,200,000 / 10,000 = 120 customers; m = 12 − 2 − 1 = 9
/// selling months; reps = 12 × 120 / (24 × 9) = 6.67, so 7 reps. A rep closes 24 / 12 = 2 deals a month once ramp
/// (2 months) and one cycle (30.4 days = 1 month) are behind them.
/// </summary>
public class MonthByMonthTests
{
    private static PlanResult Evaluate(string channelExtras = "") => Planner.Evaluate(Plan(channelExtras));

    internal static PlanFile Plan(string channelExtras = "") => PlanReader.Read($"""
        currency: EUR
        start: 2027-01-01
        horizon_months: 12
        target:
          new_arr: 1200000
        economics:
          gross_margin: 0.8
          annual_churn: 0.2
          max_lifetime_years: 5
          min_ltv_to_cac: 3
        channels:
          - name: inside
            kind: inside
            rep_cost_per_year: 120000
            deals_per_rep_per_year: 24
            ramp_months: 2
            win_rate: 0.25
            lead_to_opportunity: 0.5
            cost_per_lead: 100
            cycle_days: 30.4
        {channelExtras}
        segments:
          - name: clinics
            acv: 10000
            accounts: 10000
            share_of_target: 1
        """);

    [Fact]
    public void AllRepsHiredInMonthOneReachTheTargetInTheLastMonthAsTheSteadyStateSays()
    {
        var timeline = Evaluate().Timeline;
        var inside = timeline.Channels.Single();

        // Month 1: 7 hires, all ramping; payroll 7 × 120,000 / 12 = 70,000; nothing closes yet.
        var first = timeline.Months[0];
        Assert.Equal((7m, 7m, 0m, 0m, 70000m), (first.Hires, first.RepsRamping, first.RepsRamped, first.NewCustomers, first.Spend));
        // Month 3: ramped (ramp ends at 2), still one cycle from a close; it buys the leads of month 4's 7 × 2 = 14
        // deals: 14 / (0.25 × 0.5) = 112 leads, 11,200 EUR; spend 70,000 + 11,200.
        var third = timeline.Months[2];
        Assert.Equal((0m, 7m, 0m, 112m, 11200m, 81200m), (third.RepsRamping, third.RepsRamped, third.NewCustomers, third.Leads, third.LeadBudget, third.Spend));
        // Months 4 to 11 close 14 each (112); month 12 closes the last 8 of the 120 customers.
        Assert.Equal(14m, timeline.Months[3].NewCustomers);
        Assert.Equal(140000m, timeline.Months[3].NewArr);
        Assert.Equal(1120000m, timeline.Months[10].CumulativeNewArr);
        Assert.Equal(8m, timeline.Months[11].NewCustomers);
        Assert.Equal(120m, inside.Customers);

        Assert.Equal(12, timeline.TimeToTargetMonths);
        Assert.Equal("2027-12", timeline.TargetReachedIn);
        Assert.Equal(0m, timeline.Shortfall);
        // Spend: 12 × 70,000 payroll + 120 / 0.125 leads × 100 = 936,000; CAC over the horizon 7,800 against 5,800
        // at steady state; LTV 10,000 × 0.8 × 5 = 40,000, so LTV/CAC 40,000 / 7,800.
        Assert.Equal(936000m, timeline.Spend);
        Assert.Equal(936000m, timeline.Months[^1].CumulativeSpend);
        Assert.Equal(7800m, timeline.Cac);
        Assert.Equal(40000m / 7800m, timeline.LtvToCac);
        Assert.Equal(5800m, Evaluate().Channels.Single().Cac);
    }

    [Fact]
    public void AHiringLimitDelaysTheRepsAndTheTargetIsMissedByTheShortfall()
    {
        var timeline = Evaluate("    max_hires_per_month: 3").Timeline;

        // Hires 3, 3, 1; the cohorts close 6 from month 4, 12 from month 5, 14 from month 6:
        // 6 + 12 + 7 × 14 = 116 customers, 4 short: 40,000 EUR.
        Assert.Equal([3m, 3m, 1m, 0m], timeline.Months.Take(4).Select(m => m.Hires));
        Assert.Equal([0m, 0m, 0m, 6m, 12m, 14m], timeline.Months.Take(6).Select(m => m.NewCustomers));
        Assert.Null(timeline.TimeToTargetMonths);
        Assert.Null(timeline.TargetReachedIn);
        Assert.Equal(1160000m, timeline.NewArr);
        Assert.Equal(40000m, timeline.Shortfall);
        var plan = Plan("    max_hires_per_month: 3");
        Assert.Equal(
            "Target not reached within the horizon (12 months): 1,160,000 EUR new ARR, 40,000 EUR short of 1,200,000 EUR.",
            PlanReport.TimeToTarget(plan, Planner.Evaluate(plan)));
    }

    [Fact]
    public void StartRepsSellFromMonthOneAndTheTargetComesEarlier()
    {
        var timeline = Evaluate("    start_reps: 2\n    max_hires_per_month: 3").Timeline;

        // 2 reps close 4 a month from month 1; hires 3 (month 1) and 2 (month 2) add 6 from month 4 and 4 from month 5:
        // 4, 8, 12, 22, then 14 a month: 120 in month 11.
        Assert.Equal([3m, 2m, 0m], timeline.Months.Take(3).Select(m => m.Hires));
        Assert.Equal([4m, 4m, 4m, 10m, 14m], timeline.Months.Take(5).Select(m => m.NewCustomers));
        Assert.Equal(11, timeline.TimeToTargetMonths);
        Assert.Equal(2m, timeline.Channels.Single().StartReps);
    }

    [Fact]
    public void AttritionLosesATwelfthOfTheAnnualRateEachMonthAndHiresReplaceAWholePerson()
    {
        var timeline = Evaluate("    annual_attrition: 0.12").Timeline;
        var inside = timeline.Channels.Single();

        // 1 % a month leaves from month 2: 0.07 of 7 reps; the shortfall is rounded to whole hires, so the first
        // replacement comes when 7 × 0.99^n falls below 6.5: n = 8, month 9.
        Assert.Equal(0.07m, inside.Months[1].Leavers);
        Assert.Equal(0m, inside.Months[7].Hires);
        Assert.Equal(1m, inside.Months[8].Hires);
        Assert.Equal(8m, inside.Hires);
    }

    [Fact]
    public void ASegmentWithFewerAccountsThanCustomersNeededWinsOnlyItsAccountsMonthByMonth()
    {
        var plan = Plan();
        plan = plan with { Segments = [plan.Segments[0] with { Accounts = 100 }] };
        var result = Planner.Evaluate(plan);

        // The steady state keeps PLANNER.md's figures: 120 customers needed (market_too_small), 7 reps.
        var clinics = result.Segments.Single();
        Assert.Equal(120m, clinics.CustomersNeeded);
        Assert.Contains(SegmentFlag.MarketTooSmall, clinics.Flags);
        Assert.Equal(7m, result.Channels.Single().RepsNeeded);

        // Month by month no one sells to accounts that do not exist: 14 a month from month 4, 98 by month 10, the
        // last 2 in month 11, then nothing; 100 × 10,000 = 1,000,000 new ARR, 200,000 short.
        var timeline = result.Timeline;
        Assert.Equal(100m, timeline.Customers);
        Assert.Equal([14m, 2m, 0m], timeline.Months.Skip(9).Select(m => m.NewCustomers));
        Assert.Equal((1000000m, 200000m), (timeline.NewArr, timeline.Shortfall));
        Assert.Null(timeline.TimeToTargetMonths);
    }

    [Fact]
    public void ATargetInADeadZoneIsNeverReached()
    {
        var result = Planner.Evaluate(Plans.Example("convenience-store"));

        // Half the target (750,000 EUR) is in the dead zone: nothing is planned for it.
        Assert.Null(result.Timeline.TimeToTargetMonths);
        Assert.True(result.Timeline.Shortfall >= 750000m);
        Assert.Equal(24, result.Timeline.Months.Count);
    }

    [Fact]
    public void SelfServiceWinsItsCustomersEvenlyOverTheHorizon()
    {
        var result = Planner.Evaluate(Plans.Example("convenience-store"));
        var self = result.Timeline.Channels.Single(c => c.Name == "self-service");

        // kiosks: N = ceil(1,500,000 × 0.2 / 480) = 625 customers, 625 / 24 a month at 300 EUR each.
        Assert.Equal(625m, self.Customers);
        Assert.Equal(625m / 24, self.Months[0].Customers);
        Assert.Equal(625m * 300, Math.Round(self.Spend, 10));
        Assert.Equal(300m, self.Cac);
    }
}
