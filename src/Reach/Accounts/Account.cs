using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;
using Reach.Routing;

namespace Reach.Accounts;

/// <summary>A company Reach sells to.</summary>
public class Account : Record, ITiered
{
    public required string Name { get; set; }

    /// <summary>Normalised (lower case, no scheme, no www.): the key imports deduplicate on.</summary>
    public string? Domain { get; set; }
    public int? Employees { get; set; }
    public decimal? AnnualRevenue { get; set; }
    public string? Industry { get; set; }
    public string? Region { get; set; }
    /// <summary>A, B or C: from the active plan's tier rules on routing, or set by hand (<see cref="ITiered"/>).</summary>
    public Tier? Tier { get; set; }

    /// <inheritdoc/>
    public string? TierReason { get; set; }

    /// <inheritdoc/>
    public bool TierSetByHand { get; set; }
    public Channel? Channel { get; set; }
    public Lifecycle Lifecycle { get; set; } = Lifecycle.Prospect;

    /// <summary>What the account is expected to sign per year, in the plan's currency; routes before <see cref="Employees"/>.</summary>
    public decimal? ExpectedAcv { get; set; }

    // The active plan's route (Reach.Routing), written by Rerouting only.
    public string? Segment { get; set; }
    public string? RoutedChannel { get; set; }
    public bool DeadZone { get; set; }
    public string? RouteAction { get; set; }
    public string? RouteReason { get; set; }

    /// <summary>Where the account came from when a lead made it (the lead's source and campaign).</summary>
    public Reach.Leads.LeadSource? Source { get; set; }
    public string? Campaign { get; set; }

    /// <summary>The id the record had in the system it was imported from.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The system <see cref="ExternalId"/> belongs to (hubspot, salesforce, pipedrive, csv); imports match on the pair.</summary>
    public string? ExternalSource { get; set; }

    public static string? NormaliseDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
            return null;
        var d = domain.Trim().ToLowerInvariant();
        var scheme = d.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            d = d[(scheme + 3)..];
        var slash = d.IndexOfAny(['/', '?', '#']);
        if (slash >= 0)
            d = d[..slash];
        if (d.StartsWith("www.", StringComparison.Ordinal))
            d = d[4..];
        return d.TrimEnd('.');
    }
}

sealed class AccountMapping : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> account)
    {
        account.Property(a => a.Name).HasMaxLength(200);
        account.Property(a => a.Domain).HasMaxLength(253);
        account.Property(a => a.Industry).HasMaxLength(100);
        account.Property(a => a.Region).HasMaxLength(100);
        account.Property(a => a.ExternalId).HasMaxLength(100);
        account.Property(a => a.AnnualRevenue).HasPrecision(18, 2);
        account.Property(a => a.Channel).HasConversion<string>().HasMaxLength(20);
        account.Property(a => a.Lifecycle).HasConversion<string>().HasMaxLength(20);
        account.Property(a => a.ExternalSource).HasMaxLength(20);
        account.Property(a => a.Source).HasConversion<string>().HasMaxLength(20);
        account.Property(a => a.Campaign).HasMaxLength(100);
        // One live account per domain: the key imports deduplicate on (deleted ones may repeat it).
        account.HasIndex(a => a.Domain).IsUnique().HasFilter(ImportKeys.SetAndLive("Domain"));
        account.HasIndex(a => new { a.ExternalSource, a.ExternalId });
        account.HasIndex(a => a.Name);
        account.HasIndex(a => a.OwnerId);
        RouteColumns.Map(account);
        RouteColumns.MapTier(account);
    }
}
