using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>
/// A SQLite workspace locked by another program (a backup tool, sqlite3 with a transaction open). The lock is
/// SQLite's file lock, taken here by a connection of the test's own: the same lock another process takes.
/// </summary>
public sealed class LockedDatabaseTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    static async Task<SqliteConnection> LockAsync(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task AWriteWaitsForAnotherProgramsLockAndIsSavedWhenItEnds()
    {
        var name = "Waited Co " + Guid.NewGuid().ToString("N")[..6];
        var locker = await LockAsync(server.Database!.Location);
        Task<HttpResponseMessage> write;
        try
        {
            write = server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name }));
            // Still held: the write waits (SQLite's busy timeout) rather than failing.
            await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(1)));
            Assert.False(write.IsCompleted && (await write).StatusCode != HttpStatusCode.Created, "A write during a short lock must wait, not fail.");
        }
        finally
        {
            await locker.DisposeAsync();
        }

        var response = await write;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = server.OpenDb();
        Assert.Equal(1, await db.Accounts.CountAsync(a => a.Name == name));
    }

    [Fact]
    public async Task ALockHeldPastTheBusyTimeoutIsA503ToTryAgainAndSavesNothing()
    {
        var name = "Refused Co " + Guid.NewGuid().ToString("N")[..6];
        HttpResponseMessage refused;
        await using (await LockAsync(server.Database!.Location))
            refused = await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        var detail = (string)(await refused.ReadObjectAsync())["detail"]!;
        Assert.Contains("another program", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", detail, StringComparison.OrdinalIgnoreCase);
        await using (var db = server.OpenDb())
            Assert.Equal(0, await db.Accounts.CountAsync(a => a.Name == name));

        // Once the other program lets go, the same request goes through.
        Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name }))).StatusCode);
    }
}
