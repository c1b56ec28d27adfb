using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reach.Access;
using Reach.Bench;
using Reach.Data;
using Reach.Demo;
using Reach.Web;

// `load [--minutes N] [--postgres CONNSTR]` (several users over HTTP; LoadBenchmark), `metrics [DEALS [RUNS]]` (dashboard and reports against raw SQL), `forecast`, `import [ROWS]`, `import-contacts [ROWS]` (against sqlite3's .import) and `routing [ROWS]` run those benchmarks only; otherwise the single-record API read (GET /api/v1/deals/{id} on the
// demo workspace, SQLite) against a bare ASP.NET Core endpoint returning a record of the same size, measured in the
// same run, same client. Each rewrites its own section of docs/benchmarks.md and keeps the others.
var machine = $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
if (args is ["forecast", ..])
{
    var forecast = ForecastBenchmark.Run() + Environment.NewLine + machine + Environment.NewLine;
    await WriteSectionAsync("## Forecast Monte Carlo", forecast);
    Console.Write(forecast);
    return 0;
}
if (args is ["import-contacts", ..])
{
    var (heading, contacts) = await ContactImportBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
    await WriteSectionAsync(heading, contacts);
    Console.Write(contacts);
    return 0;
}
if (args is ["import", ..])
{
    var import = await ImportBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000, FindRoot());
    await WriteSectionAsync("## Import", import);
    Console.Write(import);
    return 0;
}
if (args is ["metrics", ..])
{
    var deals = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    var metrics = await MetricsBenchmark.RunAsync(deals, deals * 10, runs);
    if (metrics.Length == 0)
        return 0;
    metrics += Environment.NewLine + machine + Environment.NewLine;
    await WriteSectionAsync("## Metrics: dashboard and reports over 1,000,000 deals", metrics);
    Console.Write(metrics);
    return 0;
}
if (args is ["load", ..])
{
    var load = await LoadBenchmark.RunAsync(args[1..]) + Environment.NewLine + machine + Environment.NewLine;
    await WriteSectionAsync("## Load: several users for minutes (issue 25)", load);
    Console.Write(load);
    return 0;
}
if (args is ["routing", ..])
{
    var routing = await RoutingBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000) + Environment.NewLine + machine + Environment.NewLine;
    await WriteSectionAsync("## Routing", routing);
    Console.Write(routing);
    return 0;
}
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
const int Workers = 8;
var directory = Directory.CreateTempSubdirectory("reach-bench-").FullName;

await using var reach = ReachApp.Build([], new Dictionary<string, string?>
{
    ["Reach:Db"] = Path.Combine(directory, "bench.db"),
    ["urls"] = "http://127.0.0.1:0",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Reach:RateLimit:ApiPerMinute"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
});
await ReachApp.PrepareAsync(reach);
List<Guid> ids;
string sample;
string token;
await using (var scope = reach.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
    await DemoWorkspace.SeedAsync(db, new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc));
    ids = await db.Deals.Select(d => d.Id).ToListAsync();
    // The API authenticates every call: the measured read includes the token lookup and the actor's access filter (an admin's).
    var admin = await db.Users.FirstAsync(u => u.Role == UserRole.Admin);
    token = (await scope.ServiceProvider.GetRequiredService<UserDirectory>().IssueTokenAsync(admin, "bench", TokenScope.Read, 1, DateTime.UtcNow, default)).Secret;
}
await reach.StartAsync();

var bareBuilder = WebApplication.CreateSlimBuilder();
bareBuilder.WebHost.UseUrls("http://127.0.0.1:0");
bareBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
await using var bare = bareBuilder.Build();
using (var probe = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } })
    sample = await probe.GetStringAsync($"{reach.Urls.First()}/api/v1/deals/{ids[0]}");
bare.MapGet("/deals/{id:guid}", (Guid id) => Results.Text(sample, "application/json"));
await bare.StartAsync();

var bareResult = await LoadAsync(id => $"{bare.Urls.First()}/deals/{id}");
var reachResult = await LoadAsync(id => $"{reach.Urls.First()}/api/v1/deals/{id}");

var report = new StringBuilder()
    .AppendLine($"`GET /api/v1/deals/{{id}}` on the demo workspace ({ids.Count:N0} deals, SQLite), random ids, {Workers} concurrent clients for {seconds} s, against a bare ASP.NET Core endpoint that returns the same JSON from memory — the baseline, measured in the same run with the same client. Client and servers share the machine.")
    .AppendLine()
    .AppendLine("| endpoint | requests/s | p50 ms | p99 ms | vs baseline |")
    .AppendLine("|---|---|---|---|---|")
    .AppendLine(Row("bare endpoint (baseline)", bareResult, bareResult))
    .AppendLine(Row("Reach API read", reachResult, bareResult))
    .AppendLine()
    .AppendLine(machine);
await WriteSectionAsync("## Single-record API read", report.ToString());
Console.Write(report);
Directory.Delete(directory, recursive: true);
return 0;

async Task<(double PerSecond, double P50, double P99)> LoadAsync(Func<Guid, string> url)
{
    // Both servers get the header, so the baseline's client does the same work.
    using var http = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
    for (var i = 0; i < 200; i++)
        (await http.GetAsync(url(ids[i % ids.Count]))).EnsureSuccessStatusCode();
    var latencies = new List<double>[Workers];
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
    {
        var random = new Random(w);
        latencies[w] = [];
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url(ids[random.Next(ids.Count)]));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToList();
    return (all.Count / stop.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
}

static string Row(string name, (double PerSecond, double P50, double P99) r, (double PerSecond, double P50, double P99) baseline) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {r.PerSecond:N0} | {r.P50:F2} | {r.P99:F2} | {r.PerSecond / baseline.PerSecond:P0} of baseline throughput |");

// Replaces the section under this heading (up to the next "## ") or appends it; the rest of the file stays.
static async Task WriteSectionAsync(string heading, string body)
{
    var path = Path.Combine(FindRoot(), "docs", "benchmarks.md");
    var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
    if (!text.StartsWith("# Benchmarks", StringComparison.Ordinal))
        text = "# Benchmarks\n\n" + text;
    var section = $"{heading}\n\n{body}";
    var start = text.IndexOf(heading + "\n", StringComparison.Ordinal);
    if (start < 0)
    {
        text = text.TrimEnd() + "\n\n" + section;
    }
    else
    {
        var end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        text = text[..start] + section + (end < 0 ? "" : "\n" + text[(end + 1)..]);
    }
    await File.WriteAllTextAsync(path, text);
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reach.slnx")))
        dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the Reach repository.");
}
