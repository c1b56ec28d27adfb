using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Activities;

public enum ActivityType { Call, Email, Meeting, Note, Social, Task }

public enum Direction { None, Outbound, Inbound }

/// <summary>A touch (or a note) on a contact, account, deal or lead; a task when it is due and not yet done.</summary>
public class Activity : Record
{
    public ActivityType Type { get; set; }
    public Direction Direction { get; set; }
    public required string Subject { get; set; }
    public string? Body { get; set; }

    /// <summary>Free text the rep chooses ("connected", "left voicemail", "no show").</summary>
    public string? Outcome { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>Set for planned touches; a touch is done when <see cref="CompletedAt"/> is set.</summary>
    public DateTime? DueAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? ContactId { get; set; }
    public Guid? DealId { get; set; }
    public Guid? LeadId { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>The system <see cref="ExternalId"/> belongs to (hubspot, salesforce, pipedrive, csv); imports match on the pair.</summary>
    public string? ExternalSource { get; set; }
}

sealed class ActivityMapping : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> activity)
    {
        activity.Property(a => a.Type).HasConversion<string>().HasMaxLength(10);
        activity.Property(a => a.Direction).HasConversion<string>().HasMaxLength(10);
        activity.Property(a => a.Subject).HasMaxLength(300);
        activity.Property(a => a.Body).HasMaxLength(20000);
        activity.Property(a => a.Outcome).HasMaxLength(200);
        activity.Property(a => a.ExternalId).HasMaxLength(100);
        activity.HasOne<Reach.Accounts.Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        activity.HasOne<Reach.Contacts.Contact>().WithMany().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Restrict);
        activity.HasOne<Reach.Deals.Deal>().WithMany().HasForeignKey(a => a.DealId).OnDelete(DeleteBehavior.Restrict);
        activity.HasOne<Reach.Leads.Lead>().WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Restrict);
        activity.HasIndex(a => new { a.AccountId, a.OccurredAt });
        activity.HasIndex(a => new { a.ContactId, a.OccurredAt });
        activity.HasIndex(a => new { a.DealId, a.OccurredAt });
        // A lead's first touch (speed to first touch) is read from the index alone.
        activity.HasIndex(a => new { a.LeadId, a.OccurredAt, a.Type, a.DeletedAt });
        activity.Property(a => a.ExternalSource).HasMaxLength(20);
        activity.HasIndex(a => new { a.ExternalSource, a.ExternalId }).IsUnique().HasFilter(ImportKeys.SetAndLive("ExternalId"));
        activity.HasIndex(a => new { a.OwnerId, a.DueAt });
        // Covers the metrics' touch counts over a date range (MetricFacts): no row is read beside the index.
        activity.HasIndex(a => new { a.OccurredAt, a.Type, a.DueAt, a.CompletedAt, a.OwnerId, a.DealId, a.AccountId, a.DeletedAt });
        // The same, per owner: a rep's or a team's touches of a period without scanning everyone's.
        activity.HasIndex(a => new { a.OwnerId, a.OccurredAt, a.Type, a.DueAt, a.CompletedAt, a.DealId, a.AccountId, a.DeletedAt });
    }
}
