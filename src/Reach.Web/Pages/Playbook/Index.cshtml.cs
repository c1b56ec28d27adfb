using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>The playbook: every item, searched by text and filtered by kind, segment, channel and stage (the API's filter).</summary>
public sealed class IndexModel(ReachDb db) : RecordPage(db)
{
    public List<PlaybookItem> Items { get; private set; } = [];
    public List<string> StageNames { get; private set; } = [];
    public PlaybookFilter Filter { get; private set; } = new();
    public bool CanEdit => AccessRules.MayChangePlaybook(Actor);

    public async Task OnGetAsync(string? q, string? kind, string? segment, string? channel, string? stage, CancellationToken cancellationToken)
    {
        Filter = new PlaybookFilter
        {
            Text = q,
            Kind = kind is { Length: > 0 } ? EnumNames.Parse<PlaybookKind>(kind) : null,
            Segment = segment is { Length: > 0 } ? EnumNames.Parse<Tier>(segment) : null,
            Channel = channel is { Length: > 0 } ? EnumNames.Parse<Channel>(channel) : null,
            Stage = stage,
        };
        Items = await Filter.Apply(Db.PlaybookItems.AsNoTracking()).Take(500).ToListAsync(cancellationToken);
        StageNames = await StageNamesAsync(Db, cancellationToken);
    }

    /// <summary>The workspace's stage names, in pipeline order, once each: the choices of a stage tag.</summary>
    public static async Task<List<string>> StageNamesAsync(ReachDb db, CancellationToken cancellationToken) =>
        [.. (await db.Stages.AsNoTracking().OrderBy(s => s.Position).Select(s => s.Name).ToListAsync(cancellationToken)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>A kind as people say it.</summary>
    public static string Words(PlaybookKind kind) => kind switch
    {
        PlaybookKind.Script => "Script",
        PlaybookKind.OnePager => "One-pager",
        PlaybookKind.TalkingPoints => "Talking points",
        PlaybookKind.DifficultQa => "Difficult Q&A",
        PlaybookKind.UrgencyAngle => "Urgency angle",
        PlaybookKind.CastOfCharacters => "Cast of characters",
        PlaybookKind.References => "References",
        PlaybookKind.Proposal => "Proposal template",
        PlaybookKind.OrderForm => "Order form template",
        PlaybookKind.Agreement => "Agreement template",
        _ => "Other",
    };

    /// <summary>An item's tags in words: "segment A · inside · Proposal", or "every deal".</summary>
    public static string Tags(PlaybookItem item)
    {
        var tags = new List<string>();
        if (item.Segment is { } s) tags.Add($"segment {s}");
        if (item.Channel is { } c) tags.Add(Format.Words(c));
        if (item.Stage is { } st) tags.Add(st);
        return tags.Count == 0 ? "every deal" : string.Join(" · ", tags);
    }
}
