using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;
using Reach.Data;
using Reach.Pipelines;

namespace Reach.Deals;

public enum DealKind { New, Expansion, Renewal }

public enum DealStatus { Open, Won, Lost }

/// <summary>The rep's own call on a deal, beside the forecast computed from history.</summary>
public enum ForecastCategory { Pipeline, BestCase, Commit, Omitted, Closed }

public class Deal : Record
{
    public required string Name { get; set; }
    /// <summary>Null for a deal imported without an account (the source had none); pages show "no account".</summary>
    public Guid? AccountId { get; set; }
    [JsonIgnore]
    public Account? Account { get; set; }
    public Guid? PrimaryContactId { get; set; }

    /// <summary>Annual contract value.</summary>
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public Channel Channel { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    [JsonIgnore]
    public Stage? Stage { get; set; }
    public DateTime StageEnteredAt { get; set; }
    public DateOnly? ExpectedClose { get; set; }
    public ForecastCategory ForecastCategory { get; set; } = ForecastCategory.Pipeline;
    public DealKind Kind { get; set; } = DealKind.New;
    public DealStatus Status { get; set; } = DealStatus.Open;
    public DateTime? ClosedAt { get; set; }
    public string? LostReason { get; set; }
    public string? NextStep { get; set; }

    /// <summary>The competitor the deal is up against, as the competitive matrix names it; its win rate counts the closed deals naming it.</summary>
    public string? Competitor { get; set; }

    /// <summary>Where the deal came from when a lead made it (the lead's source and campaign).</summary>
    public Reach.Leads.LeadSource? Source { get; set; }
    public string? Campaign { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>The system <see cref="ExternalId"/> belongs to (hubspot, salesforce, pipedrive, csv); imports match on the pair.</summary>
    public string? ExternalSource { get; set; }
    public List<DealLineItem> LineItems { get; set; } = [];

    /// <summary>
    /// Set when the deal is far out of scale with what was won before (<see cref="Expansion.DealSizeGuardrail"/>); null
    /// otherwise. Computed on read, never stored.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    public Expansion.OversizedDeal? Oversized { get; set; }

    /// <summary>
    /// Line items, when the deal has any, make its amount: the sum of their totals. Without them the amount is what was
    /// typed. Every way in (API, deal page, importer) prices a deal through this one rule.
    /// </summary>
    public void Reprice()
    {
        if (LineItems.Count > 0)
            Amount = LineItems.Sum(i => i.Total);
    }

    /// <summary>
    /// Moves the deal to a stage of its pipeline. Won and lost stages close the deal and record the
    /// close time; moving back to an open stage reopens it. Returns the history entry to store.
    /// </summary>
    public DealStageChange MoveTo(Stage stage, DateTime now, Guid? by)
    {
        if (stage.PipelineId != PipelineId)
            throw new InvalidOperationException($"Stage '{stage.Name}' is not in this deal's pipeline.");
        var change = new DealStageChange { DealId = Id, FromStageId = StageId, ToStageId = stage.Id, At = now, ByUserId = by };
        StageId = stage.Id;
        Stage = stage;
        StageEnteredAt = now;
        Status = stage.Outcome switch
        {
            StageOutcome.Won => DealStatus.Won,
            StageOutcome.Lost => DealStatus.Lost,
            _ => DealStatus.Open,
        };
        ClosedAt = Status == DealStatus.Open ? null : now;
        if (Status != DealStatus.Lost)
            LostReason = null;
        ForecastCategory = Status == DealStatus.Open
            ? (ForecastCategory == ForecastCategory.Closed ? ForecastCategory.Pipeline : ForecastCategory)
            : ForecastCategory.Closed;
        return change;
    }
}

/// <summary>One move of a deal between stages: the history forecasting learns from.</summary>
public class DealStageChange
{
    public long Id { get; set; }
    public Guid DealId { get; set; }
    public Guid? FromStageId { get; set; }
    public Guid ToStageId { get; set; }
    public DateTime At { get; set; }
    public Guid? ByUserId { get; set; }
}

public class DealLineItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DealId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; } = 1;
    public decimal UnitPrice { get; set; }

    /// <summary>Fraction off the unit price, 0–1.</summary>
    public decimal Discount { get; set; }

    public decimal Total => Math.Round(Quantity * UnitPrice * (1 - Discount), 2);
}

sealed class DealMapping : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> deal)
    {
        deal.Property(d => d.Name).HasMaxLength(200);
        deal.Property(d => d.Amount).HasPrecision(18, 2);
        deal.Property(d => d.Currency).HasMaxLength(3);
        deal.Property(d => d.Channel).HasConversion<string>().HasMaxLength(20);
        deal.Property(d => d.ForecastCategory).HasConversion<string>().HasMaxLength(20);
        deal.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        deal.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        deal.Property(d => d.LostReason).HasMaxLength(500);
        deal.Property(d => d.NextStep).HasMaxLength(500);
        deal.Property(d => d.Competitor).HasMaxLength(100);
        deal.Property(d => d.Source).HasConversion<string>().HasMaxLength(20);
        deal.Property(d => d.Campaign).HasMaxLength(100);
        deal.Property(d => d.ExternalId).HasMaxLength(100);
        deal.HasOne(d => d.Account).WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Restrict);
        deal.HasOne<Pipeline>().WithMany().HasForeignKey(d => d.PipelineId).OnDelete(DeleteBehavior.Restrict);
        deal.HasOne(d => d.Stage).WithMany().HasForeignKey(d => d.StageId).OnDelete(DeleteBehavior.Restrict);
        deal.HasOne<Reach.Contacts.Contact>().WithMany().HasForeignKey(d => d.PrimaryContactId).OnDelete(DeleteBehavior.SetNull);
        deal.HasMany(d => d.LineItems).WithOne().HasForeignKey(l => l.DealId).OnDelete(DeleteBehavior.Cascade);
        deal.HasIndex(d => new { d.StageId, d.Status });
        deal.HasIndex(d => d.AccountId);
        // An owner's deals by creation and by close, holding what a rep's or a team's figures of a period sum (and serving
        // the access filters' owner lookups): those figures never touch the table.
        deal.HasIndex(d => new { d.OwnerId, d.CreatedAt, d.DeletedAt, d.Channel, d.Kind, d.Amount, d.Currency, d.AccountId })
            .HasDatabaseName("IX_Deals_OwnerId_CreatedAt_Covering");
        deal.HasIndex(d => new { d.OwnerId, d.ClosedAt, d.Status, d.DeletedAt, d.Channel, d.Kind, d.Amount, d.Currency, d.AccountId, d.CreatedAt })
            .HasDatabaseName("IX_Deals_OwnerId_ClosedAt_Covering");
        deal.Property(d => d.ExternalSource).HasMaxLength(20);
        deal.HasIndex(d => new { d.ExternalSource, d.ExternalId }).IsUnique().HasFilter(ImportKeys.SetAndLive("ExternalId"));
        deal.HasIndex(d => d.ClosedAt);
        // The deals of one currency by day: the metrics read one by one those of a currency without an exchange rate on
        // their day (to name them), a few among many.
        deal.HasIndex(d => new { d.Currency, d.CreatedAt });
        deal.HasIndex(d => new { d.Currency, d.Status, d.ClosedAt });
        // The metrics read the deals created in their periods and every open one (MetricFacts).
        deal.HasIndex(d => d.CreatedAt);
        // Deals by status and close date, holding every column the metrics read of a deal one by one (the won deals of a
        // period for medians and cycles, the largest losses): those reads never touch the table.
        deal.HasIndex(d => new
        {
            d.Status,
            d.ClosedAt,
            d.DeletedAt,
            d.Channel,
            d.Kind,
            d.Amount,
            d.Currency,
            d.CreatedAt,
            d.OwnerId,
            d.AccountId,
            d.Name,
            d.Id,
            d.ExpectedClose,
            d.StageId,
            d.LostReason,
        }).HasDatabaseName("IX_Deals_Status_ClosedAt_Covering");
    }
}

sealed class DealStageChangeMapping : IEntityTypeConfiguration<DealStageChange>
{
    public void Configure(EntityTypeBuilder<DealStageChange> change)
    {
        change.HasOne<Deal>().WithMany().HasForeignKey(c => c.DealId).OnDelete(DeleteBehavior.Cascade);
        change.HasIndex(c => new { c.DealId, c.At });
        // Proposals sent in a period (MetricFacts).
        change.HasIndex(c => new { c.ToStageId, c.At });
    }
}

sealed class DealLineItemMapping : IEntityTypeConfiguration<DealLineItem>
{
    public void Configure(EntityTypeBuilder<DealLineItem> item)
    {
        item.Property(i => i.Quantity).HasPrecision(18, 4);
        item.Property(i => i.UnitPrice).HasPrecision(18, 2);
        item.Property(i => i.Discount).HasPrecision(5, 4);
        item.Ignore(i => i.Total);
        item.HasOne<Reach.Products.Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
