using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Reach.Bench;
using Reach.Data;
using Reach.Imports;
using Reach.Pipelines;

/// <summary>
/// `reach import --as contacts` of a generated HubSpot-style contacts CSV (first name, last name, a unique email,
/// job title, phone) into a fresh SQLite workspace, against the `sqlite3` CLI's `.import --csv` of the same file
/// into a bare table in a fresh SQLite file — the baseline, run as a process in the same run.
/// </summary>
static class ContactImportBenchmark
{
    public const string Sqlite3 = "/usr/bin/sqlite3";

    public static async Task<(string Heading, string Body)> RunAsync(int rows) => await RunAsync(ImportEntity.Contacts, rows);

    /// <summary>The same for deals: a Maven-style pipeline file (id, agent, product, account, stage, engage and close dates, value).</summary>
    public static async Task<(string Heading, string Body)> RunDealsAsync(int rows) => await RunAsync(ImportEntity.Deals, rows);

    static async Task<(string Heading, string Body)> RunAsync(ImportEntity entity, int rows)
    {
        var what = entity == ImportEntity.Contacts ? "contacts" : "deals";
        if (!File.Exists(Sqlite3))
            return ($"## Import: {what} vs sqlite3 .import", $"Skipped: the `sqlite3` CLI ({Sqlite3}) is not installed (`apt-get install sqlite3`); the baseline is measured in the same run or not at all.{Environment.NewLine}");
        var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[..3] : ["?"];
        var directory = Directory.CreateTempSubdirectory($"reach-bench-{what}-").FullName;
        // The generated file is kept in the cache (deterministic: the same rows every run).
        var file = Path.Combine(Cache.Directory(), $"import-{what}-{rows}.csv");
        string[] titles = ["CEO", "CTO", "VP Sales", "Head of Marketing", "Account Executive", "Engineer", "Office Manager", "\"Director, Operations\""];
        string[] stages = ["Prospecting", "Engaging", "Won", "Lost"];
        if (!File.Exists(file))
        {
            var partial = file + ".partial";
            await using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false)))
            {
                if (entity == ImportEntity.Contacts)
                {
                    await writer.WriteLineAsync("First Name,Last Name,Email,Job Title,Phone Number");
                    for (var i = 0; i < rows; i++)
                        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"First{i % 5000},Last{i / 5000},contact{i}@company{i % 20000}.example,{titles[i % titles.Length]},+1 555 {i % 10_000_000:0000000}"));
                }
                else
                {
                    await writer.WriteLineAsync("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value");
                    var start = new DateOnly(2016, 10, 1);
                    for (var i = 0; i < rows; i++)
                    {
                        var stage = stages[i % stages.Length];
                        var engaged = start.AddDays(i % 400);
                        var closed = stage is "Won" or "Lost" ? engaged.AddDays(10 + i % 90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
                        var value = stage == "Won" ? (1000 + i % 5000).ToString(CultureInfo.InvariantCulture) : stage == "Lost" ? "0" : "";
                        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"D{i:00000000},Agent {i % 35},,{(i % 3 == 0 ? "" : $"Account {i % 85}")},{stage},{(stage == "Prospecting" ? "" : engaged.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))},{closed},{value}"));
                    }
                }
            }
            File.Move(partial, file, overwrite: true);
        }
        var fileBytes = new FileInfo(file).Length;
        Console.WriteLine($"generated {rows:N0} rows, {fileBytes / 1048576.0:F0} MiB");

        // Baseline: sqlite3's .import into a table it creates from the header (all columns TEXT, no index, no checks).
        var bareDb = Path.Combine(directory, "bare.db");
        var baseline = Stopwatch.StartNew();
        var (_, sqliteStderr) = await RunProcessAsync("/usr/bin/time", ["-f", "maxrss_kb=%M\ncpu_s=%U %S", Sqlite3, bareDb, $".import --csv {file} {what}"]);
        baseline.Stop();
        var (countText, _) = await RunProcessAsync(Sqlite3, [bareDb, $"SELECT count(*) FROM {what};"]);
        var sqliteRows = int.Parse(countText.Trim(), CultureInfo.InvariantCulture);
        var sqlitePeakKb = sqliteStderr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("maxrss_kb=", StringComparison.Ordinal))
            .Select(l => long.Parse(l["maxrss_kb=".Length..], CultureInfo.InvariantCulture)).LastOrDefault();
        var sqliteCpu = sqliteStderr.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("cpu_s=", StringComparison.Ordinal))
            .Select(l => l["cpu_s=".Length..].Split(' ').Sum(t => double.Parse(t, CultureInfo.InvariantCulture))).LastOrDefault();
        Console.WriteLine($"sqlite3 .import: {baseline.Elapsed.TotalSeconds:F1} s, {sqliteCpu:F2} s CPU, {sqliteRows:N0} rows");

        // Reach: the CLI's path (open, migrate, default pipelines, Importer.RunAsync), minus the console output.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var workingSetBefore = self.WorkingSet64;
        long peakWorkingSet = workingSetBefore, peakManaged = GC.GetTotalMemory(false);
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                self.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                try { await Task.Delay(100, stopSampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var reach = Database.Sqlite(Path.Combine(directory, "reach.db"));
        ImportSummary summary;
        var lastPrinted = TimeSpan.Zero;
        // Creating the workspace (migrations, default pipelines) is timed apart: it is the same for a file of ten rows,
        // and sqlite3's bare table has no counterpart to it.
        var creation = Stopwatch.StartNew();
        await using (var db = reach.Open())
        {
            await reach.MigrateAsync(db);
            await DefaultPipelines.EnsureAsync(db);
        }
        creation.Stop();
        Console.WriteLine($"workspace created in {creation.Elapsed.TotalSeconds:F1} s");
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var import = Stopwatch.StartNew();
        await using (var db = reach.Open())
        {
            var options = entity == ImportEntity.Contacts
                ? new ImportOptions { Entity = ImportEntity.Contacts }
                : new ImportOptions
                {
                    Entity = ImportEntity.Deals,
                    Format = SourceFormat.Csv,
                    Map = new Dictionary<string, string>
                    {
                        ["opportunity_id"] = "externalId",
                        ["sales_agent"] = "owner",
                        ["account"] = "account",
                        ["deal_stage"] = "stage",
                        ["engage_date"] = "createdAt",
                        ["close_date"] = "closedAt",
                        ["close_value"] = "amount",
                        ["product"] = "product",
                    },
                };
            summary = await Importer.RunAsync(db, file, options, p =>
            {
                if (p.Elapsed - lastPrinted < TimeSpan.FromSeconds(15))
                    return;
                lastPrinted = p.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reach import: {p.Done:N0}/{p.Total:N0} rows, {p.RowsPerSecond:N0} rows/s"));
            });
        }
        import.Stop();
        self.Refresh();
        var reachCpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        await stopSampling.CancelAsync();
        await sampler;
        self.Refresh();
        var gcInfo = GC.GetGCMemoryInfo();
        if (summary.Inserted != rows || sqliteRows != rows)
            throw new InvalidOperationException($"Expected {rows} rows: sqlite3 imported {sqliteRows}, reach inserted {summary.Inserted} (failed {summary.Failed}, skipped {summary.Skipped}).");

        double PerSecond(Stopwatch s) => rows / s.Elapsed.TotalSeconds;
        string Row(string name, Stopwatch s) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {s.Elapsed.TotalSeconds:F1} | {PerSecond(s):N0} | {s.Elapsed.TotalSeconds / baseline.Elapsed.TotalSeconds:F1}× | {100 * baseline.Elapsed.TotalSeconds / s.Elapsed.TotalSeconds:F1} % |");
        static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MiB");
        var described = entity == ImportEntity.Contacts
            ? string.Create(CultureInfo.InvariantCulture, $"`reach import --as contacts` of {rows:N0} generated HubSpot-style contact rows (`First Name,Last Name,Email,Job Title,Phone Number`, every email unique, deterministic; {fileBytes / 1048576.0:F0} MiB) into a fresh SQLite workspace (created and migrated first, timed apart), through `Importer.RunAsync` as the CLI calls it (the import: inspection pass, email dedup, validation, batches of 500, one audit entry per batch)")
            : string.Create(CultureInfo.InvariantCulture, $"`reach import --as deals` of {rows:N0} generated Maven-style pipeline rows (`opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value` mapped as docs/imports.md does; 85 accounts named, a third of the rows without one, 35 owners the workspace lacks; Prospecting/Engaging/Won/Lost; {fileBytes / 1048576.0:F1} MiB) into a fresh SQLite workspace (created and migrated first, timed apart) through `Importer.RunAsync` (accounts made from names, stages matched, stage history created → stage → closed at the file's dates; new deals and their stage log written in bulk, one audit entry per batch naming every deal, the stored figures' days marked stale)");
        var body = new StringBuilder()
            .AppendLine(described + string.Create(CultureInfo.InvariantCulture, $". Baseline, measured in the same run on the same file: the `sqlite3` CLI ({Sqlite3}) `.import --csv` into a bare table it creates from the header (TEXT columns, no index, no checks) in a fresh file, run as a process and timed from start to exit. Run with `dotnet run -c Release --project bench/Reach.Bench -- import-{what} [ROWS]`."))
            .AppendLine()
            .AppendLine("| run | seconds | rows/s | time × baseline | share of sqlite3's speed |")
            .AppendLine("|---|---|---|---|---|")
            .AppendLine(Row("sqlite3 .import --csv, bare table (baseline)", baseline))
            .AppendLine(Row($"reach import, {what}, into an empty workspace (the import alone)", import))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"CPU time (user + system), which a busy machine stretches far less than the wall clock: sqlite3 {sqliteCpu:F2} s, Reach's import {reachCpu:F2} s (the whole process: the import's thread, the GC, the JIT and the memory sampler), {reachCpu / Math.Max(sqliteCpu, 0.01):F1}× sqlite3's; by CPU Reach runs at {100 * sqliteCpu / Math.Max(reachCpu, 0.01):F1} % of sqlite3's speed ({rows / Math.Max(reachCpu, 0.01):N0} rows per CPU second)."))
            .AppendLine()
            .AppendLine(Analysis)
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Creating the fresh workspace before it (migrations, default pipelines; the same for any file, and not part of the ratio) took {creation.Elapsed.TotalSeconds:F1} s."))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Memory. Sampled every 100 ms during the reach import: peak working set of the benchmark process {MiB(peakWorkingSet)} (it was {MiB(workingSetBefore)} just before, after a full GC; the whole process — runtime, JIT'd code, EF model, SQLite's page cache — not the import alone), peak managed heap {MiB(peakManaged)}; the managed heap after the last GC was {MiB(gcInfo.HeapSizeBytes)}. sqlite3's own peak RSS (`/usr/bin/time -f %M`) was {MiB(sqlitePeakKb * 1024)}."))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Load average when it started: {string.Join(' ', load)} (on {Environment.ProcessorCount} cores, shared with other work: both timings are pessimistic, the ratio less so)."))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));

        Summary.Add(string.Create(CultureInfo.InvariantCulture, $"import of {rows:N0} {what} into an empty SQLite workspace (`reach import --as {what}`)"),
            string.Create(CultureInfo.InvariantCulture, $"{import.Elapsed.TotalSeconds:F1} s, {reachCpu:F2} s CPU"),
            string.Create(CultureInfo.InvariantCulture, $"{baseline.Elapsed.TotalSeconds:F1} s, {sqliteCpu:F2} s CPU (`sqlite3 .import --csv` of the same file into a bare table)"),
            string.Create(CultureInfo.InvariantCulture, $"{100 * baseline.Elapsed.TotalSeconds / import.Elapsed.TotalSeconds:F1} % of sqlite3's speed by the clock, {100 * sqliteCpu / Math.Max(reachCpu, 0.01):F1} % by CPU"),
            "≥ 25 %");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return ($"## Import: {what} vs sqlite3 .import", body.ToString());
    }

    // The profile behind the figures above and what limits them (kept with every run; measure again before changing it).
    const string Analysis = "Where the time goes (dotnet-trace of these 50,000 contacts and 20,000 deals before the changes below, 2026-12-07 19:00 UTC, share of the import's CPU samples): for contacts, binding the new rows' values 21 % (each text copied to a new UTF-8 array, then by SQLite), the record's constructor 21 % (a v7 id reads the clock and the system's random source, and the importer drew a second one per record), the batch's lookup lists 9 % (built even when an empty table then skipped the lookup), validation 7 %, the batch audit entry as JSON nodes 5 %, EF saving that entry and the stale days 6 %; the garbage collector held the import's thread in 27 % of the samples. For deals: the pipeline's stages sorted and their names squashed anew for every row 20 %, writing three rows per deal (the deal, two stage entries) 30 %, the constructor 11 %, the accounts' lookup per batch 8 %, the dates parsed by trying 19 formats in turn 3 %. Changed: one id per record; the stages sorted and squashed once per load of the pipelines; the lookup lists skipped with the lookup; the bulk writer's getters and converters compiled once per entity (`BulkInsert.ProviderValue`) and text, ids, dates and amounts bound from one reused UTF-8 buffer (`SqliteRows`); the precheck's getters compiled (`InputPrecheck`); the audit entry written straight to JSON (the same text); ISO dates read first; blank and footer rows tested without a list. The same file, one build after the other at a load of 47–88: 50,000 contacts 4.26 → 3.01 s of CPU (11,735 → 16,592 rows per CPU second), 20,000 deals 9.87 → 8.78 s. SQLite's own insert (`sqlite3_step`, every index included) was 4 % of a deal's import and less of a contact's, so building the secondary indexes after a first load would save at most that, against an index dropped and not rebuilt after a kill -9: not done. The 25 % target is not met, by CPU or by the clock: sqlite3 spends 1.5–2.5 µs of CPU per row on a bare TEXT table, so a quarter of it is 6–10 µs per row; Reach spends about 60 µs per contact and 440 µs per deal on this loaded machine, fixed costs included (the JIT of the import path and EF's first queries: about a second of CPU, alone ten times sqlite3's whole run). What is left per row: the garbage collector (CsvHelper's cells, the row's input record made twice by `with`, the match keys as strings), the v7 id, validation, and SQLite's copy of each value; per deal also its two stage entries, the stage and owner matching and the async steps of each row (`ApplyDealAsync`, `StageOfAsync`, `HistoryOfAsync`, each a state machine though they await only when a stage is created). Further: a row parsed into spans with the cells it needs only, typed binders without boxing, the stage log built without awaits, and the accounts a file names looked up once per import rather than per batch (they would then have to be re-checked against deletes).";

    static async Task<(string Stdout, string Stderr)> RunProcessAsync(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}: {await stderr}");
        return (await stdout, await stderr);
    }
}
