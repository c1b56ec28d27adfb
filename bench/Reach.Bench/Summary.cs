using System.Globalization;
using System.Runtime.InteropServices;

namespace Reach.Bench;

/// <summary>
/// The table at the top of docs/benchmarks.md: one row per workload with Reach's figure, its baseline's, the ratio and
/// the goal. A benchmark adds its rows as it measures them; the run then replaces those rows (by workload) and keeps
/// every other. Add a row for a new benchmark here, with the section below it that says how it was measured.
/// </summary>
static class Summary
{
    const string Heading = "## Summary";
    const string Header = "| workload | Reach | baseline | ratio | goal | load average | measured |";

    static readonly List<string[]> Rows = [];

    public static void Add(string workload, string reach, string baseline, string ratio, string goal) =>
        Rows.Add([workload, reach, baseline, ratio, goal, Machine.Load(), DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);

    /// <summary>The summary section with this run's rows in place of their earlier figures.</summary>
    public static string Merge(string? existingSection)
    {
        var kept = new List<string[]>();
        foreach (var line in (existingSection ?? "").Split('\n'))
        {
            if (!line.StartsWith("| ", StringComparison.Ordinal) || line.StartsWith("| workload ", StringComparison.Ordinal))
                continue;
            var cells = line.Trim().Trim('|').Split(" | ");
            if (cells.Length >= 7 && Rows.All(r => r[0] != cells[0].Trim()))
                kept.Add([.. cells.Select(c => c.Trim())]);
        }
        var rows = kept.Concat(Rows).ToList();
        return $"Every figure is a ratio against a baseline measured in the same run on the same machine ({Environment.ProcessorCount} cores, shared: the load average is recorded with each row). "
            + "`dotnet run -c Release --project bench/Reach.Bench -- all` runs every benchmark at a size that fits in 30 minutes and rewrites its rows; each section below says how its figures were measured and how to run it alone at full size.\n\n"
            + Header + "\n|---|---|---|---|---|---|---|\n"
            + string.Concat(rows.Select(r => "| " + string.Join(" | ", r) + " |\n"));
    }

    public static string HeadingText => Heading;
}

static class Machine
{
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Describe() =>
        $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
}
