using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Demo;
using Reach.Planning;
using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Routing;

/// <summary><c>reach plan save|list|activate</c> and <c>reach route</c> on a SQLite workspace.</summary>
public sealed class PlanVersionCommandTests : IDisposable
{
    readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-plan-versions-");

    string Db => Path.Combine(directory.FullName, "reach.db");

    [Fact]
    public async Task SavesListsActivatesAndRoutes()
    {
        var file = Path.Combine(directory.FullName, "plan.yaml");
        await File.WriteAllTextAsync(file, DemoPlan.Yaml);

        var saved = Run("plan", "save", file, "--name", "First", "--db", Db);
        Assert.Equal(0, saved.Exit);
        Assert.Contains("Saved 'First'", saved.Output, StringComparison.Ordinal);

        await using (var db = Database.Sqlite(Db).Open())
        {
            db.Accounts.Add(new Account { Name = "Acme", Employees = 120 });
            await db.SaveChangesAsync();
            Assert.Null((await db.Accounts.SingleAsync()).Segment);
        }

        var second = Run("plan", "save", file, "--name", "Second", "--activate", "--db", Db);
        Assert.Equal(0, second.Exit);
        Assert.Contains("active plan", second.Output, StringComparison.Ordinal);

        var list = Run("plan", "list", "--db", Db);
        Assert.Contains("* ", list.Output.Split('\n').Single(l => l.Contains("Second", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("* ", list.Output.Split('\n').Single(l => l.Contains("First", StringComparison.Ordinal)), StringComparison.Ordinal);

        var activated = Run("plan", "activate", "First", "--db", Db);
        Assert.Equal(0, activated.Exit);
        Assert.Contains("'First' is the active plan; 1 accounts and leads re-routed.", activated.Output, StringComparison.Ordinal);

        var route = Run("route", "--db", Db);
        Assert.Equal(0, route.Exit);
        Assert.Contains("mid-market", route.Output, StringComparison.Ordinal);

        await using (var db = Database.Sqlite(Db).Open())
        {
            var account = await db.Accounts.SingleAsync();
            Assert.Equal(("mid-market", "inside"), (account.Segment, account.RoutedChannel));
            Assert.Equal("First", (await db.PlanVersions.SingleAsync(v => v.IsActive)).Name);
        }
    }

    [Fact]
    public async Task AnInvalidPlanOrUnknownVersionIsAnErrorNamingIt()
    {
        var file = Path.Combine(directory.FullName, "bad.yaml");
        await File.WriteAllTextAsync(file, DemoPlan.Yaml.Replace("acv: 2400", "acv: -1", StringComparison.Ordinal));
        var bad = Run("plan", "save", file, "--name", "Bad", "--db", Db);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("segments[0].acv", bad.Error, StringComparison.Ordinal);

        var unknown = Run("plan", "activate", "Nope", "--db", Db);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("No saved plan has the id or name 'Nope'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWriterWritesAPlanTheReaderReadsBackTheSame()
    {
        foreach (var plan in new[] { PlanReader.Read(DemoPlan.Yaml), Reach.Tests.Planning.Plans.Example("box-file-sharing"), Reach.Tests.Planning.Plans.Example("zocdoc-marketplace") })
        {
            var again = PlanReader.Read(PlanWriter.Write(plan));
            Assert.Equal(Planner.Evaluate(plan).ToJson(), Planner.Evaluate(again).ToJson());
            Assert.Equal(PlanWriter.Write(plan), PlanWriter.Write(again));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}
