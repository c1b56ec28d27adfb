using System.CommandLine;
using System.Text.Json;
using Reach.Cli.Commands;
using Xunit;

namespace Reach.Tests.Planning;

public sealed class PlanCommandTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-plan-");

    public void Dispose() => directory.Delete(recursive: true);

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { PlanCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = root.Parse(["plan", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PrintsTablesAndWarningsForPeople()
    {
        var (exit, output, error) = Invoke(Plans.ExamplePath("convenience-store.yaml"));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Segments", output, StringComparison.Ordinal);
        Assert.Contains("single-store", output, StringComparison.Ordinal);
        Assert.Contains("inside (not profitable)", output, StringComparison.Ordinal);
        Assert.Contains("raise price to 1,103 EUR (inside)", output, StringComparison.Ordinal);
        Assert.Contains("one-off service charge of 350 EUR (inside)", output, StringComparison.Ordinal);
        Assert.Contains("push to self-service: LTV/CAC there 11.33", output, StringComparison.Ordinal);
        Assert.Contains("1,250 EUR", output, StringComparison.Ordinal);
        Assert.Contains("50% of the target (750,000 EUR) sits in dead zones: no customers, budget or reps are planned for it.", output, StringComparison.Ordinal);
        Assert.Contains("Month by month: Target not reached within the horizon (24 months)", output, StringComparison.Ordinal);
        Assert.Contains("Hires and reps by month", output, StringComparison.Ordinal);
        Assert.Contains("Over the horizon (24 months, as spent)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyPutsARecommendationBesideThePlanAndABadOneIsAnError()
    {
        var (exit, output, error) = Invoke(Plans.ExamplePath("convenience-store.yaml"), "--apply", "raise_price:single-store");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Scenario: raise_price:single-store", output, StringComparison.Ordinal);
        Assert.Contains("single-store.acv", output.Replace("single-store acv", "single-store.acv", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Sensitivity: each assumption −20% and +20%", output, StringComparison.Ordinal);

        (exit, output, error) = Invoke(Plans.ExamplePath("convenience-store.yaml"), "--apply", "raise_price:nobody");
        Assert.Equal(Reach.Cli.ExitCode.InvalidInput, exit);
        Assert.Empty(output);
        Assert.Contains("--apply raise_price:nobody: no segment named 'nobody'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRecommendationIsListedWithItsApplyAndAPlanLevelOneApplies()
    {
        var (exit, output, error) = Invoke(Plans.ExamplePath("zocdoc-marketplace.yaml"));
        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("--apply fit_market:dental-specialists: dental-specialists: plan on its accounts, 16% of the target", output, StringComparison.Ordinal);
        Assert.Contains("--apply limit_hiring:inside: inside: hire at most 5 reps a month", output, StringComparison.Ordinal);

        (exit, output, error) = Invoke(Plans.ExamplePath("zocdoc-marketplace.yaml"), "--apply", "limit_hiring:inside", "--json");
        Assert.Equal(0, exit);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var scenario = json.RootElement.GetProperty("scenario");
        Assert.Equal("limit_hiring:inside", scenario.GetProperty("applied")[0].GetString());
        var limit = scenario.GetProperty("differences").EnumerateArray().Single(d => d.GetProperty("figure").GetString() == "inside.max_hires_per_month");
        Assert.Equal((5m, true), (limit.GetProperty("scenario").GetDecimal(), limit.GetProperty("changed").GetBoolean()));
        Assert.Contains(json.RootElement.GetProperty("recommendations").EnumerateArray(), r => r.GetProperty("apply").GetString() == "limit_hiring:inside");

        (exit, output, error) = Invoke(Plans.ExamplePath("zocdoc-marketplace.yaml"), "--apply", "limit_hiring:dental-specialists");
        Assert.Equal(Reach.Cli.ExitCode.InvalidInput, exit);
        Assert.Empty(output);
        Assert.Contains("--apply limit_hiring:dental-specialists: no channel named 'dental-specialists'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WarnsAboutInfeasibleAndTooSmallSegments()
    {
        var (exit, output, _) = Invoke(Plans.ExamplePath("zocdoc-marketplace.yaml"));

        Assert.Equal(0, exit);
        Assert.Contains("dental-specialists needs 500 customers but has only 400 addressable accounts (market_too_small).", output, StringComparison.Ordinal);
        Assert.Contains("(infeasible_in_horizon)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonPrintsThePlannersJsonOnly()
    {
        var (exit, output, _) = Invoke(Plans.ExamplePath("box-file-sharing.yaml"), "--json");

        Assert.Equal(0, exit);
        Assert.Equal(
            File.ReadAllText(Plans.ExamplePath("box-file-sharing.expected.json")).ReplaceLineEndings("\n").TrimEnd(),
            output.ReplaceLineEndings("\n").TrimEnd());
        using var document = JsonDocument.Parse(output);
        Assert.Equal(0.2m, document.RootElement.GetProperty("target_share_in_dead_zones").GetDecimal());
    }

    [Fact]
    public void AnInvalidFileListsEveryErrorWithItsLineAndExitsWithTwo()
    {
        var path = Write("bad.yaml", Plans.DocExampleYaml
            .Replace("win_rate: 0.20", "win_rate: 1.5", StringComparison.Ordinal)
            .Replace("    accounts: 40000", "    accounts: 40000\n    colour: red", StringComparison.Ordinal));

        var (exit, output, error) = Invoke(path, "--json");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("bad.yaml:line 22: channels[1].win_rate: must be in (0, 1], got 1.5", error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:line 43: segments[0].colour: unknown key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAClearErrorAndExitsWithTwo()
    {
        var (exit, output, error) = Invoke(Path.Combine(directory.FullName, "nowhere.yaml"));

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Contains("nowhere.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlWritesASelfContainedReportWithCharts()
    {
        var report = Path.Combine(directory.FullName, "report.html");

        var (exit, output, _) = Invoke(Plans.ExamplePath("box-file-sharing.yaml"), "--html", report);

        Assert.Equal(0, exit);
        Assert.Contains("report.html", output, StringComparison.Ordinal);
        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("mid-market", html, StringComparison.Ordinal);
        Assert.Contains("dead zone: gap", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlEncodesNamesFromThePlanFile()
    {
        var path = Write("xss.yaml", Plans.DocExampleYaml
            .Replace("- name: small", "- name: \"<script>alert(1)</script>\"", StringComparison.Ordinal)
            .Replace("currency: EUR", "currency: \"E&R\"", StringComparison.Ordinal));
        var report = Path.Combine(directory.FullName, "xss.html");

        var (exit, _, _) = Invoke(path, "--html", report, "--json");

        Assert.Equal(0, exit);
        var html = File.ReadAllText(report);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("E&amp;R", html, StringComparison.Ordinal);
    }
}
