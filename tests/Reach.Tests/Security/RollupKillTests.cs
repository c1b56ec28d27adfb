using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Reach.Imports;
using Reach.Metrics.Rollups;
using Reach.Tests.Infrastructure;
using SQLitePCL;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>
/// `reach metrics refresh` killed (SIGKILL) while it writes the workspace's rollups, then run again: no day is left
/// half-written, and the next run builds the same rollups as one uninterrupted build. Each provider says which write
/// transaction is open (<see cref="OpenWriteAsync"/>); the kill waits until the same one has been seen open for
/// <see cref="Looks"/> looks in a row, so it lands deep in a long write (the build's rows), not in a short statement
/// before it: a build that committed its first statements on their own would leave them behind and fail here.
/// </summary>
public abstract class RollupKillTests(ReachServer server)
{
    const int Deals = 6000;
    const int Looks = 20;
    (string? Write, int Seen) looked;

    /// <summary>What tells apart the write transaction open in the workspace now (uncommitted), or null when none is.</summary>
    protected abstract Task<string?> OpenWriteAsync();

    protected ReachServer Server => server;

    async Task<bool> WritingAsync()
    {
        var write = await OpenWriteAsync();
        looked = write is null ? (null, 0) : (write, write == looked.Write ? looked.Seen + 1 : 1);
        return looked.Seen >= Looks;
    }

    [Fact]
    public async Task ARollupBuildKilledMidWriteLeavesNoDayHalfWrittenAndTheNextRunBuildsThemAll()
    {
        _ = server.Http;
        var deals = 0;
        for (var more = Deals; ; more *= 4)
        {
            await ImportDealsAsync(deals, more);
            deals += more;
            using var child = BackgroundJobKillTests.StartReach(server.Database!.Location, "metrics", "refresh");
            if (await BackgroundJobKillTests.KilledWhenAsync(child, WritingAsync, "writing the rollups"))
                break;
            // The build ended before the kill reached it (a fast build, or a poll slowed by a busy machine): never
            // built again, with more deals and so a longer write.
            Assert.True(deals < 5 * Deals, $"A rollup build over {deals:N0} deals ended before it could be killed.");
            await ForgetTheBuildAsync();
        }

        await using (var db = server.OpenDb())
        {
            Assert.Equal(0, await db.MetricRollups.CountAsync());
            Assert.False(await db.MetricRollupDays.AnyAsync(d => d.Built != 0 || d.Day == RollupDays.BuiltMarker), "A rollup day was left built by the killed run.");
        }

        using (var rerun = BackgroundJobKillTests.StartReach(server.Database!.Location, "metrics", "refresh"))
        {
            var error = rerun.StandardError.ReadToEndAsync();
            await rerun.StandardOutput.ReadToEndAsync();
            await rerun.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(rerun.ExitCode == 0, await error);
        }
        var afterRerun = await RollupsAsync();
        Assert.NotEmpty(afterRerun);
        await using (var db = server.OpenDb())
            Assert.Equal(0, await db.MetricRollupDays.CountAsync(d => d.Built != d.Version));

        // The same rollups as one uninterrupted build.
        await using (var db = server.OpenDb())
        {
            await db.MetricRollupDays.Where(d => d.Day == RollupDays.BuiltMarker).ExecuteDeleteAsync();
            Assert.True((await RollupRefresh.RunAsync(db)).Built);
        }
        Assert.Equal(afterRerun, await RollupsAsync());
    }

    // A deal a day, going back from mid-2026: rollups of thousands of days, a write long enough to be caught in.
    async Task ImportDealsAsync(int from, int count)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reach-rollup-kill-{Guid.NewGuid():N}.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Id,Name,Amount,StageName,CreatedDate,CloseDate");
            for (var i = from; i < from + count; i++)
            {
                var created = new DateOnly(2026, 6, 1).AddDays(-i);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"R{i},Rollup deal {i},{1000 + i},{(i % 3) switch { 0 => "Closed Won", 1 => "Closed Lost", _ => "" }},{created:yyyy-MM-dd},{(i % 3 == 2 ? "" : $"{created.AddDays(1 + i % 40):yyyy-MM-dd}")}"));
            }
        }
        try
        {
            await using var db = server.OpenDb();
            await Importer.RunAsync(db, file, new ImportOptions { Entity = ImportEntity.Deals });
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Back to a workspace whose rollups were never built: every day stale, no marker.
    async Task ForgetTheBuildAsync()
    {
        await using var db = server.OpenDb();
        await db.MetricRollups.ExecuteDeleteAsync();
        await db.MetricRollupDays.Where(d => d.Day == RollupDays.BuiltMarker).ExecuteDeleteAsync();
        await db.MetricRollupDays.ExecuteUpdateAsync(s => s.SetProperty(d => d.Built, 0).SetProperty(d => d.TouchesUntil, (DateTime?)null));
    }

    async Task<List<string>> RollupsAsync()
    {
        await using var db = server.OpenDb();
        return [.. (await db.MetricRollups.AsNoTracking().ToListAsync())
            .Select(r => $"{r.Day:O}|{r.Measure}|{r.OwnerId}|{r.Channel}|{r.Tier}|{r.Kind}|{r.Currency}|{r.StageId}|{r.Type}|{r.Count}|{r.Amount}")
            .Order(StringComparer.Ordinal)];
    }
}

/// <summary>
/// On SQLite, a write is open while a connection that may not wait is refused the write lock (the build's writes are one
/// BEGIN IMMEDIATE transaction); it is the same one while nothing was committed since (<c>PRAGMA data_version</c>).
/// </summary>
public sealed class RollupKillOnSqliteTests(SqliteServer server) : RollupKillTests(server), IClassFixture<SqliteServer>, IAsyncDisposable
{
    SqliteConnection? probe;

    protected override async Task<string?> OpenWriteAsync()
    {
        if (probe is null)
        {
            probe = new SqliteConnection($"Data Source={Server.Database!.Location};Pooling=False");
            await probe.OpenAsync();
            // Straight to SQLite: Microsoft.Data.Sqlite would retry a busy BEGIN until its command timeout, past a short write.
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_busy_timeout(probe.Handle, 0));
        }
        await using var version = probe.CreateCommand();
        version.CommandText = "PRAGMA data_version";
        var committed = Convert.ToString(await version.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var begun = raw.sqlite3_exec(probe.Handle, "BEGIN IMMEDIATE");
        if (begun == raw.SQLITE_BUSY)
            return committed;
        Assert.Equal(raw.SQLITE_OK, begun);
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(probe.Handle, "ROLLBACK"));
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (probe is not null)
            await probe.DisposeAsync();
    }
}

/// <summary>On PostgreSQL, a write is open while a session of the workspace's database has a transaction id (it wrote and has not committed).</summary>
public sealed class RollupKillOnPostgresTests(PostgresServer server) : RollupKillTests(server), IClassFixture<PostgresServer>
{
    protected override async Task<string?> OpenWriteAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresServer.Variable)) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var writing = new NpgsqlCommand(
            "SELECT min(backend_xid::text) FROM pg_stat_activity WHERE datname = @database AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()", connection);
        writing.Parameters.AddWithValue("database", new NpgsqlConnectionStringBuilder(Server.Database!.Location).Database!);
        return await writing.ExecuteScalarAsync() as string;
    }
}
