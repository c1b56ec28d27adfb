using System.Diagnostics;
using System.Globalization;
using Reach.Bench;

// One benchmark by name, or `all` of them at a size that fits in 30 minutes on a shared 2-core machine:
//   api [SECONDS]                the API's reads against bare ASP.NET Core endpoints (the default)
//   cli [RUNS]                   a CLI command's start (new processes) against `reach --help`
//   forecast [OPEN_DEALS [TRIALS]]  the forecast's Monte Carlo, and the forecast with its refits against one fit
//   import [ROWS]                reach import of company rows against plain EF inserts
//   import-contacts [ROWS…]      reach import of contacts against sqlite3's .import (several sizes: one section)
//   import-deals [ROWS…]         reach import of deals against sqlite3's .import (several sizes: one section)
//   load [--minutes N] [--postgres CONNSTR]  several users over HTTP for minutes (not in `all`: 10 minutes by default)
//   metrics [DEALS [RUNS]]       the dashboard and reports against raw SQL
//   routing [ROWS]               re-routing every account against one bare UPDATE
//   report-pdf [RUNS]            a quarter's report to PDF against the same report to HTML
//   usage [EVENTS]               product events ingested (throughput, memory), an account page's usage figures against raw SQL
// Each rewrites its own section of docs/benchmarks.md and its rows of the summary table at the top, keeping the rest.
// Generated data is kept between runs in REACH_BENCH_CACHE (by default reach-bench-cache in the temp directory).
var command = args.Length > 0 && !char.IsDigit(args[0][0]) ? args[0] : "api";
var rest = args.Length > 0 && !char.IsDigit(args[0][0]) ? args[1..] : args;
int Number(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;

if (command == "all")
{
    var total = Stopwatch.StartNew();
    foreach (var (name, run) in new (string, Func<Task>)[]
    {
        ("api", () => ApiAsync(20)),
        ("routing", () => RoutingAsync(1_000_000)),
        ("forecast", () => ForecastAsync(ForecastBenchmark.DefaultOpenDeals, ForecastBenchmark.DefaultTrials)),
        ("import", () => ImportAsync(100_000)),
        ("import-contacts", () => ContactsAsync([50_000, 200_000])),
        ("import-deals", () => DealsAsync([20_000, 100_000])),
        ("metrics", () => MetricsAsync(100_000, 3)),
        ("report-pdf", () => ReportPdfAsync(3)),
        ("usage", () => UsageAsync(1_000_000)),
        ("cli", () => CliAsync(7)),
    })
    {
        var watch = Stopwatch.StartNew();
        Console.Error.WriteLine($"== {name} (load average {Machine.Load()})");
        await run();
        Console.Error.WriteLine($"== {name} took {watch.Elapsed.TotalMinutes:F1} min");
    }
    Console.Error.WriteLine($"== all took {total.Elapsed.TotalMinutes:F1} min");
    return 0;
}

switch (command)
{
    case "api":
        await ApiAsync(Number(0, 20));
        return 0;
    case "cli":
        await CliAsync(Number(0, 7));
        return 0;
    case "forecast":
        await ForecastAsync(Number(0, ForecastBenchmark.DefaultOpenDeals), Number(1, ForecastBenchmark.DefaultTrials));
        return 0;
    case "import":
        await ImportAsync(Number(0, 100_000));
        return 0;
    case "import-contacts":
        await ContactsAsync(rest.Length > 0 ? [.. rest.Select(r => int.Parse(r, CultureInfo.InvariantCulture))] : [50_000, 200_000]);
        return 0;
    case "import-deals":
        await DealsAsync(rest.Length > 0 ? [.. rest.Select(r => int.Parse(r, CultureInfo.InvariantCulture))] : [20_000, 100_000]);
        return 0;
    case "load":
        await WriteAsync("## Load: several users for minutes (issue 25)", await LoadBenchmark.RunAsync(rest) + Environment.NewLine + Machine.Describe() + Environment.NewLine);
        return 0;
    case "metrics":
        await MetricsAsync(Number(0, 1_000_000), Number(1, 3));
        return 0;
    case "routing":
        await RoutingAsync(Number(0, 1_000_000));
        return 0;
    case "report-pdf":
        await ReportPdfAsync(Number(0, 3));
        return 0;
    case "usage":
        await UsageAsync(Number(0, 1_000_000));
        return 0;
    default:
        Console.Error.WriteLine($"'{command}' is not a benchmark: use api, cli, forecast, import, import-contacts, import-deals, load, metrics, report-pdf, routing, usage or all.");
        return 2;
}

static async Task ApiAsync(int seconds) =>
    await WriteAsync("## API reads", await ApiBenchmark.RunAsync(seconds) + Environment.NewLine + Machine.Describe() + Environment.NewLine);

static async Task CliAsync(int runs)
{
    var body = await CliStartBenchmark.RunAsync(runs);
    if (body.Length > 0)
        await WriteAsync("## CLI start", body + Environment.NewLine + Machine.Describe() + Environment.NewLine);
}

static async Task ForecastAsync(int openDeals, int trials) =>
    await WriteAsync("## Forecast Monte Carlo", ForecastBenchmark.Run(openDeals, trials) + Environment.NewLine + Machine.Describe() + Environment.NewLine);

static async Task ImportAsync(int rows) =>
    await WriteAsync("## Import", await ImportBenchmark.RunAsync(rows, Docs.Root()));

static async Task ContactsAsync(int[] sizes)
{
    var (heading, body) = await ContactImportBenchmark.RunAsync(sizes);
    await WriteAsync(heading, body);
}

static async Task DealsAsync(int[] sizes)
{
    var (heading, body) = await ContactImportBenchmark.RunDealsAsync(sizes);
    await WriteAsync(heading, body);
}

static async Task MetricsAsync(int deals, int runs)
{
    // The generated workspace takes minutes to build: kept per size in the cache unless REACH_BENCH_METRICS_DB says where.
    if (Environment.GetEnvironmentVariable("REACH_BENCH_METRICS_DB") is null)
        Environment.SetEnvironmentVariable("REACH_BENCH_METRICS_DB", Path.Combine(Cache.Directory(), $"metrics-{deals}.db"));
    var metrics = await MetricsBenchmark.RunAsync(deals, deals * 10, runs);
    if (metrics.Length > 0)
        await WriteAsync("## Metrics: dashboard and reports over 1,000,000 deals", metrics + Environment.NewLine + Machine.Describe() + Environment.NewLine);
}

static async Task ReportPdfAsync(int runs)
{
    var body = await ReportPdfBenchmark.RunAsync(runs);
    if (body.Length > 0)
        await WriteAsync("## Report PDF: a quarter's report printed", body + Environment.NewLine + Machine.Describe() + Environment.NewLine);
}

// The heading names no size: a run at 1,000,000 (`all`) and one at 10,000,000 (on request) share the section.
static async Task UsageAsync(int events) =>
    await WriteAsync("## Usage: events ingested and an account page's figures", await UsageBenchmark.RunAsync(events) + Environment.NewLine + Machine.Describe() + Environment.NewLine);

static async Task RoutingAsync(int rows) =>
    await WriteAsync("## Routing", await RoutingBenchmark.RunAsync(rows) + Environment.NewLine + Machine.Describe() + Environment.NewLine);

static async Task WriteAsync(string heading, string body)
{
    await Docs.WriteSectionAsync(heading, body);
    await Docs.WriteSummaryAsync();
    Console.Write(body);
}
