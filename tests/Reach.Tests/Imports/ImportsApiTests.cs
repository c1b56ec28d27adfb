using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>POST /api/v1/imports and GET /api/v1/exports over real HTTP, on each database provider.</summary>
public abstract class ImportsApiTests(ReachServer server)
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
    public async Task CreatingASecondAccountWithATakenDomainIsAConflict()
    {
        var tag = Unique();
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "One", domain = $"one-{tag}.example" }))).StatusCode);
        var second = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Two", domain = $"https://www.one-{tag}.example/" }));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("same domain", (string)(await second.ReadObjectAsync())["detail"]!);
        _ = typeof(JsonObject);
    }
}

public sealed class ImportsApiOnSqliteTests(SqliteServer server) : ImportsApiTests(server), IClassFixture<SqliteServer>;

public sealed class ImportsApiOnPostgresTests(PostgresServer server) : ImportsApiTests(server), IClassFixture<PostgresServer>;
