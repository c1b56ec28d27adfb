using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;

namespace Reach.Planning;

public enum CalibrationFlag
{
    /// <summary>The actual median cycle is more than 25% longer than the plan assumes.</summary>
    CycleUnderestimated,

    /// <summary>The actual win rate is more than 20% lower than the plan assumes.</summary>
    WinRateOptimistic,

    /// <summary>The actual won deals per rep-year are more than 20% lower than the plan assumes.</summary>
    DealsPerRepOptimistic,

    /// <summary>The actual share of leads that became an opportunity is more than 20% lower than the plan assumes.</summary>
    LeadToOpportunityOptimistic,

    /// <summary>A segment's planned ACV is more than 1.5× the median won.</summary>
    AcvAboveActual,

    /// <summary>A segment's planned ACV is less than the median won divided by 1.5.</summary>
    AcvBelowActual,
}

/// <summary>
/// A plan's assumptions beside the workspace's actual figures over the trailing 12 months of closed new-business
/// deals (PLANNER.md "Calibration against the CRM"). Null actuals mean there was no data; figures are unrounded.
/// </summary>
public sealed record Calibration(
    DateTime From,
    DateTime AsOf,
    string Currency,
    IReadOnlyList<ChannelCalibration> Channels,
    IReadOnlyList<SegmentCalibration> Segments,
    int OtherCurrencyDeals,
    IReadOnlyList<string> Notes,
    decimal? LargestWon)
{
    public const int WindowMonths = 12;
    public const decimal CycleTolerance = 1.25m;
    public const decimal WinRateTolerance = 0.8m;
    public const decimal DealsPerRepTolerance = 0.8m;
    public const decimal AcvTolerance = 1.5m;
    public const decimal LeadToOpportunityTolerance = 0.8m;

    /// <summary>Leads received in the window's last 30 days have not had time to become opportunities: left out.</summary>
    public const int LeadMaturityDays = 30;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new PlainDecimal() },
    };

    /// <summary>
    /// Calibrates <paramref name="plan"/> against the deals closed in [asOf − 12 months, asOf); won amounts in other
    /// currencies are converted into the plan's with the stored exchange rates (relative to
    /// <paramref name="workspaceCurrency"/>) valid on their close date.
    /// </summary>
    public static async Task<Calibration> ComputeAsync(
        ReachDb db, PlanFile plan, DateTime asOf, string workspaceCurrency, CancellationToken cancellationToken = default)
    {
        // PostgreSQL compares instants only in UTC; an unspecified kind is taken to be UTC already.
        asOf = asOf.Kind == DateTimeKind.Local ? asOf.ToUniversalTime() : DateTime.SpecifyKind(asOf, DateTimeKind.Utc);
        var from = asOf.AddMonths(-WindowMonths);

        // Only new business: renewals and expansions win far more often and faster than the acquisition the plan is
        // about. Medians are taken in memory because SQLite cannot aggregate decimals, so project only what they need.
        var deals = await db.Deals.AsNoTracking()
            .Where(d => d.Kind == DealKind.New
                && (d.Status == DealStatus.Won || d.Status == DealStatus.Lost)
                && d.ClosedAt >= from && d.ClosedAt < asOf)
            .Select(d => new ClosedDeal(
                d.Channel, d.Status == DealStatus.Won, d.CreatedAt, d.ClosedAt!.Value, d.OwnerId, d.Amount, d.Currency,
                d.AccountId))
            .ToListAsync(cancellationToken);

        var ownerIds = deals.Where(d => d.OwnerId is not null).Select(d => d.OwnerId!.Value).Distinct().ToList();
        var joined = await db.Users.AsNoTracking()
            .Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.CreatedAt })
            .ToDictionaryAsync(u => u.Id, u => u.CreatedAt, cancellationToken);

        var converter = await CurrencyConverter.LoadAsync(db, workspaceCurrency, cancellationToken);
        var inCurrency = deals
            .Where(d => d.Won)
            .Select(d => converter.Convert(d.Amount, d.Currency, plan.Currency, d.ClosedAt) is { } amount
                ? d with { Amount = amount, Currency = plan.Currency }
                : d)
            .Where(d => string.Equals(d.Currency, plan.Currency, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var accountIds = inCurrency.Select(d => d.AccountId).OfType<Guid>().Distinct().ToList();

        // Deleted accounts included: their deals happened, and the deals themselves were not deleted.
        var employees = await db.Accounts.IgnoreQueryFilters().AsNoTracking()
            .Where(a => accountIds.Contains(a.Id) && a.Employees != null)
            .Select(a => new { a.Id, a.Employees })
            .ToDictionaryAsync(a => a.Id, a => a.Employees!.Value, cancellationToken);

        // Leads by the plan channel they are routed to (by name; two channels of one kind see the same leads, as for
        // deals): received in the window but not in its last 30 days, converted when they became a deal.
        var matured = asOf.AddDays(-LeadMaturityDays);
        var routedLeads = await db.Leads.AsNoTracking()
            .Where(l => l.ReceivedAt >= from && l.ReceivedAt < matured && l.RoutedChannel != null)
            .GroupBy(l => l.RoutedChannel!)
            .Select(g => new { Channel = g.Key, Leads = g.Count(), Converted = g.Count(l => l.ConvertedDealId != null) })
            .ToListAsync(cancellationToken);
        var kinds = plan.Channels.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Kind);
        var leadsByKind = routedLeads.Where(l => kinds.ContainsKey(l.Channel))
            .GroupBy(l => kinds[l.Channel])
            .ToDictionary(g => g.Key, g => (Leads: g.Sum(l => l.Leads), Converted: g.Sum(l => l.Converted)));

        var window = new Window(from, asOf, joined);
        var channels = plan.Channels
            .Select(c => CalibrateLeads(c, CalibrateChannel(c, deals, window), leadsByKind.GetValueOrDefault(c.Kind)))
            .ToList();
        var segments = plan.Segments.Select(s => CalibrateSegment(s, inCurrency, employees)).ToList();
        var otherCurrency = deals.Count(d => d.Won) - inCurrency.Count;

        var notes = new List<string>();
        notes.AddRange(channels.Where(c => c.Won + c.Lost == 0)
            .Select(c => c.Kind == ChannelKind.Partner
                ? $"{c.Name}: the CRM records no partner channel on deals; nothing to compare."
                : $"{c.Name}: no {Labels.Channel(c.Kind).ToLowerInvariant()} deals closed in the window; nothing to compare."));
        notes.AddRange(plan.Segments.Where(s => s.Employees is null)
            .Select(s => $"{s.Name}: no employees range, so no deals can be matched to it."));
        if (otherCurrency > 0)
        {
            notes.Add(
                $"{otherCurrency} won deal{(otherCurrency == 1 ? "" : "s")} in other currencies than {plan.Currency} "
                + "left out of the ACV medians: no exchange rate converts them on their close date (add one under /api/v1/exchange-rates).");
        }

        var largestWon = inCurrency.Count == 0 ? (decimal?)null : inCurrency.Max(d => d.Amount);
        return new Calibration(from, asOf, plan.Currency, channels, segments, otherCurrency, notes, largestWon);
    }

    /// <summary>The planner's JSON (PLANNER.md, keys unchanged) with this calibration added under <c>"calibration"</c>.</summary>
    public string AddTo(PlanResult result)
    {
        var root = JsonNode.Parse(result.ToJson())!.AsObject();
        root["calibration"] = JsonSerializer.SerializeToNode(this, JsonOptions);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static ChannelCalibration CalibrateChannel(PlanChannel channel, List<ClosedDeal> deals, Window window)
    {
        Channel? kind = channel.Kind switch
        {
            ChannelKind.SelfService => Channel.SelfService,
            ChannelKind.Inside => Channel.Inside,
            ChannelKind.Field => Channel.Field,
            _ => null, // the CRM has no partner channel: nothing to compare
        };
        var closed = deals.Where(d => d.Channel == kind).ToList();
        var won = closed.Where(d => d.Won).ToList();
        var winRate = closed.Count == 0 ? (decimal?)null : (decimal)won.Count / closed.Count;
        var cycle = Median(won.Select(d => (decimal)(d.ClosedAt - d.CreatedAt).Ticks / TimeSpan.TicksPerDay));

        // A rep counts for the part of the window they were there, so a hire of three months ago is a quarter of a
        // rep-year. Imports create users after their deals, so a rep's own earliest deal also proves they were there.
        var repYears = closed.Where(d => d.OwnerId is not null)
            .GroupBy(d => d.OwnerId!.Value)
            .Sum(g => window.ShareOfWindow(g.Key, g.Min(d => d.CreatedAt)));
        var ownedWins = won.Count(d => d.OwnerId is not null);
        var perRepYear = repYears == 0 ? (decimal?)null : ownedWins / repYears;

        // Self-service has no win rate or reps in the plan, and a cycle of 0 there means "not given".
        var assumedWinRate = channel.IsSalesLed || channel.IsPartner ? channel.WinRate : (decimal?)null;
        var assumedCycle = channel.IsSalesLed || channel.CycleDays > 0 ? channel.CycleDays : (decimal?)null;
        var assumedPerRep = channel.IsSalesLed ? channel.DealsPerRepPerYear : (decimal?)null;

        var flags = new List<CalibrationFlag>();
        if (cycle is { } actualCycle && assumedCycle is { } planCycle && actualCycle > CycleTolerance * planCycle)
        {
            flags.Add(CalibrationFlag.CycleUnderestimated);
        }

        if (winRate is { } actualRate && assumedWinRate is { } planRate && actualRate < WinRateTolerance * planRate)
        {
            flags.Add(CalibrationFlag.WinRateOptimistic);
        }

        if (perRepYear is { } actualPerRep && assumedPerRep is { } planPerRep && actualPerRep < DealsPerRepTolerance * planPerRep)
        {
            flags.Add(CalibrationFlag.DealsPerRepOptimistic);
        }

        return new ChannelCalibration(
            channel.Name, channel.Kind, won.Count, closed.Count - won.Count,
            assumedWinRate, winRate, assumedCycle, cycle, assumedPerRep, perRepYear, repYears, flags);
    }

    private static ChannelCalibration CalibrateLeads(PlanChannel channel, ChannelCalibration calibration, (int Leads, int Converted) leads)
    {
        decimal? assumed = channel.IsSalesLed ? channel.LeadToOpportunity : null;
        decimal? actual = leads.Leads == 0 ? null : (decimal)leads.Converted / leads.Leads;
        var flags = calibration.Flags.ToList();
        if (actual is { } rate && assumed is { } planned && rate < LeadToOpportunityTolerance * planned)
        {
            flags.Add(CalibrationFlag.LeadToOpportunityOptimistic);
        }

        return calibration with
        {
            LeadToOpportunity = assumed,
            ActualLeadToOpportunity = actual,
            Leads = leads.Leads,
            ConvertedLeads = leads.Converted,
            Flags = flags,
        };
    }

    private static SegmentCalibration CalibrateSegment(
        PlanSegment segment, List<ClosedDeal> won, Dictionary<Guid, int> employees)
    {
        var amounts = segment.Employees is not { } range
            ? []
            : won.Where(d => d.AccountId is { } account && employees.TryGetValue(account, out var size)
                    && size >= range.Min && (range.Max is not { } max || size <= max))
                .Select(d => d.Amount)
                .ToList();
        var median = Median(amounts);
        var flags = new List<CalibrationFlag>();
        if (median is { } actual && segment.Acv > AcvTolerance * actual)
        {
            flags.Add(CalibrationFlag.AcvAboveActual);
        }
        else if (median is { } actualAcv && segment.Acv * AcvTolerance < actualAcv)
        {
            flags.Add(CalibrationFlag.AcvBelowActual);
        }

        return new SegmentCalibration(segment.Name, segment.Acv, median, amounts.Count, amounts.Count == 0 ? null : amounts.Max(), flags);
    }

    private static decimal? Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private sealed record ClosedDeal(
        Channel Channel,
        bool Won,
        DateTime CreatedAt,
        DateTime ClosedAt,
        Guid? OwnerId,
        decimal Amount,
        string Currency,
        Guid? AccountId);

    private sealed record Window(DateTime From, DateTime To, Dictionary<Guid, DateTime> Joined)
    {
        // A deleted user (not found) is counted for the whole window: they were there while their deals closed.
        public decimal ShareOfWindow(Guid rep, DateTime firstDealCreated)
        {
            var since = Joined.TryGetValue(rep, out var joined) && joined < firstDealCreated ? joined : firstDealCreated;
            if (!Joined.ContainsKey(rep) || since < From)
            {
                since = From;
            }

            return (decimal)(To - since).Ticks / (To - From).Ticks;
        }
    }
}

/// <summary>
/// One plan channel beside the CRM channel of its kind. Assumed figures are null where the plan has none (a
/// self-service channel has no win rate or reps); actual figures are null where there were no deals.
/// <c>Won + Lost</c> is the win rate's sample, <c>Won</c> the cycle's, and <c>RepYears</c> the per-rep figure's.
/// </summary>
public sealed record ChannelCalibration(
    string Name,
    ChannelKind Kind,
    int Won,
    int Lost,
    decimal? WinRate,
    decimal? ActualWinRate,
    decimal? CycleDays,
    decimal? ActualCycleDays,
    decimal? DealsPerRepPerYear,
    decimal? ActualDealsPerRepPerYear,
    decimal RepYears,
    IReadOnlyList<CalibrationFlag> Flags)
{
    /// <summary>The plan's lead-to-opportunity (inside and field only).</summary>
    public decimal? LeadToOpportunity { get; init; }

    /// <summary>Converted leads / leads routed to a channel of this kind, received in the window but not its last 30 days.</summary>
    public decimal? ActualLeadToOpportunity { get; init; }

    public int Leads { get; init; }

    public int ConvertedLeads { get; init; }
}

/// <summary>
/// A segment's planned ACV beside the median (and largest) amount of the won deals of accounts in its employees range.
/// </summary>
public sealed record SegmentCalibration(
    string Name, decimal Acv, decimal? ActualAcv, int WonDeals, decimal? LargestWon, IReadOnlyList<CalibrationFlag> Flags);
