using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Playbook;

/// <summary>
/// The kinds of document seed 004 says a team needs before it can sell and keep iterating. The last three are document
/// templates: their text holds merge fields (<see cref="DealDocumentFields"/>) and a deal renders them to PDF.
/// </summary>
public enum PlaybookKind { Script, OnePager, TalkingPoints, DifficultQa, UrgencyAngle, CastOfCharacters, References, Other, Proposal, OrderForm, Agreement }

/// <summary>
/// One piece of the sales playbook: a call script, the one-pager, a difficult question and its answer… Tagged by segment
/// (the account's tier A/B/C), channel and stage name, each left empty when the item fits them all, so the deal page can
/// show the items that fit the deal. Every change is kept as a <see cref="PlaybookItemVersion"/> (who, what, when).
/// Read by everyone; written by managers and admins (<c>AccessRules</c>).
/// </summary>
public class PlaybookItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public PlaybookKind Kind { get; set; }
    public required string Title { get; set; }

    /// <summary>The text itself (plain text, line breaks kept; a Q&amp;A's answer, a script's lines).</summary>
    public string Body { get; set; } = "";

    /// <summary>Where the document lives when it is elsewhere: the deck, the references document.</summary>
    public string? Link { get; set; }

    /// <summary>The segment it is for (an account's tier); null: every segment.</summary>
    public Tier? Segment { get; set; }

    /// <summary>The channel it is for; null: every channel.</summary>
    public Channel? Channel { get; set; }

    /// <summary>The stage it is for, by name (pipelines share stage names); null: every stage.</summary>
    public string? Stage { get; set; }

    /// <summary>The version number: 1 when made, one more at every change.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? UpdatedById { get; set; }
    public string UpdatedByName { get; set; } = "";

    /// <summary>The insight of a weekly log this item was promoted from, kept so the item shows where it came from.</summary>
    public Guid? FromInsightId { get; set; }

    /// <summary>Whether the item is for a deal with these tags (an empty tag fits every value).</summary>
    public bool Fits(Tier? segment, Channel channel, string? stage) =>
        (Segment is null || Segment == segment) && (Channel is null || Channel == channel)
        && (Stage is null || string.Equals(Stage, stage, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An item as it was after one change: the history of <see cref="PlaybookItem"/>, never edited.</summary>
public class PlaybookItemVersion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ItemId { get; set; }
    public int Version { get; set; }
    public PlaybookKind Kind { get; set; }
    public required string Title { get; set; }
    public string Body { get; set; } = "";
    public string? Link { get; set; }
    public Tier? Segment { get; set; }
    public Channel? Channel { get; set; }
    public string? Stage { get; set; }
    public DateTime ChangedAt { get; set; }
    public Guid? ChangedById { get; set; }
    public string ChangedByName { get; set; } = "";

    /// <summary>
    /// The item as it is now, the one copy of its fields: the version row a change stores, and the base an API patch
    /// merges onto (<see cref="PlaybookItemInput.From"/>).
    /// </summary>
    public static PlaybookItemVersion Of(PlaybookItem item) => new()
    {
        ItemId = item.Id,
        Version = item.Version,
        Kind = item.Kind,
        Title = item.Title,
        Body = item.Body,
        Link = item.Link,
        Segment = item.Segment,
        Channel = item.Channel,
        Stage = item.Stage,
        ChangedAt = item.UpdatedAt,
        ChangedById = item.UpdatedById,
        ChangedByName = item.UpdatedByName,
    };

    /// <summary>What changed from <paramref name="before"/>, in words ("title, body").</summary>
    public string ChangesFrom(PlaybookItemVersion? before)
    {
        if (before is null)
            return "created";
        var changed = ChangedFields(before);
        return changed.Count == 0 ? "no change" : string.Join(", ", changed);
    }

    /// <summary>The fields whose content differs from <paramref name="before"/>'s, by their names in words.</summary>
    public List<string> ChangedFields(PlaybookItemVersion before)
    {
        var changed = new List<string>();
        if (before.Kind != Kind) changed.Add("kind");
        if (before.Title != Title) changed.Add("title");
        if (before.Body != Body) changed.Add("text");
        if (before.Link != Link) changed.Add("link");
        if (before.Segment != Segment) changed.Add("segment");
        if (before.Channel != Channel) changed.Add("channel");
        if (before.Stage != Stage) changed.Add("stage");
        return changed;
    }
}

sealed class PlaybookItemMapping : IEntityTypeConfiguration<PlaybookItem>
{
    public void Configure(EntityTypeBuilder<PlaybookItem> item)
    {
        item.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        item.Property(i => i.Title).HasMaxLength(PlaybookItemInput.TitleLength);
        item.Property(i => i.Body).HasMaxLength(PlaybookItemInput.BodyLength);
        item.Property(i => i.Link).HasMaxLength(500);
        item.Property(i => i.Segment).HasConversion<string>().HasMaxLength(1);
        item.Property(i => i.Channel).HasConversion<string>().HasMaxLength(20);
        item.Property(i => i.Stage).HasMaxLength(100);
        item.Property(i => i.UpdatedByName).HasMaxLength(200);
        item.Property(i => i.Version).IsConcurrencyToken();
        item.HasIndex(i => i.Kind);
        item.HasIndex(i => i.Title);
    }
}

sealed class PlaybookItemVersionMapping : IEntityTypeConfiguration<PlaybookItemVersion>
{
    public void Configure(EntityTypeBuilder<PlaybookItemVersion> version)
    {
        version.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        version.Property(i => i.Title).HasMaxLength(PlaybookItemInput.TitleLength);
        version.Property(i => i.Body).HasMaxLength(PlaybookItemInput.BodyLength);
        version.Property(i => i.Link).HasMaxLength(500);
        version.Property(i => i.Segment).HasConversion<string>().HasMaxLength(1);
        version.Property(i => i.Channel).HasConversion<string>().HasMaxLength(20);
        version.Property(i => i.Stage).HasMaxLength(100);
        version.Property(i => i.ChangedByName).HasMaxLength(200);
        version.HasIndex(v => new { v.ItemId, v.Version }).IsUnique();
        version.HasOne<PlaybookItem>().WithMany().HasForeignKey(v => v.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
