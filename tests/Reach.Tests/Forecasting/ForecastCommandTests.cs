using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Reach.Cli;
using Reach.Cli.Commands;
using Reach.Data;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary><c>reach forecast</c> on <see cref="ForecastWorkspace"/> in a SQLite file, at a fixed now.</summary>
public sealed class ForecastCommandTests : IAsyncLifetime
{
    // The 15th: the month ends in 17 days, before the open deal's earliest plausible close (25 days); February ends in 45.
    static readonly DateTime Now = new(2027, 1, 15, 12, 0, 0, DateTimeKind.Utc);

    readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-forecast-");
    string file = "";

    public async ValueTask InitializeAsync()
    {
        var database = Database.Sqlite(Path.Combine(directory.FullName, "workspace.db"));
        file = database.Location;
        await using var db = database.Open(new FixedClock(Now));
        await database.MigrateAsync(db);
        await ForecastWorkspace.SeedAsync(db, Now);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    static (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand { ForecastCommand.Create(new FixedClock(Now)) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = root.Parse(["forecast", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void JsonHasTheHandComputedFigures()
    {
        // The plain fit, so the percentiles are computable by hand: with model draws the one open deal's odds vary
        // around 0.53 from refit to refit (and with the workspace's random ids), which moves its P50 across 0.5.
        var (exit, output, error) = Invoke("--db", file, "--json", "--model-draws", "0", "--correlation", "0");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var json = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(10_000, (int)json["trials"]!);
        var (january, february) = (json["periods"]![0]!, json["periods"]![1]!);
        Assert.Equal("2027-01", (string)january["label"]!);
        // January: the 5,000 won today, nothing more (the open deal needs 25 days at least, and no past month saw a
        // deal created and won within it).
        var jan = january["total"]!;
        Assert.Equal((5000m, 5000m, 5000m, 5000m, 5000m), ((decimal)jan["closedWon"]!, (decimal)jan["expected"]!, (decimal)jan["p10"]!, (decimal)jan["p50"]!, (decimal)jan["p90"]!));
        Assert.Equal(2000m, (decimal)jan["repCall"]!["commit"]!);
        // February: the open deal of 2,000 with P(won) 0.52778, all of its wins landing before 1 March.
        var feb = february["total"]!;
        Assert.Equal(Math.Round(2000 * (decimal)ForecastWorkspace.OpenDealWinProbability, 2), (decimal)feb["expected"]!);
        Assert.Equal((0m, 2000m, 2000m), ((decimal)feb["p10"]!, (decimal)feb["p50"]!, (decimal)feb["p90"]!));
        Assert.Equal("(no owner)", (string)february["reps"]![0]!["name"]!);

        var qualified = json["stages"]!.AsArray().Single(s => (string)s!["stage"]!["name"]! == "Qualified" && (string)s["stage"]!["channel"]! == "inside")!;
        Assert.Equal((11, 6), ((int)qualified["closed"]!, (int)qualified["won"]!));
        var flagged = json["flaggedDeals"]!.AsArray().Single()!;
        Assert.Equal("2027-02-09", (string)flagged["earliestPlausibleClose"]!);
        Assert.Equal("2027-02-09", (string)flagged["likelyClose"]!);
    }

    [Fact]
    public void TablesShowTheForecastAndTheFlaggedDeal()
    {
        var (exit, output, _) = Invoke("--db", file, "--seed", "3");

        Assert.Equal(0, exit);
        Assert.Contains("Bookings forecast in EUR as of 2027-01-15 12:00 UTC: 1 open deals, a model of 11 closed deals, 10,000 trials (seed 3).", output, StringComparison.Ordinal);
        Assert.Contains("│ Total          │  5,000 │    5,000 │ 5,000 │ 5,000 │ 5,000 │  2,000 │", output, StringComparison.Ordinal);
        Assert.Contains("Cycle underestimated", output, StringComparison.Ordinal);
        Assert.Contains("1 open deal in other currencies than EUR left out", output, StringComparison.Ordinal);
        // The forecast shows its own track record beside it, or why there is none yet.
        Assert.Contains("Track record", output, StringComparison.Ordinal);
    }

    [Fact]
    public void QuartersAreForecastToo()
    {
        var (exit, output, _) = Invoke("--db", file, "--json", "--period", "quarter");

        Assert.Equal(0, exit);
        var periods = JsonNode.Parse(output)!["periods"]!.AsArray();
        Assert.Equal(["2027-Q1", "2027-Q2"], periods.Select(p => (string)p!["label"]!));
        // The open deal's wins all land within the quarter.
        Assert.Equal(5000m + Math.Round(2000 * (decimal)ForecastWorkspace.OpenDealWinProbability, 2), (decimal)periods[0]!["total"]!["expected"]!);
    }

    [Fact]
    public void ABacktestWithNothingToReplaySaysSoWithItsOwnExitCode()
    {
        var (exit, output, error) = Invoke("--db", file, "--backtest", "--json");

        // Nothing to replay is said, with its own exit code, rather than scored as a perfect 0 % error.
        Assert.Equal(ExitCode.NothingToReplay, exit);
        Assert.Contains("nothing to replay", error, StringComparison.Ordinal);
        Assert.Empty(Invoke("--db", file, "--backtest").Output);
        var json = JsonNode.Parse(output)!;
        Assert.Empty(json["points"]!.AsArray());
        Assert.Equal(2_000, (int)json["trials"]!);
    }

    [Fact]
    public void AMissingDatabaseIsAnError()
    {
        var (exit, _, error) = Invoke("--db", Path.Combine(directory.FullName, "nothing.db"));

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("no such database", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TuneGoesOnlyWithBacktest()
    {
        var (exit, _, error) = Invoke("--db", file, "--tune");

        Assert.NotEqual(0, exit);
        Assert.Contains("--tune only goes with --backtest", error, StringComparison.Ordinal);
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTime utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc));
}
