using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Data;
using Reach.Deals;
using Reach.Tests.Imports;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// An admin brings the Salesforce samples in through the Import page only: the workshop org dump (UTF-8 with a BOM) and
/// the Data Loader files (accounts in cp1252, refused as UTF-8 naming the line and byte, then read as Windows-1252), each
/// with its migration report, then every file again to no change. <see cref="SourceFormatTests"/> and
/// <see cref="ImportHistoryTests"/> check the same files at the importer.
/// </summary>
public abstract class SalesforceImportJourneyTests(ReachServer server)
{
    static string Workshop(string file) => ImportWorkspace.SharedData("salesforce_data_cloud_workshop", file);

    static string DataLoader(string file) => ImportWorkspace.SharedData("export_samples", "salesforce_dataloader", file);

    static readonly (string Path, string Holds, string? Encoding, bool CreateStages)[] Files =
    [
        (Workshop("Account.csv"), "Accounts", null, false),
        (Workshop("Opportunity.csv"), "Deals", null, false),
        (DataLoader("accountData.csv"), "Accounts", "windows-1252", false),
        (DataLoader("opportunityData.csv"), "Deals", null, true),
    ];

    const string Password = MavenImportJourneyTests.Password;

    [Fact]
    public async Task AnAdminImportsTheSalesforceSamplesThroughTheImportPageAndReRunningChangesNothing()
    {
        var (admin, _) = await server.AddUserAsync(UserRole.Admin, "Salesforce Admin", password: Password);

        await Journey.RunAsync(server, "salesforce-import", async page =>
        {
            await Journey.SignInAsync(page, admin.Email!, "/Imports", Password);
            // Data Loader's accounts are cp1252: read as UTF-8 the page refuses them naming the line and the byte, keeping nothing.
            await page.GetByLabel("CSV file").SetInputFilesAsync(DataLoader("accountData.csv"));
            await page.GetByLabel("It holds").SelectOptionAsync("Accounts");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("0xBA");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ine 72");

            var reports = new List<string[]>();
            foreach (var (path, holds, encoding, createStages) in Files)
                reports.Add(await ImportPage.ImportAsync(page, path, holds, "Salesforce", [], encoding, createStages));
            Assert.All(reports, r => Assert.Matches(@"^\w+: inserted [1-9][0-9,]*, updated [0-9,]+, unchanged [0-9,]+, rejected 0$", r[0]));
            // The org dump's standard stages need no ticking; its deals dumped after they closed start at their close.
            Assert.Contains(reports[1], l => l.StartsWith("stages created:", StringComparison.Ordinal) && l.Contains("Proposal/Quote", StringComparison.Ordinal));
            Assert.Contains(reports[1], l => l.StartsWith("history: ", StringComparison.Ordinal));
            Assert.Contains(reports[1], l => l.Contains("were created in the file after they closed", StringComparison.Ordinal));
            Assert.Contains(reports[3], l => l.StartsWith("history: 20", StringComparison.Ordinal));
            await Journey.SnapshotAsync(page, "salesforce-import-report");

            foreach (var (path, holds, encoding, createStages) in Files)
            {
                var again = await ImportPage.ImportAsync(page, path, holds, "Salesforce", [], encoding, createStages);
                Assert.Matches(@"^\w+: inserted 0, updated 0, unchanged [0-9,]+, rejected 0$", again[0]);
            }
        });

        await using var db = server.OpenDb();
        var george = await db.Deals.Include(d => d.Account).SingleAsync(d => d.ExternalId == "006x0000001YtCrAAK");
        Assert.Equal((DealStatus.Won, 500000m, "001x0000002xLD0AAM"), (george.Status, george.Amount, george.Account!.ExternalId));
        var won = await db.Deals.SingleAsync(d => d.ExternalId == "006Ec00000AieKGIAZ");
        Assert.Equal((new DateTime(2023, 6, 17, 0, 0, 0, DateTimeKind.Utc), DealStatus.Won), (won.CreatedAt, won.Status));
    }
}

public sealed class SalesforceImportJourneyOnSqliteTests(SqliteEmptyBrowserServer server) : SalesforceImportJourneyTests(server), IClassFixture<SqliteEmptyBrowserServer>;

public sealed class SalesforceImportJourneyOnPostgresTests(PostgresEmptyBrowserServer server) : SalesforceImportJourneyTests(server), IClassFixture<PostgresEmptyBrowserServer>;
