using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Data;

/// <summary>The one optimistic-concurrency rule the API, the edit pages and the board save through.</summary>
public abstract class RecordVersionTests(ReachServer server)
{
    [Fact]
    public async Task ASaveFromAStaleVersionWritesNothingAndACurrentOneSaves()
    {
        Guid id;
        await using (var db = server.OpenDb())
        {
            db.Actor = Actor.Operator;
            var account = new Account { Name = "Initech " + Guid.NewGuid().ToString("N")[..6] };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            id = account.Id;
        }

        await using var mine = server.OpenDb();
        mine.Actor = Actor.Operator;
        var seen = await mine.Accounts.SingleAsync(a => a.Id == id);
        var seenVersion = seen.Version;
        await using (var theirs = server.OpenDb())
        {
            theirs.Actor = Actor.Operator;
            (await theirs.Accounts.SingleAsync(a => a.Id == id)).Industry = "Theirs";
            await theirs.SaveChangesAsync();
        }

        seen.Industry = "Mine";
        Assert.False(await mine.SaveIfUnchangedAsync(seen, seenVersion, CancellationToken.None));
        await using (var check = server.OpenDb())
            Assert.Equal("Theirs", (await check.Accounts.AsNoTracking().SingleAsync(a => a.Id == id)).Industry);

        mine.ChangeTracker.Clear();
        var current = await mine.Accounts.SingleAsync(a => a.Id == id);
        current.Industry = "Mine";
        Assert.True(await mine.SaveIfUnchangedAsync(current, current.Version, CancellationToken.None));
        Assert.Equal(seenVersion + 2, current.Version);
    }
}

public sealed class RecordVersionOnSqliteTests(SqliteServer server) : RecordVersionTests(server), IClassFixture<SqliteServer>;

public sealed class RecordVersionOnPostgresTests(PostgresServer server) : RecordVersionTests(server), IClassFixture<PostgresServer>;
