using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Playbook;

/// <summary>
/// The playbook as a folder of Markdown files, one per item, so a team can keep it in git: a front matter block
/// (<c>id</c>, <c>kind</c>, <c>title</c>, <c>segment</c>, <c>channel</c>, <c>stage</c>, <c>link</c>) then the text.
/// Import matches a file to an item by its id, else by kind and title, and goes through <see cref="PlaybookItemInput"/>:
/// importing an unchanged export changes nothing.
/// </summary>
public static class PlaybookFiles
{
    /// <summary>One item as its Markdown file.</summary>
    public static string Write(PlaybookItem item)
    {
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append($"id: {item.Id}\n");
        text.Append($"kind: {EnumNames.Of(item.Kind)}\n");
        text.Append($"title: {OneLine(item.Title)}\n");
        if (item.Segment is { } segment)
            text.Append($"segment: {segment}\n");
        if (item.Channel is { } channel)
            text.Append($"channel: {EnumNames.Of(channel)}\n");
        if (item.Stage is { } stage)
            text.Append($"stage: {OneLine(stage)}\n");
        if (item.Link is { } link)
            text.Append($"link: {OneLine(link)}\n");
        text.Append("---\n");
        if (item.Body.Length > 0)
            text.Append(item.Body).Append('\n');
        return text.ToString();
    }

    /// <summary>The file name of an item: its kind and title as a slug, unique within <paramref name="taken"/>.</summary>
    public static string FileName(PlaybookItem item, ISet<string> taken)
    {
        var slug = new StringBuilder();
        foreach (var c in item.Title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
            if (slug.Length >= 60)
                break;
        }
        var stem = $"{EnumNames.Of(item.Kind).Replace('_', '-')}-{slug.ToString().Trim('-')}".TrimEnd('-');
        var name = stem + ".md";
        for (var n = 2; !taken.Add(name); n++)
            name = $"{stem}-{n}.md";
        return name;
    }

    /// <summary>Writes every item into <paramref name="folder"/> (made if missing); returns the number of files.</summary>
    public static async Task<int> ExportAsync(ReachDb db, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var items = await db.Set<PlaybookItem>().AsNoTracking().OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
            await File.WriteAllTextAsync(Path.Combine(folder, FileName(item, taken)), Write(item), new UTF8Encoding(false), cancellationToken);
        return items.Count;
    }

    /// <summary>What an import did.</summary>
    public sealed record ImportResult(int Created, int Changed, int Unchanged);

    /// <summary>
    /// Reads every <c>*.md</c> file of <paramref name="folder"/> and saves them in one transaction: all the files are
    /// checked first, and a file at fault is named with its field, nothing saved.
    /// </summary>
    public static async Task<ImportResult> ImportAsync(ReachDb db, string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
            throw new InputException("folder", $"There is no folder {Path.GetFullPath(folder)}.");
        var files = Directory.GetFiles(folder, "*.md").Order(StringComparer.Ordinal).ToList();
        var items = await db.Set<PlaybookItem>().ToListAsync(cancellationToken);
        int created = 0, changed = 0, unchanged = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var (id, input) = Read(name, await File.ReadAllTextAsync(file, cancellationToken));
            var item = (id is { } known ? items.FirstOrDefault(i => i.Id == known) : null)
                ?? items.FirstOrDefault(i => i.Kind == input.Kind && string.Equals(i.Title, input.Title?.Trim(), StringComparison.Ordinal));
            var isNew = item is null;
            item ??= new PlaybookItem { Id = id ?? Guid.CreateVersion7(), Title = "" };
            try
            {
                if (!await input.ApplyAsync(db, item, cancellationToken))
                {
                    unchanged++;
                    continue;
                }
            }
            catch (InputException e)
            {
                throw new InputException(e.Errors.ToDictionary(p => $"{name}: {p.Key}", p => p.Value));
            }
            if (isNew)
            {
                db.Add(item);
                items.Add(item);
                created++;
            }
            else
            {
                changed++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ImportResult(created, changed, unchanged);
    }

    /// <summary>Reads one file: its id (when the front matter has one) and the item's input.</summary>
    public static (Guid? Id, PlaybookItemInput Input) Read(string name, string text)
    {
        text = text.ReplaceLineEndings("\n");
        if (text.StartsWith('\uFEFF'))
            text = text[1..];
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
            throw new InputException($"{name}: front matter", "The file must start with a front matter block (a line '---', then 'kind: script', 'title: …', then '---').");
        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
            throw new InputException($"{name}: front matter", "The front matter block has no closing '---' line.");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 1;
        foreach (var line in text[4..end].Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                throw new InputException($"{name}: line {lineNumber}", $"'{line.Trim()}' is not a 'field: value' line.");
            var key = line[..colon].Trim();
            if (key is not ("id" or "kind" or "title" or "segment" or "channel" or "stage" or "link"))
                throw new InputException($"{name}: {key}", $"'{key}' is not a playbook field: id, kind, title, segment, channel, stage, link.");
            fields[key] = line[(colon + 1)..].Trim();
        }
        var afterClose = text.IndexOf('\n', end + 4);
        var body = afterClose < 0 ? "" : text[(afterClose + 1)..].Trim('\n');

        Guid? id = null;
        if (fields.TryGetValue("id", out var idText) && idText.Length > 0)
            id = Guid.TryParse(idText, out var parsed) ? parsed : throw new InputException($"{name}: id", $"'{idText}' is not an id.");
        T? Enum<T>(string field) where T : struct, System.Enum =>
            fields.TryGetValue(field, out var value) && value.Length > 0
                ? EnumNames.Parse<T>(value) ?? throw new InputException($"{name}: {field}", $"'{value}' is not a {field}: {EnumNames.List<T>()}.")
                : null;
        var kind = Enum<PlaybookKind>("kind") ?? throw new InputException($"{name}: kind", $"The front matter needs a kind: {EnumNames.List<PlaybookKind>()}.");
        return (id, new PlaybookItemInput
        {
            Kind = kind,
            Title = fields.GetValueOrDefault("title"),
            Body = body,
            Link = fields.GetValueOrDefault("link"),
            Segment = Enum<Tier>("segment"),
            Channel = Enum<Channel>("channel"),
            Stage = fields.GetValueOrDefault("stage"),
        });
    }

    static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
