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
            ["scenario[0]: no segment named 'nobody'", "scenario[1]: expected ACTION:SEGMENT with ACTION one of push_to_self_service, raise_price, service_charge, extend_channel, got lower_price:small"],
            error.Errors.Select(e => $"{e.Field}: {e.Message}"));
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
