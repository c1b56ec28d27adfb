using Microsoft.EntityFrameworkCore;
using Reach.Cli;
using Reach.Data;
using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Cli;

/// <summary>`reach costs import` and `reach costs plan` at the console: every row or none, a re-run replaces instead of adding, a bad cell named.</summary>
public sealed class CostsCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-costs-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    string File(string name, string text)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task ACostsFileIsEnteredOnceAndABadRowSavesNothing()
    {
        var costs = File("costs.csv", "month,channel,amount\n2026-09,inside,12000\n2026-10,field,30000\n");

        var first = Run("costs", "import", costs, "--db", Db);
        var again = Run("costs", "import", costs, "--db", Db);
        var bad = Run("costs", "import", File("bad.csv", "month,channel,amount\n2026-11,inside,9000\n2026-12,inside,lots\n"), "--db", Db);

        Assert.True(first.Exit == 0, first.Error);
        Assert.Contains("Imported 2 cost(s) from costs.csv: 2 entered, 0 replaced", first.Output);
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains("0 entered, 2 replaced", again.Output);
        Assert.Equal(ExitCode.InvalidInput, bad.Exit);
        Assert.Contains("lots", bad.Error);
        Assert.DoesNotContain("   at ", bad.Error);
        await using var db = Database.Sqlite(Db).Open();
        Assert.Equal(2, await db.ChannelCosts.CountAsync());
    }

    [Fact]
    public async Task ThePlansAssumedCostsAreListedThenEnteredOnceAndABadMonthIsNamed()
    {
        var none = Run("costs", "plan", "--db", Db);
        Assert.Equal(ExitCode.InvalidInput, none.Exit);
        Assert.Contains("No plan is active", none.Error);
        var saved = Run("plan", "save", File("plan.yaml", Reach.Demo.DemoPlan.Yaml), "--name", "Costed plan", "--activate", "--db", Db);
        Assert.True(saved.Exit == 0, saved.Error);

        var listed = Run("costs", "plan", "--db", Db);
        Assert.True(listed.Exit == 0, listed.Error);
        Assert.Matches(@"\d{4}-\d{2}\s+\S.*\s+[\d,]+\.\d{2} [A-Z]{3}", listed.Output);
        Assert.Contains("The plan 'Costed plan' assumes these costs for months without costs; add --enter to enter them.", listed.Output);
        var rows = listed.Output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d{2} "));
        await using (var db = Database.Sqlite(Db).Open())
            Assert.Equal(0, await db.ChannelCosts.CountAsync());

        var entered = Run("costs", "plan", "--enter", "--db", Db);
        Assert.True(entered.Exit == 0, entered.Error);
        Assert.Contains($"Entered {rows} cost(s) assumed by the plan 'Costed plan'", entered.Output);
        var again = Run("costs", "plan", "--enter", "--db", Db);
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains("has its costs already: nothing to add", again.Output);
        await using (var db = Database.Sqlite(Db).Open())
            Assert.Equal(rows, await db.ChannelCosts.CountAsync());

        var bad = Run("costs", "plan", "--from", "soon", "--db", Db);
        Assert.Equal(ExitCode.InvalidInput, bad.Exit);
        Assert.Contains("'soon' is not a month", bad.Error);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
