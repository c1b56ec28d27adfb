using System.CommandLine;
using Reach.Cli;
using Reach.Data;
using Reach.Demo;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Cli;

/// <summary>`reach expansion oversized|report` on the demo workspace, at the console.</summary>
public sealed class ExpansionCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ReachCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task TheConsoleListsTheOversizedDealAndTheLandAndExpandReport()
    {
        Assert.Equal(0, Run("expansion", "oversized", "--db", Db).Exit);
        await using (var db = Database.Sqlite(Db).Open())
            await DemoWorkspace.SeedAsync(db, TestClock.Wednesday.UtcDateTime);

        var (exit, output, error) = Run("expansion", "oversized", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Matches(@"Company-wide licence .*: 650,000 EUR, \d+\.\d× the largest deal won in ", output);

        (exit, output, error) = Run("expansion", "report", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("All accounts", output);
        Assert.Matches(@"\d{4}-Q\d\s+\d+", output);

        var bad = Run("expansion", "report", "--cohort", "soon", "--db", Db);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("is not a cohort", bad.Error);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
