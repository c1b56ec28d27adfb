using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Reach.Access;
using Reach.Accounts;
using Reach.Bench;
using Reach.Data;
using Reach.Pipelines;
using Reach.Usage;
using Reach.Web;
using Reach.Web.Api;

/// <summary>
/// Product usage at volume (issue 28, item 5): a generated JSONL file of usage events (kept in the cache) ingested into a
/// fresh SQLite workspace through <see cref="UsageIngest"/> as <c>reach usage import</c> runs it (checks, idempotency by
/// event id, matching by domain, batches, then the threshold rule), its throughput and memory; then an account page's
/// usage figures (<see cref="UsageApi.AccountViewAsync"/>, read from the usage rollup) against the same aggregates in
/// hand-written SQL over the raw events on the same file, and the rollup's own hand-written SQL beside them.
/// </summary>
static class UsageBenchmark
{
    // What limits the figures above (kept with every run; measure again before changing it).
    const string Analysis = "What limits the account page (measured 2026-12-07): the figures read the usage rollup (`UsageDays`: one row per account, UTC day and user, with the first and last instant of their events that day, kept in each ingest batch's transaction), so a page reads at most users × 57 days of rows, whatever the events: the hand-written SQL over the raw events grows with the account's events in the 56 days (the busiest account's distinct count over its events is the baseline's whole cost), the rollup's does not. The application's figures take 6 queries (settings, the four windows in one, the account with its owner, crossing and last event in one, the 8 weekly windows in one, the crossing's evidence), against 18 before; what is left over the rollup's own SQL is EF's per-query cost (building and running each through a fresh context). The rollup costs the ingestion one more write per stored event (an upsert into a WITHOUT ROWID table keyed by account, day and user).";

    /// <summary>The workspace's now: every event falls in the 90 days before it.</summary>
    static readonly DateTime Now = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    const int Days = 90;
    const int Runs = 5;
    const int WarmUps = 3;

    public static async Task<string> RunAsync(int events)
    {
        var loadAtStart = Machine.Load();
        var accounts = Math.Max(200, events / 500);
        var file = Path.Combine(Cache.Directory(), $"usage-events-{events}.jsonl");
        var generate = Stopwatch.StartNew();
        var generated = !File.Exists(file);
        if (generated)
            await GenerateAsync(file, events, accounts);
        generate.Stop();
        var fileBytes = new FileInfo(file).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: {events:N0} events, {fileBytes / 1048576.0:N0} MiB ({(generated ? $"generated in {generate.Elapsed.TotalSeconds:F0} s" : "from the cache")})"));

        // Baseline for ingestion: the file read and parsed as the CLI reads it, without a database.
        var parse = Stopwatch.StartNew();
        var parsed = 0;
        await foreach (var _ in ReadAsync(file, null))
            parsed++;
        parse.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: parsed {parsed:N0} in {parse.Elapsed.TotalSeconds:F1} s"));

        var directory = Directory.CreateTempSubdirectory("reach-bench-usage-").FullName;
        var database = Database.Sqlite(Path.Combine(directory, "usage.db"));
        var clock = new StoppedClock(Now);
        var setup = Stopwatch.StartNew();
        Guid ownerId;
        await using (var db = database.Open(clock))
        {
            await database.MigrateAsync(db);
            await DefaultPipelines.EnsureAsync(db);
            var owner = new User { Name = "Usage Owner", UserName = "owner@usage.example", Email = "owner@usage.example", Role = UserRole.Rep, CreatedAt = Now };
            db.Users.Add(owner);
            await db.SaveChangesAsync();
            ownerId = owner.Id;
            for (var start = 0; start < accounts; start += 2_000)
            {
                for (var a = start; a < Math.Min(accounts, start + 2_000); a++)
                    db.Accounts.Add(new Account { Name = $"Account {a}", Domain = $"acct{a}.example", Employees = EmployeesOf(a), OwnerId = ownerId });
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        setup.Stop();

        // Reach's ingestion, with the memory sampled every 100 ms and the heap after the last GC noted at each tenth of the file.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var workingSetBefore = self.WorkingSet64;
        var heapBefore = GC.GetTotalMemory(false);
        var (anonymousBefore, _) = Resident();
        long peakWorkingSet = workingSetBefore, peakManaged = heapBefore, peakAnonymous = anonymousBefore, peakFile = 0;
        var heapAtTenths = new long[10];
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                self.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, self.WorkingSet64);
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                var (anonymous, file) = Resident();
                peakAnonymous = Math.Max(peakAnonymous, anonymous);
                peakFile = Math.Max(peakFile, file);
                try { await Task.Delay(100, stopSampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var cpuBefore = self.TotalProcessorTime;
        var ingest = Stopwatch.StartNew();
        UsageIngest.Summary summary;
        await using (var db = database.Open(clock))
        {
            summary = await UsageIngest.IngestAsync(db, ReadAsync(file, read =>
            {
                if (events < 10 || read % (events / 10) != 0)
                    return;
                heapAtTenths[Math.Min(9, read / (events / 10) - 1)] = GC.GetGCMemoryInfo().HeapSizeBytes;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: {read:N0} events read, {read / ingest.Elapsed.TotalSeconds:N0}/s, working set {self.WorkingSet64 / 1048576:N0} MiB (anonymous {Resident().Anonymous / 1048576:N0} MiB)"));
            }), limit: null, CancellationToken.None);
        }
        ingest.Stop();
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        await stopSampling.CancelAsync();
        await sampler;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: ingested in {ingest.Elapsed.TotalSeconds:F1} s; {summary.Stored:N0} stored, {summary.Matched:N0} matched, {summary.Opened.Count:N0} deals opened"));
        if (summary.Stored != events)
            throw new InvalidOperationException($"Expected {events} events stored, got {summary.Stored} (duplicates {summary.Duplicates}).");

        // The account page: the busiest account, one of the middle and a quiet one (accounts are drawn with a skew: low numbers busy).
        var pages = new List<(string What, double App, double Sql, double Rollup)>();
        var wrong = new List<string>();
        foreach (var (what, id, recent) in await PickAccountsAsync(database.Location))
        {
            UsageApi.AccountUsageView? view = null;
            var app = await TimeAsync(async () =>
            {
                await using var db = database.Open(clock);
                view = await UsageApi.AccountViewAsync(db, id, CancellationToken.None);
            });
            int[]? raw = null, rolledUp = null;
            var sql = await TimeAsync(async () => raw = await RawAsync(database.Location, id, rollup: false));
            var rollupSql = await TimeAsync(async () => rolledUp = await RawAsync(database.Location, id, rollup: true));
            int[] fromApp = [view!.Usage.DailyActiveUsers, view.Usage.WeeklyActiveUsers, view.Usage.MonthlyActiveUsers, view.Usage.PreviousWeeklyActiveUsers, .. view.Weeks.Select(w => w.Users)];
            if (!fromApp.SequenceEqual(raw!) || !rolledUp!.SequenceEqual(raw!))
                wrong.Add($"{what}: application {string.Join(' ', fromApp)}, raw SQL over the events {string.Join(' ', raw!)}, over the rollup {string.Join(' ', rolledUp!)}");
            var label = string.Create(CultureInfo.InvariantCulture, $"{what} ({recent:N0} events in the 56 days read, {view.Usage.MonthlyActiveUsers:N0} monthly active users)");
            pages.Add((label, app, sql, rollupSql));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: {label}: application {app:N1} ms, raw SQL over the events {sql:N1} ms, over the rollup {rollupSql:N1} ms"));
        }
        long stored, rollupRows;
        await using (var connection = new SqliteConnection($"Data Source={database.Location};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM UsageEvents";
            stored = (long)(await count.ExecuteScalarAsync())!;
            count.CommandText = "SELECT count(*) FROM UsageDays";
            rollupRows = (long)(await count.ExecuteScalarAsync())!;
        }
        var databaseBytes = new FileInfo(database.Location).Length;
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);

        var perSecond = events / ingest.Elapsed.TotalSeconds;
        var parsePerSecond = events / parse.Elapsed.TotalSeconds;
        static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MiB");
        Summary.Add($"usage ingestion, {events:N0} events (`UsageIngest`, SQLite)",
            string.Create(CultureInfo.InvariantCulture, $"{perSecond:N0} events/s, peak managed heap {MiB(peakManaged)}, own memory (RssAnon) {MiB(peakAnonymous)}"),
            string.Create(CultureInfo.InvariantCulture, $"{parsePerSecond:N0} events/s (the file parsed, no database)"),
            string.Create(CultureInfo.InvariantCulture, $"{ingest.Elapsed.TotalSeconds / parse.Elapsed.TotalSeconds:F1}×"), "constant memory");
        foreach (var (what, app, sql, _) in pages)
            Summary.Add($"account page's usage figures over {events:N0} events, {what}",
                string.Create(CultureInfo.InvariantCulture, $"{app:N1} ms"), string.Create(CultureInfo.InvariantCulture, $"{sql:N1} ms (the same aggregates in raw SQL over the events)"),
                string.Create(CultureInfo.InvariantCulture, $"{app / sql:F1}×"), "< 1 s");

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{events:N0} generated product events (JSON Lines as `reach usage import` reads them, {fileBytes / 1048576.0:N0} MiB, kept in the cache: `usage-events-{events}.jsonl`) from {accounts:N0} accounts' domains over {Days} days up to {Now:yyyy-MM-dd}: accounts drawn with a skew (a few busy, most quiet), teams of 2 to 80 users, a third of the teams growing over the period; 4 % of the events from free mail and 4 % from 2,000 company domains no account has. Ingested into a fresh SQLite workspace (created and migrated first, its accounts added, timed apart) through `UsageIngest.IngestAsync` as `reach usage import` calls it: each event checked, batches of {UsageIngest.BatchSize:N0} (one query for the batch's known ids, one for its accounts, multi-row inserts, one statement adding the batch's matched events to the usage rollup), each batch committed, then the threshold rule over the accounts that got events. Baseline for the ingestion: the same file read and parsed into events as the CLI reads it, without a database. Run with `dotnet run -c Release --project bench/Reach.Bench -- usage [EVENTS]` (1,000,000 by default and in `all`; 10,000,000 on request).")
            .AppendLine()
            .AppendLine("| run | seconds | events/s | × baseline |")
            .AppendLine("|---|---|---|---|")
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"| read and parse the file (baseline) | {parse.Elapsed.TotalSeconds:F1} | {parsePerSecond:N0} | 1.0× |"))
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"| `UsageIngest.IngestAsync`, empty workspace | {ingest.Elapsed.TotalSeconds:F1} | {perSecond:N0} | {ingest.Elapsed.TotalSeconds / parse.Elapsed.TotalSeconds:F1}× |"))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Stored {summary.Stored:N0} events ({stored:N0} rows, and {rollupRows:N0} rows in the usage rollup; the database file {MiB(databaseBytes)}), {summary.Matched:N0} matched to an account, {summary.Unmatched:N0} not; the rule opened {summary.Opened.Count:N0} expansion deals. CPU time of the ingestion {cpu:F1} s ({events / Math.Max(cpu, 0.01):N0} events per CPU second)."))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Memory, sampled every 100 ms during the ingestion: peak managed heap {MiB(peakManaged)} (it was {MiB(heapBefore)} before, after a full GC), peak working set {MiB(peakWorkingSet)} (before: {MiB(workingSetBefore)}): of it, the process's own memory (anonymous pages, `RssAnon`) peaked at {MiB(peakAnonymous)} (before: {MiB(anonymousBefore)}), and the pages of the database file SQLite reads through its memory map (`mmap_size` 2 GB; file-backed, `RssFile`, the kernel's page cache, reclaimable) at {MiB(peakFile)}: those grow with the file, the process's own do not. The managed heap after the last GC at each tenth of the file: {string.Join(", ", heapAtTenths.Select(MiB))} — constant: the events stream through and nothing is tracked."))
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"The account page's usage figures (`UsageApi.AccountViewAsync`, what the page and `GET /api/v1/usage/accounts/{{id}}` compute from the usage rollup: active users over a day, 7 and 30 days, the 7 days before, the last event, 8 weekly windows, the account with its owner, the crossing's evidence), each run through a fresh `ReachDb`, against the same aggregates in hand-written SQL through Microsoft.Data.Sqlite on the same file over the raw events (the baseline: one statement counting the distinct users of every window over the account's last 56 days of events, one for the last event, one for the account, its owner and crossing), and the same hand-written SQL over the rollup's rows instead of the events. Median of {Runs} runs after {WarmUps} warm-up runs each."))
            .AppendLine()
            .AppendLine("| account | application ms (rollup) | raw SQL over the events ms (baseline) | application ÷ baseline | raw SQL over the rollup ms |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var (what, app, sql, rollupSql) in pages)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {app:N1} | {sql:N1} | {app / sql:F2}× | {rollupSql:N1} |"));
        text.AppendLine()
            .AppendLine(Analysis)
            .AppendLine()
            .AppendLine(wrong.Count == 0 ? "Agreement (daily, weekly, monthly, previous week's active users and the 8 weekly windows; the application, the raw SQL over the events and over the rollup): all agree." : "Disagreement: " + string.Join("; ", wrong) + ".")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture, $"Creating the workspace and its {accounts:N0} accounts took {setup.Elapsed.TotalSeconds:F1} s{(generated ? $"; generating the file {generate.Elapsed.TotalSeconds:F0} s" : "; the file came from the cache")}."))
            .AppendLine()
            .AppendLine($"Load average at the start: {loadAtStart}; at the end: {Machine.Load()}.");
        return text.ToString();
    }

    /// <summary>The process's resident memory split as Linux counts it: its own (anonymous) pages and file-backed ones (the mapped database); zeros elsewhere.</summary>
    static (long Anonymous, long File) Resident()
    {
        if (!File.Exists("/proc/self/status"))
            return (0, 0);
        long anonymous = 0, file = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                anonymous = Kibibytes(line) * 1024;
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                file = Kibibytes(line) * 1024;
        }
        return (anonymous, file);
        static long Kibibytes(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    static int EmployeesOf(int account) => 20 + account * 7919 % 5_000;

    /// <summary>Deterministic: the same file for the same size on every machine.</summary>
    static async Task GenerateAsync(string file, int events, int accounts)
    {
        var random = new Random(28);
        var partial = file + ".partial";
        string[] names = ["document.created", "document.viewed", "comment.added", "page.shared", "export.pdf"];
        await using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false), 1 << 20))
        {
            for (var i = 0; i < events; i++)
            {
                var ageSeconds = random.Next(Days * 86_400);
                var time = Now.AddSeconds(-ageSeconds - 1);
                var kind = random.Next(100);
                string email;
                if (kind < 4)
                {
                    email = $"person{random.Next(50_000)}@gmail.com";
                }
                else if (kind < 8)
                {
                    email = $"user{random.Next(20)}@candidate{random.Next(2_000)}.example";
                }
                else
                {
                    // A few accounts busy, most quiet; a team of 2 to 80; a third of the teams grow from a quarter of their size.
                    var account = (int)(accounts * Math.Pow(random.NextDouble(), 3));
                    var team = 2 + (account * 7919 + 40) % 79;
                    if (account % 3 == 0)
                        team = Math.Max(1, (int)(team * (0.25 + 0.75 * (1 - ageSeconds / (Days * 86_400.0)))));
                    email = $"user{random.Next(team)}@acct{account}.example";
                }
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"eventId\":\"ev{i:D9}\",\"time\":\"{time:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"email\":\"{email}\",\"name\":\"{names[random.Next(names.Length)]}\",\"properties\":{{\"plan\":\"{(kind % 2 == 0 ? "free" : "team")}\"}}}}"));
            }
        }
        File.Move(partial, file, overwrite: true);
    }

    /// <summary>The events of a JSONL file as <c>reach usage import</c> reads them (the API's JSON options), one at a time.</summary>
    static async IAsyncEnumerable<UsageEventInput> ReadAsync(string file, Action<int>? progress, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = new JsonSerializerOptions();
        ReachApp.Configure(options);
        using var reader = new StreamReader(file);
        var read = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return JsonSerializer.Deserialize<UsageEventInput>(line, options)!;
            progress?.Invoke(++read);
        }
    }

    /// <summary>The accounts whose pages are timed: the one with the most events in the 56 days a page reads, the median one and a quiet one.</summary>
    static async Task<List<(string What, Guid Id, long Events)>> PickAccountsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT AccountId, COUNT(*) AS n FROM UsageEvents WHERE AccountId IS NOT NULL AND OccurredAt >= $from GROUP BY AccountId ORDER BY n DESC";
        command.Parameters.AddWithValue("$from", (Now - TimeSpan.FromDays(56)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        var rows = new List<(Guid, long)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add((Guid.Parse(reader.GetString(0)), reader.GetInt64(1)));
        }
        return [("busiest account", rows[0].Item1, rows[0].Item2), ("median account", rows[rows.Count / 2].Item1, rows[rows.Count / 2].Item2), ("a quiet account", rows[^1].Item1, rows[^1].Item2)];
    }

    /// <summary>
    /// The account page's aggregates in hand-written SQL: daily, weekly, monthly, previous week, then the 8 weekly windows;
    /// over the raw events, or over the rollup's rows (a user's day counts in a window its first and last instants overlap).
    /// </summary>
    static async Task<int[]> RawAsync(string file, Guid accountId, bool rollup)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        var account = accountId.ToString().ToUpperInvariant();
        static string At(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var windows = new List<(DateTime From, DateTime Until)>
        {
            (Now - UsageFigures.Day, Now), (Now - UsageFigures.Week, Now), (Now - UsageFigures.Month, Now), (Now - 2 * UsageFigures.Week, Now - UsageFigures.Week),
        };
        for (var i = 7; i >= 0; i--)
            windows.Add((Now - TimeSpan.FromDays(7 * i) - UsageFigures.Week, Now - TimeSpan.FromDays(7 * i)));
        var command = connection.CreateCommand();
        command.CommandText = rollup
            ? "SELECT " + string.Join(", ", windows.Select((_, i) => $"COUNT(DISTINCT CASE WHEN LastAt >= $f{i} AND FirstAt < $u{i} THEN UserKey END)"))
                + " FROM UsageDays WHERE AccountId = $account AND Day >= $from AND Day <= $now"
            : "SELECT " + string.Join(", ", windows.Select((_, i) => $"COUNT(DISTINCT CASE WHEN OccurredAt >= $f{i} AND OccurredAt < $u{i} THEN UserKey END)"))
                + " FROM UsageEvents WHERE AccountId = $account AND OccurredAt >= $from AND OccurredAt < $now";
        command.Parameters.AddWithValue("$account", account);
        command.Parameters.AddWithValue("$from", rollup ? (Now - TimeSpan.FromDays(56)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : At(Now - TimeSpan.FromDays(56)));
        command.Parameters.AddWithValue("$now", rollup ? Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : At(Now));
        for (var i = 0; i < windows.Count; i++)
        {
            command.Parameters.AddWithValue($"$f{i}", At(windows[i].From));
            command.Parameters.AddWithValue($"$u{i}", At(windows[i].Until));
        }
        var counts = new int[windows.Count];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            for (var i = 0; i < counts.Length; i++)
                counts[i] = reader.GetInt32(i);
        }
        var last = connection.CreateCommand();
        last.CommandText = "SELECT MAX(OccurredAt) FROM UsageEvents WHERE AccountId = $account AND OccurredAt <= $now";
        last.Parameters.AddWithValue("$account", account);
        last.Parameters.AddWithValue("$now", At(Now));
        await last.ExecuteScalarAsync();
        var page = connection.CreateCommand();
        page.CommandText = "SELECT a.Name, a.Employees, u.Name, c.Evidence FROM Accounts a LEFT JOIN Users u ON u.Id = a.OwnerId LEFT JOIN UsageCrossings c ON c.AccountId = a.Id WHERE a.Id = $account";
        page.Parameters.AddWithValue("$account", account);
        await using (var reader = await page.ExecuteReaderAsync())
            await reader.ReadAsync();
        return counts;
    }

    static Task<double> TimeAsync(Func<Task> run) => Timing.MedianMillisecondsAsync(run, WarmUps, Runs);

    sealed class StoppedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }
}
