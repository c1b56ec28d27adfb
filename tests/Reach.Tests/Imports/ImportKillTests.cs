using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Imports;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>A real `reach import` process killed (SIGKILL) half-way, then re-run, ends with the data of one uninterrupted run.</summary>
public class ImportKillTests
{
    const int Rows = 30_000;

    [Fact]
    public async Task AnImportKilledHalfWayAndReRunEndsWithTheSameDataAsOneRun()
    {
        await using var killed = await ImportWorkspace.CreateAsync();
        await using var whole = await ImportWorkspace.CreateAsync();
        var file = Path.Combine(killed.Directory, "accounts.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Record ID,Company name,Company Domain Name,Number of Employees,Annual Revenue,Industry");
            for (var i = 0; i < Rows; i++)
                await writer.WriteLineAsync($"{100000 + i},Company {i},https://www.company{i}.example/,{i % 5000},\"${i * 10:N0}.50\",Industry {i % 7}");
        }

        using (var child = StartImport(file, killed.Database.Location))
        {
            // The child prints its progress after each committed batch (at most once a second): kill it at the first line.
            var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.NotNull(line);
            Assert.Matches(@"^[\d,]+/[\d,]+ rows", line);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        var afterKill = await CountAsync(killed);
        Assert.InRange(afterKill, 200, Rows - 1);
        Assert.Equal(0, afterKill % 200); // whole batches only: the one in flight was rolled back

        using (var rerun = StartImport(file, killed.Database.Location))
        {
            var output = await rerun.StandardOutput.ReadToEndAsync();
            await rerun.WaitForExitAsync();
            Assert.Equal(0, rerun.ExitCode);
            Assert.Contains($"inserted {Rows - afterKill:N0}, updated 0, skipped {afterKill:N0}, failed 0", output);
        }
        await using (var db = whole.Open())
            await Importer.RunAsync(db, file, new ImportOptions { Entity = ImportEntity.Accounts });

        Assert.Equal(await SnapshotAsync(whole), await SnapshotAsync(killed));
    }

    static Process StartImport(string file, string database)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Reach.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "import", file, "--as", "accounts", "--db", database, "--batch-size", "200" })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    // A plain unpooled connection: the poll must see each commit of the child as it happens.
    static async Task<int> CountAsync(ImportWorkspace workspace)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={workspace.Database.Location};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM \"Accounts\"";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<string> SnapshotAsync(ImportWorkspace workspace)
    {
        await using var db = workspace.Open();
        var rows = await db.Accounts.OrderBy(a => a.ExternalId)
            .Select(a => $"{a.ExternalSource}|{a.ExternalId}|{a.Name}|{a.Domain}|{a.Employees}|{a.AnnualRevenue}|{a.Industry}|{a.Version}")
            .ToListAsync();
        Assert.Equal(Rows, rows.Count);
        Assert.Equal(Rows, rows.Distinct().Count());
        return string.Join("\n", rows);
    }
}
