using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Reach;
using Reach.Access;
using Reach.Bench;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Metrics.Reports;
using Reach.Metrics.Rollups;
using Reach.Web;

/// <summary>
/// The dashboard's figures and the monthly and quarterly report over the 1,000,000-deal workspace
/// (<see cref="MetricsWorkspace"/>), each timed through the application's code (<see cref="DashboardFigures.ComputeAsync"/>,
/// <see cref="Report.BuildAsync"/> serialised as the API does) with the access filters of an admin, a manager and a rep,
/// next to the same aggregates written as raw SQL on the same file, in the same run.
/// </summary>
static class MetricsBenchmark
{
    static int Runs = 3;

    public static async Task<string> RunAsync(int deals, int activities, int runs)
    {
        Runs = runs;
        var file = Environment.GetEnvironmentVariable("REACH_BENCH_METRICS_DB") ?? "/tmp/reach-bench-metrics.db";
        var built = await MetricsWorkspace.EnsureAsync(file, deals, activities);
        var database = Database.Sqlite(file);
        var migrate = Stopwatch.StartNew();
        await using (var db = database.Open())
            await database.MigrateAsync(db);
        migrate.Stop();
        // The stored rollups, built from nothing as the web app's worker builds them the first time, at the workspace's
        // "now", before anything is timed (REACH_BENCH_ROLLUPS=keep: only brought up to date). The build's peak resident
        // memory is the process's high-water mark, reset just before it.
        var rebuild = Environment.GetEnvironmentVariable("REACH_BENCH_ROLLUPS") != "keep";
        await using (var db = database.Open())
        {
            if (rebuild)
                await db.MetricRollupDays.Where(d => d.Day == RollupDays.BuiltMarker).ExecuteDeleteAsync();
        }
        ResetPeakMemory();
        // The process's own memory (anonymous pages), sampled: the high-water mark also counts the database file's pages
        // SQLite reads through its memory map (file-backed, the kernel's page cache), which grow with what is read.
        using var sampling = new CancellationTokenSource();
        long peakAnonymous = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakAnonymous = Math.Max(peakAnonymous, StatusMegabytes("RssAnon:"));
                await Task.Delay(100).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var rollups = Stopwatch.StartNew();
        RollupRun rollupRun;
        await using (var db = database.Open(new StoppedClock(MetricsWorkspace.Now)))
            rollupRun = await RollupRefresh.RunAsync(db, 100_000);
        rollups.Stop();
        await sampling.CancelAsync();
        await sampler;
        var rollupPeak = PeakMemoryMegabytes();
        if (rollupRun.Built)
            Summary.Add($"first rollup build over {deals:N0} deals (`RollupRefresh`, SQLite)",
                string.Create(CultureInfo.InvariantCulture, $"{rollups.Elapsed.TotalSeconds:N0} s, {rollupRun.Rows:N0} rows, own memory (RssAnon) peak {peakAnonymous:N0} MB"),
                "— (before it streamed: 8.7 GB resident, the change tracker holding every row)", "—", "constant memory");
        Console.Error.WriteLine($"rollups: {rollups.Elapsed.TotalSeconds:N0} s, {rollupRun.Rows:N0} rows, RssAnon peak {peakAnonymous:N0} MB, high-water mark {rollupPeak:N0} MB");

        var now = MetricsWorkspace.Now;
        var month = Period.Containing(now, PeriodKind.Month);
        var lastMonth = month.Previous();
        var quarter = Period.Containing(now, PeriodKind.Quarter).Previous();
        var lastWeek = Period.Containing(now, PeriodKind.Week).Previous();
        var json = new JsonSerializerOptions();
        ReachApp.Configure(json);

        List<(string Name, Actor Actor, Guid[]? Owners)> scopes;
        long dealCount, activityCount;
        await using (var db = database.Open())
        {
            var admin = await db.Users.AsNoTracking().FirstAsync(u => u.Role == UserRole.Admin);
            var manager = await db.Users.AsNoTracking().FirstAsync(u => u.NormalizedEmail == "MANAGER01@BENCH.REACH");
            var rep = await db.Users.AsNoTracking().FirstAsync(u => u.NormalizedEmail == "REP01-01@BENCH.REACH");
            var team = await db.Users.AsNoTracking().Where(u => u.TeamId == manager.TeamId).Select(u => u.Id).ToArrayAsync();
            scopes =
            [
                ("admin (workspace)", Actor.For(admin), null),
                ($"manager ({team.Length - 1} reps)", Actor.For(manager) with { TeamUserIds = team }, team),
                ("rep (own records)", Actor.For(rep), [rep.Id]),
            ];
            dealCount = await db.Deals.LongCountAsync();
            activityCount = await db.Activities.LongCountAsync();
        }

        // REACH_PROFILE=1: compute each scope's dashboard once more with every SQL command and its duration logged to
        // stderr, instead of the timed comparison; nothing is written to docs/benchmarks.md.
        // REACH_PROFILE=loop (loop-monthly, loop-quarterly): each scope's dashboard (report) over and over, printing each time (for a CPU profiler to sample, or a
        // quick comparison between two versions of the code).
        var profile = Environment.GetEnvironmentVariable("REACH_PROFILE");
        if (profile is "loop" or "loop-monthly" or "loop-quarterly")
        {
            foreach (var (name, actor, _) in scopes)
            {
                var times = new List<long>();
                for (var i = 0; i < 16; i++)
                {
                    var w = Stopwatch.StartNew();
                    await using var db = database.Open();
                    db.Actor = actor;
                    var scope = await MetricScope.ResolveAsync(db, actor, null, null);
                    if (profile == "loop")
                        await DashboardFigures.ComputeAsync(db, new MetricQuery(month) { RepId = scope.RepId, TeamId = scope.TeamId }, "EUR", now);
                    else if (profile == "loop-monthly")
                        await Report.BuildAsync(db, ReportKind.Monthly, lastMonth, scope, "EUR", now);
                    else
                        await Report.BuildAsync(db, ReportKind.Quarterly, quarter, scope, "EUR", now);
                    times.Add(w.ElapsedMilliseconds);
                }
                Console.Error.WriteLine($"== {name}: {profile} {string.Join(" ", times)} ms; median of the last 8: {times.Skip(8).Order().ElementAt(4)} ms");
            }
            return "";
        }
        // REACH_PROFILE=split: the quarterly report's parts timed apart (reading the facts, computing the metrics, the
        // notable deals), the median of the last 6 of 12 runs for each scope.
        if (profile == "split")
        {
            foreach (var (name, actor, _) in scopes)
            {
                var times = new List<(long Load, long Compute, long Notable)>();
                for (var i = 0; i < 12; i++)
                {
                    await using var db = database.Open();
                    db.Actor = actor;
                    var scope = await MetricScope.ResolveAsync(db, actor, null, null);
                    var query = new MetricQuery(quarter) { RepId = scope.RepId, TeamId = scope.TeamId };
                    var w = Stopwatch.StartNew();
                    var facts = await MetricFacts.LoadAsync(db, "EUR", now, query);
                    var load = w.ElapsedMilliseconds;
                    _ = MetricCatalogue.All.Select(m => MetricService.Compute(facts, m, query, now)).ToList();
                    var compute = w.ElapsedMilliseconds - load;
                    await MetricFacts.LargestClosedAsync(db, DealStatus.Won, "EUR", quarter, query, 20);
                    await MetricFacts.LargestClosedAsync(db, DealStatus.Lost, "EUR", quarter, query, 20);
                    times.Add((load, compute, w.ElapsedMilliseconds - load - compute));
                }
                var last = times.Skip(6).ToList();
                long Median(Func<(long, long, long), long> part) => last.Select(part).Order().ElementAt(last.Count / 2);
                Console.Error.WriteLine($"== {name}: quarterly load {Median(t => t.Item1)} ms, compute {Median(t => t.Item2)} ms, notable {Median(t => t.Item3)} ms");
            }
            return "";
        }
        if (profile == "1")
        {
            foreach (var (name, actor, _) in scopes)
            {
                await using var db = database.Open();
                db.Actor = actor;
                var scope = await MetricScope.ResolveAsync(db, actor, null, null);
                await DashboardFigures.ComputeAsync(db, new MetricQuery(month) { RepId = scope.RepId, TeamId = scope.TeamId }, "EUR", now);
                // Logged twice: the first compiles the queries for the logging context, the second is the one to read.
                Environment.SetEnvironmentVariable("REACH_LOG_SQL", "1");
                for (var pass = 0; pass < 2; pass++)
                {
                    var w = Stopwatch.StartNew();
                    await using var logged = database.Open();
                    logged.Actor = actor;
                    await DashboardFigures.ComputeAsync(logged, new MetricQuery(month) { RepId = scope.RepId, TeamId = scope.TeamId }, "EUR", now);
                    Console.Error.WriteLine($"== {name}: dashboard {w.ElapsedMilliseconds} ms" + (pass == 0 ? " (compiling the logged queries)" : ""));
                }
                Environment.SetEnvironmentVariable("REACH_LOG_SQL", null);
            }
            return "";
        }
        var rows = new List<string>();
        var checks = new List<string>();
        foreach (var (name, actor, owners) in scopes)
        {
            DashboardFigures? dashboard = null;
            var app = await TimeAsync(warmUps: AppWarmUps, run: async () =>
            {
                await using var db = database.Open();
                db.Actor = actor;
                var scope = await MetricScope.ResolveAsync(db, actor, null, null);
                dashboard = await DashboardFigures.ComputeAsync(db, new MetricQuery(month) { RepId = scope.RepId, TeamId = scope.TeamId }, "EUR", now);
            });
            RawFigures? raw = null;
            var sql = await TimeAsync(async () => raw = await RawDashboardAsync(file, month, owners, now));
            rows.Add(Row($"dashboard, {month.Label}", name, app, sql));
            AddSummary($"dashboard of {dealCount:N0} deals, {name}", app, sql);
            Console.Error.WriteLine(rows[^1]);
            checks.Add(Check($"dashboard {month.Label}, {name}", dashboard!.Results, raw!));

            foreach (var (kind, period) in new[] { (ReportKind.Weekly, lastWeek), (ReportKind.Monthly, lastMonth), (ReportKind.Quarterly, quarter) })
            {
                Report? report = null;
                app = await TimeAsync(warmUps: AppWarmUps, run: async () =>
                {
                    await using var db = database.Open();
                    db.Actor = actor;
                    var scope = await MetricScope.ResolveAsync(db, actor, null, null);
                    report = await Report.BuildAsync(db, kind, period, scope, "EUR", now);
                    JsonSerializer.SerializeToUtf8Bytes(report, json);
                });
                sql = await TimeAsync(async () => raw = await RawReportAsync(file, period, owners, now));
                rows.Add(Row($"{kind.ToString().ToLowerInvariant()} report, {period.Label}", name, app, sql));
                AddSummary($"{kind.ToString().ToLowerInvariant()} report over {dealCount:N0} deals, {name}", app, sql);
                Console.Error.WriteLine(rows[^1]);
                checks.Add(Check($"{kind.ToString().ToLowerInvariant()} report {period.Label}, {name}", report!.Metrics, raw!));
            }
        }

        var cuts = await CutsAsync(database, scopes, month, now);

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"A generated SQLite workspace of {dealCount:N0} deals and {activityCount:N0} activities (100,000 accounts, 300,000 leads, 1,000,000 line items, ~480,000 proposal stage changes, 209 users in 10 teams, 19 months up to {now:yyyy-MM-dd}, three channels, 5 % of deals in USD with monthly rates; `bench/Reach.Bench/MetricsWorkspace.cs`). Run with `dotnet run -c Release --project bench/Reach.Bench -- metrics` (the file is kept in /tmp and reused: set REACH_BENCH_METRICS_DB to put it elsewhere).")
            .AppendLine()
            .AppendLine("Application: the dashboard's figures as the page computes them (`DashboardFigures.ComputeAsync`: 13 metrics for the month with the previous month and targets, bookings of the last six months, pipeline created in the last twelve weeks, the open funnel by stage) and the reports as `/api/v1/reports/{weekly|monthly|quarterly}` computes them (`Report.BuildAsync`, all 22 metrics with previous period and targets, notable wins and losses, serialised to the API's JSON), each through a fresh `ReachDb` carrying the actor, so the access filters apply: every scope's figures read the stored rollups (`MetricRollups`, built before anything is timed at the workspace's now: the workspace's rows for the admin, the owners' rows for the rep and for the manager, summed over the team in the database); medians, cycles, speed to first touch and proposals read the values those rows keep of each deal and lead (won deals and leads on two more contexts in parallel); only the notable wins and losses are read as deals. Baseline: the same aggregates (per channel, both periods; medians and P80 from the rows the SQL returns) as hand-written SQL through Microsoft.Data.Sqlite on the same file, the scope as a plain `OwnerId IN (…)`. Each figure is the median of " + Runs + " run(s), after " + AppWarmUps + " warm-up runs for the application (the web app answers warm once it has served a few pages: the first runs after a start pay for the JIT's tiered compilation, up to 3× slower) and one for the raw SQL; every run opens a new context or connection.")
            .AppendLine()
            .AppendLine("| figures | scope | application ms | raw SQL ms | application ÷ raw SQL |")
            .AppendLine("|---|---|---|---|---|");
        rows.ForEach(r => text.AppendLine(r));
        text.AppendLine()
            .AppendLine("The other cuts and pages, for the admin unless named, application only (no hand-written baseline): the dashboard cut by tier (read from the rollups with their tiers), by a segment of the plan and by a product (both read deal by deal: `MetricFacts.LoadDetailedAsync`), all 22 metrics over a custom range of 45 days, the Targets page's bookings timeline (`TargetTimeline.ReadAsync`, the workspace's and a team's targets), and the deals drill-down of the month (`MetricFacts.LoadDetailedAsync`, every deal of the month and the previous one read one by one). Median of " + Runs + " run(s) after " + CutWarmUps + " warm-up runs.")
            .AppendLine()
            .AppendLine("| figures | scope | application ms |")
            .AppendLine("|---|---|---|");
        cuts.ForEach(r => text.AppendLine(r));
        text.AppendLine()
            .AppendLine("Agreement (bookings, deals won, opportunities created, touches and new leads of the period, application against raw SQL): "
                + (checks.All(c => c.EndsWith("agree", StringComparison.Ordinal)) ? "all agree." : string.Join("; ", checks.Where(c => !c.EndsWith("agree", StringComparison.Ordinal)))))
            .AppendLine()
            .AppendLine(rollupRun.Built
                ? $"Building the stored rollups for the whole file from nothing (as the web app's worker does once: a month of days at a time, written in batches of 2,000 with the change tracker cleared) took {rollups.Elapsed.TotalSeconds:N0} s: {rollupRun.Rows:N0} rows over {rollupRun.Days:N0} days, the process's own memory (anonymous pages, `RssAnon`, sampled every 100 ms) peaking at {peakAnonymous:N0} MB; its high-water mark of resident memory (reset before the build) was {rollupPeak:N0} MB, which also counts the database file's pages read through SQLite's memory map (`mmap_size` 2 GB; file-backed, reclaimable)."
                : $"The stored rollups were already built; bringing {rollupRun.Days:N0} stale day(s) up to date took {rollups.Elapsed.TotalSeconds:N1} s.")
            .AppendLine()
            .AppendLine(built is { } b
                ? $"Building the file took {b.TotalSeconds:N0} s; migrating it to the current schema (adding any new index) {migrate.Elapsed.TotalSeconds:N1} s."
                : $"The file was reused; migrating it to the current schema (adding any new index) took {migrate.Elapsed.TotalSeconds:N1} s.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average when it ended: {LoadAverage()}.");
        return text.ToString();
    }

    // The cuts read deal by deal take seconds at this size: JIT warm-up is no part of their time.
    const int CutWarmUps = 2;

    /// <summary>The cuts and pages the dashboard and reports rows leave out, each timed through the application's code.</summary>
    static async Task<List<string>> CutsAsync(Database database, List<(string Name, Actor Actor, Guid[]? Owners)> scopes, Period month, DateTime now)
    {
        var (_, admin, _) = scopes[0];
        var (managerName, manager, _) = scopes[1];
        Guid product;
        string segment;
        await using (var db = database.Open())
        {
            product = await db.DealLineItems.AsNoTracking().OrderBy(l => l.ProductId).Select(l => l.ProductId).FirstAsync();
            segment = await db.Accounts.AsNoTracking().Where(a => a.Segment != null).OrderBy(a => a.Segment).Select(a => a.Segment!).FirstAsync();
        }
        var range = Period.Range(DateOnly.FromDateTime(now).AddDays(-45), DateOnly.FromDateTime(now));
        var bookings = MetricCatalogue.Find("bookings")!;
        var rows = new List<string>();
        async Task Time(string figures, string scopeName, Actor actor, Func<ReachDb, MetricScope, Task> run)
        {
            var ms = await TimeAsync(warmUps: CutWarmUps, run: async () =>
            {
                await using var db = database.Open();
                db.Actor = actor;
                await run(db, await MetricScope.ResolveAsync(db, actor, null, null));
            });
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {figures} | {scopeName} | {ms:N0} |"));
            Summary.Add($"{figures} over 1M deals, {scopeName}", string.Create(CultureInfo.InvariantCulture, $"{ms:N0} ms"), "— (no hand-written baseline)", "—", "< 100 ms");
            Console.Error.WriteLine(rows[^1]);
        }
        await Time($"dashboard, {month.Label}, tier A", "admin (workspace)", admin,
            (db, _) => DashboardFigures.ComputeAsync(db, new MetricQuery(month) { Tier = Tier.A }, "EUR", now));
        await Time($"dashboard, {month.Label}, segment {segment}", "admin (workspace)", admin,
            (db, _) => DashboardFigures.ComputeAsync(db, new MetricQuery(month) { Segment = segment }, "EUR", now));
        await Time($"dashboard, {month.Label}, one product", "admin (workspace)", admin,
            (db, _) => DashboardFigures.ComputeAsync(db, new MetricQuery(month) { ProductId = product }, "EUR", now));
        await Time($"22 metrics, custom range {range.Label}", "admin (workspace)", admin,
            (db, _) => MetricService.ComputeAsync(db, MetricCatalogue.All, new MetricQuery(range), "EUR", now));
        await Time("Targets page, bookings timeline", "admin (workspace)", admin,
            (db, scope) => TargetTimeline.ReadAsync(db, scope, bookings, "EUR", now));
        await Time("Targets page, bookings timeline", managerName, manager,
            (db, scope) => TargetTimeline.ReadAsync(db, scope, bookings, "EUR", now));
        await Time($"deals drill-down, {month.Label}", "admin (workspace)", admin,
            (db, _) => MetricFacts.LoadDetailedAsync(db, "EUR", now, new MetricQuery(month)));
        return rows;
    }

    sealed class StoppedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }

    // The kernel's high-water mark of resident memory for this process: writing 5 to clear_refs resets it.
    static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux, or not allowed: the mark then covers the process from its start.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    static long PeakMemoryMegabytes() => StatusMegabytes("VmHWM:");

    // A line of /proc/self/status in MB (the working set where there is none).
    static long StatusMegabytes(string field)
    {
        if (!File.Exists("/proc/self/status"))
            return Environment.WorkingSet / (1024 * 1024);
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? Environment.WorkingSet / (1024 * 1024) : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    static void AddSummary(string workload, double app, double sql) =>
        Summary.Add(workload, string.Create(CultureInfo.InvariantCulture, $"{app:N0} ms"),
            string.Create(CultureInfo.InvariantCulture, $"{sql:N0} ms (the same aggregates in raw SQL)"),
            string.Create(CultureInfo.InvariantCulture, $"{app / sql:F2}×"), "< 100 ms");

    static string Row(string figures, string scope, double app, double sql) =>
        string.Create(CultureInfo.InvariantCulture, $"| {figures} | {scope} | {app:N0} | {sql:N0} | {app / sql:N1}× |");

    // The application is timed warm, as the web app answers once it has served a few pages (the first runs after a start
    // pay for the JIT's tiered compilation); the raw SQL needs one run to warm the file's pages.
    const int AppWarmUps = 8;

    static Task<double> TimeAsync(Func<Task> run, int warmUps = 1) => Timing.MedianMillisecondsAsync(run, warmUps, Runs);

    static string Check(string what, IReadOnlyList<MetricResult> results, RawFigures raw)
    {
        var wrong = new List<string>();
        void Compare(string id, decimal expected)
        {
            var got = results.FirstOrDefault(r => r.Metric.Id == id)?.Total.Value ?? 0;
            if (Math.Abs(got - expected) > 0.05m)
                wrong.Add(string.Create(CultureInfo.InvariantCulture, $"{id} {got} vs {expected}"));
        }
        Compare("bookings", Math.Round(raw.Bookings, 2));
        Compare("deals_won", raw.Won);
        Compare("opportunities_created", raw.Created);
        Compare("touches", raw.Touches);
        Compare("new_leads", raw.NewLeads);
        return wrong.Count == 0 ? $"{what}: agree" : $"{what}: {string.Join(", ", wrong)}";
    }

    /// <summary>The current period's headline sums, kept to check the application against.</summary>
    sealed record RawFigures(decimal Bookings, long Won, long Created, long Touches, long NewLeads);

    static async Task<RawFigures> RawDashboardAsync(string file, Period month, Guid[]? owners, DateTime now)
    {
        await using var connection = await OpenAsync(file);
        var current = await PeriodAsync(connection, month, owners, now);
        await PeriodAsync(connection, month.Previous(), owners, now);
        var p = month.Previous();
        for (var i = 0; i < 4; i++, p = p.Previous())
            await DealsAsync(connection, p.Previous(), owners);
        var week = Period.Containing(now, PeriodKind.Week);
        for (var i = 0; i < 12; i++, week = week.Previous())
            await DealsAsync(connection, week, owners);
        await ScalarsAsync(connection, "SELECT * FROM Targets WHERE DeletedAt IS NULL");
        await ScalarsAsync(connection, $"""
            SELECT d.StageId, count(*), sum(CAST(d.Amount AS REAL) * {Rate("$now")}) FROM Deals d
            WHERE d.DeletedAt IS NULL AND d.Status = 'Open' {OwnerFilter("d", owners)} GROUP BY d.StageId
            """, ("$now", Day(now)));
        await OpenPipelineAsync(connection, month, owners, now);
        await OpenPipelineAsync(connection, month.Previous(), owners, now);
        return current;
    }

    static async Task<RawFigures> RawReportAsync(string file, Period period, Guid[]? owners, DateTime now)
    {
        await using var connection = await OpenAsync(file);
        var current = await PeriodAsync(connection, period, owners, now);
        await PeriodAsync(connection, period.Previous(), owners, now);
        await OpenPipelineAsync(connection, period, owners, now);
        await OpenPipelineAsync(connection, period.Previous(), owners, now);
        await ScalarsAsync(connection, "SELECT * FROM Targets WHERE DeletedAt IS NULL");
        await ScalarsAsync(connection, "SELECT * FROM ChannelCosts WHERE DeletedAt IS NULL");
        return current;
    }

    static async Task<SqliteConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        // The same memory-mapped reads the application's connections use (SqliteReachDb), so neither side has an edge.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA mmap_size=2147418112;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    static string OwnerFilter(string alias, Guid[]? owners) =>
        owners is null ? "" : $"AND {alias}.OwnerId IN ({string.Join(", ", owners.Select(o => $"'{o.ToString().ToUpperInvariant()}'"))})";

    static string Day(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    // The workspace currency is EUR; other currencies at the latest rate valid on the day.
    static string Rate(string day) =>
        $"(CASE d.Currency WHEN 'EUR' THEN 1.0 ELSE (SELECT CAST(x.Rate AS REAL) FROM ExchangeRates x WHERE x.DeletedAt IS NULL AND x.Currency = d.Currency AND x.ValidFrom <= {day} ORDER BY x.ValidFrom DESC LIMIT 1) END)";

    /// <summary>Every figure of one period by channel: deals, proposals, leads with first touches, touches by type.</summary>
    static async Task<RawFigures> PeriodAsync(SqliteConnection connection, Period period, Guid[]? owners, DateTime now)
    {
        var (bookings, won, created) = await DealsAsync(connection, period, owners);
        var range = new[] { ("$s", Time(period.StartsAt)), ("$e", Time(period.EndsAt)), ("$now", Time(now)) };
        await ScalarsAsync(connection, $"""
            SELECT d.Channel, count(DISTINCT c.DealId) FROM DealStageChanges c JOIN Deals d ON d.Id = c.DealId
            WHERE c.At >= $s AND c.At < $e AND d.DeletedAt IS NULL {OwnerFilter("d", owners)}
              AND c.ToStageId IN (SELECT Id FROM Stages WHERE Name LIKE '%proposal%')
            GROUP BY d.Channel
            """, range);
        var leads = await RowsAsync(connection, $"""
            SELECT coalesce(d.Channel, u.Channel), l.ReceivedAt,
              (SELECT min(a.OccurredAt) FROM Activities a WHERE a.LeadId = l.Id AND a.DeletedAt IS NULL AND a.Type IN ('Call', 'Email', 'Meeting', 'Social'))
            FROM Leads l LEFT JOIN Deals d ON d.Id = l.ConvertedDealId LEFT JOIN Users u ON u.Id = l.OwnerId
            WHERE l.DeletedAt IS NULL AND l.ReceivedAt >= $s AND l.ReceivedAt < $e {OwnerFilter("l", owners)}
            """, range);
        foreach (var channel in leads.GroupBy(l => l[0]))
        {
            var hours = channel.Where(l => l[2] is string).Select(l => Math.Max(0, (DateTime.Parse((string)l[2]!, CultureInfo.InvariantCulture) - DateTime.Parse((string)l[1]!, CultureInfo.InvariantCulture)).TotalHours)).Select(h => (decimal)h).ToList();
            if (hours.Count > 0)
                MetricCatalogue.Median(hours);
        }
        var touches = await RowsAsync(connection, $"""
            SELECT coalesce(d.Channel, u.Channel), a.Type, count(*)
            FROM Activities a LEFT JOIN Deals d ON d.Id = a.DealId AND d.DeletedAt IS NULL LEFT JOIN Users u ON u.Id = a.OwnerId
            WHERE a.DeletedAt IS NULL AND a.OccurredAt >= $s AND a.OccurredAt < $e AND a.OccurredAt <= $now
              AND a.Type IN ('Call', 'Email', 'Meeting', 'Social') AND (a.DueAt IS NULL OR a.CompletedAt IS NOT NULL) {OwnerFilter("a", owners)}
            GROUP BY 1, 2
            """, range);
        return new RawFigures(bookings, won, created, touches.Sum(t => (long)t[2]!), leads.Count);
    }

    /// <summary>Deal figures of one period by channel: created and won (count, converted sum), lost, expansion; won amounts and cycles for the medians.</summary>
    static async Task<(decimal Bookings, long Won, long Created)> DealsAsync(SqliteConnection connection, Period period, Guid[]? owners)
    {
        var range = new[] { ("$s", Time(period.StartsAt)), ("$e", Time(period.EndsAt)) };
        var created = await RowsAsync(connection, $"""
            SELECT d.Channel, count(*), sum(CAST(d.Amount AS REAL) * {Rate("date(d.CreatedAt)")}) FROM Deals d
            WHERE d.DeletedAt IS NULL AND d.CreatedAt >= $s AND d.CreatedAt < $e {OwnerFilter("d", owners)} GROUP BY d.Channel
            """, range);
        var closed = await RowsAsync(connection, $"""
            SELECT d.Channel, d.Status, d.Kind, CAST(d.Amount AS REAL) * {Rate("date(d.ClosedAt)")}, julianday(d.ClosedAt) - julianday(d.CreatedAt) FROM Deals d
            WHERE d.DeletedAt IS NULL AND d.ClosedAt >= $s AND d.ClosedAt < $e AND d.Status IN ('Won', 'Lost') {OwnerFilter("d", owners)}
            """, range);
        // Without a rate the amount is null: left out of the sums and medians, as the application leaves them out.
        var won = closed.Where(r => (string)r[1]! == "Won").ToList();
        var wonCount = won.Count;
        won = [.. won.Where(r => r[3] is double)];
        foreach (var channel in won.GroupBy(r => r[0]))
        {
            MetricCatalogue.Median([.. channel.Select(r => (decimal)(double)r[3]!)]);
            MetricCatalogue.Median([.. channel.Select(r => (decimal)(double)r[4]!)]);
            MetricCatalogue.Percentile([.. channel.Select(r => (decimal)(double)r[4]!)], 0.8);
        }
        return (won.Sum(r => (decimal)(double)r[3]!), wonCount, created.Sum(r => (long)r[1]!));
    }

    static Task OpenPipelineAsync(SqliteConnection connection, Period period, Guid[]? owners, DateTime now) => ScalarsAsync(connection, $"""
        SELECT d.Channel, count(*), sum(CAST(d.Amount AS REAL) * {Rate("$now")}) FROM Deals d
        WHERE d.DeletedAt IS NULL AND d.Status = 'Open' AND d.ExpectedClose < $end {OwnerFilter("d", owners)} GROUP BY d.Channel
        """, ("$end", Day(period.EndsAt)), ("$now", Day(now)));

    static async Task ScalarsAsync(SqliteConnection connection, string sql, params (string, string)[] parameters) =>
        await RowsAsync(connection, sql, parameters);

    static async Task<List<object?[]>> RowsAsync(SqliteConnection connection, string sql, params (string Name, string Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
