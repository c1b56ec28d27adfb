using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Metrics;

/// <summary>
/// How many units of the workspace currency one unit of <see cref="Currency"/> is worth, from <see cref="ValidFrom"/>
/// until the next rate of that currency. Metrics convert with the rate valid on the day a figure happened.
/// </summary>
public class ExchangeRate : Record
{
    public required string Currency { get; set; }
    public decimal Rate { get; set; }
    public DateOnly ValidFrom { get; set; }
}

sealed class ExchangeRateMapping : IEntityTypeConfiguration<ExchangeRate>
{
    public void Configure(EntityTypeBuilder<ExchangeRate> rate)
    {
        rate.Property(r => r.Currency).HasMaxLength(3);
        rate.Property(r => r.Rate).HasPrecision(18, 8);
        rate.HasIndex(r => new { r.Currency, r.ValidFrom });
    }
}

public sealed record ExchangeRateInput : IRecordInput<ExchangeRate, ExchangeRateInput>
{
    [Required, CurrencyCode] public string? Currency { get; init; }
    [Required, Range(typeof(decimal), "0.00000001", "1000000000")] public decimal? Rate { get; init; }
    [Required] public DateOnly? ValidFrom { get; init; }

    public static ExchangeRateInput From(ExchangeRate r) => new() { Currency = r.Currency, Rate = r.Rate, ValidFrom = r.ValidFrom };

    public ExchangeRate ToNew()
    {
        var rate = new ExchangeRate { Currency = Currency! };
        ApplyTo(rate);
        return rate;
    }

    public void ApplyTo(ExchangeRate r)
    {
        r.Currency = Currency!;
        r.Rate = Rate!.Value;
        r.ValidFrom = ValidFrom!.Value;
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Converts amounts into the workspace currency with the rate valid on a day; never sums currencies raw.</summary>
public sealed class CurrencyConverter(string workspaceCurrency, IEnumerable<ExchangeRate> rates)
{
    readonly Dictionary<string, List<(DateOnly From, decimal Rate)>> byCurrency = rates
        .GroupBy(r => r.Currency, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.OrderBy(r => r.ValidFrom).Select(r => (r.ValidFrom, r.Rate)).ToList(), StringComparer.OrdinalIgnoreCase);

    public string Currency { get; } = workspaceCurrency;

    /// <summary>The days on which <paramref name="currency"/>'s rate changes (each a rate's first day), in order.</summary>
    public IEnumerable<DateOnly> RateDays(string currency) =>
        byCurrency.TryGetValue(currency, out var list) ? list.Select(r => r.From).Distinct() : [];

    /// <summary>The amount in the workspace currency, or null when no rate of its currency is valid on that day.</summary>
    public decimal? Convert(decimal amount, string currency, DateTime at)
    {
        if (string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase))
            return amount;
        if (!byCurrency.TryGetValue(currency, out var list))
            return null;
        var day = DateOnly.FromDateTime(at);
        decimal? rate = null;
        foreach (var (from, r) in list)
        {
            if (from > day)
                break;
            rate = r;
        }
        return rate is { } valid ? amount * valid : null;
    }

    /// <summary>
    /// The amount in <paramref name="to"/> (any currency, through the workspace currency), or null when a rate of
    /// either currency is missing on that day.
    /// </summary>
    public decimal? Convert(decimal amount, string from, string to, DateTime at)
    {
        if (string.Equals(from, to, StringComparison.OrdinalIgnoreCase))
            return amount;
        if (Convert(amount, from, at) is not { } inWorkspace)
            return null;
        return Convert(1m, to, at) is { } unit and > 0 ? inWorkspace / unit : null;
    }

    /// <summary>The workspace's stored rates, as a converter into <paramref name="workspaceCurrency"/>.</summary>
    public static async Task<CurrencyConverter> LoadAsync(ReachDb db, string workspaceCurrency, CancellationToken cancellationToken = default) =>
        new(workspaceCurrency, await db.Set<ExchangeRate>().AsNoTracking().ToListAsync(cancellationToken));
}
