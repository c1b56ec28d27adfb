using System.Net;
using Microsoft.EntityFrameworkCore;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>A workspace capped at a few megabytes (Reach:Limits:SqliteMegabytes): SQLite answers as on a full disk.</summary>
public sealed class FullDiskServer : SqliteServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Reach:Limits:SqliteMegabytes"] = "2";
}

public sealed class DiskFullTests(FullDiskServer server) : IClassFixture<FullDiskServer>
{
    [Fact]
    public async Task AFullDiskIsA507ProblemAndEverythingCommittedStays()
    {
        var account = await (await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Disk Co" }))).ReadObjectAsync();
        var body = string.Concat(Enumerable.Range(0, 1900).Select(i => Guid.NewGuid().ToString("N")[..10]));
        var saved = new List<Guid>();
        HttpResponseMessage? full = null;
        for (var i = 0; i < 400 && full is null; i++)
        {
            var response = await server.Http.PostAsync("/api/v1/activities", Json.Body(new { type = "note", subject = "Note " + i, body, accountId = account.Id() }));
            if (response.StatusCode == HttpStatusCode.Created)
                saved.Add((await response.ReadObjectAsync()).Id());
            else
                full = response;
        }

        Assert.NotNull(full);
        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        Assert.Equal("application/problem+json", full.Content.Headers.ContentType!.MediaType);
        var problem = await full.ReadObjectAsync();
        Assert.Contains("disk", (string)problem["detail"]!);
        Assert.DoesNotContain("SQLite", (string)problem["detail"]!);
        Assert.NotEmpty(saved);
        await using var db = server.OpenDb();
        Assert.Equal(saved.Count, await db.Activities.CountAsync(a => a.AccountId == account.Id()));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/v1/activities")).StatusCode);
    }
}
