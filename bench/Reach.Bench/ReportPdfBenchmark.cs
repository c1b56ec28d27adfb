using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Demo;
using Reach.Metrics;
using Reach.Metrics.Reports;

namespace Reach.Bench;

/// <summary>
/// A quarter's report to PDF on the demo workspace (what <c>GET /api/v1/reports/quarterly?format=pdf</c> and
/// <c>reach report quarterly --pdf</c> do: <see cref="Report.BuildAsync"/>, <see cref="ReportHtmlPage.Render"/>,
/// <see cref="ReportPrinter.PrintAsync(string, string?, CancellationToken)"/>), for the workspace and for its largest
/// team, against the same report to HTML (the baseline, in the same run). Also timed: the way it printed before —
/// a Chromium started with a fresh profile for every print (<c>--print-to-pdf</c>) — which took 26–48 s on a busy machine.
/// And the cold path, as a user runs it: <c>reach report quarterly --pdf</c> (and <c>--html</c>) as a new process of the
/// Release build of the CLI, timed from start to exit with its CPU time, one print per process.
/// </summary>
static class ReportPdfBenchmark
{
    static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<string> RunAsync(int runs)
    {
        var chromium = Environment.GetEnvironmentVariable("Reach__Chromium") ?? ReportPrinter.DefaultChromium;
        if (!File.Exists(chromium))
        {
            Console.Error.WriteLine($"report-pdf: no Chromium at {chromium} (apt-get install chromium): nothing measured.");
            return "";
        }
        var file = Path.Combine(Cache.Directory(), "report-pdf-demo.db");
        var database = Database.Sqlite(file);
        var fresh = !File.Exists(file);
        var seed = Stopwatch.StartNew();
        await using (var db = database.Open(new FixedClock(Now)))
        {
            await database.MigrateAsync(db);
            if (fresh)
                await DemoWorkspace.SeedAsync(db, Now);
        }
        seed.Stop();

        var quarter = Period.Containing(Now, PeriodKind.Quarter);
        MetricScope team;
        int deals;
        await using (var db = database.Open(new FixedClock(Now)))
        {
            var largest = await db.Teams.AsNoTracking()
                .Select(t => new { t.Id, t.Name, Members = db.Users.Count(u => u.TeamId == t.Id) })
                .OrderByDescending(t => t.Members).ThenBy(t => t.Name).FirstAsync();
            team = new MetricScope(null, largest.Id, largest.Name);
            deals = await db.Deals.CountAsync();
        }

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"The quarterly report for {quarter.Label} on the demo workspace ({deals:N0} deals; `reach demo`'s generator at {Now:yyyy-MM-dd}), ")
            .AppendLine(CultureInfo.InvariantCulture, $"for the workspace and for its largest team, {runs} runs each (median). Run with `dotnet run -c Release --project bench/Reach.Bench -- report-pdf [RUNS]`.")
            .AppendLine(CultureInfo.InvariantCulture, $"Load average when it started (other work on the machine): {Machine.Load()}.")
            .AppendLine()
            .AppendLine("| report | build (figures) | HTML (baseline: build + page) | PDF, first print of a process (starts Chromium) | PDF, later prints (Chromium kept) | PDF as before (a Chromium per print) | later prints ÷ HTML |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var scope in new[] { MetricScope.Workspace, team })
        {
            var (build, html, first, warm, before) = await MeasureAsync(database, quarter, scope, chromium, runs);
            // Only the workspace's first print starts Chromium; the team's are all on the running one.
            var started = scope.TeamId is null;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {scope.Label} | {build:N2} s | {html:N2} s | {(started ? $"{first:N2} s" : "— (Chromium already running)")} | {warm:N2} s | {before:N2} s | {warm / html:N1}× |");
            Summary.Add($"quarterly report to PDF, {(started ? "workspace" : "team")} (demo workspace, Chromium kept)",
                started ? $"{warm:N2} s (first print of a process {first:N2} s)" : $"{warm:N2} s", $"{html:N2} s (the same report to HTML)",
                $"{warm / html:N1}×", "< 5 s");
        }
        text.AppendLine().Append(await ColdAsync(file, quarter, team, runs));
        text.AppendLine()
            .AppendLine("Why it took 26–48 s: every print started a Chromium with a new profile (`--print-to-pdf`), which on a busy 2-core machine is most of the time; ")
            .AppendLine("`ReportPrinter` now starts one headless Chromium per process and prints each report in a new tab over the DevTools protocol (`Page.printToPDF`), ")
            .AppendLine("so only a process's first PDF pays for the start. The page itself (inline CSS and SVG, no script, no network) costs Chromium little. ")
            .AppendLine("The web app and the report e-mails keep their Chromium between prints; `reach report --pdf`, one print per process, starts it while it builds the report (the cold rows).")
            .AppendLine(fresh ? $"Generating and migrating the demo workspace took {seed.Elapsed.TotalSeconds:N0} s (kept in the cache for later runs)." : "The demo workspace was reused from the cache.")
            .AppendLine(CultureInfo.InvariantCulture, $"Load average when it ended: {Machine.Load()}.");
        return text.ToString();
    }

    static async Task<(double Build, double Html, double First, double Warm, double Before)> MeasureAsync(
        Database database, Period quarter, MetricScope scope, string chromium, int runs)
    {
        var (builds, htmls, warms, befores) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        double first = 0;
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            Report report;
            await using (var db = database.Open(new FixedClock(Now)))
                report = await Report.BuildAsync(db, ReportKind.Quarterly, quarter, scope, "EUR", Now);
            var built = watch.Elapsed.TotalSeconds;
            var page = ReportHtmlPage.Render(report);
            var html = watch.Elapsed.TotalSeconds;
            builds.Add(built);
            htmls.Add(html);

            var print = Stopwatch.StartNew();
            var pdf = await ReportPrinter.PrintAsync(page, chromium);
            if (pdf.Length < 1000)
                throw new InvalidOperationException("The PDF is empty.");
            if (run == 0 && scope.TeamId is null)
                first = built + print.Elapsed.TotalSeconds;
            else
                warms.Add(built + print.Elapsed.TotalSeconds);

            befores.Add(built + await PrintAsBeforeAsync(page, chromium));
        }
        if (warms.Count == 0)
            warms.Add(first);
        if (first == 0)
            first = warms[0];
        return (Median(builds), Median(htmls), first, Median(warms), Median(befores));
    }

    /// <summary>
    /// The CLI's cold path: <c>reach report quarterly --period … --pdf OUT</c> (and <c>--html OUT</c>) as a new process
    /// of the Release build (<c>src/Reach.Cli/bin/Release</c>), each run a process of its own, timed from start to exit;
    /// CPU time (user + system) by /usr/bin/time, which a busy machine stretches less than the wall clock.
    /// </summary>
    static async Task<string> ColdAsync(string file, Period quarter, MetricScope team, int runs)
    {
        var cli = Path.Combine(Docs.Root(), "src", "Reach.Cli", "bin", "Release", "net10.0", "Reach.Cli.dll");
        if (!File.Exists(cli))
            return $"The cold path was not measured: build the CLI first (`dotnet build -c Release src/Reach.Cli`; {cli} is missing).\n";
        var text = new StringBuilder()
            .AppendLine("**Cold: `reach report quarterly --pdf` as a new process** (the Release build of the CLI, `dotnet Reach.Cli.dll`, on the same workspace file; ")
            .AppendLine(CultureInfo.InvariantCulture, $"each run starts .NET, opens the workspace, builds the report and, for a PDF, starts Chromium and prints; median of {runs}; load average at the start {Machine.Load()}):")
            .AppendLine()
            .AppendLine("| report | output | wall clock | CPU (user + system) |")
            .AppendLine("|---|---|---|---|");
        var output = Directory.CreateTempSubdirectory("reach-bench-cold-");
        try
        {
            foreach (var (label, args) in new[] { ("Workspace", Array.Empty<string>()), (team.Label, (string[])["--team", team.Label]) })
            {
                var medians = new Dictionary<string, (double Wall, double Cpu)>();
                foreach (var format in (string[])["--html", "--pdf"])
                {
                    var (walls, cpus) = (new List<double>(), new List<double>());
                    for (var run = 0; run < runs; run++)
                    {
                        var (wall, cpu) = await RunCliAsync(cli, [.. (string[])["report", "quarterly", "--period", quarter.Label, "--db", file, format,
                            Path.Combine(output.FullName, format == "--pdf" ? "report.pdf" : "report.html")], .. args]);
                        walls.Add(wall);
                        cpus.Add(cpu);
                    }
                    medians[format] = (Median(walls), Median(cpus));
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | `{format}` | {Median(walls):N2} s | {Median(cpus):N2} s |");
                }
                var (pdf, html) = (medians["--pdf"], medians["--html"]);
                Summary.Add($"quarterly report to PDF, {(label == "Workspace" ? "workspace" : "team")}, cold (`reach report --pdf`, a new process)",
                    $"{pdf.Wall:N2} s ({pdf.Cpu:N2} s CPU)", $"{html.Wall:N2} s ({html.Cpu:N2} s CPU; `reach report --html`, a new process)",
                    $"{pdf.Wall / html.Wall:N1}×", "< 5 s");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
        return text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average after the cold runs: {Machine.Load()}.")
            .AppendLine()
            .AppendLine("Where a cold run's time goes: the wall clock on a shared machine is mostly waiting for a core (a run's CPU time is a tenth of it at a load ")
            .AppendLine("of 40–90 on 2 cores), so the CPU column is the figure that holds. Of it, about 1.7 s is any CLI command's start (.NET, EF Core building ")
            .AppendLine("its model, the JIT: `reach user list` costs as much, section \"CLI start\"), 1–1.6 s the report's figures and page (the warm build above, ")
            .AppendLine("plus the JIT of the metrics path), and under 1 s Chromium. `reach report --pdf` starts Chromium while it builds the report ")
            .AppendLine("(`ReportPrinter.StartAsync`), so its start overlaps the build instead of following it: a PDF's wall clock is now that of the ")
            .AppendLine("HTML (the two rows of each report above), where the start used to add 2–4 s. What would take the rest further is the CLI's ")
            .AppendLine("start itself (a ReadyToRun tool package; an EF compiled model, which the query filters prevent: section \"CLI start\").")
            .ToString();
    }

    static Task<(double Wall, double Cpu)> RunCliAsync(string cli, string[] arguments) => TimedProcess.RunAsync(["dotnet", cli, .. arguments]);

    /// <summary>The print as it was: a Chromium with a fresh profile started for the one page, seconds.</summary>
    static async Task<double> PrintAsBeforeAsync(string html, string chromium)
    {
        var directory = Directory.CreateTempSubdirectory("reach-bench-pdf-");
        try
        {
            var watch = Stopwatch.StartNew();
            var page = Path.Combine(directory.FullName, "report.html");
            await File.WriteAllTextAsync(page, html);
            var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                         $"--user-data-dir={Path.Combine(directory.FullName, "profile")}", $"--print-to-pdf={Path.Combine(directory.FullName, "report.pdf")}", new Uri(page).AbsoluteUri])
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            await errors;
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    sealed class FixedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }
}
