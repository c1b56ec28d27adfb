using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Deals;
using Reach.Imports;
using Reach.Pipelines;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>Deals keep the dates of their source (created, stage entries, close), and a re-run of any source changes nothing.</summary>
public class ImportHistoryTests
{
    static DateTime Utc(int y, int m, int d, int h = 0, int min = 0, int s = 0) => new(y, m, d, h, min, s, DateTimeKind.Utc);

    static async Task<List<(string Stage, DateTime At)>> LogOfAsync(ImportWorkspace workspace, string externalId)
    {
        await using var db = workspace.Open();
        var deal = await db.Deals.SingleAsync(d => d.ExternalId == externalId);
        return await db.DealStageChanges.Where(c => c.DealId == deal.Id).Join(db.Stages, c => c.ToStageId, s => s.Id, (c, s) => new { s.Name, c.At })
            .OrderBy(x => x.At).Select(x => ValueTuple.Create(x.Name, x.At)).ToListAsync();
    }

    [Fact]
    public async Task HubSpotDateEnteredColumnsRebuildTheStageHistoryAndReRunningChangesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var header = ImportWorkspace.HeaderFromFormats("\"Record ID\",\"Deal Name\",\"Last Activity Date\"")
            + ",\"Create Date\",\"Date entered Appointment Scheduled (Sales Pipeline)\",\"Date entered Contract Sent (Sales Pipeline)\",\"Date entered Closed Won (Sales Pipeline)\"";
        var file = workspace.Write("deals.csv", header + "\n" + ImportWorkspace.RowFor(header, new()
        {
            ["Record ID"] = "9001",
            ["Deal Name"] = "Example renewal",
            ["Deal Stage"] = "Closed Won",
            ["Amount"] = "1200",
            ["Create Date"] = "2020-01-10 10:00",
            ["Date entered Appointment Scheduled (Sales Pipeline)"] = "2020-01-10 10:00",
            ["Date entered Contract Sent (Sales Pipeline)"] = "2020-02-01 09:30",
            ["Date entered Closed Won (Sales Pipeline)"] = "2020-03-15 16:00",
        }));

        var first = await workspace.ImportAsync(file, ImportEntity.Deals);
        Assert.Equal((1, 0), (first.Inserted, first.Failed));
        Assert.Equal(["Appointment Scheduled", "Contract Sent"], first.Report.StagesCreated);
        Assert.Equal([("Appointment Scheduled", Utc(2020, 1, 10, 10)), ("Contract Sent", Utc(2020, 2, 1, 9, 30)), ("Won", Utc(2020, 3, 15, 16))],
            await LogOfAsync(workspace, "9001"));
        await using (var db = workspace.Open())
        {
            var deal = await db.Deals.SingleAsync();
            Assert.Equal((Utc(2020, 1, 10, 10), Utc(2020, 3, 15, 16), DealStatus.Won), (deal.CreatedAt, deal.ClosedAt!.Value, deal.Status));
            // Amounts without a currency are in the workspace's (EUR by default), not USD.
            Assert.Equal("EUR", deal.Currency);
            Assert.Null(deal.AccountId);
        }

        var again = await workspace.ImportAsync(file, ImportEntity.Deals);
        Assert.Equal((0, 0, 1), (again.Inserted, again.Updated, again.Skipped));
        Assert.Equal(3, (await LogOfAsync(workspace, "9001")).Count);
    }

    [Fact]
    public async Task PipedriveCreatedWonAndStageChangeDatesAreTheDealsOwnAndItsCompanyIsMadeFromItsName()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var header = ImportWorkspace.HeaderFromFormats("Deal - ID,");
        var file = workspace.Write("deals.csv", header + "\n" + string.Join("\n",
            ImportWorkspace.RowFor(header, new()
            {
                ["Deal - ID"] = "700",
                ["Deal - Title"] = "Muster rollout",
                ["Deal - Value"] = "12500",
                ["Deal - Currency of Value"] = "GBP",
                ["Deal - Organization"] = "Muster GmbH",
                ["Deal - Organization ID"] = "7",
                ["Deal - Stage"] = "Proposal Made",
                ["Deal - Status"] = "Won",
                ["Deal - Deal created"] = "2024-01-05 08:00:00",
                ["Deal - Won time"] = "2024-03-05 14:30:00",
            }),
            ImportWorkspace.RowFor(header, new()
            {
                ["Deal - ID"] = "701",
                ["Deal - Title"] = "Muster phase 2",
                ["Deal - Value"] = "3000",
                ["Deal - Currency of Value"] = "EUR",
                ["Deal - Organization"] = "Muster GmbH",
                ["Deal - Organization ID"] = "7",
                ["Deal - Stage"] = "Contact Made",
                ["Deal - Status"] = "Open",
                ["Deal - Deal created"] = "2024-02-01 08:00:00",
                ["Deal - Last stage change"] = "2024-02-20 12:00:00",
            })));

        var first = await workspace.ImportAsync(file, ImportEntity.Deals);
        Assert.Equal((2, 0, 1), (first.Inserted, first.Failed, first.Report.AccountsCreated));
        Assert.Equal(["GBP"], first.Report.CurrenciesWithoutRates);
        Assert.Contains(first.Report.CheckNext, n => n.Contains("exchange rates for GBP", StringComparison.Ordinal));
        Assert.Equal((Utc(2024, 1, 5, 8), Utc(2024, 3, 5, 14, 30)), ((await LogOfAsync(workspace, "700"))[0].At, (await LogOfAsync(workspace, "700"))[^1].At));
        var open = await LogOfAsync(workspace, "701");
        Assert.Equal([("Qualified", Utc(2024, 2, 1, 8)), ("Contact Made", Utc(2024, 2, 20, 12))], open);
        await using (var db = workspace.Open())
        {
            var account = await db.Accounts.SingleAsync();
            Assert.Equal(("Muster GmbH", "7", "pipedrive"), (account.Name, account.ExternalId, account.ExternalSource));
            Assert.Equal(2, await db.Deals.CountAsync(d => d.AccountId == account.Id));
        }

        var again = await workspace.ImportAsync(file, ImportEntity.Deals);
        Assert.Equal((0, 0, 2, 0), (again.Inserted, again.Updated, again.Skipped, again.Report.AccountsCreated));
    }

    [Fact]
    public async Task SalesforceOpportunityHistoryRebuildsTheStageLogAndReRunningChangesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var opportunities = workspace.Write("Opportunity.csv", "Id,Name,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon\n"
            + "006A,Acme expansion,Closed Won,12000,2024-03-20,2024-01-10T09:00:00.000Z,true,true\n");
        Assert.Equal(1, (await workspace.ImportAsync(opportunities, ImportEntity.Deals)).Inserted);
        // Salesforce's OpportunityHistory columns: a snapshot of the opportunity at each change (here one of the amount only).
        const string header = "Id,OpportunityId,CreatedById,CreatedDate,StageName,Amount,ExpectedRevenue,CloseDate,Probability,ForecastCategory,SystemModstamp,IsDeleted";
        string Snapshot(string id, string opportunity, string at, string stage, int amount, int probability) =>
            $"{id},{opportunity},005X,{at},{stage},{amount},{amount * probability / 100},2024-03-20,{probability},Pipeline,{at},false";
        var history = workspace.Write("OpportunityHistory.csv", string.Join("\n",
            header,
            Snapshot("008A1", "006A", "2024-01-10T09:00:00.000Z", "Prospecting", 10000, 10),
            Snapshot("008A2", "006A", "2024-01-25T10:00:00.000Z", "Qualification", 10000, 20),
            Snapshot("008A3", "006A", "2024-02-05T11:00:00.000Z", "Qualification", 12000, 20),
            Snapshot("008A4", "006A", "2024-02-20T12:00:00.000Z", "Proposal/Price Quote", 12000, 75),
            Snapshot("008A5", "006A", "2024-03-18T15:00:00.000Z", "Closed Won", 12000, 100),
            Snapshot("008Z1", "006Z", "2024-03-18T15:00:00.000Z", "Prospecting", 500, 10)) + "\n");

        var first = await workspace.ImportAsync(history, ImportEntity.History);
        Assert.Equal("salesforce", first.Format);
        // Two stages entered, the first entry read as the file's stage, the close moved to when it happened; 006Z is unknown.
        Assert.Equal((2, 2, 1, 1), (first.Inserted, first.Updated, first.Skipped, first.Failed));
        Assert.Contains(first.Rejected, r => r.Column == "OpportunityId" || r.Value == "006Z");
        Assert.Equal([("Prospecting", Utc(2024, 1, 10, 9)), ("Qualification", Utc(2024, 1, 25, 10)), ("Proposal/Price Quote", Utc(2024, 2, 20, 12)), ("Won", Utc(2024, 3, 18, 15))],
            await LogOfAsync(workspace, "006A"));
        await using (var db = workspace.Open())
        {
            var deal = await db.Deals.SingleAsync();
            Assert.Equal((Utc(2024, 1, 10, 9), Utc(2024, 3, 18, 15), DealStatus.Won), (deal.CreatedAt, deal.StageEnteredAt, deal.Status));
            var changes = await db.DealStageChanges.Where(c => c.DealId == deal.Id).OrderBy(c => c.At).ToListAsync();
            Assert.Null(changes[0].FromStageId);
            Assert.All(changes.Skip(1).Zip(changes), pair => Assert.Equal(pair.Second.ToStageId, pair.First.FromStageId));
        }

        var again = await workspace.ImportAsync(history, ImportEntity.History);
        Assert.Equal((0, 0, 5, 1), (again.Inserted, again.Updated, again.Skipped, again.Failed));
        Assert.Equal(4, (await LogOfAsync(workspace, "006A")).Count);
    }

    [Fact]
    public async Task TwoSalesforceAccountsOfOneNameWithDifferentIdsStayTwoAndReRunningChangesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var file = workspace.Write("Account.csv", "Id,Name,Industry\n001A,Acme,Retail\n001B,Acme,Banking\n");
        var first = await workspace.ImportAsync(file, ImportEntity.Accounts, SourceFormat.Salesforce);
        Assert.Equal((2, 0), (first.Inserted, first.Updated));
        var again = await workspace.ImportAsync(file, ImportEntity.Accounts, SourceFormat.Salesforce);
        Assert.Equal((0, 0, 2), (again.Inserted, again.Updated, again.Skipped));
        await using var db = workspace.Open();
        Assert.Equal(["001A", "001B"], await db.Accounts.OrderBy(a => a.ExternalId).Select(a => a.ExternalId!).ToListAsync());
    }

    [Fact]
    public async Task SalesforceOpportunitiesCreatedAfterTheyClosedStartAtTheirCloseAndReRunningChangesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        string File(string name) => ImportWorkspace.SharedData("salesforce_data_cloud_workshop", name);
        await workspace.ImportAsync(File("Account.csv"), ImportEntity.Accounts);
        var first = await workspace.ImportAsync(File("Opportunity.csv"), ImportEntity.Deals);
        Assert.Equal(0, first.Failed);
        await using (var db = workspace.Open())
        {
            // Dumped from a demo org on 2024-01-22, with close dates before it: the close is the history's first date.
            var won = await db.Deals.SingleAsync(x => x.ExternalId == "006Ec00000AieKGIAZ");
            Assert.Equal((Utc(2023, 6, 17), Utc(2023, 6, 17)), (won.CreatedAt, won.ClosedAt!.Value));
            var open = await db.Deals.SingleAsync(x => x.ExternalId == "006Ec00000AieKFIAZ");
            Assert.Equal((Utc(2024, 1, 22, 16, 14, 25), DealStatus.Open), (open.CreatedAt, open.Status));
        }
        Assert.True(first.Report.CreatedAfterHistory > 0);
        var again = await workspace.ImportAsync(File("Opportunity.csv"), ImportEntity.Deals);
        Assert.Equal((0, 0, first.Inserted), (again.Inserted, again.Updated, again.Skipped));
        var dataLoader = ImportWorkspace.SharedData("export_samples", "salesforce_dataloader", "opportunityData.csv");
        await workspace.ImportAsync(ImportWorkspace.SharedData("export_samples", "salesforce_dataloader", "accountData.csv"), ImportEntity.Accounts, encoding: "windows-1252");
        var loader = await workspace.ImportAsync(dataLoader, ImportEntity.Deals);
        Assert.Equal(0, loader.Failed);
        var loaderAgain = await workspace.ImportAsync(dataLoader, ImportEntity.Deals);
        Assert.Equal((0, 0), (loaderAgain.Inserted, loaderAgain.Updated));
    }

    [Fact]
    public async Task CreateStagesPutsUnknownStagesInFunnelOrderWithTheShareOfTheirDealsThatWon()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        // Scoping deals are young, Shortlist ones older: Scoping comes first. 2 won, 2 lost, 3 in Scoping, 1 in Shortlist.
        var file = workspace.Write("deals.csv", """
            name,amount,stage,createdAt
            W1,1,Won,2026-01-01
            W2,1,Won,2026-01-01
            L1,1,Lost,2026-01-01
            L2,1,Lost,2026-01-01
            S1,1,Scoping,2026-11-01
            S2,1,Scoping,2026-11-02
            S3,1,Scoping,
            T1,1,Shortlist,2026-06-01
            """);
        var summary = await workspace.ImportAsync(file, ImportEntity.Deals, createStages: true);
        Assert.Equal((8, 0), (summary.Inserted, summary.Failed));
        await using var db = workspace.Open();
        var stages = await db.Stages.Where(s => s.Name == "Scoping" || s.Name == "Shortlist").OrderBy(s => s.Position).ToListAsync();
        Assert.Equal(["Scoping", "Shortlist"], stages.Select(s => s.Name));
        // Scoping: 2 won of 2 + 2 + 4 open in it or later; Shortlist: 2 of 2 + 2 + 1.
        Assert.Equal([0.25m, 0.4m], stages.Select(s => s.Probability));
        Assert.All(stages, s => Assert.Equal(StageOutcome.Open, s.Outcome));
        _ = typeof(Account);
    }
}
