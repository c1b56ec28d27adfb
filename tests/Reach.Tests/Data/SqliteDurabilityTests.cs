using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Xunit;

namespace Reach.Tests.Data;

public sealed class SqliteDurabilityTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-sqlite-").FullName;

    Reach.Data.Database Database => Reach.Data.Database.Sqlite(Path.Combine(directory, "reach.db"));

    async Task<Reach.Data.ReachDb> MigratedAsync()
    {
        var db = Database.Open();
        await Database.MigrateAsync(db, TestContext.Current.CancellationToken);
        return db;
    }

    static async Task<string> PragmaAsync(Reach.Data.ReachDb db, string pragma)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    [Fact]
    public async Task EveryConnectionCommitsDurablyInWalModeWithForeignKeys()
    {
        await using (var first = await MigratedAsync())
            Assert.Equal("wal", await PragmaAsync(first, "journal_mode"));

        await using var db = Database.Open();
        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
        Assert.Equal("2", await PragmaAsync(db, "synchronous")); // 2 = FULL
        Assert.Equal("1", await PragmaAsync(db, "foreign_keys"));
    }

    [Fact]
    public async Task SaveChangesStartsItsTransactionImmediatelySoWritersQueueInsteadOfFailing()
    {
        await using (var setup = await MigratedAsync())
        {
            setup.Accounts.Add(new Account { Name = "Seed" });
            await setup.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // A second connection holds the write lock; a deferred transaction would read first and then fail
        // with SQLITE_BUSY on upgrade. BEGIN IMMEDIATE waits for the lock instead and then succeeds.
        await using var holder = new SqliteConnection(Reach.Data.SqliteReachDb.ConnectionString(Database.Location));
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        var lockTaken = holder.BeginTransaction(deferred: false);
        await using (var write = holder.CreateCommand())
        {
            write.Transaction = lockTaken;
            write.CommandText = "UPDATE Accounts SET Name = 'Held' WHERE Name = 'Seed'";
            await write.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // SQLite calls block: each writer runs on a thread of its own.
        var writers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            await using var db = Database.Open();
            _ = await db.Accounts.CountAsync(TestContext.Current.CancellationToken);
            db.Accounts.Add(new Account { Name = $"Writer {i}" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        })).ToList();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.All(writers, w => Assert.False(w.IsCompleted, w.Exception?.ToString()));
        lockTaken.Commit();
        await Task.WhenAll(writers);

        await using var check = Database.Open();
        Assert.Equal(5, await check.Accounts.CountAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
