using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Reach.Data;
using Reach.Demo;

namespace Reach.Bench;

/// <summary>
/// A CLI command's start, as a user runs it: <c>reach user list</c> and <c>reach expansion oversized</c> (the open deals,
/// read through the access filters) against an existing demo workspace whose schema is current, each run a new process,
/// against <c>reach --help</c> (the baseline: .NET and the command line, no workspace) in the same run. Two builds of the
/// CLI: the Release build run by <c>dotnet</c> (what <c>dotnet run</c> and <c>dotnet tool install</c> run) and the same
/// published ReadyToRun (precompiled: no JIT at start). Runs go round the commands in turn so the machine's load falls
/// on each alike; medians of wall clock and CPU time (user + system, by /usr/bin/time), which a busy machine stretches
/// less than the wall clock.
/// </summary>
static class CliStartBenchmark
{
    static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<string> RunAsync(int runs)
    {
        var root = Docs.Root();
        var release = Path.Combine(root, "src", "Reach.Cli", "bin", "Release", "net10.0", "Reach.Cli.dll");
        if (!File.Exists(release))
        {
            Console.Error.WriteLine($"cli: build the CLI first (`dotnet build -c Release src/Reach.Cli`; {release} is missing): nothing measured.");
            return "";
        }
        var load = Machine.Load();
        var file = Path.Combine(Cache.Directory(), "cli-start-demo.db");
        var fresh = !File.Exists(file);
        var database = Database.Sqlite(file);
        await using (var db = database.Open(new FixedClock(Now)))
        {
            await database.MigrateAsync(db);
            if (fresh)
                await DemoWorkspace.SeedAsync(db, Now);
        }

        var published = Path.Combine(Cache.Directory(), "cli-start-r2r");
        var publish = Stopwatch.StartNew();
        await PublishReadyToRunAsync(root, published);
        publish.Stop();

        var builds = new (string Name, string[] Start)[]
        {
            ("Release build, `dotnet Reach.Cli.dll`", ["dotnet", release]),
            ("ReadyToRun publish", [Path.Combine(published, "Reach.Cli")]),
        };
        var commands = new (string Name, string[] Arguments)[]
        {
            ("`reach --help` (baseline)", ["--help"]),
            ("`reach user list`", ["user", "list", "--db", file]),
            ("`reach expansion oversized`", ["expansion", "oversized", "--db", file]),
        };
        // Every (build, command) once to warm the disk cache (and migrate nothing: the schema is current), then the runs.
        var times = builds.SelectMany(_ => commands).Select(_ => (Walls: new List<double>(), Cpus: new List<double>())).ToList();
        for (var run = -1; run < runs; run++)
            for (var b = 0; b < builds.Length; b++)
                for (var c = 0; c < commands.Length; c++)
                {
                    var (wall, cpu) = await TimedProcess.RunAsync([.. builds[b].Start, .. commands[c].Arguments]);
                    if (run < 0)
                        continue;
                    times[(b * commands.Length) + c].Walls.Add(wall);
                    times[(b * commands.Length) + c].Cpus.Add(cpu);
                }
        var loadAfter = Machine.Load();

        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"A command against the demo workspace (`reach demo`'s generator at {Now:yyyy-MM-dd}, SQLite, schema current: nothing to migrate), each run a new process, ")
            .AppendLine(CultureInfo.InvariantCulture, $"against `reach --help` (.NET and the command line, no workspace) in the same run; median of {runs} runs after one warm-up, the runs going round the commands in turn. ")
            .AppendLine("CPU is user + system time (/usr/bin/time): on a shared machine the wall clock is mostly waiting for a core, so CPU is the figure that holds under load and the wall clock only when idle. ")
            .AppendLine("Run with `dotnet build -c Release src/Reach.Cli && dotnet run -c Release --project bench/Reach.Bench -- cli [RUNS]`; it publishes the ReadyToRun build itself ")
            .AppendLine(CultureInfo.InvariantCulture, $"(`dotnet publish src/Reach.Cli -c Release -r {RuntimeInformation.RuntimeIdentifier} --self-contained false -p:PublishReadyToRun=true`, {publish.Elapsed.TotalSeconds:N0} s this time).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average at the start {load} and at the end {loadAfter} on {Environment.ProcessorCount} cores: {(Busy(load) || Busy(loadAfter) ? "a loaded machine, so the wall clock is stretched" : "an idle machine")}.")
            .AppendLine()
            .AppendLine("| build | command | wall clock | CPU (user + system) | × `--help` (wall) | × `--help` (CPU) |")
            .AppendLine("|---|---|---|---|---|---|");
        for (var b = 0; b < builds.Length; b++)
        {
            var (helpWall, helpCpu) = Medians(times[b * commands.Length]);
            for (var c = 0; c < commands.Length; c++)
            {
                var (wall, cpu) = Medians(times[(b * commands.Length) + c]);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {builds[b].Name} | {commands[c].Name} | {wall:N2} s | {cpu:N2} s | {wall / helpWall:N1}× | {cpu / helpCpu:N1}× |");
                if (c > 0)
                    Summary.Add($"CLI start: {commands[c].Name} against the demo workspace, a new process ({builds[b].Name})",
                        $"{wall:N2} s ({cpu:N2} s CPU)", $"{helpWall:N2} s ({helpCpu:N2} s CPU; `reach --help`, same build)",
                        $"{cpu / helpCpu:N1}× by CPU, {wall / helpWall:N1}× by the clock", "< 0.5 s");
            }
        }
        return text.AppendLine()
            .AppendLine(fresh ? "The demo workspace was generated for this run (kept in the cache for later runs)." : "The demo workspace was reused from the cache.")
            .AppendLine()
            .AppendLine("What a command's start is made of. A CLI command builds no web host and migrates nothing when the schema is current (one query on ")
            .AppendLine("the migration history), and the EF model comes compiled (`src/Reach/Data/CompiledModels`, docs/decisions.md \"Compiled models\"): building ")
            .AppendLine("it from `OnModelCreating` was 57 % of `reach user list` (profile of 2026-12-07 19:36, JIT build). A sampled profile of the ReadyToRun ")
            .AppendLine("build's `reach user list` with the compiled model (`dotnet-trace --profile dotnet-sampled-thread-time`, 2026-12-07 22:44, load about 50) ")
            .AppendLine("splits its main thread: the context's options and EF's own service provider for them 32 %; the migration check 20 % (EF's ")
            .AppendLine("`GetPendingMigrationsAsync`: the migrations found by reflection, a model of the history table built by conventions, the table's ")
            .AppendLine("existence, one query); the command's one query 21 % (EF translating the LINQ, and the relational mappings built on first use); ")
            .AppendLine("the data-protection key certificate (PKCS #12, loaded as the workspace's services are registered) 11 %; the command line 5 %; ")
            .AppendLine("loading the compiled model with its filters under 5 %. Without ReadyToRun the JIT compiles all of that first (EF's assemblies ")
            .AppendLine("from NuGet are not precompiled), which is most of the difference between the two builds.")
            .ToString();
    }

    static bool Busy(string load) =>
        double.TryParse(load.Split(' ')[0], CultureInfo.InvariantCulture, out var oneMinute) && oneMinute >= Environment.ProcessorCount;

    static async Task PublishReadyToRunAsync(string root, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["publish", Path.Combine(root, "src", "Reach.Cli"), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier,
                     "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var said = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}: {await said}{await errors}");
    }

    static (double Wall, double Cpu) Medians((List<double> Walls, List<double> Cpus) times) => (Median(times.Walls), Median(times.Cpus));

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    sealed class FixedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }
}
