using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;

namespace Reach.Usage;

/// <summary>
/// One product event sent to <c>POST /api/v1/usage</c> (b2e2b, seed 004): someone at a company used the product. Stored
/// once per <see cref="EventId"/> (a resent event changes nothing) with the account it was matched to, if any.
/// </summary>
public class UsageEvent
{
    public long Id { get; set; }

    /// <summary>The sender's id of the event: the idempotency key.</summary>
    public required string EventId { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>Who used the product: the e-mail in lower case, else <c>id:</c> and the product's user id.</summary>
    public required string UserKey { get; set; }

    /// <summary>The company domain the event points at (its hint's or its user's e-mail's); null for free mail or none.</summary>
    public string? Domain { get; set; }

    /// <summary>The account the event was matched to (<see cref="UsageMatching"/>); null while unmatched.</summary>
    public Guid? AccountId { get; set; }
    public string? AccountHint { get; set; }
    public required string Name { get; set; }

    /// <summary>The event's properties as the sender gave them (a JSON object), kept as evidence, never interpreted.</summary>
    public string? Properties { get; set; }
    public DateTime ReceivedAt { get; set; }
}

sealed class UsageEventMapping : IEntityTypeConfiguration<UsageEvent>
{
    public void Configure(EntityTypeBuilder<UsageEvent> e)
    {
        e.ToTable("UsageEvents");
        e.Property(x => x.EventId).HasMaxLength(UsageEventInput.MaxIdLength);
        e.Property(x => x.UserKey).HasMaxLength(330);
        e.Property(x => x.Domain).HasMaxLength(253);
        e.Property(x => x.AccountHint).HasMaxLength(253);
        e.Property(x => x.Name).HasMaxLength(UsageEventInput.MaxNameLength);
        e.Property(x => x.Properties).HasMaxLength(UsageEventInput.MaxPropertiesLength);
        e.HasIndex(x => x.EventId).IsUnique();
        // Active users of an account over a window: the account's events by time, with the user beside them.
        e.HasIndex(x => new { x.AccountId, x.OccurredAt, x.UserKey });
        e.HasIndex(x => new { x.Domain, x.AccountId });
        e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.SetNull);
    }
}
