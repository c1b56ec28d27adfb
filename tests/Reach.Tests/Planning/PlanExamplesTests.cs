using System.Text.Json;
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
    [InlineData("devtool-self-serve-enterprise")]
    public void EachExamplePlanGivesItsCheckedInOutput(string name)
    {
        var expected = File.ReadAllText(Plans.ExamplePath(name + ".expected.json")).ReplaceLineEndings("\n").TrimEnd();

        var actual = Planner.EvaluateInFull(Plans.Example(name)).ToJson().ReplaceLineEndings("\n");

        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// docs/planner.md's plain formulas ("Month by month", "Partner channels"), applied by hand to the dead-zone plan with
    /// its way out (convenience-store-partners.yaml), give every month of the JSON that <c>reach plan --json</c> prints.
    /// </summary>
    [Fact]
    public void TheDocumentedFormulasReproduceTheJsonOfThePartnerPlanMonthByMonth()
    {
        using var json = JsonDocument.Parse(Planner.EvaluateInFull(Plans.Example("convenience-store-partners")).ToJson());
        var timeline = json.RootElement.GetProperty("timeline");
        var months = timeline.GetProperty("months").EnumerateArray().ToList();

        const int H = 24;
        // Customers N = ceil(1,500,000 × share / acv): kiosks 625 (self-service, 300 each), single-store 750
        // (resellers, CAC 0.25 × 4 × 1,000 + 60 = 1,060), small-chains 75 (inside, reps_needed ceil(0.36) = 1).
        const decimal kiosks = 625, stores = 750, chains = 75;
        // Inside: d = 120 / 12 = 10 deals a rep-month; C = 30 / 30.4; the rep hired in month 1 closes from
        // s = 0 + ramp 2 + C; leads are bought round(C) = 1 month before the close, 1 / (0.2 × 0.3) per deal, 40 each.
        decimal c = 30m / 30.4m, s = 2 + c;
        // Resellers: W = ramp 6 + 21 / 30.4; m = 24 − W; cumulative N × clamp(k − W, 0, m) / m.
        decimal w = 6 + (21m / 30.4m), m = H - w;

        var insideWon = new decimal[H + 2];
        decimal won = 0;
        for (var k = 1; k <= H; k++)
        {
            var capacity = 10 * Math.Clamp(k - Math.Max(k - 1, s), 0, 1);
            insideWon[k] = Math.Min(capacity, chains - won);
            won += insideWon[k];
        }

        decimal cumulativeSpend = 0;
        int? reached = null;
        for (var k = 1; k <= H; k++)
        {
            var self = kiosks / H;
            var partner = (stores * Math.Clamp(k - w, 0, m) / m) - (stores * Math.Clamp(k - 1 - w, 0, m) / m);
            var leads = (insideWon[k + 1] + (k == 1 ? insideWon[1] : 0)) / (0.2m * 0.3m);
            var spend = (self * 300) + (70000m / 12) + (leads * 40) + (partner * 1060);
            cumulativeSpend += spend;
            var cumulativeArr = (480 * kiosks * k / H) + (6000 * insideWon.Take(k + 1).Sum()) + (1000 * stores * Math.Clamp(k - w, 0, m) / m);
            reached ??= cumulativeArr >= 1500000 ? k : null;

            var month = months[k - 1];
            Assert.Equal(Math.Round(self + insideWon[k] + partner, 6), Math.Round(month.GetProperty("new_customers").GetDecimal(), 6));
            Assert.Equal(Math.Round(leads, 6), Math.Round(month.GetProperty("leads").GetDecimal(), 6));
            Assert.Equal(Math.Round(spend, 4), Math.Round(month.GetProperty("spend").GetDecimal(), 4));
            Assert.Equal(Math.Round(cumulativeArr, 4), Math.Round(month.GetProperty("cumulative_new_arr").GetDecimal(), 4));
            Assert.Equal(Math.Round(cumulativeSpend, 4), Math.Round(month.GetProperty("cumulative_spend").GetDecimal(), 4));
        }

        // Target reached in month 24; CAC over the horizon = spend / customers won (625 + 75 + 750).
        Assert.Equal(reached, timeline.GetProperty("time_to_target_months").GetInt32());
        Assert.Equal(24, reached);
        Assert.Equal(Math.Round(cumulativeSpend / 1450, 6), Math.Round(timeline.GetProperty("cac").GetDecimal(), 6));
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
