using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Cli;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Access;

/// <summary>
/// The server keeps what a token resolved to and the records read between calls (<c>ReadCache</c>), and none of it
/// outlives a change: a token revoked, a user disabled or moved to another team, a record edited counts from the very
/// next call, whoever made the change — the API, the CLI (another connection, as from another process) or anything
/// else writing to the workspace.
/// </summary>
public abstract class ReadCacheTests(ReachServer server)
{
    static async Task<JsonObject> CreateAsync(HttpClient http, string resource, object body)
    {
        var response = await http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    async Task<(int Exit, string Error)> ReachAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var database = server.Database!;
        string[] where = database.Provider == DatabaseProvider.Sqlite ? ["--db", database.Location] : ["--postgres", database.Location];
        var exit = await ReachCommand.RunAsync([.. args, .. where], new InvocationConfiguration { Output = output, Error = error });
        return (exit, error.ToString());
    }

    [Fact]
    public async Task ATokenRevokedAtTheConsoleStopsWorkingOnTheVeryNextCall()
    {
        var (_, ritaToken) = await server.AddUserAsync(UserRole.Rep, "Rita");
        using var rita = server.NewClient(ritaToken);
        var created = await CreateAsync(rita, "tokens", new { name = "script", scope = "read", expiresInDays = 30 });
        using var script = server.NewClient((string)created["token"]!);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/me")).StatusCode);

        var (exit, error) = await ReachAsync("token", "revoke", created.Id().ToString());
        Assert.True(exit == 0, error);
        var after = await script.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", (string)(await after.ReadObjectAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.OK, (await rita.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task AUserMovedIntoAManagersTeamOrDisabledCountsFromTheNextCall()
    {
        var north = $"Cache North {Guid.NewGuid():N}";
        var (_, miaToken) = await server.AddUserAsync(UserRole.Manager, "Mia", north);
        var (rob, robToken) = await server.AddUserAsync(UserRole.Rep, "Rob", $"Cache South {Guid.NewGuid():N}");
        using var mia = server.NewClient(miaToken);
        using var robClient = server.NewClient(robToken);
        var account = await CreateAsync(robClient, "accounts", new { name = "Cache Co " + Guid.NewGuid().ToString("N")[..6] });
        var deal = await CreateAsync(robClient, "deals", new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" });
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await mia.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);

        // Another connection, as the CLI or a second server would write it.
        await using (var db = server.OpenDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == rob.Id);
            user.TeamId = (await db.Teams.SingleAsync(t => t.Name == north)).Id;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await mia.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await robClient.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        await using (var db = server.OpenDb())
        {
            var user = await db.Users.SingleAsync(u => u.Id == rob.Id);
            user.IsActive = false;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await robClient.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
    }

    [Fact]
    public async Task ARecordReadAgainShowsEveryChangeSinceWhoeverMadeIt()
    {
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rhea");
        using var rep = server.NewClient(repToken);
        var account = await CreateAsync(rep, "accounts", new { name = "Cache Read Co " + Guid.NewGuid().ToString("N")[..6] });
        var deal = await CreateAsync(rep, "deals", new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" });
        for (var i = 0; i < 3; i++)
            Assert.Equal("\"1\"", (await rep.GetAsync($"/api/v1/deals/{deal.Id()}")).Headers.ETag!.Tag);

        var patched = await rep.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = 2000 });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var afterApi = await rep.GetAsync($"/api/v1/deals/{deal.Id()}");
        Assert.Equal("\"2\"", afterApi.Headers.ETag!.Tag);
        Assert.Equal(2000m, (decimal)(await afterApi.ReadObjectAsync())["amount"]!);

        // Another connection, as the CLI or a second server would write it.
        await using (var db = server.OpenDb())
        {
            var stored = await db.Deals.SingleAsync(d => d.Id == deal.Id());
            stored.Amount = 3000;
            await db.SaveChangesAsync();
        }
        var afterOther = await rep.GetAsync($"/api/v1/deals/{deal.Id()}");
        Assert.Equal("\"3\"", afterOther.Headers.ETag!.Tag);
        Assert.Equal(3000m, (decimal)(await afterOther.ReadObjectAsync())["amount"]!);
    }
}

public sealed class ReadCacheOnSqliteTests(SqliteServer server) : ReadCacheTests(server), IClassFixture<SqliteServer>;

public sealed class ReadCacheOnPostgresTests(PostgresServer server) : ReadCacheTests(server), IClassFixture<PostgresServer>;
