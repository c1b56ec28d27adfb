using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Data;
using Reach.Deals;
using Reach.Tests.Imports;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// An admin migrates the Maven CRM set through the Import page only, as docs/imports.md walks through it (the workspace
/// currency, then accounts, products, people and teams, all 8,800 deals, each with the docs' column map), reads each
/// migration report on the page, finds the result on the app's own pages, and imports every file again to no change.
/// <see cref="MavenMigrationTests"/> checks the same migration's figures against the CSV; this proves the page can do it.
/// </summary>
public abstract class MavenImportJourneyTests(ReachServer server)
{
    static string Maven(string file) => ImportWorkspace.SharedData("maven_crm", file);

    static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    // The docs' four imports: the file, what it holds, and the column map of its command.
    static readonly (string File, string Holds, (string Column, string Field)[] Map)[] Steps =
    [
        ("accounts.csv", "Accounts", [("account", "name"), ("sector", "industry")]),
        ("products.csv", "Products", [("product", "name"), ("sales_price", "listPrice"), ("series", "description")]),
        ("sales_teams.csv", "Users", [("sales_agent", "name"), ("regional_office", "team")]),
        ("sales_pipeline.csv", "Deals", [("opportunity_id", "externalId"), ("sales_agent", "owner"), ("product", "product"), ("account", "account"),
            ("deal_stage", "stage"), ("engage_date", "createdAt"), ("close_date", "closedAt"), ("close_value", "amount")]),
    ];

    static Task<string[]> ImportAsync(IPage page, string file, string holds, (string Column, string Field)[] map) =>
        ImportPage.ImportAsync(page, Maven(file), holds, "CSV", map);

    // The admin's own: the demo password is too common for a user who chooses one.
    internal const string Password = "Maven-to-Reach-9-migrations";

    [Fact]
    public async Task AnAdminMigratesTheMavenSetThroughTheImportPageAndReadsEachMigrationReport()
    {
        var pipeline = File.ReadLines(Maven("sales_pipeline.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var teams = File.ReadLines(Maven("sales_teams.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var owners = pipeline.Select(c => c[1]).Distinct().Count();
        var firstDate = pipeline.Select(c => c[5]).Where(d => d.Length > 0).Min(StringComparer.Ordinal);
        var lastDate = pipeline.SelectMany(c => new[] { c[5], c[6] }).Where(d => d.Length > 0).Max(StringComparer.Ordinal);
        var noAccount = pipeline.Count(c => c[3].Length == 0);
        var (admin, _) = await server.AddUserAsync(UserRole.Admin, "Ada Lovelace", password: Password);

        await Journey.RunAsync(server, "maven-import", async page =>
        {
            // docs/imports.md: Maven's amounts are USD, so the workspace reckons in USD before anything is imported.
            await Journey.SignInAsync(page, admin.Email!, "/Admin/Settings", Password);
            await page.GetByLabel("Currency", new() { Exact = true }).FillAsync("USD");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
            await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("The workspace currency is USD now");

            var reports = new List<string[]>();
            foreach (var (file, holds, map) in Steps)
                reports.Add(await ImportAsync(page, file, holds, map));
            await Journey.SnapshotAsync(page, "maven-import-deals-report");

            Assert.Equal("accounts: inserted 85, updated 0, unchanged 0, rejected 0", reports[0][0]);
            Assert.Equal("products: inserted 7, updated 0, unchanged 0, rejected 0", reports[1][0]);
            Assert.Equal($"users: inserted {teams.Count}, updated 0, unchanged 0, rejected 0", reports[2][0]);
            // The agents and their managers, who are made users too.
            Assert.Contains($"users invited {teams.Count + teams.Select(t => t[1]).Distinct().Count()}, teams created 6", reports[2]);
            var deals = reports[3];
            Assert.Equal("deals: inserted 8,800, updated 0, unchanged 0, rejected 0", deals[0]);
            Assert.Contains("line items: inserted 8,800", deals);
            // The history is the file's own dates, not the import's day (the deals without any date are counted apart).
            Assert.Contains($"history: {firstDate} to {lastDate}", deals);
            Assert.Contains($"owners: {owners} matched", deals);
            Assert.Contains(deals, l => l.StartsWith("stages:", StringComparison.Ordinal) && l.Contains("Prospecting", StringComparison.Ordinal) && l.Contains("Engaging", StringComparison.Ordinal) && l.Contains("Won", StringComparison.Ordinal));
            Assert.Contains("currency: USD", deals);
            Assert.Contains(deals, l => l.StartsWith($"check next: {noAccount} deal(s) name no account", StringComparison.Ordinal));
            Assert.Contains(deals, l => l.StartsWith("check next: 500 deal(s) had no created date", StringComparison.Ordinal));
            await Expect(page.GetByTestId("failed")).ToHaveTextAsync("0");

            // What the app then shows: 7 products, every agent in their office's team under their manager.
            await page.GotoAsync("/Admin/Products");
            await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(7);
            await page.GotoAsync("/Admin/Teams");
            foreach (var team in teams.GroupBy(t => (Office: t[2], Manager: t[1])))
            {
                var section = page.Locator("section.card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = $"{team.Key.Office} ({team.Key.Manager})" }) });
                // The agents and their manager.
                await Expect(section.GetByRole(AriaRole.Heading, new() { Level = 3 })).ToHaveTextAsync($"{team.Count() + 1} members");
                foreach (var agent in team)
                    await Expect(section.Locator("li", new() { HasText = agent[0] })).ToContainTextAsync("rep");
            }
            // The forecast of this month books none of 2017's wins: they were won in 2017.
            await page.GotoAsync("/Forecast");
            var thisMonth = page.Locator("section[aria-labelledby^='p-']").First;
            await Expect(thisMonth.Locator("tr", new() { HasText = "All channels" }).Locator("td").Nth(1)).ToHaveTextAsync("$0");
            await Journey.SnapshotAsync(page, "maven-import-forecast");

            // Every file again through the page: nothing changes.
            foreach (var (file, holds, map) in Steps)
            {
                var again = await ImportAsync(page, file, holds, map);
                Assert.Matches(@"^\w+: inserted 0, updated 0, unchanged [0-9,]+, rejected 0$", again[0]);
            }
        });

        await using var db = server.OpenDb();
        Assert.Equal(8800, await db.Deals.CountAsync());
        Assert.Equal(noAccount, await db.Deals.CountAsync(d => d.AccountId == null));
        Assert.Equal(4238, await db.Deals.CountAsync(d => d.Status == DealStatus.Won));
        Assert.Equal(35, await db.Users.CountAsync(u => u.Role == UserRole.Rep && u.TeamId != null));
        Assert.Equal(7, await db.Products.CountAsync());
        Assert.Equal(8800, await db.DealLineItems.CountAsync());
    }
}

public sealed class MavenImportJourneyOnSqliteTests(SqliteEmptyBrowserServer server) : MavenImportJourneyTests(server), IClassFixture<SqliteEmptyBrowserServer>;

public sealed class MavenImportJourneyOnPostgresTests(PostgresEmptyBrowserServer server) : MavenImportJourneyTests(server), IClassFixture<PostgresEmptyBrowserServer>;
