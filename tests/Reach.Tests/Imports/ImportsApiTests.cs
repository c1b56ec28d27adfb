using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Audit;
using Reach.Contacts;
using Reach.Data;
using Reach.Imports;
using Reach.Tests.Infrastructure;
using Reach.Web.Imports;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>POST /api/v1/imports and GET /api/v1/exports over real HTTP, on each database provider.</summary>
public abstract partial class ImportsApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    static string Unique() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ACsvBodyIsImportedAndTheSummaryListsTheRejectedRows()
    {
        var tag = Unique();
        var body = $"Record ID,Company name,Company Domain Name,Number of Employees\n{tag}1,Alpha {tag},https://www.alpha-{tag}.example/,12\n{tag}2,Beta {tag},beta-{tag}.example,lots\n";

        var response = await Http.PostAsync("/api/v1/imports?as=accounts&format=auto", Csv(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.ReadObjectAsync();
        Assert.Equal("hubspot", (string)summary["format"]!);
        Assert.Equal((1, 1), ((int)summary["inserted"]!, (int)summary["failed"]!));
        var rejected = summary["rejected"]!.AsArray().Single()!.AsObject();
        Assert.Equal((3, "Number of Employees", "lots"), ((int)rejected["row"]!, (string)rejected["column"]!, (string)rejected["value"]!));
        await using var db = server.OpenDb();
        var alpha = await db.Accounts.SingleAsync(a => a.Domain == $"alpha-{tag}.example");
        Assert.Equal((12, "hubspot", $"{tag}1"), (alpha.Employees!.Value, alpha.ExternalSource, alpha.ExternalId));

        var again = await (await Http.PostAsync("/api/v1/imports?as=accounts", Csv(body))).ReadObjectAsync();
        Assert.Equal((0, 1), ((int)again["inserted"]!, (int)again["skipped"]!));
    }

    [Fact]
    public async Task SalesforceOpportunityHistoryRebuildsADealsStageLogAndReRunningChangesNothing()
    {
        var tag = Unique();
        var opportunities = $"Id,Name,StageName,Amount,CloseDate,CreatedDate,IsClosed,IsWon\n006{tag},Expansion {tag},Closed Won,12000,2024-03-20,2024-01-10T09:00:00.000Z,true,true\n";
        var created = await (await Http.PostAsync("/api/v1/imports?as=deals", Csv(opportunities))).ReadObjectAsync();
        Assert.Equal(1, (int)created["inserted"]!);
        // OpportunityHistory's own columns: a snapshot of the opportunity at each change.
        var history = "Id,OpportunityId,CreatedById,CreatedDate,StageName,Amount,ExpectedRevenue,CloseDate,Probability,ForecastCategory,IsDeleted\n"
            + $"008{tag}1,006{tag},005X,2024-01-10T09:00:00.000Z,Prospecting,10000,1000,2024-03-20,10,Pipeline,false\n"
            + $"008{tag}2,006{tag},005X,2024-01-25T10:00:00.000Z,Qualification,10000,2000,2024-03-20,20,Pipeline,false\n"
            + $"008{tag}3,006{tag},005X,2024-03-18T15:00:00.000Z,Closed Won,12000,12000,2024-03-20,100,Closed,false\n";

        var response = await Http.PostAsync("/api/v1/imports?as=history", Csv(history));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = await response.ReadObjectAsync();
        Assert.Equal(("salesforce", 1, 0), ((string)first["format"]!, (int)first["inserted"]!, (int)first["failed"]!));
        Assert.Equal(2, (int)first["updated"]! + (int)first["skipped"]!);
        await using (var db = server.OpenDb())
        {
            var deal = await db.Deals.SingleAsync(d => d.ExternalId == $"006{tag}");
            var log = await db.DealStageChanges.Where(c => c.DealId == deal.Id).Join(db.Stages, c => c.ToStageId, s => s.Id, (c, s) => new { s.Name, c.At })
                .OrderBy(x => x.At).ToListAsync();
            Assert.Equal(["Prospecting", "Qualification", "Won"], log.Select(x => x.Name));
            Assert.Equal([new DateTime(2024, 1, 10, 9, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 25, 10, 0, 0, DateTimeKind.Utc), new DateTime(2024, 3, 18, 15, 0, 0, DateTimeKind.Utc)],
                log.Select(x => x.At));
        }

        var again = await (await Http.PostAsync("/api/v1/imports?as=history", Csv(history))).ReadObjectAsync();
        Assert.Equal((0, 0, 3, 0), ((int)again["inserted"]!, (int)again["updated"]!, (int)again["skipped"]!, (int)again["failed"]!));
    }

    [Fact]
    public async Task AMultipartDryRunWritesNothing()
    {
        var tag = Unique();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"name,domain\nGamma {tag},gamma-{tag}.example\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "accounts.csv");

        var response = await Http.PostAsync("/api/v1/imports?as=accounts&dryRun=true", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.ReadObjectAsync();
        Assert.Equal((true, 1, "csv"), ((bool)summary["dryRun"]!, (int)summary["inserted"]!, (string)summary["format"]!));
        await using var db = server.OpenDb();
        Assert.False(await db.Accounts.AnyAsync(a => a.Domain == $"gamma-{tag}.example"));
    }

    [Fact]
    public async Task AMalformedFileIsAProblemNamingTheRowAndNothingIsWritten()
    {
        var tag = Unique();
        var response = await Http.PostAsync("/api/v1/imports?as=accounts", Csv($"name,domain\nDelta {tag},delta-{tag}.example\n\"Broken,broken.example\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.ReadObjectAsync();
        var message = (string)problem["errors"]!["body"]![0]!;
        Assert.Contains("row 3", message);
        Assert.Contains("never closed", message);
        await using var db = server.OpenDb();
        Assert.False(await db.Accounts.AnyAsync(a => a.Domain == $"delta-{tag}.example"));

        var wrongMap = await Http.PostAsync("/api/v1/imports?as=accounts&map=Nope%3Dname", Csv("name\nX\n"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongMap.StatusCode);
        Assert.True((await wrongMap.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("Nope"));
        var wrongEntity = await Http.PostAsync("/api/v1/imports?as=widgets", Csv("name\nX\n"));
        Assert.True((await wrongEntity.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("as"));
        var wrongType = await Http.PostAsync("/api/v1/imports?as=accounts", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task ExportsStreamCsvWithNeutralisedCellsAndXlsx()
    {
        var tag = Unique();
        await Http.PostAsync("/api/v1/imports?as=accounts", Csv($"name,domain,industry\n\"=SUM(A1:A2) {tag}\",eps-{tag}.example,Tools\n"));

        var csv = await Http.GetAsync($"/api/v1/exports/accounts?filter=domain=eps-{tag}.example");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,name,domain,employees,annualRevenue,industry,region,tier,channel,lifecycle,owner,externalSource,externalId", lines[0]);
        Assert.Equal(2, lines.Length);
        // Imported over the API, the account is owned by the caller (the test server's admin).
        Assert.Contains($",'=SUM(A1:A2) {tag},eps-{tag}.example,,,Tools,,,,prospect,admin-", lines[1]);

        var xlsx = await Http.GetAsync("/api/v1/exports/accounts?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);

        var badFilter = await Http.GetAsync("/api/v1/exports/accounts?filter=colour=red");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.True((await badFilter.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("filter"));
    }

    [Fact]
    public async Task AListsExportKeepsItsSearchAndOnlyTheRepsOwnRecords()
    {
        _ = Http; // skips when the provider is unavailable
        var tag = Unique();
        var (rep, token) = await server.AddUserAsync(UserRole.Rep, "Export Rep");
        await using (var db = server.OpenDb())
        {
            db.Contacts.AddRange(
                new Contact { FirstName = "Zed", LastName = "Own" + tag, OwnerId = rep.Id },
                new Contact { FirstName = "Yan", LastName = "Own" + tag, OwnerId = rep.Id },
                new Contact { FirstName = "Xi", LastName = "Other" + tag, OwnerId = (await db.Users.FirstAsync(u => u.Role == UserRole.Admin)).Id });
            await db.SaveChangesAsync();
        }
        using var asRep = server.NewClient(token);

        static async Task<List<string>> NamesAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            return [.. lines.Skip(1).Select(l => l.Split(',')[2]).Order()];
        }

        Assert.Equal(["Yan", "Zed"], await NamesAsync(await asRep.GetAsync($"/api/v1/exports/contacts?q={tag}")));
        Assert.Equal(["Zed"], await NamesAsync(await asRep.GetAsync($"/api/v1/exports/contacts?q=zed&filter=lastName=own{tag}")));
        Assert.Equal(["Xi", "Yan", "Zed"], await NamesAsync(await Http.GetAsync($"/api/v1/exports/contacts?q={tag}")));

        var badStatus = await Http.GetAsync("/api/v1/exports/deals?status=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("open, won, lost", (string)(await badStatus.ReadObjectAsync())["errors"]!["status"]![0]!, StringComparison.Ordinal);

        // The lists' export buttons' address, for signed-in users only.
        using var anonymous = server.NewClient();
        var signedOut = await anonymous.GetAsync($"/exports/contacts?q={tag}");
        Assert.NotEqual("text/csv", signedOut.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/sign-in", signedOut.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed", await signedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewContactsAreWrittenInBulkWithOneAuditEntryPerBatchNamingEachAndAReRunChangesNothing()
    {
        _ = Http; // skips when the provider is unavailable
        var tag = Unique();
        var file = Path.Combine(Path.GetTempPath(), $"bulk-{tag}.csv");
        var lines = new List<string> { "First Name,Last Name,Email,Job Title,Phone Number" };
        lines.AddRange(Enumerable.Range(0, 25).Select(i => $"Ann{i},Lee {tag},ann{i}-{tag}@example.org,\"Director, Ops\",{(i == 3 ? "" : $"+1 555 {i:0000}")}"));
        lines.Add($"Ann3,Lee {tag},ANN3-{tag}@example.org,,+1 555 9999"); // the file's own duplicate, in a later batch: it adds the phone
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        var options = new ImportOptions { Entity = ImportEntity.Contacts, BatchSize = 10 };

        ImportSummary first, again;
        await using (var db = server.OpenDb())
            first = await Importer.RunAsync(db, file, options, cancellationToken: TestContext.Current.CancellationToken);
        await using (var db = server.OpenDb())
            again = await Importer.RunAsync(db, file, options, cancellationToken: TestContext.Current.CancellationToken);
        File.Delete(file);

        Assert.Equal((25, 1, 0), (first.Inserted, first.Updated, first.Failed));
        Assert.Equal((0, 0, 26), (again.Inserted, again.Updated, again.Skipped));
        await using var check = server.OpenDb();
        var contacts = await check.Contacts.Where(c => c.LastName == $"Lee {tag}").OrderBy(c => c.Email).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(25, contacts.Count);
        var ann3 = contacts.Single(c => c.Email == $"ann3-{tag}@example.org");
        Assert.Equal(("Ann3", "Director, Ops", "+1 555 9999", 2L), (ann3.FirstName, ann3.Title, ann3.Phone, ann3.Version));
        Assert.All(contacts, c => Assert.True(c.UpdatedAt >= c.CreatedAt && c.CreatedAt > DateTime.MinValue));
        // An entry per batch that inserted (a batch retried row by row after its duplicate gives one per row), each
        // naming its contacts: every contact in exactly one.
        var ids = contacts.Select(c => c.Id.ToString()).ToHashSet();
        var entries = (await check.AuditEntries.Where(e => e.EntityType == "contact" && e.Action == AuditAction.Create).ToListAsync(TestContext.Current.CancellationToken))
            .Where(e => e.Changes.Contains($"bulk-{tag}.csv", StringComparison.Ordinal)).ToList();
        Assert.InRange(entries.Count, 3, 7);
        var named = entries.SelectMany(e => System.Text.Json.Nodes.JsonNode.Parse(e.Changes)!["import"]!["after"]!["ids"]!.AsArray().Select(id => (string)id!)).ToList();
        Assert.Equal(ids.Order(), named.Order());
    }

    [Fact]
    public async Task TheImportPageShowsItsAdminAOneTimeLinkForEachUserAnImportOfUsersInvited()
    {
        _ = Http;
        var tag = Unique();
        const string password = "violet tractor under the lamp";
        var (admin, _) = await server.AddUserAsync(UserRole.Admin, $"Importing Admin {tag}", password: password);
        var jobs = server.Services.GetRequiredService<ImportJobs>();
        using var content = new MemoryStream(Encoding.UTF8.GetBytes($"name,email,team\nUma {tag},uma-{tag}@example.org,East {tag}\nVic {tag},,East {tag}\n"));
        var job = await jobs.StageAsync(Actor.For(admin), ImportEntity.Users, null, "team.csv", content, default);
        Assert.True(jobs.Start(job, new ImportOptions { Entity = ImportEntity.Users }));
        for (var i = 0; i < 600 && job.State != ImportState.Finished; i++)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(ImportState.Finished, job.State);

        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var signIn = await browser.GetStringAsync("/sign-in");
        using (var form = new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryToken().Match(signIn).Groups[1].Value), new("email", admin.Email!), new("password", password)]))
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/sign-in", form)).StatusCode);
        var page = await browser.GetStringAsync($"/Imports/{job.Id}");
        var again = await browser.GetStringAsync($"/Imports/{job.Id}");

        await using var db = server.OpenDb();
        var uma = await db.Users.SingleAsync(u => u.Email == $"uma-{tag}@example.org");
        var link = LinkOf(uma.Id).Match(page);
        Assert.True(link.Success, page);
        Assert.Equal(link.Value, LinkOf(uma.Id).Match(again).Value); // made once, shown from the job
        Assert.DoesNotContain($"Vic {tag} &lt;", page, StringComparison.Ordinal); // no e-mail: no link to send
        Assert.Null(await db.Users.Where(u => u.Id == uma.Id).Select(u => u.PasswordHash).SingleAsync());
    }

    static Regex LinkOf(Guid user) => new($"/invite\\?user={user}&amp;token=[^\"]+");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task ASavedMappingMapsAndIgnoresColumnsOfAnImport()
    {
        var tag = Unique();
        await using (var db = server.OpenDb())
            await ImportMapping.SaveAsync(db, "Partner list " + tag, ImportEntity.Contacts, SourceFormat.Csv,
                new Dictionary<string, string> { ["Vorname"] = "firstName", ["Mail"] = "email", ["Zone"] = "timeZone", ["email"] = ColumnPlan.Ignore }, default);
        var body = $"Vorname,Mail,Zone,email\nAnna,anna-{tag}@example.org,Europe/Paris,wrong-{tag}@example.org\n";

        var summary = await (await Http.PostAsync($"/api/v1/imports?as=contacts&mapping={Uri.EscapeDataString("partner LIST " + tag)}", Csv(body))).ReadObjectAsync();

        Assert.Equal((1, 0), ((int)summary["inserted"]!, (int)summary["failed"]!));
        Assert.Equal(["email"], summary["ignoredColumns"]!.AsArray().Select(c => (string)c!));
        await using (var db = server.OpenDb())
            Assert.Equal(("Anna", "Europe/Paris"), await db.Contacts.Where(c => c.Email == $"anna-{tag}@example.org").Select(c => new { c.FirstName, c.TimeZone }).AsAsyncEnumerable().Select(c => (c.FirstName, c.TimeZone)).SingleAsync());

        var unknown = await Http.PostAsync("/api/v1/imports?as=contacts&mapping=nope", Csv(body));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains($"'Partner list {tag}'", (await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebImportIsSeenOnlyByItsUserRunsInTheBackgroundAndDropsItsUpload()
    {
        _ = Http; // skips when the provider is unavailable
        var tag = Unique();
        var (owner, _) = await server.AddUserAsync(UserRole.Rep, "Uploader");
        var (other, _) = await server.AddUserAsync(UserRole.Rep, "Onlooker");
        var jobs = server.Services.GetRequiredService<ImportJobs>();
        var actor = Actor.For(owner);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes($"given,email\nIda,ida-{tag}@example.org\n"));

        var job = await jobs.StageAsync(actor, ImportEntity.Contacts, null, "people.csv", content, default);

        Assert.Equal((SourceFormat.Csv, 1), (job.Detected, job.Rows));
        Assert.Null(jobs.Find(job.Id, Actor.For(other)));
        Assert.Same(job, jobs.Find(job.Id, actor));
        Assert.True(jobs.Start(job, new ImportOptions { Entity = ImportEntity.Contacts, Map = new Dictionary<string, string> { ["given"] = "firstName" } }));
        for (var i = 0; i < 200 && job.State != ImportState.Finished; i++)
            await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.Equal(ImportState.Finished, job.State);
        Assert.Equal(1, job.Summary!.Inserted);
        Assert.False(File.Exists(job.UploadPath));
        Assert.False(jobs.Start(job, job.Options!));
        await using var db = server.OpenDb();
        Assert.Equal(owner.Id, (await db.Contacts.SingleAsync(c => c.Email == $"ida-{tag}@example.org")).OwnerId);
    }

    [Fact]
    public async Task AnUnreadableUploadIsRefusedAndNotKept()
    {
        _ = Http; // skips when the provider is unavailable
        var (owner, _) = await server.AddUserAsync(UserRole.Rep, "Uploader");
        var jobs = server.Services.GetRequiredService<ImportJobs>();
        using var content = new MemoryStream([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => jobs.StageAsync(Actor.For(owner), ImportEntity.Contacts, null, "book.xlsx", content, default));

        Assert.Contains("ZIP archive", error.Message, StringComparison.Ordinal);
        Assert.Empty(jobs.Of(Actor.For(owner)));
    }

    [Fact]
    public async Task CreatingASecondAccountWithATakenDomainIsAConflict()
    {
        var tag = Unique();
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "One", domain = $"one-{tag}.example" }))).StatusCode);
        var second = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Two", domain = $"https://www.one-{tag}.example/" }));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("same domain", (string)(await second.ReadObjectAsync())["detail"]!);
        _ = typeof(JsonObject);
    }

    [Fact]
    public async Task SavedMappingsAreListedRenamedAndDeletedByTheirAuthorOnly()
    {
        var (_, ritaToken) = await server.AddUserAsync(UserRole.Rep, "Rita");
        var (_, raviToken) = await server.AddUserAsync(UserRole.Rep, "Ravi");
        using var rita = server.NewClient(ritaToken);
        using var ravi = server.NewClient(raviToken);
        var name = $"Partner list {Unique()}";

        var created = await rita.PostAsync("/api/v1/import-mappings", Json.Body(new { name, entity = "contacts", format = "csv", map = new Dictionary<string, string> { ["E-Mail"] = "email", ["Notes"] = "-" } }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var mapping = await created.ReadObjectAsync();
        Assert.Equal("email", (string)mapping["map"]!["E-Mail"]!);
        Assert.Null(mapping["columns"]);

        // Everyone reads it; only Rita changes it.
        var listed = await (await ravi.GetAsync("/api/v1/import-mappings?entity=contacts")).ReadObjectAsync();
        Assert.Contains(listed["items"]!.AsArray(), m => (string)m!["name"]! == name);
        Assert.Equal(HttpStatusCode.Forbidden, (await ravi.PatchAsync($"/api/v1/import-mappings/{mapping.Id()}", new { name = "Mine now" })).StatusCode);

        // Bad input names the field: a field the entity doesn't have, a name another mapping has.
        var badField = await rita.PatchAsync($"/api/v1/import-mappings/{mapping.Id()}", new { map = new Dictionary<string, string> { ["E-Mail"] = "emial" } });
        Assert.Equal(HttpStatusCode.BadRequest, badField.StatusCode);
        Assert.Contains("'emial' is not a field of contacts", (string)(await badField.ReadObjectAsync())["errors"]!["map.E-Mail"]![0]!, StringComparison.Ordinal);
        var other = await (await rita.PostAsync("/api/v1/import-mappings", Json.Body(new { name = name + " B", entity = "contacts", map = new Dictionary<string, string>() }))).ReadObjectAsync();
        var clash = await rita.PatchAsync($"/api/v1/import-mappings/{other.Id()}", new { name });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.True((await clash.ReadObjectAsync())["errors"]!["name"] is not null);

        var renamed = await rita.PatchAsync($"/api/v1/import-mappings/{mapping.Id()}", new { name = name + " (2027)" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await rita.DeleteAsync($"/api/v1/import-mappings/{mapping.Id()}")).StatusCode);
        var after = await (await ravi.GetAsync("/api/v1/import-mappings?entity=contacts")).ReadObjectAsync();
        Assert.DoesNotContain(after["items"]!.AsArray(), m => ((string)m!["name"]!).StartsWith(name + " (", StringComparison.Ordinal));

        // Saving the deleted one's name again (the web import's "save as") brings it back with the new columns.
        await using var db = server.OpenDb();
        await ImportMapping.SaveAsync(db, name + " (2027)", ImportEntity.Contacts, SourceFormat.Csv, new Dictionary<string, string> { ["Mail"] = "email" }, TestContext.Current.CancellationToken);
        var back = await db.ImportMappings.SingleAsync(m => m.Id == mapping.Id(), TestContext.Current.CancellationToken);
        Assert.Equal("email", back.Map["Mail"]);
    }
}

public sealed class ImportsApiOnSqliteTests(SqliteServer server) : ImportsApiTests(server), IClassFixture<SqliteServer>;

public sealed class ImportsApiOnPostgresTests(PostgresServer server) : ImportsApiTests(server), IClassFixture<PostgresServer>;
