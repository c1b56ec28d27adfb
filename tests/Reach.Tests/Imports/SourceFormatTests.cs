using Microsoft.EntityFrameworkCore;
using Reach.Deals;
using Reach.Imports;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>Each CRM's real export files (or, for HubSpot and Pipedrive, their real headers) import with the right values.</summary>
public class SourceFormatTests
{
    [Fact]
    public async Task SalesforceDataLoaderAccountsInCp1252AndOpportunitiesImportAndLink()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var accounts = ImportWorkspace.SharedData("export_samples", "salesforce_dataloader", "accountData.csv");
        var opportunities = ImportWorkspace.SharedData("export_samples", "salesforce_dataloader", "opportunityData.csv");

        var wrongEncoding = await Assert.ThrowsAsync<ImportFileException>(() => workspace.ImportAsync(accounts, ImportEntity.Accounts));
        Assert.Contains("Line 72", wrongEncoding.Message);
        Assert.Contains("0xBA", wrongEncoding.Message);
        Assert.Equal(0, await workspace.CountAsync<Reach.Accounts.Account>());

        var a = await workspace.ImportAsync(accounts, ImportEntity.Accounts, encoding: "windows-1252");
        Assert.Equal("salesforce", a.Format);
        Assert.Equal(423, a.Rows);
        Assert.Equal(0, a.Failed);
        var d = await workspace.ImportAsync(opportunities, ImportEntity.Deals, createStages: true);
        Assert.Equal("salesforce", d.Format);
        Assert.Equal(0, d.Failed);

        await using var db = workspace.Open();
        var george = await db.Deals.Include(x => x.Account).Include(x => x.Stage).SingleAsync(x => x.ExternalId == "006x0000001YtCrAAK");
        Assert.Equal("George Foundation - 5000 Widgets", george.Name);
        Assert.Equal(500000m, george.Amount);
        Assert.Equal(DealStatus.Won, george.Status);
        Assert.Equal("salesforce", george.ExternalSource);
        Assert.Equal("001x0000002xLD0AAM", george.Account!.ExternalId);
        var acme = await db.Deals.Include(x => x.Stage).SingleAsync(x => x.ExternalId == "006x0000001YtCtAAK");
        Assert.Equal("Acme - 1,200 Widgets", acme.Name);
        Assert.Equal(140000m, acme.Amount);
        Assert.Equal("Value Proposition", acme.Stage!.Name);
        Assert.Equal(new DateOnly(2005, 12, 12), acme.ExpectedClose);
        Assert.Equal(DealStatus.Open, acme.Status);
    }

    [Fact]
    public async Task SalesforceOrgDumpWithBomImportsAccountsContactsLeadsAndOpportunities()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        string File(string name) => ImportWorkspace.SharedData("salesforce_data_cloud_workshop", name);

        Assert.Equal(0, (await workspace.ImportAsync(File("Account.csv"), ImportEntity.Accounts)).Failed);
        var contacts = await workspace.ImportAsync(File("Contact.csv"), ImportEntity.Contacts);
        Assert.Equal(0, contacts.Failed);
        Assert.Equal(0, (await workspace.ImportAsync(File("Lead.csv"), ImportEntity.Leads)).Failed);
        // Salesforce's stages (Discovery, Qualification, Proposal/Quote, Negotiation, Closed Won/Lost) need no --create-stages.
        var opportunities = await workspace.ImportAsync(File("Opportunity.csv"), ImportEntity.Deals);
        Assert.Contains("Proposal/Quote", opportunities.Report.StagesCreated);
        Assert.Equal(0, opportunities.Failed);

        await using var db = workspace.Open();
        var walker = await db.Accounts.SingleAsync(a => a.ExternalId == "001Ec00000GGw3hIAD");
        Assert.Equal("Walker Henson and Compton", walker.Name);
        Assert.Equal("walkerhensonandcompton.com", walker.Domain);
        Assert.Equal(577, walker.Employees);
        Assert.Equal(6759560m, walker.AnnualRevenue);
        // 18 of the 102 contacts name an account (all in Account.csv); the others have none in the org either.
        Assert.Equal(18, await db.Contacts.CountAsync(c => c.AccountId != null));
        var won = await db.Deals.SingleAsync(x => x.ExternalId == "006Ec00000AieKGIAZ");
        Assert.Equal(1651993.36m, won.Amount);
        Assert.Equal(DealStatus.Won, won.Status);
        Assert.Equal(new DateOnly(2023, 6, 17), won.ExpectedClose);
        Assert.Equal("001Ec00000GGw3sIAD", (await db.Accounts.SingleAsync(x => x.Id == won.AccountId)).ExternalId);
    }

    [Fact]
    public async Task MavenSalesPipelineImportsAsDealsThroughMap()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        await workspace.ImportAsync(ImportWorkspace.SharedData("maven_crm", "accounts.csv"), ImportEntity.Accounts, map: [("account", "name"), ("sector", "industry")]);
        (string, string)[] map = [("opportunity_id", "externalId"), ("account", "account"), ("deal_stage", "stage"), ("close_value", "amount"), ("close_date", "closedAt"), ("engage_date", "createdAt")];
        var pipeline = ImportWorkspace.SharedData("maven_crm", "sales_pipeline.csv");

        var summary = await workspace.ImportAsync(pipeline, ImportEntity.Deals, map: map);

        Assert.Equal("csv", summary.Format);
        Assert.True(summary.Failed == 0, string.Join("; ", summary.Rejected));
        Assert.Equal((8800, 8800, 0), (summary.Rows, summary.Inserted, summary.Failed));
        // Maven's prospecting/engaging deals without an account stand without one; Prospecting and Engaging are known stages.
        Assert.Equal(1425, summary.Report.DealsWithoutAccount);
        Assert.Equal(["Engaging", "Prospecting"], summary.Report.StagesCreated.Order());
        await using var db = workspace.Open();
        var first = await db.Deals.Include(d => d.Account).Include(d => d.Stage).SingleAsync(d => d.ExternalId == "1C1I7A6R");
        Assert.Equal(1054m, first.Amount);
        Assert.Equal("Cancity", first.Account!.Name);
        Assert.Equal(DealStatus.Won, first.Status);
        Assert.Equal(new DateTime(2016, 10, 20, 0, 0, 0, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal(new DateTime(2017, 3, 1, 0, 0, 0, DateTimeKind.Utc), first.ClosedAt);
        Assert.Equal("csv", first.ExternalSource);
        var log = await db.DealStageChanges.Where(c => c.DealId == first.Id).OrderBy(c => c.At).Select(c => c.At).ToListAsync();
        Assert.Equal([first.CreatedAt, first.ClosedAt!.Value], log);

        var again = await workspace.ImportAsync(pipeline, ImportEntity.Deals, map: map);
        Assert.Equal((0, 0, 8800), (again.Inserted, again.Updated, again.Skipped));
    }

    [Fact]
    public async Task HubSpotCompaniesContactsAndDealsWithTheirRealHeaders()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var companies = ImportWorkspace.HeaderFromFormats("\"Record ID\",\"Company name\"");
        var contacts = ImportWorkspace.HeaderFromFormats("\"Record ID\",\"First Name\",\"Last Name\",\"Email\",\"Phone Number\"");
        var deals = ImportWorkspace.HeaderFromFormats("\"Record ID\",\"Deal Name\",\"Last Activity Date\"");

        var c = await workspace.ImportAsync(workspace.Write("companies.csv", companies + "\n" + ImportWorkspace.RowFor(companies, new()
        {
            ["Record ID"] = "200000000001",
            ["Company name"] = "Example Publishing",
            ["Create Date"] = "2020-01-10 10:00",
            ["Industry"] = "Publishing",
            ["Country/Region"] = "United States",
        })), ImportEntity.Accounts);
        Assert.Equal(("hubspot", 1), (c.Format, c.Inserted));
        var p = await workspace.ImportAsync(workspace.Write("contacts.csv", contacts + "\n" + ImportWorkspace.RowFor(contacts, new()
        {
            ["Record ID"] = "51",
            ["First Name"] = "Ada",
            ["Last Name"] = "Byron",
            ["Email"] = "Ada@Example.COM",
            ["Primary Associated Company ID"] = "200000000001",
        })), ImportEntity.Contacts);
        Assert.Equal(1, p.Inserted);
        // This view of HubSpot's deal export has no company column: the deal stands without an account, said in the report.
        var noCompany = await workspace.ImportAsync(workspace.Write("deals.csv", deals + "\n" + ImportWorkspace.RowFor(deals, new()
        {
            ["Record ID"] = "9002",
            ["Deal Name"] = "Example upsell",
            ["Amount"] = "10",
        })), ImportEntity.Deals);
        Assert.Equal((1, 1), (noCompany.Inserted, noCompany.Report.DealsWithoutAccount));

        var header = deals + ",\"Associated Company IDs\"";
        var linked = await workspace.ImportAsync(workspace.Write("deals2.csv", header + "\n" + ImportWorkspace.RowFor(header, new()
        {
            ["Record ID"] = "9001",
            ["Deal Name"] = "Example renewal",
            ["Deal Stage"] = "Closed Won",
            ["Close Date"] = "2024-08-27 00:00",
            ["Amount"] = "$45,362.12",
            ["Associated Company IDs"] = "200000000001;200000000002",
            ["Pipeline"] = "Sales Pipeline",
        })), ImportEntity.Deals);
        Assert.Equal(1, linked.Inserted);
        Assert.Contains(linked.Notes, n => n.Contains("no pipeline 'Sales Pipeline'", StringComparison.Ordinal));

        await using var db = workspace.Open();
        var account = await db.Accounts.SingleAsync();
        Assert.Equal(("Example Publishing", "Publishing", "United States", "hubspot"), (account.Name, account.Industry, account.Region, account.ExternalSource));
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal(("ada@example.com", account.Id), (contact.Email, contact.AccountId!.Value));
        Assert.Null((await db.Deals.SingleAsync(d => d.ExternalId == "9002")).AccountId);
        var deal = await db.Deals.SingleAsync(d => d.ExternalId == "9001");
        Assert.Equal((45362.12m, "USD", DealStatus.Won, new DateOnly(2024, 8, 27)), (deal.Amount, deal.Currency, deal.Status, deal.ExpectedClose!.Value));
    }

    [Fact]
    public async Task PipedriveOrganizationsPersonsAndDealsWithTheirRealHeaders()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var organizations = ImportWorkspace.HeaderFromFormats("Organization - ID,");
        var persons = ImportWorkspace.HeaderFromFormats("Person - ID,");
        var deals = ImportWorkspace.HeaderFromFormats("Deal - ID,");

        var o = await workspace.ImportAsync(workspace.Write("organizations.csv", organizations + "\n" + ImportWorkspace.RowFor(organizations, new()
        {
            ["Organization - ID"] = "7",
            ["Organization - Name"] = "Muster GmbH",
            ["Organization - Website"] = "https://www.muster.de/kontakt",
            ["Organization - Number of employees"] = "1.200",
            ["Organization - Annual revenue"] = "2.500.000,50 €",
        })), ImportEntity.Accounts);
        Assert.Equal(("pipedrive", 1, 0), (o.Format, o.Inserted, o.Failed));
        var p = await workspace.ImportAsync(workspace.Write("persons.csv", persons + "\n" + ImportWorkspace.RowFor(persons, new()
        {
            ["Person - ID"] = "70",
            ["Person - Name"] = "Erika Mustermann",
            ["Person - Email - Work"] = "erika@muster.de",
            ["Person - Organization ID"] = "7",
        })), ImportEntity.Contacts);
        Assert.Equal(1, p.Inserted);
        var d = await workspace.ImportAsync(workspace.Write("deals.csv", deals + "\n" + ImportWorkspace.RowFor(deals, new()
        {
            ["Deal - ID"] = "700",
            ["Deal - Title"] = "Muster rollout",
            ["Deal - Value"] = "12.500,00",
            ["Deal - Currency of Value"] = "EUR",
            ["Deal - Organization ID"] = "7",
            ["Deal - Stage"] = "Proposal Made",
            ["Deal - Status"] = "Lost",
            ["Deal - Lost reason"] = "Budget",
            ["Deal - Deal closed on"] = "2024-03-05 14:30:00",
            ["Deal - Probability"] = "60",
        })), ImportEntity.Deals);
        Assert.Equal((1, 0), (d.Inserted, d.Failed));

        await using var db = workspace.Open();
        var account = await db.Accounts.SingleAsync();
        Assert.Equal(("muster.de", 1200, 2500000.50m), (account.Domain, account.Employees!.Value, account.AnnualRevenue!.Value));
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal(("Erika", "Mustermann", account.Id), (contact.FirstName, contact.LastName, contact.AccountId!.Value));
        var deal = await db.Deals.SingleAsync();
        Assert.Equal((12500m, "EUR", DealStatus.Lost, "Budget"), (deal.Amount, deal.Currency, deal.Status, deal.LostReason));
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 0, DateTimeKind.Utc), deal.ClosedAt);
    }

    [Theory]
    [InlineData("2005-11-09", 2005, 11, 9)]
    [InlineData("2024-01-22T16:14:25.000+0000", 2024, 1, 22)]
    [InlineData("2006-06-15T20:47:07.000Z", 2006, 6, 15)]
    [InlineData("02/23/26 08:55 PM", 2026, 2, 23)]
    [InlineData("10/20/2016", 2016, 10, 20)]
    [InlineData("31/01/2027", 2027, 1, 31)]
    [InlineData("2020-01-10 10:00", 2020, 1, 10)]
    public void DatesAreReadAsEachSourceWritesThem(string text, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), CellParser.ParseDate(text));

    [Theory]
    [InlineData("500000.0", "500000", null)]
    [InlineData("$1,234,567", "1234567", "USD")]
    [InlineData("1.234,50 €", "1234.50", "EUR")]
    [InlineData("EUR 900", "900", "EUR")]
    [InlineData("£12,000.99", "12000.99", "GBP")]
    [InlineData("1,5", "1.5", null)]
    public void MoneyIsReadWithSymbolsAndEitherSeparator(string text, string amount, string? currency) =>
        Assert.Equal((decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency), CellParser.ParseMoney(text));

    [Theory]
    [InlineData("40%", SourceFormat.HubSpot, "0.4")]
    [InlineData("0.4", SourceFormat.HubSpot, "0.4")]
    [InlineData("40", SourceFormat.Salesforce, "0.4")]
    [InlineData("100.0", SourceFormat.Salesforce, "1")]
    [InlineData("60", SourceFormat.Pipedrive, "0.6")]
    public void PercentagesAreReadAsEachSourceWritesThem(string text, SourceFormat format, string fraction) =>
        Assert.Equal(decimal.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture), CellParser.ParsePercent(text, format));
}
