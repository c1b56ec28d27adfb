using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Access;
using Reach.Data;

namespace Reach.Metrics.Reports;

/// <summary>
/// A report e-mailed after each period closes to chosen recipients, from the owner's connected mailbox and computed
/// with the owner's rights. The scope is kept as ids (<see cref="RepId"/>, <see cref="TeamId"/>) and checked again
/// against the owner at every send, so a manager who loses a team stops sending its figures.
/// </summary>
public class ReportSchedule : Record
{
    public ReportKind Kind { get; set; }

    /// <summary>One rep's figures, or (with <see cref="TeamId"/>) one team's; both null: the owner's default scope.</summary>
    public Guid? RepId { get; set; }
    public Guid? TeamId { get; set; }

    /// <summary>What the scope was called when the schedule was made ("Tom Rep", "Velocity", "Workspace").</summary>
    public required string ScopeLabel { get; set; }

    /// <summary>Addresses, comma-separated, each validated on the way in (<see cref="ReportScheduleInput"/>).</summary>
    public required string Recipients { get; set; }
    public bool Paused { get; set; }

    /// <summary>The last period sent and when; the last error (cleared by the next success), shown on the schedule.</summary>
    public string? LastPeriod { get; set; }
    public DateTime? LastSentAt { get; set; }
    public string? LastError { get; set; }

    public IReadOnlyList<string> RecipientList => Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public enum DeliveryStatus { Sending, Sent, Retrying }

/// <summary>
/// One period's send of a schedule. Unique per (schedule, period): the row is claimed before SMTP is spoken to, so a
/// second runner or a restarted one finds it and sends nothing twice. The Message-ID is fixed on the first attempt.
/// </summary>
public class ReportDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ScheduleId { get; set; }
    public required string Period { get; set; }
    public DeliveryStatus Status { get; set; } = DeliveryStatus.Sending;
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public required string MessageId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

/// <summary>A new schedule: which report, whose figures (as on the Reports page) and to whom.</summary>
public sealed record ReportScheduleInput
{
    /// <summary>weekly, monthly or quarterly.</summary>
    [Required] public ReportKind? Kind { get; init; }

    /// <summary>One rep's figures (email or id); a rep may name only themselves.</summary>
    [StringLength(254)] public string? Rep { get; init; }

    /// <summary>One team's figures (name or id); managers name their own teams, admins any.</summary>
    [StringLength(200)] public string? Team { get; init; }

    /// <summary>Who receives it: 1 to 20 e-mail addresses.</summary>
    [Required] public List<string>? Recipients { get; init; }

    public const int MaxRecipients = 20;

    /// <summary>The recipients checked one by one and joined, or an <see cref="InputException"/> on "recipients" naming the bad one.</summary>
    public string ValidRecipients()
    {
        InputRules.Validate(this);
        var list = Recipients!.Select(r => r?.Trim() ?? "").ToList();
        if (list.Count == 0)
            throw new InputException("recipients", "Give at least one recipient's e-mail address.");
        if (list.Count > MaxRecipients)
            throw new InputException("recipients", $"At most {MaxRecipients} recipients; {list.Count} were given.");
        foreach (var address in list)
            if (!IsAddress(address))
                throw new InputException("recipients", $"'{address}' is not an e-mail address (expected name@example.com).");
        return string.Join(",", list.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    // A plain address: one @, a local part and a dotted domain, no spaces, commas or angle brackets (no display names).
    static bool IsAddress(string text) =>
        text.Length is > 0 and <= 254 && !text.Any(c => char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"')
        && text.Split('@') is [{ Length: > 0 } local, { Length: > 2 } domain] && local.Length <= 64
        && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..", StringComparison.Ordinal)
        && MimeKit.MailboxAddress.TryParse(text, out _);
}

sealed class ReportScheduleMapping : IEntityTypeConfiguration<ReportSchedule>
{
    public void Configure(EntityTypeBuilder<ReportSchedule> schedule)
    {
        schedule.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        schedule.HasIndex(s => s.OwnerId);
        schedule.Property(s => s.Kind).HasConversion<string>().HasMaxLength(12);
        schedule.Property(s => s.ScopeLabel).HasMaxLength(200);
        schedule.Property(s => s.Recipients).HasMaxLength(6000);
        schedule.Property(s => s.LastPeriod).HasMaxLength(40);
        schedule.Property(s => s.LastError).HasMaxLength(1000);
    }
}

sealed class ReportDeliveryMapping : IEntityTypeConfiguration<ReportDelivery>
{
    public void Configure(EntityTypeBuilder<ReportDelivery> delivery)
    {
        delivery.HasOne<ReportSchedule>().WithMany().HasForeignKey(d => d.ScheduleId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasIndex(d => new { d.ScheduleId, d.Period }).IsUnique();
        delivery.Property(d => d.Period).HasMaxLength(40);
        delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        delivery.Property(d => d.LastError).HasMaxLength(1000);
        delivery.Property(d => d.MessageId).HasMaxLength(300);
        // Two passes that both find a send due: the second one's claim (Attempts + 1) fails instead of sending again.
        delivery.Property(d => d.Attempts).IsConcurrencyToken();
    }
}
