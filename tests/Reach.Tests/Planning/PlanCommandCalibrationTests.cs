using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Reach.Cli;
using Reach.Cli.Commands;
using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary><c>reach plan FILE --db …</c> on <see cref="CalibrationWorkspace"/>'s deals.</summary>
public sealed class PlanCommandCalibrationTests : IAsyncLifetime
{
    private static readonly DateTime AsOf = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-plan-db-");
    private string database = "";
    private string plan = "";

    public async ValueTask InitializeAsync()
    {
        database = (await CalibrationWorkspace.CreateSqliteAsync(directory.FullName, AsOf)).Location;
        plan = Path.Combine(directory.FullName, "plan.yaml");
        await File.WriteAllTextAsync(plan, Plans.DocExampleYaml);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { PlanCommand.Create(new FixedClock(AsOf)) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = root.Parse(["plan", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void PrintsTheCalibrationBesideThePlan()
    {
        var (exit, output, error) = Invoke(plan, "--db", database);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Segments", output, StringComparison.Ordinal);
        Assert.Contains("Calibration: channels (deals closed 2026-01-01 to 2026-12-31)", output, StringComparison.Ordinal);
        var inside = Line(output, "│ inside ", "Calibration: channels");
        Assert.Contains("3 / 2", inside, StringComparison.Ordinal);
        Assert.Contains("60%", inside, StringComparison.Ordinal);
        Assert.Contains("1.7 (1.8 rep-years)", inside, StringComparison.Ordinal);
        var field = Line(output, "│ field ", "Calibration: channels");
        Assert.Contains("16.7%", field, StringComparison.Ordinal);
        Assert.Contains("Cycle underestimated", field, StringComparison.Ordinal);
        Assert.Contains("Win rate optimistic", output, StringComparison.Ordinal);
        Assert.Contains("4,500 EUR", Line(output, "│ small ", "Calibration: segments"), StringComparison.Ordinal);
        Assert.Contains("no exchange rate converts them", output, StringComparison.Ordinal);
        Assert.Contains("self-service: no self-service deals closed in the window", output, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonAddsTheCalibrationKeyToThePlannersJson()
    {
        var (exit, output, _) = Invoke(plan, "--db", database, "--json");

        Assert.Equal(0, exit);
        var json = JsonNode.Parse(output)!.AsObject();
        var planned = JsonNode.Parse(Planner.Evaluate(Plans.DocExample).ToJson())!.AsObject();
        Assert.True(JsonNode.DeepEquals(planned["segments"], json["segments"]));
        Assert.True(JsonNode.DeepEquals(planned["channels"], json["channels"]));
        var inside = json["calibration"]!["channels"]![1]!;
        Assert.Equal(0.6m, (decimal)inside["actual_win_rate"]!);
        Assert.Equal(60m, (decimal)inside["actual_cycle_days"]!);
        Assert.Equal(1, (int)json["calibration"]!["other_currency_deals"]!);
    }

    [Fact]
    public void HtmlShowsTheCalibrationToo()
    {
        var report = Path.Combine(directory.FullName, "report.html");

        var (exit, _, _) = Invoke(plan, "--db", database, "--html", report);

        Assert.Equal(0, exit);
        var html = File.ReadAllText(report);
        Assert.Contains("Calibration: channels", html, StringComparison.Ordinal);
        Assert.Contains("Cycle underestimated", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingDatabaseFileIsAnErrorAndIsNotCreated()
    {
        var missing = Path.Combine(directory.FullName, "nowhere.db");

        var (exit, output, error) = Invoke(plan, "--db", missing);

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Empty(output);
        Assert.Contains("no such database", error, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void DbAndPostgresTogetherAreRefused()
    {
        var (exit, _, error) = Invoke(plan, "--db", database, "--postgres", "Host=127.0.0.1");

        Assert.NotEqual(0, exit);
        Assert.Contains("either --db or --postgres", error, StringComparison.Ordinal);
    }

    // The table row that starts with `start` after the table titled `title`.
    private static string Line(string output, string start, string title) =>
        output[output.IndexOf(title, StringComparison.Ordinal)..]
            .Split('\n')
            .First(l => l.StartsWith(start, StringComparison.Ordinal));
}
