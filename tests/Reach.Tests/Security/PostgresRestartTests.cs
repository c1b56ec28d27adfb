using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>A PostgreSQL workspace whose clients may call as often as the test does (the API's rate limit has its own test).</summary>
public sealed class UnlimitedPostgresServer : PostgresServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Reach:RateLimit:ApiPerMinute"] = "1000000";
}

/// <summary>
/// The PostgreSQL server drops every connection of the workspace while Reach serves reads and writes (what a restart of
/// the server, a failover or an administrator's <c>pg_terminate_backend</c> does to Reach). Done from a connection of the
/// test's own, as CI's role may: no root, no restart of the shared server.
/// </summary>
public sealed class PostgresRestartTests(UnlimitedPostgresServer server) : IClassFixture<UnlimitedPostgresServer>
{
    sealed record Answer(string Kind, HttpStatusCode Status, string Body, bool RetryAfter);

    /// <summary>Ends every session of the workspace's database but the caller's own; how many it ended.</summary>
    async Task<int> TerminateBackendsAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresServer.Variable)) { Pooling = false };
        var database = new NpgsqlConnectionStringBuilder(server.Database!.Location).Database;
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", connection);
        terminate.Parameters.AddWithValue("database", database!);
        return Convert.ToInt32(await terminate.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<Answer> CallAsync(string kind, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return new Answer(kind, response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task EveryConnectionDroppedUnderLoadIsAtWorstA503AndReachRecoversWithoutARestartLosingNothing()
    {
        var http = server.Http;
        var seed = await (await http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Seed Co" }))).ReadObjectAsync();
        var created = new ConcurrentDictionary<Guid, string>();
        var answers = new ConcurrentQueue<Answer>();
        using var stop = new CancellationTokenSource();

        // Four clients: two write accounts, one lists, one reads a record; each keeps one request in flight.
        async Task ClientAsync(int client)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"Load {client}-{i} {Guid.NewGuid():N}"[..24];
                var answer = client switch
                {
                    0 or 1 => await CallAsync("write", http.PostAsync("/api/v1/accounts", Json.Body(new { name }))),
                    2 => await CallAsync("list", http.GetAsync("/api/v1/accounts?limit=50")),
                    _ => await CallAsync("read", http.GetAsync($"/api/v1/accounts/{seed.Id()}")),
                };
                answers.Enqueue(answer);
                if (answer is { Kind: "write", Status: HttpStatusCode.Created })
                    created[Guid.Parse((string)System.Text.Json.Nodes.JsonNode.Parse(answer.Body)!["id"]!)] = name;
            }
        }

        // Wait for progress rather than for time: a loaded machine serves slowly, but it serves.
        async Task WaitForWritesAsync(int atLeast)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (created.Count < atLeast)
            {
                Assert.False(timeout.IsCancellationRequested, $"Writes stalled at {created.Count}: {string.Join(" | ", answers.TakeLast(5).Select(a => $"{a.Kind} {(int)a.Status} {a.Body}"))}");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }

        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(() => ClientAsync(c))).ToArray();
        var terminated = 0;
        try
        {
            await WaitForWritesAsync(10);
            for (var round = 0; round < 3; round++)
            {
                terminated += await TerminateBackendsAsync();
                // Serving goes on after each: the clients' next writes go through on fresh connections.
                await WaitForWritesAsync(created.Count + 10);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(terminated > 0, "No connection of the workspace was open to drop: the test proved nothing.");
        var failures = answers.Where(a => (int)a.Status >= 300).ToList();
        foreach (var failure in failures)
        {
            // A request caught by the drop: a 503 to try again, in words, never the database's own text.
            Assert.True(failure.Status == HttpStatusCode.ServiceUnavailable, $"{failure.Kind}: {(int)failure.Status} {failure.Body}");
            Assert.True(failure.RetryAfter, $"{failure.Kind}: a 503 without Retry-After");
            Assert.Contains("Try again in a moment", failure.Body, StringComparison.Ordinal);
            foreach (var leak in new[] { "Npgsql", "57P01", "terminating connection", "administrator command", "Exception", "   at " })
                Assert.DoesNotContain(leak, failure.Body, StringComparison.Ordinal);
        }

        // Recovered, without a restart of Reach: every kind of request answers as before.
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/api/v1/accounts", Json.Body(new { name = "After Co" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/accounts?limit=50")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/accounts/{seed.Id()}")).StatusCode);

        // Nothing acknowledged is lost: every 201 is in the database with its name.
        await using var db = server.OpenDb();
        var ids = created.Keys.ToList();
        var stored = await db.Accounts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name);
        Assert.Equal(created.Count, stored.Count);
        Assert.All(created, c => Assert.Equal(c.Value, stored[c.Key]));
        TestContext.Current.TestOutputHelper?.WriteLine($"{terminated} connections dropped; {answers.Count} requests, {failures.Count} answered 503.");
    }
}
