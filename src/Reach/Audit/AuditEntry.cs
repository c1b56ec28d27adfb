using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Audit;

/// <summary>What happened; Share and Unshare are entries of the shared record (its id), naming the user in the changes.</summary>
public enum AuditAction { Create, Update, Delete, Restore, Share, Unshare }

/// <summary>
/// One saved change to a record, pipeline or stage: who, when, and the before/after values of the
/// fields that changed. Written only by <see cref="Data.ReachDb"/>'s SaveChanges and never changed
/// afterwards, so every property is init-only.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Increasing in the order entries were written, so it orders the trail without ties.</summary>
    public long Id { get; init; }
    public DateTime At { get; init; }
    public Guid? ActorId { get; init; }
    public required string ActorName { get; init; }
    public AuditAction Action { get; init; }

    /// <summary>The entity's type as the API names it in camelCase: account, deal, pipeline, stage…</summary>
    public required string EntityType { get; init; }
    public Guid EntityId { get; init; }

    /// <summary>JSON text <c>{"field": {"before": …, "after": …}}</c> of the changed fields, values as the API writes them.</summary>
    public required string Changes { get; init; }
}

sealed class AuditEntryMapping : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.Property(e => e.Id).ValueGeneratedOnAdd();
        entry.Property(e => e.ActorName).HasMaxLength(200);
        entry.Property(e => e.Action).HasConversion<string>().HasMaxLength(10);
        entry.Property(e => e.EntityType).HasMaxLength(50);
        entry.HasIndex(e => e.EntityId);
        entry.HasIndex(e => e.ActorId);
        entry.HasIndex(e => e.At);
    }
}
