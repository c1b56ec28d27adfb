using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Demo;
using Reach.Tests.Infrastructure;
using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Cli;

/// <summary>`reach references` and `reach references consent` on the demo workspace, at the console.</summary>
public sealed class ReferencesCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    [Fact]
    public async Task ConsentIsRecordedAndTheReferencesAreRankedForAProspectAndWrittenAsADocument()
    {
        Assert.Equal(0, Run("references", "--db", Db).Exit);
        string reference, prospect;
        await using (var db = Database.Sqlite(Db).Open())
        {
            await DemoWorkspace.SeedAsync(db, TestClock.Wednesday.UtcDateTime);
            var accounts = await db.Accounts.Where(a => a.Industry != null).OrderBy(a => a.Name).Select(a => new { a.Name, a.Industry }).ToListAsync();
            var pair = accounts.GroupBy(a => a.Industry).First(g => g.Count() >= 2).Take(2).ToList();
            (reference, prospect) = (pair[0].Name, pair[1].Name);
        }

        var (exit, output, error) = Run("references", "consent", reference, "--agreed-by", "Ada Agreed", "--call", "--logo", "--on", "2026-09-01", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains($"{reference} is a reference: call, logo, agreed by Ada Agreed on 2026-09-01.", output);

        (exit, output, error) = Run("references", "--prospect", prospect, "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains($"References for {prospect}, best first", output);
        Assert.Contains($"{reference} (call, logo; agreed by Ada Agreed on 2026-09-01; 0/2 this quarter; last used never)", output);
        Assert.Contains("same industry (", output);

        var html = Path.Combine(directory, "references.html");
        (exit, output, error) = Run("references", "--prospect", prospect, "--html", html, "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(reference), await File.ReadAllTextAsync(html));

        var nothing = Run("references", "consent", reference, "--agreed-by", "Ada Agreed", "--db", Db);
        Assert.Equal(2, nothing.Exit);
        Assert.Contains("Say what the customer agreed to", nothing.Error);
        var unknown = Run("references", "--prospect", "No Such Company", "--db", Db);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("No account is named 'No Such Company'", unknown.Error);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
