using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary>Scenarios (a recommendation applied, beside the plan) and the ±change sensitivity analysis.</summary>
public class ScenarioAndSensitivityTests
{
    private static PlanResult ConvenienceStoreWith(params string[] scenario) =>
        Planner.EvaluateInFull(Plans.Example("convenience-store") with { Scenario = scenario });

    [Fact]
    public void RaisingThePriceTakesTheSegmentOutOfTheDeadZone()
    {
        var result = ConvenienceStoreWith("raise_price:single-store");

        var scenario = result.Scenario!;
        Assert.Equal(["raise_price:single-store"], scenario.Applied);
        // The recommended price 1,102.94 rounded up: single-store now fits inside at 1,103 EUR.
        var store = scenario.Result.Segments.Single(s => s.Name == "single-store");
        Assert.Equal(1103m, store.Acv);
        Assert.Equal("inside", store.Fit);
        var dead = scenario.Differences.Single(d => d.Figure == "target_share_in_dead_zones");
        Assert.Equal((0.5m, 0m, true), (dead.Plan!.Value, dead.Scenario!.Value, dead.Changed));
        Assert.Equal(1103m, scenario.Differences.Single(d => d.Figure == "single-store.acv").Scenario);
        // The plan itself is untouched.
        Assert.True(result.Segments.Single(s => s.Name == "single-store").DeadZone);
    }

    [Fact]
    public void PushingToSelfServiceWidensThatChannelAndAServiceChargeAddsToTheLtv()
    {
        var pushed = ConvenienceStoreWith("push_to_self_service:single-store").Scenario!;
        Assert.Equal(1000m, pushed.Plan.Channels.Single(c => c.Name == "self-service").MaxAcv);
        Assert.Equal("self-service", pushed.Result.Segments.Single(s => s.Name == "single-store").Fit);

        // LTV 1,000 × 0.85 × 4 = 3,400 plus the 350 fee (349.8 rounded up) reaches 3 × CAC 1,250 = 3,750.
        var charged = ConvenienceStoreWith("service_charge:single-store").Scenario!;
        var store = charged.Result.Segments.Single(s => s.Name == "single-store");
        Assert.Equal(3750m, store.Ltv);
        Assert.Equal("inside", store.Fit);
    }

    [Fact]
    public void ARecommendationASegmentDoesNotHaveIsNotAppliedAndSaysSo()
    {
        var scenario = ConvenienceStoreWith("raise_price:kiosks").Scenario!;

        Assert.Equal(
            ["raise_price:kiosks: kiosks has no such recommendation (only a segment in a dead zone has them); not applied."],
            scenario.Notes);
        Assert.DoesNotContain(scenario.Differences, d => d.Changed);
    }

    [Fact]
    public void PushingToSelfServiceSaysWhatEachTenthOfTheBuyersWhoWalkAwayCosts()
    {
        var plan = Plans.Example("convenience-store") with { Scenario = ["push_to_self_service:single-store"] };

        var scenario = Planner.EvaluateInFull(plan).Scenario!;

        // The scenario wins all 750 single-store customers through self-service (the target in month 24); seed 004
        // says some are lost: each 10% is 75 × 1,000 EUR.
        Assert.Equal(24, scenario.Result.Timeline.TimeToTargetMonths);
        Assert.Contains(
            "push_to_self_service:single-store counts all 750 of single-store's buyers as won through self-service; many of them "
            + "expect to talk to someone first, and each 10% who walk away is 75,000 EUR of the target.",
            scenario.Notes);
    }

    [Fact]
    public void TheScenarioAndSensitivityAreReadAndWrittenWithThePlan()
    {
        var plan = Plans.Example("convenience-store") with { Scenario = ["raise_price:single-store"], Sensitivity = 0.1m };

        var again = PlanReader.Read(PlanWriter.Write(plan));

        Assert.Equal(["raise_price:single-store"], again.Scenario);
        Assert.Equal(0.1m, again.Sensitivity);
        var error = Assert.Throws<PlanValidationException>(() => PlanReader.Read(Plans.DocExampleYaml + "\nscenario: [\"raise_price:nobody\", \"lower_price:small\"]\n"));
        Assert.Equal(
            ["scenario[0]: no segment named 'nobody'", "scenario[1]: expected ACTION:SEGMENT, limit_hiring:CHANNEL, add_partners:CHANNEL or extend_horizon, with ACTION one of "
                + "push_to_self_service, raise_price, service_charge, extend_channel, limit_hiring, fit_market, extend_horizon, add_partners, got lower_price:small"],
            error.Errors.Select(e => $"{e.Field}: {e.Message}"));

        error = Assert.Throws<PlanValidationException>(() => PlanReader.Read(Plans.DocExampleYaml + "\nscenario: [\"limit_hiring:small\", \"extend_horizon:small\", \"limit_hiring:inside\", \"extend_horizon\"]\n"));
        Assert.Equal(
            ["scenario[0]: no channel named 'small'", "scenario[1]: extend_horizon names nothing: write it alone, got extend_horizon:small"],
            error.Errors.Select(e => $"{e.Field}: {e.Message}"));
    }

    public static TheoryData<string> PlansWithRecommendations() =>
        ["convenience-store", "box-file-sharing", "zocdoc-marketplace", "hiring-limited"];

    [Theory]
    [MemberData(nameof(PlansWithRecommendations))]
    public void EveryRecommendationThePlannerOffersAppliesAsAScenarioThatChangesThePlan(string name)
    {
        var plan = name == "hiring-limited" ? MonthByMonthTests.Plan("    max_hires_per_month: 3") : Plans.Example(name);
        var offered = Planner.EvaluateInFull(plan).Recommendations!;
        Assert.NotEmpty(offered);

        foreach (var recommendation in offered)
        {
            var scenario = Planner.EvaluateInFull(plan with { Scenario = [recommendation.Apply] }).Scenario!;

            Assert.Equal([recommendation.Apply], scenario.Applied);
            Assert.DoesNotContain(scenario.Notes, n => n.Contains("not applied", StringComparison.Ordinal));
            Assert.Contains(scenario.Differences, d => d.Changed);
            // Written to the plan file and read back, the scenario is the same (a saved version keeps it).
            Assert.Equal([recommendation.Apply], PlanReader.Read(PlanWriter.Write(plan with { Scenario = [recommendation.Apply] })).Scenario);
        }
    }

    [Fact]
    public void EveryDeadZoneRecommendationIsOfferedWithTheTextThatAppliesIt()
    {
        var result = ConvenienceStoreWith();

        Assert.Equal(
            ["push_to_self_service:single-store", "raise_price:single-store", "service_charge:single-store"],
            result.Recommendations!.Select(r => r.Apply));
        Assert.All(result.Recommendations!, r => Assert.Equal("single-store", r.Segment));
    }

    [Fact]
    public void LimitingHiringShowsWhenTheTargetIsReachedAtAPaceThatCanBeHired()
    {
        // ZocDoc: inside hires all 31 reps in month 1 (warned); the recommendation caps it at 5 a month.
        var plan = Plans.Example("zocdoc-marketplace");
        var offered = Planner.EvaluateInFull(plan).Recommendations!.Single(r => r.Action == RecommendationAction.LimitHiring);
        Assert.Equal(("limit_hiring:inside", "inside", 5m), (offered.Apply, offered.Channel, offered.Value!.Value));

        var scenario = Planner.EvaluateInFull(plan with { Scenario = ["limit_hiring:inside"] }).Scenario!;

        Assert.Equal(5m, scenario.Plan.Channels.Single(c => c.Name == "inside").MaxHiresPerMonth);
        var hires = scenario.Result.Timeline.Channels.Single(c => c.Name == "inside").Months.Select(m => m.Hires).ToList();
        Assert.Equal([5m, 5m, 5m, 5m, 5m, 5m, 1m], hires.Take(7));
        var limit = scenario.Differences.Single(d => d.Figure == "inside.max_hires_per_month");
        Assert.Equal((null, 5m, true), (limit.Plan, limit.Scenario, limit.Changed));
        Assert.True(scenario.Result.Timeline.NewArr < Planner.Evaluate(plan).Timeline.NewArr);
    }

    [Fact]
    public void FittingTheMarketPlansASegmentOnTheAccountsItHas()
    {
        // dental-specialists needs 500 customers among 400 practices: planned on the 400, its share becomes
        // 400 × acv / target, so N = 400 and fewer reps are hired for customers that do not exist.
        var plan = Plans.Example("zocdoc-marketplace");
        var dental = plan.Segments.Single(s => s.Name == "dental-specialists");
        var offered = Planner.EvaluateInFull(plan).Recommendations!.Single(r => r.Action == RecommendationAction.FitMarket);
        Assert.Equal(400m * dental.Acv / plan.Target.NewArr, offered.Value);

        var scenario = Planner.EvaluateInFull(plan with { Scenario = ["fit_market:dental-specialists"] }).Scenario!;

        var segment = scenario.Result.Segments.Single(s => s.Name == "dental-specialists");
        Assert.Equal(400m, segment.CustomersNeeded);
        Assert.Empty(segment.Flags);
        var reps = scenario.Differences.Single(d => d.Figure == "reps_needed");
        Assert.True(reps.Scenario < reps.Plan);
        Assert.Equal(offered.Value, scenario.Differences.Single(d => d.Figure == "dental-specialists.share_of_target").Scenario);
    }

    [Fact]
    public void ExtendingTheHorizonFindsTheShortestOneThatReachesTheTarget()
    {
        // MonthByMonthTests' plan hiring at most 3 a month: 116 of 120 customers in 12 months. By hand, with
        // m = H − 2 − 1 and R = ceil(12 × 120 / (24 × m)) hired 3 a month, the first 3 reps close 6 in month 4, then all
        // R close 2 each a month: H 13: R 6, 6 + 12 × 9 = 114; H 14: R 6, the 120th in month 14. A longer horizon is not
        // always better: H 15 sizes R 5, 6 + 10 × 11 = 116.
        var plan = MonthByMonthTests.Plan("    max_hires_per_month: 3");
        var result = Planner.EvaluateInFull(plan);
        var offered = result.Recommendations!.Single(r => r.Action == RecommendationAction.ExtendHorizon);
        Assert.Equal(("extend_horizon", 14m), (offered.Apply, offered.Value!.Value));
        Assert.Equal(114m, Planner.Evaluate(plan with { HorizonMonths = 13 }).Timeline.Customers);
        Assert.Equal(116m, Planner.Evaluate(plan with { HorizonMonths = 15 }).Timeline.Customers);

        var scenario = Planner.EvaluateInFull(plan with { Scenario = ["extend_horizon"] }).Scenario!;

        Assert.Equal(14, scenario.Result.Timeline.TimeToTargetMonths);
        Assert.Equal((12m, 14m), (scenario.Differences.Single(d => d.Figure == "horizon_months").Plan!.Value, scenario.Differences.Single(d => d.Figure == "horizon_months").Scenario!.Value));
        Assert.Equal(6m, scenario.Result.Channels.Single().RepsNeeded);
    }

    [Fact]
    public void APlanLevelRecommendationThePlanDoesNotGiveIsNotAppliedAndSaysWhy()
    {
        // MonthByMonthTests' plan reaches its target in month 12 and hires 7 at once: no extend_horizon; limit_hiring
        // is offered (7 > 5) — but not once the plan sets a limit.
        var scenario = Planner.EvaluateInFull(MonthByMonthTests.Plan("    max_hires_per_month: 7") with { Scenario = ["extend_horizon", "limit_hiring:inside"] }).Scenario!;

        Assert.Equal(
            [
                "extend_horizon: the target is reached within the horizon, or no horizon up to 48 months reaches it; not applied.",
                "limit_hiring:inside: inside hires no more than 5 reps in a month, or already has max_hires_per_month; not applied.",
            ],
            scenario.Notes);
    }

    [Fact]
    public void SensitivityMovesRepsWithDealsPerRepAndKeepsTheBaseline()
    {
        // MonthByMonthTests' plan: 7 reps. Deals per rep −20% (19.2): 12 × 120 / (19.2 × 9) = 8.33 → 9 reps;
        // +20% (28.8): 5.56 → 6 reps.
        var plan = MonthByMonthTests.Plan();
        var result = Planner.EvaluateInFull(plan);
        var sensitivity = result.Sensitivity!;

        Assert.Equal(0.2m, sensitivity.Change);
        Assert.Equal(Sensitivity.Inputs, sensitivity.Inputs.Select(i => i.Input));
        Assert.Equal(result.Channels.Sum(c => c.RepsNeeded), sensitivity.Baseline.Reps);
        Assert.Equal(result.Timeline.Spend, sensitivity.Baseline.Spend);
        var perRep = sensitivity.Inputs.Single(i => i.Input == "deals_per_rep_per_year");
        Assert.Equal((7m, 9m, 6m), (sensitivity.Baseline.Reps, perRep.Low.Reps, perRep.High.Reps));
        var costPerLead = sensitivity.Inputs.Single(i => i.Input == "cost_per_lead");
        Assert.True(costPerLead.Low.Spend < sensitivity.Baseline.Spend && costPerLead.High.Spend > sensitivity.Baseline.Spend);
        Assert.Contains("Sensitivity: each assumption −20% and +20%", PlanReport.Tables(plan, result).Select(t => t.Title));
    }
}
