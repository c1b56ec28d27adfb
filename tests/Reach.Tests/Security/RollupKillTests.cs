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
/// half-written, and the next run builds the same rollups as one uninterrupted build. Each provider says how a test sees
/// the moment (<see cref="WritingAsync"/>).
/// </summary>
public abstract class RollupKillTests(ReachServer server)
{
    const int Deals = 6000;

    /// <summary>Whether a `reach` process is in the middle of writing the rollups (in a transaction it has not committed).</summary>
    protected abstract Task<bool> WritingAsync();

    protected ReachServer Server => server;

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
/// On SQLite, mid-write is while the child holds the database's write lock: a build takes it only for its one write
/// transaction (BEGIN IMMEDIATE), so a second connection that may not wait is refused it exactly then.
/// </summary>
public sealed class RollupKillOnSqliteTests(SqliteServer server) : RollupKillTests(server), IClassFixture<SqliteServer>
{
    protected override async Task<bool> WritingAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Server.Database!.Location};Pooling=False");
        await connection.OpenAsync();
        // Straight to SQLite: Microsoft.Data.Sqlite would retry a busy BEGIN until its command timeout, past a short write.
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_busy_timeout(connection.Handle, 0));
        var begun = raw.sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE");
        if (begun == raw.SQLITE_BUSY)
            return true;
        Assert.Equal(raw.SQLITE_OK, begun);
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(connection.Handle, "ROLLBACK"));
        return false;
    }
}

/// <summary>On PostgreSQL, mid-write is while the child's transaction holds rows it wrote and has not committed (it has a transaction id).</summary>
public sealed class RollupKillOnPostgresTests(PostgresServer server) : RollupKillTests(server), IClassFixture<PostgresServer>
{
    protected override async Task<bool> WritingAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresServer.Variable)) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var writing = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @database AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()", connection);
        writing.Parameters.AddWithValue("database", new NpgsqlConnectionStringBuilder(Server.Database!.Location).Database!);
        return Convert.ToInt64(await writing.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }
}
