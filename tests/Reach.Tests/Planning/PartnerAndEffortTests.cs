using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary>
/// The partner channel and effort growing with ACV (docs/planner.md, "Partner channels" and "Effort that grows with
/// ACV"), recomputed by hand from the documented formulas. Economics throughout: gross margin 0.8, churn 0.2, so the
/// lifetime is 5 years and LTV = acv × 4; min LTV/CAC 3.
/// </summary>
public class PartnerAndEffortTests
{
    private static PlanFile Plan(string channel, decimal acv, decimal newArr) => PlanReader.Read($"""
        currency: EUR
        start: 2027-01-01
        horizon_months: 12
        target:
          new_arr: {newArr}
        economics:
          gross_margin: 0.8
          annual_churn: 0.2
          max_lifetime_years: 5
          min_ltv_to_cac: 3
        channels:
        {channel}
        segments:
          - name: shops
            acv: {acv}
            accounts: 10000
            share_of_target: 1
        """);

    private const string Partner = """
          - name: resellers
            kind: partner
            commission: 0.2
            commission_years: 2
            cost_per_deal: 100
            win_rate: 0.25
            cycle_days: 30.4
            max_acv: 5000
        """;

    private const string ScaledInside = """
          - name: inside
            kind: inside
            rep_cost_per_year: 120000
            deals_per_rep_per_year: 24
            ramp_months: 2
            win_rate: 0.25
            lead_to_opportunity: 0.5
            cost_per_lead: 100
            cycle_days: 30.4
            reference_acv: 10000
            effort_exponent: 0.5
        """;

    [Fact]
    public void APartnerChannelClosesNoMoreThanItsPartnersCanAndSaysHowManyItNeeds()
    {
        // 5 partners × 18 deals a year: at most 5 × 18 / 12 = 7.5 customers a month, below the 120 / 11 = 10.9 the
        // horizon needs. Months 2–12 close 7.5 each: 82.5 customers, 82,500 EUR new ARR, 37,500 short; spend
        // 82.5 × 500 = 41,250. partners_needed = ceil(12 × 120 / (18 × 11)) = ceil(7.27) = 8.
        var plan = Plan(Partner + "\n    partners: 5\n    deals_per_partner_per_year: 18", 1000, 120000);
        var result = Planner.EvaluateInFull(plan);

        var timeline = result.Timeline;
        Assert.Equal(0m, timeline.Months[0].NewCustomers);
        Assert.All(timeline.Months.Skip(1), m => Assert.Equal(7.5m, m.NewCustomers));
        Assert.Equal((82.5m, 82500m, 37500m, 41250m), (timeline.Customers, timeline.NewArr, timeline.Shortfall, timeline.Spend));
        Assert.Null(timeline.TimeToTargetMonths);
        Assert.Equal(8m, result.Channels.Single().PartnersNeeded);
        Assert.Contains(
            "resellers: 5 partners × 18 deals a year close 83 of its 120 customers in its 11 selling months; it needs 8 partners.",
            PlanReport.Warnings(plan, result));

        // Applied, the 8 partners close up to 12 a month, so the channel sells evenly again: the target in month 12.
        var add = result.Recommendations!.Single(r => r.Action == RecommendationAction.AddPartners);
        Assert.Equal(("add_partners:resellers", 8m), (add.Apply, add.Value!.Value));
        var scenario = Planner.EvaluateInFull(plan with { Scenario = [add.Apply] }).Scenario!;
        Assert.Equal((12, 120m), (scenario.Result.Timeline.TimeToTargetMonths!.Value, scenario.Result.Timeline.Customers));
        Assert.Equal((5m, 8m), (scenario.Differences.Single(d => d.Figure == "resellers.partners").Plan!.Value, scenario.Differences.Single(d => d.Figure == "resellers.partners").Scenario!.Value));
    }

    [Fact]
    public void PartnerCapacityTakesBothFiguresAndIsWrittenWithThePlan()
    {
        var error = Assert.Throws<PlanValidationException>(() => Plan(Partner + "\n    partners: 5", 1000, 120000));
        Assert.Equal(["channels[0].deals_per_partner_per_year: is required with partners (the channel's capacity is partners × deals_per_partner_per_year)"],
            error.Errors.Select(e => $"{e.Field}: {e.Message}"));

        var plan = Plan(Partner + "\n    partners: 5\n    deals_per_partner_per_year: 18", 1000, 120000);
        var again = PlanReader.Read(PlanWriter.Write(plan)).Channels.Single();
        Assert.Equal((5m, 18m), (again.Partners!.Value, again.DealsPerPartnerPerYear));
        // Without capacity nothing changes: no partners_needed in the JSON.
        Assert.DoesNotContain("partners_needed", Planner.EvaluateInFull(Plan(Partner, 1000, 120000)).ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void APartnerCostsItsCommissionAndCostPerDealAndNeedsNoReps()
    {
        var result = Planner.Evaluate(Plan(Partner, 1000, 120000));
        var shops = result.Segments.Single();
        var channel = Assert.Single(shops.Channels);

        // CAC = commission × min(commission_years, L) × acv + cost_per_deal = 0.2 × 2 × 1,000 + 100 = 500;
        // LTV = 4,000, so LTV/CAC = 8; payback = 12 × 500 / (1,000 × 0.8) = 7.5 months.
        Assert.Equal((500m, 8m, 7.5m), (channel.Cac, channel.LtvToCac!.Value, channel.PaybackMonths));
        Assert.Equal("resellers", shops.Fit);

        // N = 120,000 / 1,000 = 120; the partner brings 120 / 0.25 = 480 opportunities; budget 120 × 500 = 60,000.
        Assert.Equal((120m, 480m, 60000m), (shops.CustomersNeeded!.Value, shops.Opportunities!.Value, shops.Budget!.Value));
        Assert.Null(shops.Reps);
        Assert.Null(shops.Leads);
        var total = result.Channels.Single();
        Assert.Equal((500m, 0m, 0m, 60000m), (total.Cac, total.RepsNeeded, total.LeadsNeeded, total.Budget));

        // Month by month: one cycle (1 month) before the first close, then 120 / 11 a month over m = 12 − 1 = 11 months.
        var timeline = result.Timeline;
        Assert.Equal(0m, timeline.Months[0].NewCustomers);
        Assert.Equal(120m / 11, timeline.Months[1].NewCustomers);
        Assert.Equal(12, timeline.TimeToTargetMonths);
        Assert.Equal((120m, 120000m, 60000m, 500m, 8m), (timeline.Customers, timeline.NewArr, timeline.Spend, timeline.Cac!.Value, timeline.LtvToCac!.Value));
        Assert.Equal(11m, timeline.Channels.Single().SellingMonths);

        // Break-even: 3 × 100 / (4 − 3 × 0.2 × 2) = 300 / 2.8.
        Assert.Equal(300m / 2.8m, Planner.BreakEvenAcv(PlanReaderChannel(Partner), Economics));
    }

    [Fact]
    public void APartnerChannelRampsBeforeItsPartnersBringDeals()
    {
        var plan = Plan(Partner + "\n    ramp_months: 3", 1000, 120000);
        var result = Planner.Evaluate(plan);

        // Recruiting and enabling the partners takes 3 months, then one cycle (1 month): W = 4, m = 12 − 4 = 8, so
        // nothing closes in months 1–4 and 120 / 8 = 15 a month in months 5–12. CAC and budget do not change.
        Assert.Equal(3m, plan.Channels.Single().RampMonths);
        var timeline = result.Timeline;
        Assert.Equal([0m, 0m, 0m, 0m, 15m, 15m], timeline.Months.Take(6).Select(m => m.NewCustomers));
        Assert.Equal(12, timeline.TimeToTargetMonths);
        Assert.Equal((8m, 60000m), (timeline.Channels.Single().SellingMonths, timeline.Spend));
        Assert.Equal(60000m, result.Segments.Single().Budget);

        // Written back with the plan; a ramp that leaves no selling time makes the segment infeasible, and says so.
        Assert.Equal(3m, PlanReader.Read(PlanWriter.Write(plan)).Channels.Single().RampMonths);
        var late = Plan(Partner + "\n    ramp_months: 11.5", 1000, 120000);
        var lateResult = Planner.Evaluate(late);
        Assert.Contains(SegmentFlag.InfeasibleInHorizon, lateResult.Segments.Single().Flags);
        Assert.Contains(PlanReport.Warnings(late, lateResult), w => w.StartsWith("shops: resellers's ramp (11.5 months) and sales cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void APartnerWhoseCommissionAloneIsTooDearHasNoBreakEvenPriceButAServiceCharge()
    {
        var dear = Partner.Replace("commission: 0.2", "commission: 0.5", StringComparison.Ordinal)
            .Replace("commission_years: 2", "commission_years: 3", StringComparison.Ordinal);
        // 3 × 0.5 × 3 = 4.5 of every unit of ACV against the 4 LTV brings: no price pays for it.
        Assert.Null(Planner.BreakEvenAcv(PlanReaderChannel(dear), Economics));

        var shops = Planner.Evaluate(Plan(dear, 1000, 120000)).Segments.Single();
        Assert.Equal(DeadZoneKind.Unprofitable, shops.DeadZoneKind);
        // CAC 0.5 × 3 × 1,000 + 100 = 1,600; fee = 3 × 1,600 − 4,000 = 800; no raise_price.
        var recommendation = Assert.Single(shops.Recommendations);
        Assert.Equal((RecommendationAction.ServiceCharge, 800m), (recommendation.Action, recommendation.Value!.Value));

        var warnings = PlanReport.Warnings(Plan(dear, 1000, 120000), Planner.Evaluate(Plan(dear, 1000, 120000)));
        Assert.Contains(warnings, w => w.Contains("resellers is unprofitable at every price it accepts", StringComparison.Ordinal)
            && w.Contains("no price makes it profitable", StringComparison.Ordinal));
    }

    [Fact]
    public void EffortAndCycleGrowWithAcvByTheDocumentedPower()
    {
        var result = Planner.Evaluate(Plan(ScaledInside, 40000, 1200000));
        var segment = result.Segments.Single();
        var channel = segment.Channels.Single();

        // f = (40,000 / 10,000) ^ 0.5 = 2: deals per rep 24 / 2 = 12, cycle 30.4 × 2 = 60.8 days (2 months).
        var inside = PlanReaderChannel(ScaledInside);
        Assert.Equal(2m, Planner.EffortFactor(inside, 40000));
        Assert.Equal((12m, 60.8m), (Planner.DealsPerRepAt(inside, 40000), Planner.CycleDaysAt(inside, 40000)));

        // CAC = 120,000 × 2 / 24 + 100 / (0.5 × 0.25) = 10,000 + 800 = 10,800 (5,800 at the reference ACV).
        Assert.Equal(10800m, channel.Cac);
        Assert.Equal(5800m, Planner.Cac(inside));
        // N = 30; m = 12 − 2 − 2 = 8; reps = 12 × 30 / (12 × 8) = 3.75; 120 opportunities, 240 leads, 24,000.
        Assert.Equal((30m, 3.75m, 120m, 240m, 24000m), (segment.CustomersNeeded!.Value, segment.Reps!.Value, segment.Opportunities!.Value, segment.Leads!.Value, segment.LeadBudget!.Value));
        Assert.Equal((4m, 10800m), (result.Channels.Single().RepsNeeded, result.Channels.Single().Cac));

        // Month by month: 4 reps hired in month 1 close 1 deal a month each from month 4 (ramp 2 + cycle 2):
        // months 5 to 11 close 4 each (28), month 12 the last 2. Spend 4 × 10,000 × 12 + 240 × 100 = 504,000.
        var timeline = result.Timeline;
        Assert.Equal(0m, timeline.Months[3].NewCustomers);
        Assert.Equal(4m, timeline.Months[4].NewCustomers);
        Assert.Equal(2m, timeline.Months[11].NewCustomers);
        Assert.Equal((12, 30m, 504000m, 16800m), (timeline.TimeToTargetMonths!.Value, timeline.Customers, timeline.Spend, timeline.Cac!.Value));

        // Break-even solves acv × 4 = 3 × (50 × √acv + 800): √acv = (150 + √60,900) / 8.
        var root = (150 + Math.Sqrt(60900)) / 8;
        Assert.Equal(root * root, (double)Planner.BreakEvenAcv(inside, Economics)!.Value, 3);
    }

    [Fact]
    public void AtTheReferenceAcvEffortGrowthChangesNothing()
    {
        var scaled = Planner.Evaluate(Plan(ScaledInside, 10000, 1200000));
        var plain = Planner.Evaluate(MonthByMonthTests.Plan());
        Assert.Equal(plain.ToJson(), scaled.ToJson().Replace("\"shops\"", "\"clinics\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("inside", "\n    effort_exponent: 0.5", "", "channels[0].effort_exponent", "is required with reference_acv")]
    [InlineData("inside", "    reference_acv: 10000\n", "", "channels[0].reference_acv", "is required with effort_exponent")]
    [InlineData("inside", "effort_exponent: 0.5", "effort_exponent: 1.5", "channels[0].effort_exponent", "must be in [0, 1], got 1.5")]
    [InlineData("inside", "reference_acv: 10000", "reference_acv: 0", "channels[0].reference_acv", "must be greater than 0, got 0")]
    [InlineData("inside", "cost_per_lead: 100", "cost_per_lead: 100\n    commission: 0.1", "channels[0].commission", "applies only to partner channels")]
    [InlineData("partner", "    commission: 0.2\n", "", "channels[0].commission", "is required")]
    [InlineData("partner", "commission: 0.2", "commission: 1.2", "channels[0].commission", "must be in [0, 1], got 1.2")]
    [InlineData("partner", "commission_years: 2", "commission_years: 0", "channels[0].commission_years", "must be greater than 0, got 0")]
    [InlineData("partner", "cost_per_deal: 100", "cost_per_deal: -5", "channels[0].cost_per_deal", "must not be negative, got -5")]
    [InlineData("partner", "win_rate: 0.25", "win_rate: 0", "channels[0].win_rate", "must be in (0, 1], got 0")]
    [InlineData("partner", "    cycle_days: 30.4\n", "", "channels[0].cycle_days", "is required")]
    [InlineData("partner", "cost_per_deal: 100", "cost_per_deal: 100\n    rep_cost_per_year: 1", "channels[0].rep_cost_per_year", "applies only to inside and field channels")]
    [InlineData("partner", "cost_per_deal: 100", "cost_per_deal: 100\n    reference_acv: 1", "channels[0].reference_acv", "applies only to inside and field channels")]
    public void BadValuesNameTheField(string kind, string find, string replace, string field, string message)
    {
        var channel = (kind == "partner" ? Partner : ScaledInside).Replace(find, replace, StringComparison.Ordinal);
        var errors = Assert.Throws<PlanValidationException>(() => Plan(channel, 1000, 1000)).Errors;
        Assert.Contains(errors, e => e.Field == field && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void APlanWithBothWritesBackToTheSamePlan()
    {
        var plan = Plan(Partner + "\n" + ScaledInside, 1000, 120000);
        var again = PlanReader.Read(PlanWriter.Write(plan));
        Assert.Equal(plan.Channels, again.Channels);
        Assert.Equal(Planner.EvaluateInFull(plan).ToJson(), Planner.EvaluateInFull(again).ToJson());
    }

    private static readonly PlanEconomics Economics = new() { GrossMargin = 0.8m, AnnualChurn = 0.2m, MaxLifetimeYears = 5, MinLtvToCac = 3 };

    private static PlanChannel PlanReaderChannel(string channel) => Plan(channel, 1000, 1000).Channels.Single();
}
