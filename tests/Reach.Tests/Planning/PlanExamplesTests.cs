using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

public class PlanExamplesTests
{
    // To refresh after a deliberate change of the maths: reach plan docs/examples/NAME.yaml --json > NAME.expected.json,
    // then check the differences by hand before committing them.
    [Theory]
    [InlineData("convenience-store")]
    [InlineData("convenience-store-partners")]
    [InlineData("box-file-sharing")]
    [InlineData("zocdoc-marketplace")]
    public void EachExamplePlanGivesItsCheckedInOutput(string name)
    {
        var expected = File.ReadAllText(Plans.ExamplePath(name + ".expected.json")).ReplaceLineEndings("\n").TrimEnd();

        var actual = Planner.EvaluateInFull(Plans.Example(name)).ToJson().ReplaceLineEndings("\n");

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TheBoxExampleNeedsInsideRepsAndOneFieldRep()
    {
        var result = Planner.Evaluate(Plans.Example("box-file-sharing"));

        // departments: N = ceil(4,000,000 / 18,000) = 223; m = 36 − 3 − 45 / 30.4 = 31.52; reps = 223 / (30 × m / 12) = 2.83.
        // enterprise: N = 12; m = 36 − 6 − 180 / 30.4 = 24.08; reps = 12 / (8 × m / 12) = 0.75.
        var departments = result.Segments.Single(s => s.Name == "departments");
        Assert.Equal(223m, departments.CustomersNeeded);
        Assert.Equal(2.83m, Math.Round(departments.Reps!.Value, 2));
        Assert.Equal(0.75m, Math.Round(result.Segments.Single(s => s.Name == "enterprise").Reps!.Value, 2));
        Assert.Equal([0m, 3m, 1m], result.Channels.Select(c => c.RepsNeeded));
        Assert.Equal(0.2m, result.TargetShareInDeadZones);
    }

    [Fact]
    public void TheMarketplaceExampleNeedsManyInsideReps()
    {
        var result = Planner.Evaluate(Plans.Example("zocdoc-marketplace"));

        // solo-practices: N = ceil(3,000,000 / 3,600) = 834; m = 12 − 2 − 30 / 30.4 = 9.013; reps = 834 / (60 × m / 12) = 18.51.
        var solo = result.Segments.Single(s => s.Name == "solo-practices");
        Assert.Equal(834m, solo.CustomersNeeded);
        Assert.Equal(18.51m, Math.Round(solo.Reps!.Value, 2));
        Assert.Equal(11120m, solo.Leads); // 834 / 0.3 / 0.25
        Assert.Equal(0m, result.TargetShareInDeadZones);
    }
}
