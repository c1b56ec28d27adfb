using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Cli;
using Reach.Cli.Commands;
using Reach.Contacts;
using Reach.Deals;
using Reach.Imports;
using Xunit;

namespace Reach.Tests.Imports;

public class ImportBehaviourTests
{
    [Fact]
    public async Task AccountsDeduplicateOnTheNormalisedDomainAndContactsOnEmailWhateverItsCase()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var accounts = workspace.Write("accounts.csv", "name,domain,employees\nAcme,https://www.Acme.com/about,10\nAcme Inc,acme.com,12\nGlobex,globex.example,5\n");
        var contacts = workspace.Write("contacts.csv", "firstName,lastName,email,accountDomain\nAda,Byron,Ada@Acme.com,acme.com\nAda,Lovelace,ada@ACME.com,www.acme.com\n");

        var first = await workspace.ImportAsync(accounts, ImportEntity.Accounts);
        var people = await workspace.ImportAsync(contacts, ImportEntity.Contacts);

        Assert.Equal((2, 1, 0), (first.Inserted, first.Updated, first.Failed));
        Assert.Equal((1, 1), (people.Inserted, people.Updated));
        await using var db = workspace.Open();
        var acme = await db.Accounts.SingleAsync(a => a.Domain == "acme.com");
        Assert.Equal(("Acme Inc", 12), (acme.Name, acme.Employees!.Value));
        var ada = await db.Contacts.SingleAsync();
        Assert.Equal(("ada@acme.com", "Lovelace", acme.Id), (ada.Email, ada.LastName, ada.AccountId!.Value));
    }

    [Fact]
    public async Task ReRunningTheSameImportChangesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var accounts = workspace.Write("accounts.csv", "name,domain,annualRevenue\nAcme,acme.com,\"$1,200.50\"\nNo Domain Ltd,,7\n");
        var deals = workspace.Write("deals.csv", "externalId,name,account,amount,stage\nD1,Pilot,Acme,500,Demo\nD2,Big one,No Domain Ltd,\"1,000\",Won\n");
        await workspace.ImportAsync(accounts, ImportEntity.Accounts);
        await workspace.ImportAsync(deals, ImportEntity.Deals);
        var versions = await VersionsAsync(workspace);

        var accountsAgain = await workspace.ImportAsync(accounts, ImportEntity.Accounts);
        var dealsAgain = await workspace.ImportAsync(deals, ImportEntity.Deals);

        Assert.Equal((0, 0, 2), (accountsAgain.Inserted, accountsAgain.Updated, accountsAgain.Skipped));
        Assert.Equal((0, 0, 2), (dealsAgain.Inserted, dealsAgain.Updated, dealsAgain.Skipped));
        Assert.Equal(versions, await VersionsAsync(workspace));
        await using var db = workspace.Open();
        Assert.Equal(2, await db.DealStageChanges.CountAsync());
        Assert.Equal(1200.50m, (await db.Accounts.SingleAsync(a => a.Domain == "acme.com")).AnnualRevenue);
        Assert.Equal(DealStatus.Won, (await db.Deals.SingleAsync(d => d.ExternalId == "D2")).Status);
    }

    static async Task<string> VersionsAsync(ImportWorkspace workspace)
    {
        await using var db = workspace.Open();
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => a.Id + ":" + a.Version).ToListAsync();
        var deals = await db.Deals.OrderBy(d => d.Id).Select(d => d.Id + ":" + d.Version).ToListAsync();
        return string.Join(",", accounts.Concat(deals));
    }

    [Fact]
    public async Task BadRowsGoToTheReportAndTheGoodOnesAreImported()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var file = workspace.Write("contacts.csv",
            "First Name,Last Name,E-mail,Zone\nAda,Byron,ada@example.com,Europe/London\nBob,,not-an-email,\nCy,Young,cy@example.com,Mars/Olympus\nDee,Dee,dee@example.com,\n");
        var report = Path.Combine(workspace.Directory, "report.csv");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ImportCommand.RunAsync(new FileInfo(file),
            new ImportOptions { Entity = ImportEntity.Contacts, Map = new Dictionary<string, string> { ["E-mail"] = "email", ["Zone"] = "timeZone" } },
            new FileInfo(report), workspace.Database, output, error, CancellationToken.None);

        Assert.Equal(ExitCode.RowsRejected, exit);
        Assert.Contains("inserted 2, updated 0, skipped 0, failed 2", output.ToString());
        var lines = await File.ReadAllLinesAsync(report);
        Assert.Equal("row,column,value,reason", lines[0]);
        Assert.StartsWith("3,E-mail,not-an-email,", lines[1]);
        Assert.StartsWith("4,Zone,Mars/Olympus,The time zone 'Mars/Olympus' is not a known IANA time zone", lines[2]);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["ada@example.com", "dee@example.com"], await EmailsAsync(workspace));
    }

    static async Task<List<string?>> EmailsAsync(ImportWorkspace workspace)
    {
        await using var db = workspace.Open();
        return await db.Contacts.OrderBy(c => c.Email).Select(c => c.Email).ToListAsync();
    }

    public static TheoryData<string, byte[], string> MalformedFiles => new()
    {
        { "invalid UTF-8", [.. "name,domain\nAcme,acme.com\nCaf"u8.ToArray(), 0xE9, .. "\n"u8.ToArray()], "Line 3 is not valid utf-8" },
        { "unbalanced quotes", "name,domain\nAcme,acme.com\n\"Globex,globex.com\nInitech,initech.com\n"u8.ToArray(), "quote opened on line 3 is never closed" },
        { "no header", "Acme,acme.com,120\nGlobex,globex.com,5\n"u8.ToArray(), "no header row" },
        { "binary", [0x89, .. "PNG\r\n"u8.ToArray(), 0x1A, 0x0A, 0, 0, 0, 13], "binary" },
        { "xlsx", [.. "PK"u8.ToArray(), 3, 4, 20, 0], "ZIP archive" },
        { "empty", [], "empty" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task AMalformedFileGetsOneClearErrorAndWritesNothing(string kind, byte[] content, string message)
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var path = Path.Combine(workspace.Directory, kind + ".csv");
        await File.WriteAllBytesAsync(path, content);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ImportCommand.RunAsync(new FileInfo(path), new ImportOptions { Entity = ImportEntity.Accounts, Map = new Dictionary<string, string>() },
            null, workspace.Database, output, error, CancellationToken.None);

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains(message, error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Equal(0, await workspace.CountAsync<Account>());
    }

    [Fact]
    public async Task ExportNeutralisesFormulasAndTheExportImportsBackAsTheSameRecords()
    {
        await using var source = await ImportWorkspace.CreateAsync();
        await source.ImportAsync(source.Write("accounts.csv",
            "name,domain,employees,annualRevenue,tier,channel,lifecycle,industry\n"
            + "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",evil.example,5,10.5,A,inside,customer,\"+1 tools\"\n"
            + "'Quoted,quoted.example,,,,,,@home\nPlain \"\"Co\"\",plain.example,12,,C,field,prospect,\"Multi\nline\"\n"), ImportEntity.Accounts);
        await source.ImportAsync(source.Write("contacts.csv", "firstName,lastName,email,accountDomain,role\n-Ann,Lee,ann@evil.example,evil.example,champion\n"), ImportEntity.Contacts);
        await source.ImportAsync(source.Write("deals.csv", "name,accountDomain,amount,currency,stage,expectedClose\nTrial,plain.example,1234.56,EUR,Won,2027-01-31\n"), ImportEntity.Deals);

        var files = new Dictionary<ImportEntity, string>();
        await using (var db = source.Open())
        {
            foreach (var entity in new[] { ImportEntity.Accounts, ImportEntity.Contacts, ImportEntity.Deals })
            {
                var path = Path.Combine(source.Directory, $"export-{entity}.csv");
                await using (var stream = File.Create(path))
                    await Exporter.WriteCsvAsync(db, entity, [], stream, bom: true);
                files[entity] = path;
            }
        }
        var bytes = await File.ReadAllBytesAsync(files[ImportEntity.Accounts]);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"", text);
        Assert.Contains(",'+1 tools,", text);
        Assert.Contains(",''Quoted,", text);
        Assert.Contains(",'@home,", text);
        Assert.Contains("'-Ann", await File.ReadAllTextAsync(files[ImportEntity.Contacts]));

        await using var target = await ImportWorkspace.CreateAsync();
        foreach (var (entity, path) in files)
        {
            var summary = await target.ImportAsync(path, entity);
            Assert.Equal(("reach", 0), (summary.Format, summary.Failed));
        }
        Assert.Equal(await SnapshotAsync(source), await SnapshotAsync(target));
        // Into the workspace it came from, the export is a no-op.
        var again = await source.ImportAsync(files[ImportEntity.Accounts], ImportEntity.Accounts);
        Assert.Equal((0, 0, 3), (again.Inserted, again.Updated, again.Skipped));
    }

    static async Task<string> SnapshotAsync(ImportWorkspace workspace)
    {
        await using var db = workspace.Open();
        var accounts = await db.Accounts.OrderBy(a => a.Id).Select(a => new { a.Id, a.Name, a.Domain, a.Employees, a.AnnualRevenue, a.Tier, a.Channel, a.Lifecycle, a.Industry }).ToListAsync();
        var contacts = await db.Contacts.OrderBy(c => c.Id).Select(c => new { c.Id, c.FirstName, c.LastName, c.Email, c.AccountId, c.Role }).ToListAsync();
        var deals = await db.Deals.Include(d => d.Stage).OrderBy(d => d.Id).Select(d => new { d.Id, d.Name, d.AccountId, d.Amount, d.Currency, Stage = d.Stage!.Name, d.Status, d.ExpectedClose }).ToListAsync();
        Assert.NotEmpty(deals);
        return System.Text.Json.JsonSerializer.Serialize(new { accounts, contacts, deals });
    }

    [Fact]
    public async Task XlsxExportIsAWorkbookWithNumberCellsAndNeutralisedText()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        await workspace.ImportAsync(workspace.Write("accounts.csv", "name,domain,employees\n=1+1,calc.example,42\n"), ImportEntity.Accounts);
        using var stream = new MemoryStream();
        await using (var db = workspace.Open())
            Assert.Equal(1, await Exporter.WriteXlsxAsync(db, ImportEntity.Accounts, [], stream));

        using var zip = new ZipArchive(new MemoryStream(stream.ToArray()));
        Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("<x:t>'=1+1</x:t>", xml);
        Assert.Contains("t=\"n\"><x:v>42</x:v>", xml);
        Assert.DoesNotContain("<x:f>", xml);
    }

    [Fact]
    public async Task ADryRunReportsWhatWouldHappenAndWritesNothing()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        var deals = workspace.Write("deals.csv", "name,account,amount,stage\nA,Acme,1,Brand New Stage\n");
        await workspace.ImportAsync(workspace.Write("a.csv", "name\nAcme\n"), ImportEntity.Accounts);

        var dry = await workspace.ImportAsync(deals, ImportEntity.Deals, createStages: true, dryRun: true);

        Assert.Equal((true, 1, 0), (dry.DryRun, dry.Inserted, dry.Failed));
        Assert.Equal(0, await workspace.CountAsync<Deal>());
        await using var db = workspace.Open();
        Assert.False(await db.Stages.AnyAsync(s => s.Name == "Brand New Stage"));
    }

    [Fact]
    public async Task AStageTheWorkspaceLacksIsRejectedByNameUnlessCreateStagesIsGiven()
    {
        await using var workspace = await ImportWorkspace.CreateAsync();
        await workspace.ImportAsync(workspace.Write("a.csv", "name\nAcme\n"), ImportEntity.Accounts);
        var deals = workspace.Write("deals.csv", "name,account,amount,stage,probability\nA,Acme,1,Security Review,70%\nB,Acme,2,demo,\n");

        var strict = await workspace.ImportAsync(deals, ImportEntity.Deals);
        Assert.Equal((1, 1), (strict.Inserted, strict.Failed));
        Assert.Equal(new RejectedRow(2, "stage", "Security Review", "The pipeline 'Inside sales' has no stage 'Security Review': create it, map the row to an existing stage, or import with --create-stages."), strict.Rejected.Single());

        var lenient = await workspace.ImportAsync(deals, ImportEntity.Deals, createStages: true);
        Assert.Equal((1, 0, 1), (lenient.Inserted, lenient.Failed, lenient.Skipped));
        await using var db = workspace.Open();
        var stage = await db.Stages.SingleAsync(s => s.Name == "Security Review");
        Assert.Equal(0.7m, stage.Probability);
        Assert.Equal(2, await db.Deals.CountAsync());
        _ = typeof(Contact);
    }
}
