using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

public class PlanReaderTests
{
    // Replaces one line of the doc example (found by its text) and returns the new text and that line's number.
    private static (string Yaml, int Line) Edit(string find, string replace, int occurrence = 0)
    {
        var lines = Plans.DocExampleYaml.Split('\n').ToList();
        var index = lines.Select((l, i) => (l, i)).Where(p => p.l.Contains(find, StringComparison.Ordinal)).ElementAt(occurrence).i;
        lines[index] = lines[index].Replace(find, replace, StringComparison.Ordinal);
        return (string.Join('\n', lines), index + 1);
    }

    private static IReadOnlyList<PlanError> Errors(string yaml) =>
        Assert.Throws<PlanValidationException>(() => PlanReader.Read(yaml)).Errors;

    private static int LineOf(string text, int occurrence = 0) =>
        Plans.DocExampleYaml.Split('\n').Select((l, i) => (l, i)).Where(p => p.l.Contains(text, StringComparison.Ordinal))
            .ElementAt(occurrence).i + 1;

    [Fact]
    public void ReadsThePlannerDocExample()
    {
        var plan = PlanReader.Read(Plans.DocExampleYaml);

        Assert.Equal("EUR", plan.Currency);
        Assert.Equal(new DateOnly(2027, 1, 1), plan.Start);
        Assert.Equal(24, plan.HorizonMonths);
        Assert.Equal(3000000m, plan.Target.NewArr);
        Assert.Equal(0.15m, plan.Economics.AnnualChurn);
        Assert.Equal(["self-service", "inside", "field"], plan.Channels.Select(c => c.Name));
        Assert.Equal(ChannelKind.Inside, plan.Channels[1].Kind);
        Assert.Equal(60000m, plan.Channels[1].MaxAcv);
        Assert.Null(plan.Channels[2].MaxAcv);
        Assert.Equal(new EmployeeRange(1, 9), plan.Segments[0].Employees);
    }

    [Fact]
    public void ReadsJsonOfTheSameShape()
    {
        const string json = """
            {
              "currency": "EUR", "start": "2027-01-01", "horizon_months": 24,
              "target": {"new_arr": 3000000},
              "economics": {"gross_margin": 0.8, "annual_churn": 0.15, "max_lifetime_years": 5, "min_ltv_to_cac": 3},
              "channels": [
                {"name": "inside", "kind": "inside", "rep_cost_per_year": 110000, "deals_per_rep_per_year": 40,
                 "ramp_months": 3, "win_rate": 0.2, "lead_to_opportunity": 0.25, "cost_per_lead": 60,
                 "cycle_days": 60, "min_acv": 1000, "max_acv": 60000}
              ],
              "segments": [{"name": "small", "employees": [10, null], "acv": 4000, "accounts": 10000, "share_of_target": 0.1}]
            }
            """;

        var result = Planner.Evaluate(PlanReader.Read(json));

        Assert.Equal(3950m, result.Channels.Single().Cac);
        Assert.Equal(75m, result.Segments.Single().CustomersNeeded);
    }

    [Fact]
    public void JsonErrorsNameTheFieldAndLine()
    {
        const string json = """
            {
              "currency": "EUR", "start": "2027-01-01", "horizon_months": 24,
              "target": {"new_arr": 3000000},
              "economics": {"gross_margin": 0.8, "annual_churn": 0.15, "max_lifetime_years": 5, "min_ltv_to_cac": 3},
              "channels": [{"name": "web", "kind": "self_service", "acquisition_cost": 100}],
              "segments": [
                {"name": "small", "acv": "4000", "accounts": 10000, "share_of_target": 0.1}
              ]
            }
            """;

        var error = Assert.Single(Errors(json));

        Assert.Equal(new PlanError("segments[0].acv", 7, "expected a number, got the text \"4000\""), error);
    }

    [Fact]
    public void AMissingRequiredFieldIsAnErrorOnItsMappingsLine()
    {
        var (yaml, _) = Edit("    win_rate: 0.20", "    # no win rate");

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("channels[1].win_rate", error.Field);
        Assert.Equal(LineOf("- name: inside"), error.Line);
        Assert.Equal("is required", error.Message);
    }

    [Fact]
    public void AMissingSectionIsAnError()
    {
        var yaml = Plans.DocExampleYaml.Replace("target:\n  new_arr: 3000000\n", "", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(new PlanError("target", 1, "is required"), error);
    }

    [Fact]
    public void ANegativeCostIsAnError()
    {
        var (yaml, line) = Edit("cost_per_lead: 60", "cost_per_lead: -60");

        Assert.Equal(new PlanError("channels[1].cost_per_lead", line, "must not be negative, got -60"), Assert.Single(Errors(yaml)));
    }

    [Theory]
    [InlineData("win_rate: 0.20", "win_rate: 1.5", "channels[1].win_rate")]
    [InlineData("win_rate: 0.20", "win_rate: 0", "channels[1].win_rate")]
    [InlineData("lead_to_opportunity: 0.30", "lead_to_opportunity: -0.3", "channels[2].lead_to_opportunity")]
    [InlineData("gross_margin: 0.80", "gross_margin: 1.2", "economics.gross_margin")]
    public void ARateOutsideZeroToOneIsAnError(string find, string replace, string field)
    {
        var (yaml, line) = Edit(find, replace);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.StartsWith("must be in (0, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharesAddingUpToMoreThanOneAreAnError()
    {
        var (yaml, _) = Edit("share_of_target: 0.10", "share_of_target: 0.95", occurrence: 1);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("segments", error.Field);
        Assert.Equal(LineOf("segments:"), error.Line);
        Assert.Equal("share_of_target values add up to 1.05, above 1", error.Message);
    }

    [Fact]
    public void AnUnknownKeyIsAnError()
    {
        var (yaml, line) = Edit("    accounts: 10000", "    colour: red");
        yaml = yaml.Replace("    colour: red", "    accounts: 10000\n    colour: red", StringComparison.Ordinal);

        Assert.Equal(new PlanError("segments[1].colour", line + 1, "unknown key"), Assert.Single(Errors(yaml)));
    }

    [Fact]
    public void AnotherKindsFieldIsAnError()
    {
        var (yaml, line) = Edit("    cost_per_lead: 60", "    acquisition_cost: 60");

        var errors = Errors(yaml);

        Assert.Contains(new PlanError("channels[1].acquisition_cost", line, "applies only to self_service channels"), errors);
        Assert.Contains(errors, e => e is { Field: "channels[1].cost_per_lead", Message: "is required" });
    }

    [Theory]
    [InlineData("    acv: 4000", "    acv: lots", "segments[1].acv", "expected a number, got lots")]
    [InlineData("    acv: 4000", "    acv: [4000]", "segments[1].acv", "expected a number, got a list")]
    [InlineData("    acv: 4000", "    acv: '4000'", "segments[1].acv", "expected a number, got the text \"4000\"")]
    [InlineData("horizon_months: 24", "horizon_months: 24.5", "horizon_months", "expected a whole number up to 2147483647, got 24.5")]
    [InlineData("start: 2027-01-01", "start: soon", "start", "expected a date (YYYY-MM-DD), got soon")]
    [InlineData("kind: field", "kind: reseller", "channels[2].kind", "must be one of self_service, inside, field, partner, got reseller")]
    [InlineData("target:", "target: 3000000", "target", "expected a mapping, got 3000000")]
    public void AValueOfTheWrongTypeIsAnError(string find, string replace, string field, string message)
    {
        var (yaml, line) = Edit(find, replace);
        if (find == "target:")
        {
            yaml = yaml.Replace("  new_arr: 3000000\n", "", StringComparison.Ordinal);
        }

        var errors = Errors(yaml);

        Assert.Contains(new PlanError(field, line, message), errors);
    }

    [Fact]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var (yaml, _) = Edit("win_rate: 0.20", "win_rate: 2");
        yaml = yaml.Replace("acquisition_cost: 250", "acquisition_cost: -1", StringComparison.Ordinal)
            .Replace("    acv: 600\n", "    acv: 0\n", StringComparison.Ordinal)
            .Replace("currency: EUR\n", "", StringComparison.Ordinal);

        var errors = Errors(yaml);

        Assert.Equal(
            ["currency", "channels[0].acquisition_cost", "channels[1].win_rate", "segments[0].acv"],
            errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.True(e.Line > 0));
    }

    [Fact]
    public void DuplicateNamesAreAnError()
    {
        var (yaml, line) = Edit("- name: small", "- name: micro");

        Assert.Equal(new PlanError("segments[1].name", line, "duplicate name 'micro'"), Assert.Single(Errors(yaml)));
    }

    [Fact]
    public void AMinimumAcvAboveTheMaximumIsAnError()
    {
        var (yaml, _) = Edit("min_acv: 1000", "min_acv: 70000");

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(new PlanError("channels[1].max_acv", LineOf("max_acv: 60000"), "must not be below min_acv (70000)"), error);
    }

    [Fact]
    public void AnEmployeeRangeMayBeOpenEndedButNotReversed()
    {
        var open = PlanReader.Read(Edit("employees: [10, 49]", "employees: [10, null]").Yaml);
        var (reversed, line) = Edit("employees: [10, 49]", "employees: [49, 10]");

        Assert.Equal(new EmployeeRange(10, null), open.Segments[1].Employees);
        Assert.Equal(new PlanError("segments[1].employees[1]", line, "must not be below the minimum (49)"), Assert.Single(Errors(reversed)));
    }

    [Fact]
    public void ChurnOfZeroIsAllowed()
    {
        var plan = PlanReader.Read(Edit("annual_churn: 0.15", "annual_churn: 0").Yaml);

        Assert.Equal(0m, plan.Economics.AnnualChurn);
    }

    [Fact]
    public void BrokenSyntaxIsAnErrorWithItsLine()
    {
        var (yaml, line) = Edit("  - name: small", "  - name: [small");

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(line, error.Line);
        Assert.StartsWith("not valid YAML or JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateKeyIsAnErrorWithItsLine()
    {
        var (yaml, line) = Edit("    acv: 4000", "    acv: 4000\n    acv: 5000");

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(line + 1, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsAnError()
    {
        Assert.Equal(new PlanError("", 1, "expected a mapping of plan fields"), Assert.Single(Errors("")));
    }
}
