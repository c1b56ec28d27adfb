using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Reach.Accounts;
using Reach.Data;
using Reach.Imports;
using Reach.Pipelines;

/// <summary>
/// `reach import` of generated HubSpot-style account rows against two baselines measured in the same run:
/// parsing the file alone (CsvHelper, no database) and inserting the same accounts with EF in batches of
/// 500 without matching or validation. The import does a second full pass (the inspection), matching,
/// validation and audit entries on top.
/// </summary>
static class ImportBenchmark
{
    public static async Task<string> RunAsync(int rows, string root)
    {
        var directory = Directory.CreateTempSubdirectory("reach-bench-import-").FullName;
        var file = Path.Combine(directory, "accounts.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Record ID,Company name,Company Domain Name,Number of Employees,Annual Revenue,Industry,Country/Region");
            for (var i = 0; i < rows; i++)
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{1_000_000 + i},\"Company {i}, Inc.\",https://www.company{i}.example/,{i % 5000},\"${i * 10:N0}.50\",Industry {i % 9},Country {i % 30}"));
        }

        var parse = Stopwatch.StartNew();
        var input = await CsvInput.InspectAsync(file);
        var parsed = 0;
        await foreach (var _ in input.ReadRowsAsync())
            parsed++;
        parse.Stop();

        var insert = Stopwatch.StartNew();
        var plain = Database.Sqlite(Path.Combine(directory, "plain.db"));
        await using (var db = plain.Open())
        {
            await plain.MigrateAsync(db);
            db.RecordsAudit = false;
            var i = 0;
            await foreach (var (_, cells) in input.ReadRowsAsync())
            {
                db.Accounts.Add(new Account { Name = cells[1], Domain = Account.NormaliseDomain(cells[2]), Employees = int.Parse(cells[3], CultureInfo.InvariantCulture), ExternalId = cells[0] });
                if (++i % 500 == 0)
                {
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                }
            }
            await db.SaveChangesAsync();
        }
        insert.Stop();

        var reach = Database.Sqlite(Path.Combine(directory, "reach.db"));
        ImportSummary summary;
        var import = Stopwatch.StartNew();
        await using (var db = reach.Open())
        {
            await reach.MigrateAsync(db);
            await DefaultPipelines.EnsureAsync(db);
            summary = await Importer.RunAsync(db, file, new ImportOptions { Entity = ImportEntity.Accounts });
        }
        import.Stop();
        var rerun = Stopwatch.StartNew();
        await using (var db = reach.Open())
            await Importer.RunAsync(db, file, new ImportOptions { Entity = ImportEntity.Accounts });
        rerun.Stop();
        if (summary.Inserted != rows || parsed != rows)
            throw new InvalidOperationException($"Expected {rows} rows, parsed {parsed}, inserted {summary.Inserted}.");

        double PerSecond(Stopwatch s) => rows / s.Elapsed.TotalSeconds;
        string Row(string name, Stopwatch s) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {s.Elapsed.TotalSeconds:F1} | {PerSecond(s):N0} | {PerSecond(s) / PerSecond(insert):P0} |");
        var section = new StringBuilder()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"`reach import` of {rows:N0} generated HubSpot-style company rows (SQLite, batches of 500), against the same accounts inserted by plain EF batches (no inspection pass, matching, validation or audit entries) — the baseline, measured in the same run — and the file parsed without a database. Run with `dotnet run -c Release --project bench/Reach.Bench -- import [ROWS]`."))
            .AppendLine()
            .AppendLine("| run | seconds | rows/s | vs EF insert baseline |")
            .AppendLine("|---|---|---|---|")
            .AppendLine(Row("parse only (inspection + CsvHelper read)", parse))
            .AppendLine(Row("plain EF insert (baseline)", insert))
            .AppendLine(Row("reach import, empty workspace", import))
            .AppendLine(Row("reach import again (all rows matched, unchanged)", rerun))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return section.ToString();
    }
}
