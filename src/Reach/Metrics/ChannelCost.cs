using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Metrics;

/// <summary>What acquiring customers through a channel cost over a period (salaries, ads, tools): the numerator of CAC.</summary>
public class ChannelCost : Record
{
    public Channel Channel { get; set; }
    public DateOnly PeriodStart { get; set; }

    /// <summary>The day after the period's last day.</summary>
    public DateOnly PeriodEnd { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public string? Note { get; set; }
}

sealed class ChannelCostMapping : IEntityTypeConfiguration<ChannelCost>
{
    public void Configure(EntityTypeBuilder<ChannelCost> cost)
    {
        cost.Property(c => c.Channel).HasConversion<string>().HasMaxLength(20);
        cost.Property(c => c.Amount).HasPrecision(18, 2);
        cost.Property(c => c.Currency).HasMaxLength(3);
        cost.Property(c => c.Note).HasMaxLength(500);
        cost.HasIndex(c => new { c.Channel, c.PeriodStart });
    }
}

public sealed record ChannelCostInput : IRecordInput<ChannelCost, ChannelCostInput>
{
    [Required] public Channel? Channel { get; init; }
    [Required] public DateOnly? PeriodStart { get; init; }
    [Required] public DateOnly? PeriodEnd { get; init; }
    [Required, Range(typeof(decimal), "0", "1000000000000")] public decimal? Amount { get; init; }
    [Required, CurrencyCode] public string? Currency { get; init; }
    [StringLength(500)] public string? Note { get; init; }

    public static ChannelCostInput From(ChannelCost c) => new()
    {
        Channel = c.Channel,
        PeriodStart = c.PeriodStart,
        PeriodEnd = c.PeriodEnd,
        Amount = c.Amount,
        Currency = c.Currency,
        Note = c.Note,
    };

    public ChannelCost ToNew()
    {
        var cost = new ChannelCost { Currency = Currency! };
        ApplyTo(cost);
        return cost;
    }

    public void ApplyTo(ChannelCost c)
    {
        c.Channel = Channel!.Value;
        c.PeriodStart = PeriodStart!.Value;
        c.PeriodEnd = PeriodEnd!.Value;
        c.Amount = Amount!.Value;
        c.Currency = Currency!;
        c.Note = Note;
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) =>
        PeriodEnd <= PeriodStart
            ? throw new InputException("periodEnd", "must be after periodStart (it is the day after the period's last day).")
            : Period.RangeError(PeriodStart!.Value, PeriodEnd!.Value) is { } range
            ? throw new InputException("periodEnd", range)
            : Task.CompletedTask;
}
