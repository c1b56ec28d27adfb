using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Access;
using Reach.Data;

namespace Reach.Playbook;

/// <summary>
/// A rep's week in their own words (seed 004's "qualitative results, documented weekly"): what worked, what didn't, and
/// the insight worth keeping. One per rep and week (weeks start on Monday, in UTC as My day counts them). Written by the
/// rep alone; read by the rep, their managers and admins. An insight promoted into the playbook leaves the item pointing
/// back here (<see cref="PlaybookItem.FromInsightId"/>).
/// </summary>
public class WeeklyLog
{
    public const int TextLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }

    /// <summary>The Monday the week starts on.</summary>
    public DateOnly Week { get; set; }
    public string Worked { get; set; } = "";
    public string DidNotWork { get; set; } = "";
    public string Insight { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The Monday of the week <paramref name="day"/> falls in.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The Monday of the week the instant <paramref name="utc"/> falls in (UTC days).</summary>
    public static DateOnly WeekOf(DateTime utc) => WeekOf(DateOnly.FromDateTime(utc));

    /// <summary>Whether My day reminds the rep to write the week: Fridays (and the weekend after), until it is written.</summary>
    public static bool IsReminderDay(DateTime utc) => utc.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday or DayOfWeek.Sunday;
}

sealed class WeeklyLogMapping : IEntityTypeConfiguration<WeeklyLog>
{
    public void Configure(EntityTypeBuilder<WeeklyLog> log)
    {
        log.Property(l => l.Worked).HasMaxLength(WeeklyLog.TextLength);
        log.Property(l => l.DidNotWork).HasMaxLength(WeeklyLog.TextLength);
        log.Property(l => l.Insight).HasMaxLength(WeeklyLog.TextLength);
        log.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        log.HasIndex(l => new { l.UserId, l.Week }).IsUnique();
        log.HasIndex(l => l.Week);
    }
}

/// <summary>A rep's week as written: the one rule the API, My day's form and the week page go through.</summary>
public sealed record WeeklyLogInput
{
    /// <summary>Any day of the week logged (its Monday is kept); empty: this week.</summary>
    public DateOnly? Week { get; init; }
    [StringLength(WeeklyLog.TextLength)] public string? Worked { get; init; }
    [StringLength(WeeklyLog.TextLength)] public string? DidNotWork { get; init; }
    [StringLength(WeeklyLog.TextLength)] public string? Insight { get; init; }

    /// <summary>
    /// Writes the acting user's log of the week (making it the first time). A week not begun yet, or a log with nothing
    /// written, is refused naming the field.
    /// </summary>
    public async Task<WeeklyLog> ApplyAsync(ReachDb db, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        var userId = db.Actor?.UserId ?? throw new InputException("user", "A weekly log is a rep's own; the console has no week to log.");
        var now = db.UtcNow;
        var week = WeeklyLog.WeekOf(Week ?? DateOnly.FromDateTime(now));
        if (week > WeeklyLog.WeekOf(now))
            throw new InputException("week", $"The week of {week:yyyy-MM-dd} has not begun; log a week once it has.");
        string Clean(string? text) => (text ?? "").ReplaceLineEndings("\n").Trim();
        var (worked, didNot, insight) = (Clean(Worked), Clean(DidNotWork), Clean(Insight));
        if (worked.Length + didNot.Length + insight.Length == 0)
            throw new InputException("worked", "Write what worked, what didn't or an insight: the log has nothing in it.");
        var log = await db.WeeklyLogs.FirstOrDefaultAsync(l => l.UserId == userId && l.Week == week, cancellationToken);
        if (log is null)
        {
            log = new WeeklyLog { UserId = userId, Week = week, CreatedAt = now };
            db.WeeklyLogs.Add(log);
        }
        (log.Worked, log.DidNotWork, log.Insight, log.UpdatedAt) = (worked, didNot, insight, now);
        await db.SaveChangesAsync(cancellationToken);
        return log;
    }
}

/// <summary>
/// An insight of a weekly log made into the playbook: a new item (a difficult question's answer, an urgency angle…) or a
/// change to an existing one (a script's new lines). Either way the item keeps the log it came from.
/// </summary>
public sealed record InsightPromotion
{
    /// <summary>The item to change; empty: a new item of <see cref="Kind"/>.</summary>
    public Guid? ItemId { get; init; }
    public PlaybookKind? Kind { get; init; }
    [StringLength(PlaybookItemInput.TitleLength)] public string? Title { get; init; }

    /// <summary>The item's text; empty: the insight itself (a new item), or the item's text with the insight added.</summary>
    [StringLength(PlaybookItemInput.BodyLength)] public string? Body { get; init; }
    public Tier? Segment { get; init; }
    public Channel? Channel { get; init; }
    [StringLength(100)] public string? Stage { get; init; }

    /// <summary>Writes the item through <see cref="PlaybookItemInput"/> (managers and admins) and links it to <paramref name="log"/>.</summary>
    public async Task<PlaybookItem> ApplyAsync(ReachDb db, WeeklyLog log, CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(db.Actor);
        InputRules.Validate(this);
        var insight = string.IsNullOrWhiteSpace(log.Insight) ? log.Worked : log.Insight;
        PlaybookItem item;
        PlaybookItemInput input;
        if (ItemId is { } id)
        {
            item = await db.PlaybookItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
                ?? throw new InputException("itemId", $"No playbook item has the id {id}.");
            var current = PlaybookItemInput.From(item);
            input = current with
            {
                Title = string.IsNullOrWhiteSpace(Title) ? current.Title : Title,
                Body = string.IsNullOrWhiteSpace(Body) ? $"{current.Body}\n\n{insight}".Trim() : Body,
            };
        }
        else
        {
            if (Kind is null)
                throw new InputException("kind", $"Say what the insight becomes: a kind ({EnumNames.List<PlaybookKind>()}), or the itemId of an item to change.");
            item = new PlaybookItem { Title = "" };
            input = new PlaybookItemInput
            {
                Kind = Kind,
                Title = string.IsNullOrWhiteSpace(Title) ? Shorten(insight) : Title,
                Body = string.IsNullOrWhiteSpace(Body) ? insight : Body,
                Segment = Segment,
                Channel = Channel,
                Stage = Stage,
            };
        }
        await input.ApplyAsync(db, item, cancellationToken);
        if (ItemId is null)
            db.PlaybookItems.Add(item);
        item.FromInsightId = log.Id;
        await db.SaveChangesAsync(cancellationToken);
        return item;
    }

    static string Shorten(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length <= 80 ? line : line[..77].TrimEnd() + "…";
    }
}
