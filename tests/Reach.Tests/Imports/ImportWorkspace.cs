using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Imports;
using Reach.Pipelines;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>A fresh SQLite workspace in a temporary folder (default pipelines, no users), plus file helpers.</summary>
public sealed class ImportWorkspace : IAsyncDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("reach-import-").FullName;

    public Database Database { get; }

    ImportWorkspace() => Database = Database.Sqlite(Path.Combine(Directory, "reach.db"));

    public static async Task<ImportWorkspace> CreateAsync()
    {
        var workspace = new ImportWorkspace();
        await using var db = workspace.Database.Open();
        await workspace.Database.MigrateAsync(db);
        await DefaultPipelines.EnsureAsync(db);
        return workspace;
    }

    public ReachDb Open() => Database.Open();

    public string Write(string name, string content, Encoding? encoding = null)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
        return path;
    }

    public async Task<ImportSummary> ImportAsync(string path, ImportEntity entity, SourceFormat format = SourceFormat.Auto,
        bool createStages = false, string? encoding = null, bool dryRun = false, params (string Column, string Field)[] map)
    {
        await using var db = Open();
        return await Importer.RunAsync(db, path, new ImportOptions
        {
            Entity = entity,
            Format = format,
            CreateStages = createStages,
            Encoding = encoding,
            DryRun = dryRun,
            Map = map.ToDictionary(m => m.Column, m => m.Field),
        });
    }

    public async Task<int> CountAsync<T>() where T : class
    {
        await using var db = Open();
        return await db.Set<T>().CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The shared CRM exports (data/ beside the repository), found from the repository root; skips when absent.</summary>
    public static string SharedData(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Reach.slnx")))
            dir = dir.Parent;
        var path = Path.Combine([dir?.FullName ?? "/", "..", "shared", "data", .. parts]);
        if (!File.Exists(path))
            Assert.Skip($"The shared CRM samples are not here ({Path.GetFullPath(path)}).");
        return Path.GetFullPath(path);
    }

    /// <summary>A header line quoted in data/export_formats.md (HubSpot and Pipedrive publish no files with rows).</summary>
    public static string HeaderFromFormats(string startsWith) =>
        File.ReadLines(SharedData("export_formats.md")).First(l => l.StartsWith(startsWith, StringComparison.Ordinal));

    /// <summary>A CSV row for a header: the given values in their columns, the other cells empty.</summary>
    public static string RowFor(string header, Dictionary<string, string> values)
    {
        var columns = ParseHeader(header);
        foreach (var key in values.Keys)
            Assert.Contains(key, columns);
        return string.Join(",", columns.Select(c => values.TryGetValue(c, out var v) ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : ""));
    }

    public static List<string> ParseHeader(string header) =>
        header.StartsWith('"') ? [.. header.Trim('"').Split("\",\"")] : [.. header.Split(',')];
}
