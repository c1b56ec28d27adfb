using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Reach.Cli;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Data;

/// <summary><c>reach backup</c> of a running SQLite workspace and <c>reach restore</c>, through the CLI as an operator runs them.</summary>
public sealed class BackupRestoreTests(SqliteServer server) : IClassFixture<SqliteServer>, IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-backup-").FullName;

    static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ReachCommand.RunAsync(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ABackupTakenDuringWritesRestoresEveryRowCommittedBeforeIt()
    {
        var workspace = server.Database!.Location;
        await File.WriteAllBytesAsync(workspace + ".keys.pfx", [1, 2, 3]);
        var committed = new ConcurrentQueue<Guid>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = $"Backup Co {i} {Guid.NewGuid():N}" }));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                committed.Enqueue((await response.ReadObjectAsync()).Id());
            }
        });
        while (committed.Count < 20)
            await Task.Delay(50);

        var before = committed.ToArray();
        var backup = Path.Combine(directory, "reach-backup.db");
        var (exit, output, error) = await RunAsync("backup", "--db", workspace, "--to", backup);
        while (committed.Count < before.Length + 20)
            await Task.Delay(50);
        await stop.CancelAsync();
        await writer;

        Assert.True(exit == 0, error);
        Assert.Contains(backup, output);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(WorkspaceBackup.KeysOf(backup)));
        Assert.Null(await WorkspaceBackup.IntegrityOfAsync(backup, default));

        var restored = Path.Combine(directory, "restored", "reach.db");
        (exit, _, error) = await RunAsync("restore", backup, "--db", restored);
        Assert.True(exit == 0, error);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(restored + ".keys.pfx"));
        await using var db = Database.Sqlite(restored).Open();
        var found = await db.Accounts.Where(a => before.Contains(a.Id)).CountAsync();
        Assert.Equal(before.Length, found);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task RestoreRefusesARunningWorkspaceAndADamagedBackup()
    {
        var backup = Path.Combine(directory, "for-running.db");
        Assert.Equal(0, (await RunAsync("backup", "--db", server.Database!.Location, "--to", backup)).Exit);

        var (exit, _, error) = await RunAsync("restore", backup, "--db", server.Database.Location);
        Assert.Equal(ExitCode.RestoreRefused, exit);
        Assert.Contains("running", error);

        var damaged = Path.Combine(directory, "damaged.db");
        await File.WriteAllTextAsync(damaged, "not a database at all, just some text that is long enough to be read");
        (exit, _, error) = await RunAsync("restore", damaged, "--db", Path.Combine(directory, "elsewhere.db"));
        Assert.Equal(ExitCode.RestoreRefused, exit);
        Assert.Contains("nothing was restored", error);
        Assert.False(File.Exists(Path.Combine(directory, "elsewhere.db")));
    }

    [Fact]
    public async Task TheDailyBackupWritesOncePerDayAfterItsHourAndKeepsTheNewest()
    {
        var keys = Path.Combine(directory, "keys.pfx");
        await File.WriteAllBytesAsync(keys, [7]);
        var target = Path.Combine(directory, "daily");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reach:Backup:Directory"] = target,
            ["Reach:Backup:Keep"] = "2",
            ["Reach:Backup:HourUtc"] = "2",
            ["Reach:KeyCertificate"] = keys,
        }).Build();
        var clock = new ManualClock(new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero));
        var daily = new Reach.Web.DailyBackup(server.Database!, configuration, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<Reach.Web.DailyBackup>.Instance);

        Assert.Null(await daily.RunIfDueAsync(default));
        for (var day = 0; day < 4; day++)
        {
            clock.Now = new DateTimeOffset(2027, 3, 1 + day, 3, 0, 0, TimeSpan.Zero);
            Assert.NotNull(await daily.RunIfDueAsync(default));
            Assert.Null(await daily.RunIfDueAsync(default));
        }

        Assert.Equal(["reach-2027-03-03.db", "reach-2027-03-03.db.keys.pfx", "reach-2027-03-04.db", "reach-2027-03-04.db.keys.pfx"],
            Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Null(await WorkspaceBackup.IntegrityOfAsync(Path.Combine(target, "reach-2027-03-04.db"), default));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>The same commands on PostgreSQL: pg_dump and pg_restore into another database.</summary>
public sealed class PostgresBackupRestoreTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-pg-backup-").FullName;

    [Fact]
    public async Task ABackupRestoresIntoAnotherDatabaseWithEveryCommittedRow()
    {
        var accounts = new List<Guid>();
        for (var i = 0; i < 5; i++)
            accounts.Add((await (await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = $"Pg Backup Co {i} {Guid.NewGuid():N}" }))).ReadObjectAsync()).Id());
        var backup = Path.Combine(directory, "reach.dump");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ReachCommand.RunAsync(["backup", "--postgres", server.Database!.Location, "--to", backup], new InvocationConfiguration { Output = output, Error = error });
        Assert.True(exit == 0, error.ToString());

        var name = "reach_restore_" + Guid.NewGuid().ToString("N")[..12];
        var admin = Environment.GetEnvironmentVariable(PostgresServer.Variable)!;
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var target = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        try
        {
            exit = await ReachCommand.RunAsync(["restore", backup, "--postgres", target], new InvocationConfiguration { Output = output, Error = error });
            Assert.True(exit == 0, error.ToString());
            await using var db = Database.Postgres(target).Open();
            Assert.Equal(accounts.Count, await db.Accounts.CountAsync(a => accounts.Contains(a.Id)));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
