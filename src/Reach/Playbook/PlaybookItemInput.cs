using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Playbook;

/// <summary>
/// A playbook item's writable fields, the one set of rules the API, the pages, the CLI import and the promotion of an
/// insight go through. <see cref="ApplyAsync"/> writes a new version only when something changed, so importing the
/// same files twice changes nothing.
/// </summary>
public sealed record PlaybookItemInput
{
    public const int TitleLength = 200;
    public const int BodyLength = 20000;

    [Required] public PlaybookKind? Kind { get; init; }
    [Required, StringLength(TitleLength, MinimumLength = 1)] public string? Title { get; init; }
    [StringLength(BodyLength)] public string? Body { get; init; }
    [StringLength(500)] public string? Link { get; init; }
    public Tier? Segment { get; init; }
    public Channel? Channel { get; init; }
    [StringLength(100)] public string? Stage { get; init; }

    /// <summary>The input that would write <paramref name="item"/> as it is: the base a PATCH merges its fields onto.</summary>
    public static PlaybookItemInput From(PlaybookItem item)
    {
        var content = PlaybookItemVersion.Of(item);
        return new()
        {
            Kind = content.Kind,
            Title = content.Title,
            Body = content.Body,
            Link = content.Link,
            Segment = content.Segment,
            Channel = content.Channel,
            Stage = content.Stage,
        };
    }

    /// <summary>
    /// Checks the input (the stage is one of the workspace's stage names, the link a web address), then writes it onto
    /// <paramref name="item"/> with a new version recording who changed it and when. Returns false, writing nothing,
    /// when the input is what the item already holds.
    /// </summary>
    public async Task<bool> ApplyAsync(ReachDb db, PlaybookItem item, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        var title = Title!.Trim();
        var body = (Body ?? "").ReplaceLineEndings("\n").Trim();
        var link = string.IsNullOrWhiteSpace(Link) ? null : Link.Trim();
        if (link is not null && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            throw new InputException("link", $"'{link}' is not a web address; write it like https://docs.example.com/deck.");
        // A document template is checked when saved, so a deal's PDF never shows a blank or a "{{…}}".
        if (DealDocuments.IsTemplate(Kind!.Value) && DealDocumentFields.Problem(body) is { } problem)
            throw new InputException("body", problem);
        string? stage = null;
        if (!string.IsNullOrWhiteSpace(Stage))
        {
            var names = await db.Stages.AsNoTracking().Select(s => s.Name).Distinct().ToListAsync(cancellationToken);
            stage = names.FirstOrDefault(n => n.Equals(Stage.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException("stage", $"'{Stage.Trim()}' is not a stage of the workspace's pipelines: {string.Join(", ", names.Order(StringComparer.OrdinalIgnoreCase))}.");
        }

        var isNew = db.Entry(item).State == EntityState.Detached || item.Version == 0;
        var before = isNew ? null : PlaybookItemVersion.Of(item);
        item.Kind = Kind!.Value;
        item.Title = title;
        item.Body = body;
        item.Link = link;
        item.Segment = Segment;
        item.Channel = Channel;
        item.Stage = stage;
        if (before is not null && PlaybookItemVersion.Of(item).ChangedFields(before).Count == 0)
            return false;

        var now = db.UtcNow;
        item.Version += 1;
        if (isNew)
            item.CreatedAt = now;
        item.UpdatedAt = now;
        item.UpdatedById = db.Actor?.UserId;
        item.UpdatedByName = db.Actor?.Name ?? Reach.Audit.AuditTrail.NoActor;
        db.Add(PlaybookItemVersion.Of(item));
        return true;
    }
}

/// <summary>The playbook's filters, one reading for the API, the pages and the CLI.</summary>
public sealed record PlaybookFilter
{
    public string? Text { get; init; }
    public PlaybookKind? Kind { get; init; }
    public Tier? Segment { get; init; }
    public Channel? Channel { get; init; }
    public string? Stage { get; init; }

    /// <summary>
    /// The items matching: <see cref="Text"/> in the title or text (any case); a tag filter keeps the items with that
    /// tag and those for every value of it (an untagged Q&amp;A answers for every segment).
    /// </summary>
    public IQueryable<PlaybookItem> Apply(IQueryable<PlaybookItem> items)
    {
        if (!string.IsNullOrWhiteSpace(Text))
        {
            var text = Text.Trim().ToLowerInvariant();
            items = items.Where(i => i.Title.ToLower().Contains(text) || i.Body.ToLower().Contains(text));
        }
        if (Kind is { } kind)
            items = items.Where(i => i.Kind == kind);
        if (Segment is { } segment)
            items = items.Where(i => i.Segment == null || i.Segment == segment);
        if (Channel is { } channel)
            items = items.Where(i => i.Channel == null || i.Channel == channel);
        if (!string.IsNullOrWhiteSpace(Stage))
        {
            var stage = Stage.Trim().ToLowerInvariant();
            items = items.Where(i => i.Stage == null || i.Stage.ToLower() == stage);
        }
        return items.OrderBy(i => i.Kind).ThenBy(i => i.Title);
    }
}
