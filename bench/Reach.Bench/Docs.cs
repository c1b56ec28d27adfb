namespace Reach.Bench;

/// <summary>docs/benchmarks.md: each benchmark's section, and the summary table at the top.</summary>
static class Docs
{
    // Replaces the section under this heading (up to the next "## ") or appends it; the rest of the file stays.
    public static async Task WriteSectionAsync(string heading, string body)
    {
        var path = Path.Combine(Root(), "docs", "benchmarks.md");
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

    /// <summary>The summary table with this run's rows, as the first section of the file.</summary>
    public static async Task WriteSummaryAsync()
    {
        var path = Path.Combine(Root(), "docs", "benchmarks.md");
        var text = await File.ReadAllTextAsync(path);
        var heading = Summary.HeadingText + "\n";
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        string? existing = null;
        if (start >= 0)
        {
            var end = text.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            existing = end < 0 ? text[start..] : text[start..(end + 1)];
            text = text[..start] + (end < 0 ? "" : text[(end + 1)..]);
        }
        var section = $"{heading}\n{Summary.Merge(existing)}\n";
        var first = text.IndexOf("\n## ", StringComparison.Ordinal);
        text = first < 0 ? text.TrimEnd() + "\n\n" + section : text[..(first + 1)] + section + text[(first + 1)..];
        await File.WriteAllTextAsync(path, text);
    }

    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reach.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the Reach repository.");
    }
}

/// <summary>Where generated data is kept between runs, outside the repository: REACH_BENCH_CACHE, else reach-bench-cache in the temp directory.</summary>
static class Cache
{
    public static string Directory()
    {
        var path = Environment.GetEnvironmentVariable("REACH_BENCH_CACHE") ?? Path.Combine(Path.GetTempPath(), "reach-bench-cache");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
