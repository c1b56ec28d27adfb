using System.Text.Json;
using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

public class PlannerTests
{
    private static SegmentResult Segment(PlanResult result, string name) => result.Segments.Single(s => s.Name == name);

    private static ChannelResult Channel(PlanResult result, string name) => result.Channels.Single(c => c.Name == name);

    [Fact]
    public void TheDocExampleSmallSegmentFitsInsideWithTheDocsFigures()
    {
        var result = Planner.Evaluate(Plans.DocExample);
        var small = Segment(result, "small");

        // L = min(1 / 0.15, 5) = 5; LTV = 4,000 × 0.8 × 5; CAC = 110,000 / 40 + 60 / (0.25 × 0.2) = 2,750 + 1,200.
        Assert.Equal(5m, result.LifetimeYears);
        Assert.Equal(16000m, small.Ltv);
        Assert.Equal("inside", small.Fit);
        var inside = small.Channels.Single(c => c.Name == "inside");
        Assert.Equal(3950m, inside.Cac);
        Assert.Equal(4.05m, Math.Round(inside.LtvToCac!.Value, 2));
        Assert.Equal(14.8125m, inside.PaybackMonths); // 3,950 / (4,000 × 0.8 / 12)
        Assert.Equal(75m, small.CustomersNeeded); // 3,000,000 × 0.1 / 4,000
        // m = 24 − 3 − 60 / 30.4 = 19.0263…; reps = 75 / (40 × m / 12) = 1.1826…
        Assert.Equal(1.18m, Math.Round(small.Reps!.Value, 2));
        Assert.Equal(75m / (40m * (24m - 3m - (60m / 30.4m)) / 12m), small.Reps.Value, 20);
        Assert.Equal(375m, small.Opportunities);
        Assert.Equal(1500m, small.Leads);
        Assert.Equal(90000m, small.LeadBudget);
        Assert.Empty(small.Flags);
        Assert.False(small.DeadZone);
        Assert.Null(small.DeadZoneKind);

        var channel = Channel(result, "inside");
        Assert.Equal(3950m, channel.Cac);
        Assert.Equal(2m, channel.RepsNeeded);
        Assert.Equal(1500m, channel.LeadsNeeded);
        Assert.Equal(90000m, channel.LeadBudget);
    }

    [Fact]
    public void SelfServiceSegmentsGetAnAcquisitionBudgetAndNoReps()
    {
        var result = Planner.Evaluate(Plans.DocExample);
        var micro = Segment(result, "micro");

        Assert.Equal("self-service", micro.Fit);
        Assert.Equal(500m, micro.CustomersNeeded); // 300,000 / 600
        Assert.Equal(125000m, micro.Budget); // 500 × 250
        Assert.Null(micro.Reps);
        Assert.Null(micro.Leads);
        Assert.Equal(125000m, Channel(result, "self-service").Budget);
        Assert.Equal(0m, Channel(result, "self-service").RepsNeeded);
        Assert.Equal(0m, Channel(result, "field").RepsNeeded);
    }

    [Fact]
    public void AThousandEuroConvenienceStoreProductFallsInTheUnprofitableDeadZone()
    {
        var result = Planner.Evaluate(Plans.Example("convenience-store"));
        var store = Segment(result, "single-store");

        // L = 1 / 0.25 = 4; LTV = 1,000 × 0.85 × 4 = 3,400. Inside CAC = 70,000 / 120 + 40 / (0.3 × 0.2) = 1,250:
        // LTV / CAC = 2.72 < 3. Self-service stops at 600.
        Assert.Equal(3400m, store.Ltv);
        Assert.True(store.DeadZone);
        Assert.Equal(DeadZoneKind.Unprofitable, store.DeadZoneKind);
        Assert.Null(store.Fit);
        Assert.Equal(2.72m, Math.Round(store.Channels.Single(c => c.Name == "inside").LtvToCac!.Value, 10));
        Assert.Null(store.CustomersNeeded);

        Assert.Collection(
            store.Recommendations,
            push =>
            {
                // Self-service is the nearest channel below and profitable there: 3,400 / 300.
                Assert.Equal(RecommendationAction.PushToSelfService, push.Action);
                Assert.Equal("self-service", push.Channel);
                Assert.Equal(11.3333m, Math.Round(push.Value!.Value, 4));
            },
            raise =>
            {
                // acv* = 3 × 1,250 / (0.85 × 4) = 1,102.94
                Assert.Equal(RecommendationAction.RaisePrice, raise.Action);
                Assert.Equal("inside", raise.Channel);
                Assert.Equal(1102.94m, Math.Round(raise.Value!.Value, 2));
            },
            charge =>
            {
                // F = 3 × 1,250 − 3,400
                Assert.Equal(RecommendationAction.ServiceCharge, charge.Action);
                Assert.Equal("inside", charge.Channel);
                Assert.Equal(350m, Math.Round(charge.Value!.Value, 10));
            });
        Assert.Equal(0.5m, result.TargetShareInDeadZones);
    }

    [Fact]
    public void ASegmentBetweenChannelRangesIsAGapWithRaisePriceAndExtendChannel()
    {
        var result = Planner.Evaluate(Plans.Example("box-file-sharing"));
        var mid = Segment(result, "mid-market");

        // 75,000 is above inside's 50,000 and below field's 100,000. LTV = 75,000 × 0.75 × 7 = 393,750.
        Assert.Equal(DeadZoneKind.Gap, mid.DeadZoneKind);
        Assert.Equal(393750m, mid.Ltv);
        Assert.Collection(
            mid.Recommendations,
            raise =>
            {
                // Field's acv* = 3 × 39,166.67 / 5.25 = 22,381 is under its min_acv, so the price is field's floor.
                Assert.Equal(new Recommendation(RecommendationAction.RaisePrice, "field", 100000m), raise);
            },
            extend =>
            {
                // Inside (CAC 4,000 + 80 / 0.075 = 5,066.67) is cheaper than field and profitable at 75,000.
                Assert.Equal(RecommendationAction.ExtendChannel, extend.Action);
                Assert.Equal("inside", extend.Channel);
                Assert.Equal(Math.Round(393750m / (4000m + (80m / 0.075m)), 10), Math.Round(extend.Value!.Value, 10));
            });
    }

    [Fact]
    public void AGapRaisesThePriceToTheBreakEvenWhenThatIsAboveTheNextChannelsFloor()
    {
        // Inside starts at 1,000 but only pays from acv* = 3 × 3,950 / 4 = 2,962.50.
        var plan = Plans.With(Plans.Segment("tiny", 500)) with { Channels = [Plans.Inside(minAcv: 1000)] };

        var tiny = Planner.Evaluate(plan).Segments.Single();

        Assert.Equal(DeadZoneKind.Gap, tiny.DeadZoneKind);
        Assert.Equal(new Recommendation(RecommendationAction.RaisePrice, "inside", 2962.5m), tiny.Recommendations.Single());
    }

    [Fact]
    public void PushToSelfServiceIsNotRecommendedWhenSelfServiceWouldLoseMoneyToo()
    {
        var plan = Plans.DocExample with
        {
            Channels =
            [
                new PlanChannel { Name = "web", Kind = ChannelKind.SelfService, AcquisitionCost = 2000, MaxAcv = 500 },
                Plans.Inside(minAcv: 1000),
            ],
            Segments = [Plans.Segment("between", 700)],
        };

        var between = Planner.Evaluate(plan).Segments.Single();

        // LTV = 700 × 0.8 × 5 = 2,800 < 3 × 2,000.
        Assert.DoesNotContain(between.Recommendations, r => r.Action == RecommendationAction.PushToSelfService);
    }

    [Fact]
    public void AFieldCycleLongerThanTheHorizonIsInfeasibleInHorizon()
    {
        var result = Planner.Evaluate(Plans.Example("zocdoc-marketplace"));
        var hospitals = Segment(result, "hospital-systems");

        // m = 12 − 6 − 300 / 30.4 = −3.87 months.
        Assert.Equal("field", hospitals.Fit);
        Assert.Equal(5m, hospitals.CustomersNeeded);
        Assert.Equal([SegmentFlag.InfeasibleInHorizon], hospitals.Flags);
        Assert.Null(hospitals.Reps);
        Assert.Null(hospitals.Leads);
        Assert.Equal(0m, Channel(result, "field").RepsNeeded);
    }

    [Fact]
    public void ACycleThatExactlyUsesUpTheHorizonLeavesNoSellingTime()
    {
        // 24 − 3 − 638.4 / 30.4 = 0
        var plan = Plans.With(Plans.Segment("small", 4000)) with { Channels = [Plans.Inside() with { CycleDays = 638.4m }] };

        Assert.Equal([SegmentFlag.InfeasibleInHorizon], Planner.Evaluate(plan).Segments.Single().Flags);
    }

    [Fact]
    public void ASegmentNeedingMoreCustomersThanItHasAccountsIsFlaggedMarketTooSmall()
    {
        var result = Planner.Evaluate(Plans.Example("zocdoc-marketplace"));
        var dental = Segment(result, "dental-specialists");

        // N = 6,000,000 × 0.2 / 2,400 = 500 > 400 accounts.
        Assert.Equal(500m, dental.CustomersNeeded);
        Assert.Equal([SegmentFlag.MarketTooSmall], dental.Flags);
        Assert.Equal("inside", dental.Fit);
    }

    [Fact]
    public void CustomersNeededRoundUp()
    {
        var plan = Plans.With(Plans.Segment("small", 7000));

        // 300,000 / 7,000 = 42.86
        Assert.Equal(43m, Planner.Evaluate(plan).Segments.Single().CustomersNeeded);
    }

    [Fact]
    public void RepsNeededPerChannelIsTheSumOfTheSegmentsRepsRoundedUp()
    {
        var plan = Plans.With(Plans.Segment("a", 4000), Plans.Segment("b", 5000));

        var result = Planner.Evaluate(plan);

        var sum = result.Segments.Sum(s => s.Reps!.Value);
        Assert.True(sum is > 2 and < 3, $"sum {sum}");
        Assert.True(result.Segments.All(s => s.Reps < 2));
        Assert.Equal(3m, Channel(result, "inside").RepsNeeded);
        Assert.Equal(result.Segments.Sum(s => s.Leads!.Value), Channel(result, "inside").LeadsNeeded);
    }

    [Fact]
    public void TiesInCacGoToTheLessIntensiveKind()
    {
        var cac1000 = Plans.Inside() with { CostPerLead = 0, RepCostPerYear = 40000 };
        var plan = Plans.With(Plans.Segment("s", 5000)) with
        {
            Channels =
            [
                cac1000 with { Name = "field", Kind = ChannelKind.Field },
                cac1000 with { Name = "inside", Kind = ChannelKind.Inside },
                new PlanChannel { Name = "web", Kind = ChannelKind.SelfService, AcquisitionCost = 1000 },
            ],
        };

        Assert.Equal("web", Planner.Evaluate(plan).Segments.Single().Fit);
        Assert.Equal("inside", Planner.Evaluate(plan with { Channels = plan.Channels.Take(2).ToList() }).Segments.Single().Fit);
    }

    [Fact]
    public void TheFitChannelIsTheCheapestProfitableEligibleOne()
    {
        // At 50,000 both inside (3,950) and field (260,000 / 6 + 400 / 0.075 = 48,666.67) are eligible.
        var segment = Planner.Evaluate(Plans.With(Plans.Segment("m", 50000))).Segments.Single();

        Assert.Equal("inside", segment.Fit);
        Assert.Equal([false, true, true], segment.Channels.Select(c => c.Eligible));
    }

    [Fact]
    public void ZeroChurnUsesTheMaximumLifetime()
    {
        var plan = Plans.DocExample with { Economics = Plans.DocExample.Economics with { AnnualChurn = 0 } };

        Assert.Equal(5m, Planner.Evaluate(plan).LifetimeYears);
    }

    [Fact]
    public void HighChurnShortensTheLifetime()
    {
        var plan = Plans.DocExample with { Economics = Plans.DocExample.Economics with { AnnualChurn = 0.5m } };

        Assert.Equal(2m, Planner.Evaluate(plan).LifetimeYears);
        Assert.Equal(6400m, Planner.Evaluate(plan).Segments.Single(s => s.Name == "small").Ltv);
    }

    [Fact]
    public void AFreeChannelIsProfitableWithAnUnboundedRatio()
    {
        var plan = Plans.With(Plans.Segment("s", 100)) with
        {
            Channels = [new PlanChannel { Name = "viral", Kind = ChannelKind.SelfService, AcquisitionCost = 0 }],
        };

        var segment = Planner.Evaluate(plan).Segments.Single();

        Assert.Equal("viral", segment.Fit);
        Assert.Null(segment.Channels.Single().LtvToCac);
        Assert.Equal(0m, segment.Channels.Single().PaybackMonths);
    }

    [Fact]
    public void AbsurdFiguresAreReportedAsInvalidRatherThanCrashing()
    {
        var plan = Plans.With(Plans.Segment("s", 4000)) with
        {
            Channels = [Plans.Inside() with { WinRate = 1e-15m, LeadToOpportunity = 1e-15m }],
        };

        var error = Assert.Throws<PlanValidationException>(() => Planner.Evaluate(plan));
        Assert.Single(error.Errors);
    }

    [Fact]
    public void JsonUsesTheDocsKeysAndUnroundedFigures()
    {
        var json = Planner.Evaluate(Plans.Example("convenience-store")).ToJson();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(4m, root.GetProperty("lifetime_years").GetDecimal());
        Assert.Equal(0.5m, root.GetProperty("target_share_in_dead_zones").GetDecimal());
        var store = root.GetProperty("segments")[1];
        Assert.Equal("single-store", store.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, store.GetProperty("fit").ValueKind);
        Assert.True(store.GetProperty("dead_zone").GetBoolean());
        Assert.Equal("unprofitable", store.GetProperty("dead_zone_kind").GetString());
        var raise = store.GetProperty("recommendations")[1];
        Assert.Equal("raise_price", raise.GetProperty("action").GetString());
        Assert.Equal("inside", raise.GetProperty("channel").GetString());
        Assert.StartsWith("1102.941176470588", raise.GetProperty("value").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("push_to_self_service", store.GetProperty("recommendations")[0].GetProperty("action").GetString());

        var chains = root.GetProperty("segments")[2];
        Assert.Equal(JsonValueKind.Null, chains.GetProperty("dead_zone_kind").ValueKind);
        Assert.Equal("75", chains.GetProperty("customers_needed").GetRawText());
        Assert.Equal("375", chains.GetProperty("opportunities").GetRawText());
        Assert.Equal("1250", chains.GetProperty("leads").GetRawText());
        var channel = root.GetProperty("channels")[1];
        Assert.Equal(
            ["name", "kind", "cac", "customers_needed", "reps_needed", "leads_needed", "lead_budget", "budget"],
            channel.EnumerateObject().Select(p => p.Name));
        Assert.Equal("inside", channel.GetProperty("kind").GetString());
        Assert.Equal(
            ["name", "eligible", "cac", "ltv_to_cac", "payback_months"],
            chains.GetProperty("channels")[0].EnumerateObject().Select(p => p.Name));
    }
}
