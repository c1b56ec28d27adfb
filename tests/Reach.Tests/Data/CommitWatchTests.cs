using Microsoft.Data.Sqlite;
using Reach.Data;
using Xunit;

namespace Reach.Tests.Data;

/// <summary>
/// The read cache's signal (<see cref="CommitWatch"/>): callers at the same time use watch connections of their own, and
/// a commit by any other connection still changes the mark every one of them gets next.
/// </summary>
public sealed class CommitWatchTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-commit-watch-").FullName;

    string File => Path.Combine(directory, "reach.db");

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    // Many callers at once, as API calls take their marks: several watch connections are in use.
    static async Task<long[]> MarksAtOnceAsync(CommitWatch watch) =>
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => watch.Mark()!.Value, TestContext.Current.CancellationToken)));

    [Fact]
    public async Task EveryMarkTakenAfterACommitDiffersFromEveryMarkTakenBefore()
    {
        await ExecuteAsync("PRAGMA journal_mode=WAL; CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT);");
        using var watch = new CommitWatch(Database.Sqlite(File));

        for (var commit = 0; commit < 5; commit++)
        {
            var before = await MarksAtOnceAsync(watch);
            await ExecuteAsync($"INSERT INTO Notes (Text) VALUES ('note {commit}');");
            var after = await MarksAtOnceAsync(watch);

            Assert.Empty(after.Intersect(before));
        }
    }

    [Fact]
    public async Task WithoutACommitTheMarkStaysTheSame()
    {
        await ExecuteAsync("PRAGMA journal_mode=WAL; CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT);");
        using var watch = new CommitWatch(Database.Sqlite(File));
        var first = watch.Mark();

        Assert.NotNull(first);
        Assert.Equal(first, watch.Mark());
        await ExecuteAsync("INSERT INTO Notes (Text) VALUES ('note');");
        Assert.NotEqual(first, watch.Mark());
    }

    [Fact]
    public void OnPostgresNothingCanBeTold() =>
        Assert.Null(new CommitWatch(Database.Postgres("Host=127.0.0.1;Database=none")).Mark());

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
