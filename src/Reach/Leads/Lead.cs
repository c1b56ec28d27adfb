using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Contacts;
using Reach.Data;
using Reach.Routing;

namespace Reach.Leads;

public enum LeadStatus { New, Working, Qualified, Disqualified, Converted }

public enum LeadSource { Inbound, List, Referral, Event, Partner, Other }

/// <summary>A raw inbound request or list entry, before it is qualified into account, contact and deal.</summary>
public class Lead : Record, IPerson, ITiered
{
    public required string FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Title { get; set; }
    public string? Company { get; set; }
    public string? Domain { get; set; }
    public int? Employees { get; set; }
    public string? Industry { get; set; }

    /// <summary>What the lead's company is expected to sign per year, in the plan's currency; routes before <see cref="Employees"/>.</summary>
    public decimal? ExpectedAcv { get; set; }

    // The active plan's route (Reach.Routing), written by Rerouting only.
    public string? Segment { get; set; }
    public string? RoutedChannel { get; set; }
    public bool DeadZone { get; set; }
    public string? RouteAction { get; set; }
    public string? RouteReason { get; set; }
    public LeadSource Source { get; set; } = LeadSource.Inbound;

    /// <summary>The marketing campaign the lead came from; carried to the account and deal it converts into.</summary>
    public string? Campaign { get; set; }
    public LeadStatus Status { get; set; } = LeadStatus.New;

    /// <summary>When the lead arrived; the response-time clock runs from here to the first touch.</summary>
    public DateTime ReceivedAt { get; set; }
    public DateTime? FirstTouchAt { get; set; }

    /// <summary>When <see cref="LeadAssignment"/> gave the lead to its owner (round robin); null for a lead owned by hand.</summary>
    public DateTime? AssignedAt { get; set; }

    /// <summary>When the lead passed its response target untouched and its owner's manager was told (<see cref="LeadEscalation"/>); once per lead.</summary>
    public DateTime? EscalatedAt { get; set; }

    /// <summary>A, B or C: from the active plan's tier rules on routing, or set by hand (<see cref="ITiered"/>).</summary>
    public Tier? Tier { get; set; }

    /// <inheritdoc/>
    public string? TierReason { get; set; }

    /// <inheritdoc/>
    public bool TierSetByHand { get; set; }
    public Guid? ConvertedAccountId { get; set; }
    public Guid? ConvertedContactId { get; set; }
    public Guid? ConvertedDealId { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>The system <see cref="ExternalId"/> belongs to (hubspot, salesforce, pipedrive, csv); imports match on the pair.</summary>
    public string? ExternalSource { get; set; }
}

sealed class LeadMapping : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        PersonColumns.Map(lead);
        lead.Property(l => l.Company).HasMaxLength(200);
        lead.Property(l => l.Domain).HasMaxLength(253);
        lead.Property(l => l.Industry).HasMaxLength(100);
        lead.Property(l => l.ExternalId).HasMaxLength(100);
        lead.Property(l => l.Campaign).HasMaxLength(100);
        lead.Property(l => l.Source).HasConversion<string>().HasMaxLength(20);
        lead.Property(l => l.Status).HasConversion<string>().HasMaxLength(20);
        lead.Property(l => l.ExternalSource).HasMaxLength(20);
        lead.HasIndex(l => l.Email).IsUnique().HasFilter(ImportKeys.SetAndLive("Email"));
        lead.HasIndex(l => new { l.ExternalSource, l.ExternalId });
        lead.HasIndex(l => l.Status);
        // New leads of a period, of everyone and of some owners (MetricFacts): holding what the metrics read of a lead,
        // so those reads never touch the table.
        lead.HasIndex(l => new { l.ReceivedAt, l.DeletedAt, l.OwnerId, l.ConvertedDealId, l.ConvertedAccountId, l.Id })
            .HasDatabaseName("IX_Leads_ReceivedAt_Covering");
        lead.HasIndex(l => new { l.OwnerId, l.ReceivedAt, l.DeletedAt, l.ConvertedDealId, l.ConvertedAccountId, l.Id })
            .HasDatabaseName("IX_Leads_OwnerId_ReceivedAt_Covering");
        // The leads a deal's or an account's change moves in the stored figures (RollupDays).
        lead.HasIndex(l => l.ConvertedDealId);
        lead.HasIndex(l => l.ConvertedAccountId);
        RouteColumns.Map(lead);
        RouteColumns.MapTier(lead);
    }
}
