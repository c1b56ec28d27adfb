using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Reach.Cli;
using Reach.Cli.Commands;
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
        Assert.Equal(RestoreCommand.Refused, exit);
        Assert.Contains("running", error);

        var damaged = Path.Combine(directory, "damaged.db");
        await File.WriteAllTextAsync(damaged, "not a database at all, just some text that is long enough to be read");
        (exit, _, error) = await RunAsync("restore", damaged, "--db", Path.Combine(directory, "elsewhere.db"));
        Assert.Equal(RestoreCommand.Refused, exit);
        Assert.Contains("nothing was restored", error);
        Assert.False(File.Exists(Path.Combine(directory, "elsewhere.db")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
