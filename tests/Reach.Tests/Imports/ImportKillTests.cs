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

    // accounts go through EF row by row; contacts and deals (with their stage log) are written in bulk.
    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    [InlineData("deals")]
    public async Task AnImportKilledHalfWayAndReRunEndsWithTheSameDataAsOneRun(string entity)
    {
        await using var whole = await ImportWorkspace.CreateAsync();
        var killed = await ImportWorkspace.CreateAsync();
        try
        {
            await KilledHalfWayThenReRunAsync(entity, killed, whole);
        }
        finally
        {
            await killed.DisposeAsync();
        }
    }

    static async Task KilledHalfWayThenReRunAsync(string entity, ImportWorkspace first, ImportWorkspace whole)
    {
        var killed = first;
        var rows = Rows;
        string file;
        int afterKill;
        while (true)
        {
            file = await WriteFileAsync(killed.Directory, entity, rows);
            using (var child = StartImport(file, entity, killed.Database.Location))
            {
                // The child prints its progress after each committed batch (at most once a second): kill it at the first line.
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
                Assert.NotNull(line);
                Assert.Matches(@"^[\d,]+/[\d,]+ rows", line);
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
            afterKill = await CountAsync(killed, entity);
            if (afterKill < rows)
                break;
            // The import ended before the kill reached it (a fast import, or a test runner slowed by a busy machine):
            // again with a file four times as long, in a fresh workspace.
            Assert.True(rows < 64 * Rows, $"An import of {rows:N0} {entity} ended before it could be killed.");
            rows *= 4;
            if (killed != first)
                await killed.DisposeAsync();
            killed = await ImportWorkspace.CreateAsync();
        }
        try
        {
            await CheckReRunAsync(entity, killed, whole, file, rows, afterKill);
        }
        finally
        {
            if (killed != first)
                await killed.DisposeAsync();
        }
    }

    static async Task<string> WriteFileAsync(string directory, string entity, int rows)
    {
        var file = Path.Combine(directory, $"{entity}.csv");
        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false));
        await writer.WriteLineAsync(entity switch
        {
            "accounts" => "Record ID,Company name,Company Domain Name,Number of Employees,Annual Revenue,Industry",
            "contacts" => "First Name,Last Name,Email,Job Title",
            _ => "Id,Name,Amount,StageName,CreatedDate,CloseDate",
        });
        for (var i = 0; i < rows; i++)
            await writer.WriteLineAsync(entity switch
            {
                "accounts" => $"{100000 + i},Company {i},https://www.company{i}.example/,{i % 5000},\"${i * 10:N0}.50\",Industry {i % 7}",
                "contacts" => $"First{i},Last{i % 100},person{i}@company{i % 700}.example,Title {i % 9}",
                _ => $"D{i},Deal {i},{1000 + i},{(i % 3) switch { 0 => "Closed Won", 1 => "Closed Lost", _ => "" }},2024-{1 + i % 12:00}-{1 + i % 28:00},{(i % 3 == 2 ? "" : $"2025-{1 + i % 12:00}-{1 + i % 28:00}")}",
            });
        return file;
    }

    static async Task CheckReRunAsync(string entity, ImportWorkspace killed, ImportWorkspace whole, string file, int rows, int afterKill)
    {
        Assert.InRange(afterKill, 200, rows - 1);
        Assert.Equal(0, afterKill % 200); // whole batches only: the one in flight was rolled back
        if (entity == "deals")
        {
            // Every committed deal has its whole stage log, and nothing else made it in.
            Assert.Equal(afterKill, await CountAsync(killed, "SELECT count(DISTINCT \"DealId\") FROM \"DealStageChanges\""));
            // Won and lost deals: created → closed; open ones (every third) one entry.
            Assert.Equal(2 * afterKill - afterKill / 3, await CountAsync(killed, "SELECT count(*) FROM \"DealStageChanges\""));
        }

        using (var rerun = StartImport(file, entity, killed.Database.Location))
        {
            var output = await rerun.StandardOutput.ReadToEndAsync();
            await rerun.WaitForExitAsync();
            Assert.Equal(0, rerun.ExitCode);
            Assert.Contains($"inserted {rows - afterKill:N0}, updated 0, skipped {afterKill:N0}, failed 0", output);
        }
        await using (var db = whole.Open())
            await Importer.RunAsync(db, file, new ImportOptions { Entity = Enum.Parse<ImportEntity>(entity, ignoreCase: true) });

        Assert.Equal(await SnapshotAsync(whole, entity), await SnapshotAsync(killed, entity));
    }

    static Process StartImport(string file, string entity, string database)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Reach.Cli.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "import", file, "--as", entity, "--db", database, "--batch-size", "200" })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    static Task<int> CountAsync(ImportWorkspace workspace, string entityOrSql) => CountSqlAsync(workspace, entityOrSql switch
    {
        "accounts" => "SELECT count(*) FROM \"Accounts\"",
        "contacts" => "SELECT count(*) FROM \"Contacts\"",
        "deals" => "SELECT count(*) FROM \"Deals\"",
        _ => entityOrSql,
    });

    // A plain unpooled connection: the poll must see each commit of the child as it happens.
    static async Task<int> CountSqlAsync(ImportWorkspace workspace, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={workspace.Database.Location};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<string> SnapshotAsync(ImportWorkspace workspace, string entity)
    {
        await using var db = workspace.Open();
        List<string> rows = entity switch
        {
            "accounts" => await db.Accounts.OrderBy(a => a.ExternalId)
                .Select(a => $"{a.ExternalSource}|{a.ExternalId}|{a.Name}|{a.Domain}|{a.Employees}|{a.AnnualRevenue}|{a.Industry}|{a.Version}")
                .ToListAsync(),
            "contacts" => await db.Contacts.OrderBy(c => c.Email)
                .Select(c => $"{c.Email}|{c.FirstName}|{c.LastName}|{c.Title}|{c.Version}")
                .ToListAsync(),
            _ => [.. (await db.Deals.OrderBy(d => d.ExternalId)
                .Select(d => new { d.ExternalSource, d.ExternalId, d.Name, d.Amount, d.Status, d.CreatedAt, d.ClosedAt, d.Version, Log = db.DealStageChanges.Count(c => c.DealId == d.Id) })
                .ToListAsync()).Select(d => $"{d.ExternalSource}|{d.ExternalId}|{d.Name}|{d.Amount}|{d.Status}|{d.CreatedAt:O}|{d.ClosedAt:O}|{d.Version}|{d.Log}")],
        };
        Assert.Equal(Rows, rows.Count);
        Assert.Equal(Rows, rows.Distinct().Count());
        return string.Join("\n", rows);
    }
}
