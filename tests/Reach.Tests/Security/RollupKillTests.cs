using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Reach.Imports;
using Reach.Metrics.Rollups;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>
/// `reach metrics refresh` killed (SIGKILL) while it writes the workspace's rollups, then run again. On PostgreSQL, where
/// a test can see the moment exactly: the child's transaction has written rows it has not committed.
/// </summary>
public sealed class RollupKillTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task ARollupBuildKilledMidWriteLeavesNoDayHalfWrittenAndTheNextRunBuildsThemAll()
    {
        _ = server.Http;
        var file = Path.Combine(Path.GetTempPath(), $"reach-rollup-kill-{Guid.NewGuid():N}.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Id,Name,Amount,StageName,CreatedDate,CloseDate");
            // A deal a day for 16 years: rollups of thousands of days, a write long enough to be caught in.
            for (var i = 0; i < 6000; i++)
            {
                var created = new DateOnly(2010, 1, 1).AddDays(i);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"R{i},Rollup deal {i},{1000 + i},{(i % 3) switch { 0 => "Closed Won", 1 => "Closed Lost", _ => "" }},{created:yyyy-MM-dd},{(i % 3 == 2 ? "" : $"{created.AddDays(1 + i % 40):yyyy-MM-dd}")}"));
            }
        }
        await using (var db = server.OpenDb())
            await Importer.RunAsync(db, file, new ImportOptions { Entity = ImportEntity.Deals });
        File.Delete(file);

        // Mid-write is while the child's transaction holds rows it wrote and has not committed (PostgreSQL shows it).
        using (var child = BackgroundJobKillTests.StartReach(server.Database!.Location, "metrics", "refresh"))
            await BackgroundJobKillTests.KillWhenAsync(child, WritingAsync, "writing the rollups");

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

    async Task<bool> WritingAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresServer.Variable)) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var writing = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @database AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()", connection);
        writing.Parameters.AddWithValue("database", new NpgsqlConnectionStringBuilder(server.Database!.Location).Database!);
        return Convert.ToInt64(await writing.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    async Task<List<string>> RollupsAsync()
    {
        await using var db = server.OpenDb();
        return [.. (await db.MetricRollups.AsNoTracking().ToListAsync())
            .Select(r => $"{r.Day:O}|{r.Measure}|{r.OwnerId}|{r.Channel}|{r.Tier}|{r.Kind}|{r.Currency}|{r.StageId}|{r.Type}|{r.Count}|{r.Amount}")
            .Order(StringComparer.Ordinal)];
    }
}
