using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;

namespace Reach.Expansion;

/// <summary>
/// Why an open deal is far out of scale with what was sold before (seed 002: a new customer rarely signs a deal far
/// bigger than any before it): its amount is <see cref="Ratio"/> times <see cref="LargestWon"/>, the largest deal won
/// in <see cref="Segment"/> (null: in the whole workspace, when none was won in its segment). Amounts in <see cref="Currency"/>.
/// </summary>
public sealed record OversizedDeal(decimal Ratio, decimal Amount, decimal LargestWon, string Currency, string? Segment, decimal Factor, string Text);

/// <summary>
/// The deal-size guardrail, the one rule the deal page, the board, the forecast, the API and the manager's list all
/// read: an open deal whose amount is more than k × (the workspace setting <see cref="WorkspaceSettings.DealSizeFactor"/>)
/// the largest deal won in its account's segment, or in the workspace when that segment has no win, is oversized.
/// </summary>
/// <remarks>
/// The largest wins are a workspace fact, read over every owner's deals (a rep sees the figure, not the deals); amounts
/// are compared in the workspace currency at today's rates. Load it once per request and check as many deals as needed.
/// </remarks>
public sealed class DealSizeGuardrail
{
    readonly Dictionary<string, decimal> largestBySegment;
    readonly decimal? largestOverall;
    // The smallest of the segments' largest wins: no deal at or below k × this can be flagged, whatever its segment.
    readonly decimal? smallestLargest;
    readonly CurrencyConverter rates;
    readonly DateTime now;

    DealSizeGuardrail(decimal factor, CurrencyConverter rates, DateTime now, Dictionary<string, decimal> largestBySegment)
    {
        Factor = factor;
        this.rates = rates;
        this.now = now;
        this.largestBySegment = largestBySegment;
        largestOverall = largestBySegment.Count == 0 ? null : largestBySegment.Values.Max();
        smallestLargest = largestBySegment.Count == 0 ? null : largestBySegment.Values.Min();
    }

    /// <summary>k: how many times the largest win a deal may reach before it is flagged.</summary>
    public decimal Factor { get; }

    public string Currency => rates.Currency;

    /// <summary>The largest won deal of a segment (in the workspace currency), or null when none was won there.</summary>
    public decimal? LargestWonIn(string? segment) =>
        segment is not null && largestBySegment.TryGetValue(segment, out var largest) ? largest : null;

    /// <summary>The largest won deal of the workspace, or null when none was ever won.</summary>
    public decimal? LargestWon => largestOverall;

    // The segment key of deals whose account has none (no account, or no plan routed it): they count for the workspace.
    const string NoSegment = "";

    public static async Task<DealSizeGuardrail> LoadAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var rates = await CurrencyConverter.LoadAsync(db, settings.Currency, cancellationToken);
        var now = db.UtcNow;
        // The largest win per segment and currency, over every owner's deals (deleted ones stay out). Double: SQLite
        // does not aggregate decimals; a ratio needs no cent.
        var wins = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking()
            .Where(d => d.Status == DealStatus.Won)
            .GroupBy(d => new { Segment = d.Account == null ? null : d.Account.Segment, d.Currency })
            .Select(g => new { g.Key.Segment, g.Key.Currency, Largest = g.Max(d => (double)d.Amount) })
            .ToListAsync(cancellationToken);
        var bySegment = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var win in wins)
        {
            if (rates.Convert((decimal)win.Largest, win.Currency, now) is not { } largest)
                continue;
            var key = win.Segment ?? NoSegment;
            bySegment[key] = Math.Max(bySegment.GetValueOrDefault(key), Math.Round(largest, 2));
        }
        var guardrail = new DealSizeGuardrail(settings.DealSizeFactor, rates, now, bySegment);
        return guardrail;
    }

    /// <summary>Why <paramref name="deal"/> is oversized, or null: closed deals, deals within k× and deals with no win to compare with are not.</summary>
    public OversizedDeal? Check(Deal deal, string? segment)
    {
        if (deal.Status != DealStatus.Open || deal.DeletedAt is not null || deal.Amount <= 0)
            return null;
        if (rates.Convert(deal.Amount, deal.Currency, now) is not { } amount)
            return null;
        return Compare(amount, segment, segment is { Length: > 0 } ? LargestWonIn(segment) : null, largestOverall, Factor, Currency);
    }

    /// <summary>
    /// The rule itself, for an amount and the largest wins it is measured against (all in <paramref name="currency"/>):
    /// oversized when more than <paramref name="factor"/> × the segment's largest win, or the workspace's when the
    /// segment has none. The forecast applies it at past instants too, with the wins known then (docs/forecasting.md).
    /// </summary>
    public static OversizedDeal? Compare(decimal amount, string? segment, decimal? largestInSegment, decimal? largestOverall, decimal factor, string currency)
    {
        var inSegment = segment is { Length: > 0 } ? largestInSegment : null;
        var largest = inSegment ?? largestOverall;
        if (amount <= 0 || largest is not { } l || l <= 0)
            return null;
        var ratio = amount / l;
        if (ratio <= factor)
            return null;
        var rounded = Math.Round(ratio, 1, MidpointRounding.AwayFromZero);
        var where = inSegment is null ? "the workspace" : segment;
        var text = $"{rounded.ToString("0.0", CultureInfo.InvariantCulture)}× the largest deal won in {where}, {Compact(l, currency)}";
        return new OversizedDeal(rounded, Math.Round(amount, 2), l, currency, inSegment is null ? null : segment, factor, text);
    }

    /// <summary>Sets <see cref="Deal.Oversized"/> on each deal (their accounts' segments are read in one query).</summary>
    public async Task AnnotateAsync(ReachDb db, IReadOnlyCollection<Deal> deals, CancellationToken cancellationToken)
    {
        // Only a deal above k × the smallest segment's largest win can be flagged: the others need no segment, so a page
        // of ordinary deals costs no query.
        var accountIds = deals.Where(d => d.Status == DealStatus.Open && d.AccountId is not null && d.Account is null && MayBeOversized(d))
            .Select(d => d.AccountId!.Value).Distinct().ToList();
        var segments = accountIds.Count == 0
            ? []
            // One parameter whatever the page's length (EF.Parameter): the SQL is built once, not for each new set of ids.
            : await db.Accounts.IgnoreQueryFilters().AsNoTracking().Where(a => EF.Parameter(accountIds).Contains(a.Id))
                .Select(a => new { a.Id, a.Segment }).ToDictionaryAsync(a => a.Id, a => a.Segment, cancellationToken);
        foreach (var deal in deals)
        {
            var segment = deal.Account?.Segment ?? (deal.AccountId is { } id ? segments.GetValueOrDefault(id) : null);
            deal.Oversized = Check(deal, segment);
        }
    }

    bool MayBeOversized(Deal deal) =>
        smallestLargest is { } smallest && deal.Amount > 0
        && rates.Convert(deal.Amount, deal.Currency, now) is { } amount && amount > smallest * Factor;

    /// <summary>Loads the guardrail and annotates <paramref name="deals"/>: the API's one call.</summary>
    public static async Task AnnotateWithAsync(ReachDb db, IReadOnlyCollection<Deal> deals, CancellationToken cancellationToken)
    {
        if (deals.Count == 0 || deals.All(d => d.Status != DealStatus.Open))
            return;
        await (await LoadAsync(db, cancellationToken)).AnnotateAsync(db, deals, cancellationToken);
    }

    /// <summary>One open oversized deal, as the manager's list shows it.</summary>
    public sealed record Flagged(Guid Id, string Name, Guid? AccountId, string? AccountName, Guid? OwnerId, string? OwnerName,
        DealKind Kind, decimal Amount, string Currency, DateOnly? ExpectedClose, OversizedDeal Oversized);

    /// <summary>
    /// The open oversized deals the actor may see (the access filter applies: a manager sees their teams'), largest
    /// ratio first. Candidates are the open deals above k× the smallest largest-win of any segment, read in one query.
    /// </summary>
    public async Task<IReadOnlyList<Flagged>> OpenOversizedAsync(ReachDb db, CancellationToken cancellationToken)
    {
        if (largestBySegment.Count == 0)
            return [];
        // No deal at or below k × the smallest segment's largest win can be flagged: those in the workspace currency are
        // left in the database (others are converted here).
        var threshold = (double)(smallestLargest!.Value * Factor);
        var currency = Currency;
        var open = await db.Deals.AsNoTracking().Include(d => d.Account)
            .Where(d => d.Status == DealStatus.Open && (d.Currency != currency || (double)d.Amount > threshold))
            .Select(d => new { Deal = d, Owner = db.Users.Where(u => u.Id == d.OwnerId).Select(u => u.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var flagged = new List<Flagged>();
        foreach (var row in open)
        {
            if (Check(row.Deal, row.Deal.Account?.Segment) is { } oversized)
                flagged.Add(new Flagged(row.Deal.Id, row.Deal.Name, row.Deal.AccountId, row.Deal.Account?.Name, row.Deal.OwnerId, row.Owner,
                    row.Deal.Kind, row.Deal.Amount, row.Deal.Currency, row.Deal.ExpectedClose, oversized));
        }
        return [.. flagged.OrderByDescending(f => f.Oversized.Ratio).ThenBy(f => f.Name, StringComparer.Ordinal)];
    }

    /// <summary>An amount as a person says it: €65k, €2.5M, €900.</summary>
    public static string Compact(decimal amount, string currency)
    {
        var symbol = currency switch { "EUR" => "€", "USD" => "$", "GBP" => "£", _ => currency + " " };
        var ci = CultureInfo.InvariantCulture;
        return amount switch
        {
            >= 1_000_000m => symbol + (amount / 1_000_000m).ToString("0.#", ci) + "M",
            >= 1_000m => symbol + (amount / 1_000m).ToString("0.#", ci) + "k",
            _ => symbol + amount.ToString("0", ci),
        };
    }
}
