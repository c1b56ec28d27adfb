using Reach.Data;
using Reach.Demo;
using Reach.Tests.Infrastructure;
using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Cli;

/// <summary>`reach expansion oversized|report` on the demo workspace, at the console.</summary>
public sealed class ExpansionCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

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
