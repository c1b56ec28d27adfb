using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Reach.Cli;
using Xunit;

namespace Reach.Tests.Cli;

/// <summary>
/// A real `reach` process writing to a workspace that fills up (capped by Reach:Limits:SqliteMegabytes, which SQLite
/// answers exactly as a full disk): one line saying so, exit code 74, no stack trace, and what was committed stays.
/// </summary>
public sealed class CliDiskFullTests
{
    [Fact]
    public async Task AnImportThatFillsTheDiskPrintsOneLineAndExits74KeepingEveryCommittedBatch()
    {
        var directory = Directory.CreateTempSubdirectory("reach-cli-full-").FullName;
        try
        {
            var database = Path.Combine(directory, "reach.db");
            var file = Path.Combine(directory, "accounts.csv");
            await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
            {
                await writer.WriteLineAsync("Record ID,Company name,Company Domain Name,Industry");
                for (var i = 0; i < 40_000; i++)
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{100000 + i},Company {i} {Guid.NewGuid():N},company{i}.example,Industry {i % 7}"));
            }

            var (exit, output, error) = await RunAsync(database, "import", file, "--as", "accounts", "--batch-size", "200");

            Assert.True(exit == ExitCode.DiskFull, $"exit {exit}: {output} {error}");
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var line = Assert.Single(lines);
            Assert.StartsWith("reach: the disk is full", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite Error", error, StringComparison.Ordinal);

            // The workspace is whole and keeps the rows committed before the disk filled.
            await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
            check.CommandText = "SELECT count(*) FROM \"Accounts\"";
            var kept = Convert.ToInt32(await check.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            Assert.InRange(kept, 200, 40_000 - 1);
            check.CommandText = "SELECT count(*) FROM \"Accounts\" WHERE \"Name\" NOT LIKE 'Company %' OR \"Domain\" IS NULL";
            Assert.Equal(0L, (long)(await check.ExecuteScalarAsync())!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    static async Task<(int Exit, string Output, string Error)> RunAsync(string database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reach.Cli.dll"));
        foreach (var arg in args.Concat(["--db", database]))
            start.ArgumentList.Add(arg);
        // 2 MB: room for the schema and a few thousand accounts, not for 40,000.
        start.Environment["Reach__Limits__SqliteMegabytes"] = "2";
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (child.ExitCode, await output, await error);
    }
}
