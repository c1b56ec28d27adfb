using Reach.Activities;
using Reach.Deals;

namespace Reach.Metrics;

public enum MetricKind { Leading, Lagging }

public enum MetricUnit { Count, Money, Hours, Days, Ratio }

/// <summary>A figure and how many records it is made of (deals, leads, touches).</summary>
public readonly record struct Measure(decimal? Value, int Count);

/// <summary>
/// One metric, defined once: its formula in words (docs/metrics.md repeats them), how it is computed from a slice of
/// facts, and, for deal-based metrics, which deals are behind the figure (the drill-down).
/// Additive metrics (counts and sums) have their targets prorated by days and their run rate projected to the period's
/// end; rates, medians and ratios take the days-weighted average of their targets and project as the value itself.
/// </summary>
public sealed record MetricDefinition(
    string Id, string Name, MetricKind Kind, MetricUnit Unit, bool Additive, string Formula,
    Func<MetricSlice, Measure> Compute, Func<MetricSlice, IEnumerable<DealFact>>? Behind = null)
{
    public bool DealBased => Behind is not null;

    /// <summary>For a lead-based figure, the leads behind it (its drill-down).</summary>
    public Func<MetricSlice, IEnumerable<LeadFact>>? LeadsBehind { get; init; }

    /// <summary>For a touch count, the types of the held touches behind it (its drill-down lists them).</summary>
    public IReadOnlyList<ActivityType>? TouchTypesBehind { get; init; }

    /// <summary>What the figure's drill-down lists, or null when nothing one by one stands behind it.</summary>
    public MetricSource? Source => DealBased ? MetricSource.Deals : LeadsBehind is not null ? MetricSource.Leads
        : TouchTypesBehind is not null ? MetricSource.Touches : null;
}

/// <summary>The records a figure is made of.</summary>
public enum MetricSource { Deals, Leads, Touches }

/// <summary>The facts of one period and one channel (or all channels), with the converter into the workspace currency.</summary>
public sealed class MetricSlice(Period period, DateTime now, IReadOnlyList<DealFact> deals, IReadOnlyList<LeadFact> leads,
    IReadOnlyList<ActivityFact> activities, IReadOnlyList<ChannelCost> costs, CurrencyConverter converter)
{
    public Period Period { get; } = period;
    public DateTime Now { get; } = now;
    public IReadOnlyList<DealFact> Deals { get; } = deals;
    public IReadOnlyList<LeadFact> Leads { get; } = leads;
    public IReadOnlyList<ActivityFact> Activities { get; } = activities;
    public IReadOnlyList<ChannelCost> Costs { get; } = costs;
    public CurrencyConverter Converter { get; } = converter;

    /// <summary>Deals left out of an amount for want of an exchange rate.</summary>
    public HashSet<DealFact> Excluded { get; } = [];

    /// <summary>The bookings target not yet reached, for pipeline coverage; null when there is no target.</summary>
    public decimal? RemainingBookingsTarget { get; set; }

    /// <summary>The bookings target itself, for pipeline coverage (how near it is met); null when there is none.</summary>
    public decimal? BookingsTarget { get; set; }

    /// <summary>Whether <see cref="Activities"/> hold the touches counted for this slice's period, and <see cref="Leads"/> its leads.</summary>
    public bool TouchesCounted { get; set; } = true;

    /// <summary>Whether the deals' proposals were read.</summary>
    public bool ProposalsRead { get; set; } = true;

    /// <summary>Whether the leads' first touches were read.</summary>
    public bool FirstTouchesRead { get; set; } = true;

    /// <summary>The workspace's response target per channel (<c>first_touch_within_target</c>).</summary>
    public Access.ResponseTargets ResponseTargets { get; init; } = Access.ResponseTargets.Default;

    /// <summary>False when the figures are one rep's or one team's: costs are entered per channel, not per person.</summary>
    public bool CostsApply { get; set; } = true;

    /// <summary>
    /// What the figures of this slice's period and channel share (the deals won, their amounts in order…), kept by the
    /// facts for the page: each is worked out once, not once per figure. None: every figure works out its own.
    /// </summary>
    public Dictionary<string, object>? Shared { get; init; }

    // The deals left out, in the order they were, so a shared part knows the ones it left out.
    readonly List<DealFact> excludedInOrder = [];

    /// <summary>The factor converting the deal's currency on that day (1 for the workspace's), or null, the deal left out, without a rate.</summary>
    public decimal? Rate(DealFact deal, DateTime at)
    {
        var rate = Converter.Convert(1m, deal.Currency, at);
        if (rate is null)
            Exclude(deal);
        return rate;
    }

    /// <summary>Whether the deal is in the workspace currency (its amounts need no converting).</summary>
    public bool InWorkspaceCurrency(DealFact deal) => string.Equals(deal.Currency, Converter.Currency, StringComparison.OrdinalIgnoreCase);

    public decimal? Money(DealFact deal, DateTime at)
    {
        var converted = Converter.Convert(deal.Amount, deal.Currency, at);
        if (converted is null)
            Exclude(deal);
        return converted;
    }

    void Exclude(DealFact deal)
    {
        Excluded.Add(deal);
        excludedInOrder.Add(deal);
    }

    /// <summary>A part of the figures, from <see cref="Shared"/> when a figure worked it out before (its exclusions carried over).</summary>
    public T Part<T>(string key, Func<MetricSlice, T> compute) where T : notnull
    {
        if (Shared is null)
            return compute(this);
        if (Shared.TryGetValue(key, out var known))
        {
            var (value, excluded) = ((T, DealFact[]))known;
            foreach (var deal in excluded)
                Exclude(deal);
            return value;
        }
        var from = excludedInOrder.Count;
        var computed = compute(this);
        Shared[key] = (computed, excludedInOrder[from..].ToArray());
        return computed;
    }
}

/// <summary>Every metric of Reach (docs/metrics.md); the API, reports, targets and the CLI all read them from here.</summary>
public static class MetricCatalogue
{
    public static IEnumerable<DealFact> Won(MetricSlice s) =>
        s.Part("won", s => s.Deals.Where(d => d.Role.HasFlag(DealRole.Closed) && d.Status == DealStatus.Won && d.ClosedAt is { } at && s.Period.Contains(at)).ToArray());

    /// <summary>The deals won in the period one by one (a median needs each), not as aggregates.</summary>
    public static IEnumerable<DealFact> WonOneByOne(MetricSlice s) =>
        s.Part("won_one_by_one", s => OneByOne(s.Deals.Where(d => d.Role.HasFlag(DealRole.OneByOne) && d.Status == DealStatus.Won && d.ClosedAt is { } at && s.Period.Contains(at))).ToArray());

    public static IEnumerable<DealFact> Lost(MetricSlice s) =>
        s.Part("lost", s => s.Deals.Where(d => d.Role.HasFlag(DealRole.Closed) && d.Status == DealStatus.Lost && d.ClosedAt is { } at && s.Period.Contains(at)).ToArray());

    public static IEnumerable<DealFact> Created(MetricSlice s) =>
        s.Part("created", s => s.Deals.Where(d => d.Role.HasFlag(DealRole.Created) && s.Period.Contains(d.CreatedAt)).ToArray());

    /// <summary>Open now, expected to close before the period ends (overdue ones included, undated ones not).</summary>
    public static IEnumerable<DealFact> OpenPipeline(MetricSlice s) =>
        s.Part("open", s => s.Deals.Where(d => d.Role.HasFlag(DealRole.Open) && d.Status == DealStatus.Open && d.ExpectedClose is { } close && close < s.Period.End).ToArray());

    // Touches are counted in the database per period, and leads read for those periods (MetricFacts): the slice's
    // period must be one of them.
    static IEnumerable<ActivityFact> Touches(MetricSlice s) => s.TouchesCounted
        ? s.Activities.Where(a => a.Period == s.Period)
        : throw new InvalidOperationException($"Touches were not counted for {s.Period.Label}.");

    public static IEnumerable<LeadFact> LeadsReceived(MetricSlice s) => s.TouchesCounted
        ? s.Part("leads", s => s.Leads.Where(l => s.Period.Contains(l.ReceivedAt)).ToArray())
        : throw new InvalidOperationException($"Leads were not read for {s.Period.Label}.");

    static Measure CountTouches(IEnumerable<ActivityFact> touches)
    {
        var n = touches.Sum(a => a.Count);
        return new Measure(n, n);
    }

    // A deal fact may stand for several deals (a rollup's aggregate).
    static Measure Count(IEnumerable<DealFact> deals)
    {
        var n = deals.Sum(d => d.Weight);
        return new Measure(n, n);
    }

    // Medians and cycles need the deals one by one: the facts hold them so for the periods those figures are asked for.
    // (A deal read from a rollup's values is one deal without its name: its role says so.)
    // (A rollup's deals won one by one come packed: their values are each one's.)
    static IEnumerable<DealFact> OneByOne(IEnumerable<DealFact> deals) =>
        deals.Select(d => d.Values is not null || (d.Weight == 1 && (d.Id != Guid.Empty || d.Role == DealRole.OneByOne)) ? d
            : throw new InvalidOperationException("This figure needs the deals one by one, not aggregates."));

    // A lead fact may stand for a day's leads (a rollup's row).
    static Measure Count(IEnumerable<LeadFact> leads)
    {
        var n = leads.Sum(l => l.Weight);
        return new Measure(n, n);
    }

    // Sums are shared by name (bookings, pipeline created…): coverage reads the open pipeline's, its target the bookings'.
    static Measure Sum(MetricSlice s, string name, IEnumerable<DealFact> deals, Func<DealFact, DateTime> at) => s.Part("sum_" + name, s =>
    {
        var (total, count) = (0m, 0);
        foreach (var deal in deals)
        {
            if (s.Money(deal, at(deal)) is { } amount)
                (total, count) = (total + amount, count + deal.Weight);
        }
        return new Measure(Math.Round(total, 2), count);
    });

    /// <summary>Values that can be taken by rank (0 the smallest): what medians and percentiles read.</summary>
    abstract class Ranked
    {
        public abstract int Count { get; }

        protected abstract decimal At(int rank);

        public decimal? Median => Count == 0 ? null : Count % 2 == 1 ? At(Count / 2) : (At((Count / 2) - 1) + At(Count / 2)) / 2;

        /// <summary>Nearest rank: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
        public decimal? Percentile(double q) => Count == 0 ? null : At(Math.Clamp((int)Math.Ceiling(q * Count), 1, Count) - 1);
    }

    /// <summary>
    /// Decimals, with their sum in the order they came. Comparing decimals is slow: a rank is found among their doubles
    /// (an order the conversion keeps but for values within a rounding of each other), then the values whose doubles
    /// lie that close to the one found are put in exact order.
    /// </summary>
    sealed class RankedDecimals : Ranked
    {
        readonly decimal[] values;
        readonly double[] keys, sortedKeys;

        public RankedDecimals(IEnumerable<decimal> values)
        {
            this.values = [.. values];
            keys = new double[this.values.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = (double)this.values[i];
                Sum += this.values[i];
            }
            sortedKeys = (double[])keys.Clone();
            Array.Sort(sortedKeys);
        }

        public decimal Sum { get; }

        public decimal? Mean => Count == 0 ? null : Sum / Count;

        public override int Count => values.Length;

        protected override decimal At(int rank)
        {
            var key = sortedKeys[rank];
            var (low, high) = (key - (Math.Abs(key) * 1e-9), key + (Math.Abs(key) * 1e-9));
            var below = 0;
            var near = new List<decimal>();
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] < low)
                    below++;
                else if (keys[i] <= high)
                    near.Add(values[i]);
            }
            near.Sort();
            return near[rank - below];
        }
    }

    /// <summary>
    /// Durations in ticks, each figured as <c>value(ticks)</c>: a conversion that never puts a longer one below a
    /// shorter, so sorting the ticks (integers, fast) orders the values.
    /// </summary>
    sealed class RankedDurations(IEnumerable<long> ticks, Func<long, decimal> value) : Ranked
    {
        readonly long[] sorted = Sorted([.. ticks]);

        static long[] Sorted(long[] ticks)
        {
            Array.Sort(ticks);
            return ticks;
        }

        public override int Count => sorted.Length;

        protected override decimal At(int rank) => value(sorted[rank]);
    }

    static Measure Figure<T>(T values, Func<T, decimal?> statistic) where T : Ranked =>
        new(statistic(values) is { } v ? Math.Round(v, 2) : null, values.Count);

    // The converted amounts of the deals won one by one (those without a rate left out).
    static RankedDecimals WonAmounts(MetricSlice s) => s.Part("won_amounts", s =>
    {
        var amounts = new List<decimal>();
        foreach (var deal in WonOneByOne(s))
        {
            if (deal.Values is { } packed)
            {
                // One currency and day: one rate for all (converting each is amount × rate, as Money does).
                if (s.InWorkspaceCurrency(deal))
                    amounts.AddRange(packed.Amounts);
                else if (s.Rate(deal, deal.ClosedAt!.Value) is { } rate)
                    amounts.AddRange(packed.Amounts.Select(a => a * rate));
            }
            else if (s.Money(deal, deal.ClosedAt!.Value) is { } amount)
                amounts.Add(amount);
        }
        return new RankedDecimals(amounts);
    });

    static RankedDurations CycleDays(MetricSlice s) =>
        s.Part("cycle_days", s => new RankedDurations(WonOneByOne(s).SelectMany(d => d.Values is { } packed
            ? packed.Ticks
            : [(d.ClosedAt!.Value - d.CreatedAt).Ticks]), t => (decimal)TimeSpan.FromTicks(t).TotalDays));

    /// <summary>The middle value; the mean of the two middle values for an even count.</summary>
    public static decimal Median(IReadOnlyList<decimal> values) =>
        new RankedDecimals(values).Median ?? throw new ArgumentException("A median needs at least one value.", nameof(values));

    /// <summary>Nearest rank: the smallest value with at least <paramref name="q"/> of the values at or below it.</summary>
    public static decimal Percentile(IReadOnlyList<decimal> values, double q) =>
        new RankedDecimals(values).Percentile(q) ?? throw new ArgumentException("A percentile needs at least one value.", nameof(values));

    static Measure WinRate(MetricSlice s)
    {
        var (won, lost) = (Won(s).Sum(d => d.Weight), Lost(s).Sum(d => d.Weight));
        return new Measure(won + lost == 0 ? null : Math.Round((decimal)won / (won + lost), 4), won + lost);
    }

    static Measure SpeedToFirstTouch(MetricSlice s)
    {
        if (!s.FirstTouchesRead)
            throw new InvalidOperationException($"First touches were not read for {s.Period.Label}.");
        var hours = new RankedDurations(LeadsReceived(s).SelectMany(l => l.TouchedAfter is { } packed
            ? packed
            : l.FirstTouchAt is { } at ? [(at - l.ReceivedAt).Ticks] : []), t => (decimal)Math.Max(0, TimeSpan.FromTicks(t).TotalHours));
        return Figure(hours, o => o.Median);
    }

    // Whether each lead received was first touched within its channel's response target: untouched leads count as late.
    static Measure FirstTouchWithinTarget(MetricSlice s)
    {
        if (!s.FirstTouchesRead)
            throw new InvalidOperationException($"First touches were not read for {s.Period.Label}.");
        var (inTime, all) = (0, 0);
        foreach (var lead in LeadsReceived(s))
        {
            var target = s.ResponseTargets.Of(lead.Channel).Ticks;
            all += lead.Weight;
            inTime += lead.TouchedAfter is { } packed ? packed.Count(t => t <= target)
                : lead.FirstTouchAt is { } at && (at - lead.ReceivedAt).Ticks <= target ? 1 : 0;
        }
        return new Measure(all == 0 ? null : Math.Round((decimal)inTime / all, 4), all);
    }

    /// <summary>Pipeline coverage is capped at this ratio (10, i.e. 1,000 %): beyond it the figure only says "covered many times over".</summary>
    public const decimal CoverageCap = 10m;

    /// <summary>With less than this share of the bookings target left, the target is "nearly met" and coverage is not divided out.</summary>
    public const decimal NearlyMetShare = 0.05m;

    /// <summary>What pipeline coverage reads instead of (or beside) a number; docs/metrics.md gives the rule.</summary>
    public const string TargetMet = "target met", TargetNearlyMet = "target nearly met", CoverageCapped = "1,000% or more";

    /// <summary>The readings a figure may carry in place of its number (a table column of numbers may hold them).</summary>
    public static readonly string[] Readings = [TargetMet, TargetNearlyMet, CoverageCapped];

    static Measure Coverage(MetricSlice s)
    {
        var open = Sum(s, "open", OpenPipeline(s), _ => s.Now);
        return CoverageState(s) is null && s.RemainingBookingsTarget is { } remaining
            ? new Measure(Math.Min(CoverageCap, Math.Round(open.Value!.Value / remaining, 4)), open.Count)
            : new Measure(null, open.Count);
    }

    // Met or nearly met: no ratio (dividing by the few euros left would read "39,992.9 %").
    static string? CoverageState(MetricSlice s) =>
        s.BookingsTarget is not { } target || s.RemainingBookingsTarget is not { } remaining ? null
        : remaining <= 0 ? TargetMet
        : remaining < target * NearlyMetShare ? TargetNearlyMet
        : null;

    /// <summary>
    /// How pipeline coverage reads for <paramref name="s"/>: "target met", "target nearly met" (less than 5 % of the
    /// target left), "1,000% or more" at the cap, or null (the number, or "—" without a bookings target).
    /// </summary>
    public static string? CoverageReading(MetricSlice s, decimal? value) =>
        CoverageState(s) ?? (value >= CoverageCap ? CoverageCapped : null);

    static Measure Cac(MetricSlice s)
    {
        var wins = Won(s).Where(d => d.Kind == DealKind.New).Sum(d => d.Weight);
        var costs = s.Costs.Where(c => c.PeriodEnd > s.Period.Start && c.PeriodStart < s.Period.End).ToList();
        if (!s.CostsApply || costs.Count == 0 || wins == 0)
            return new Measure(null, wins);
        decimal total = 0;
        foreach (var cost in costs)
        {
            // The share of the cost's period that falls within this one.
            var overlap = Math.Min(cost.PeriodEnd.DayNumber, s.Period.End.DayNumber) - Math.Max(cost.PeriodStart.DayNumber, s.Period.Start.DayNumber);
            var converted = s.Converter.Convert(cost.Amount, cost.Currency, cost.PeriodStart.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            if (converted is null)
                return new Measure(null, wins);
            total += converted.Value * overlap / (cost.PeriodEnd.DayNumber - cost.PeriodStart.DayNumber);
        }
        return new Measure(Math.Round(total / wins, 2), wins);
    }

    static MetricDefinition TouchesOf(ActivityType type) => new(
        "touches_" + type.ToString().ToLowerInvariant(), $"Touches: {type.ToString().ToLowerInvariant()}s", MetricKind.Leading, MetricUnit.Count, true,
        $"Activities of type {type.ToString().ToLowerInvariant()} that occurred in the period (and are not an open planned task).",
        s => CountTouches(Touches(s).Where(a => a.Type == type)))
    { TouchTypesBehind = [type] };

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new("new_leads", "New leads", MetricKind.Leading, MetricUnit.Count, true,
            "Leads received in the period (receivedAt).", s => Count(LeadsReceived(s)))
        { LeadsBehind = LeadsReceived },
        new("speed_to_first_touch", "Speed to first touch (median hours)", MetricKind.Leading, MetricUnit.Hours, false,
            "Median hours from a lead's receivedAt to its first touch (the earliest call, email, meeting or social activity logged on the lead), "
            + "over the leads received in the period that have been touched; untouched leads are not in the median.", SpeedToFirstTouch)
        { LeadsBehind = s => LeadsReceived(s).Where(l => l.FirstTouchAt is not null) },
        new("first_touch_within_target", "Leads touched within target", MetricKind.Leading, MetricUnit.Ratio, false,
            "Share of the leads received in the period whose first touch (as for speed to first touch) came within the response target of "
            + "the lead's channel (Settings: minutes per channel; a lead without a channel has the field target); a lead not touched yet counts as not in time.",
            FirstTouchWithinTarget)
        { LeadsBehind = LeadsReceived },
        new("touches", "Touches", MetricKind.Leading, MetricUnit.Count, true,
            "Activities of type call, email, meeting or social that occurred in the period (notes and tasks are not touches; "
            + "a planned task still open is not a touch yet).", s => CountTouches(Touches(s)))
        { TouchTypesBehind = MetricFacts.TouchTypes },
        TouchesOf(ActivityType.Call),
        TouchesOf(ActivityType.Email),
        TouchesOf(ActivityType.Social),
        new("meetings_held", "Meetings held", MetricKind.Leading, MetricUnit.Count, true,
            "Touches of type meeting that occurred in the period (and not in the future).", s => CountTouches(Touches(s).Where(a => a.Type == ActivityType.Meeting)))
        { TouchTypesBehind = [ActivityType.Meeting] },
        new("proposals_sent", "Proposals sent", MetricKind.Leading, MetricUnit.Count, true,
            "Deals that entered a stage whose name contains \"proposal\" during the period (each deal once).",
            s => Count(ProposalsSent(s)), ProposalsSent),
        new("opportunities_created", "Opportunities created", MetricKind.Leading, MetricUnit.Count, true,
            "Deals created in the period.", s => Count(Created(s)), Created),
        new("pipeline_created", "Pipeline created", MetricKind.Leading, MetricUnit.Money, true,
            "Sum of the amounts of the deals created in the period, converted at their creation date.",
            s => Sum(s, "created", Created(s), d => d.CreatedAt), Created),
        new("bookings", "Bookings", MetricKind.Lagging, MetricUnit.Money, true,
            "Sum of the amounts of the deals won (status won) with a close date in the period, converted at the close date. "
            + "A deal reopened after being won is open again and no longer counts.", s => Sum(s, "won", Won(s), d => d.ClosedAt!.Value), Won),
        new("deals_won", "Deals won", MetricKind.Lagging, MetricUnit.Count, true,
            "Deals won with a close date in the period.", s => Count(Won(s)), Won),
        new("deals_lost", "Deals lost", MetricKind.Lagging, MetricUnit.Count, true,
            "Deals lost with a close date in the period.", s => Count(Lost(s)), Lost),
        new("lost_pipeline", "Lost pipeline", MetricKind.Lagging, MetricUnit.Money, true,
            "Sum of the amounts of the deals lost with a close date in the period, converted at the close date.",
            s => Sum(s, "lost", Lost(s), d => d.ClosedAt!.Value), Lost),
        new("win_rate", "Win rate", MetricKind.Lagging, MetricUnit.Ratio, false,
            "deals won ÷ (deals won + deals lost), both with a close date in the period; none when no deal closed.",
            WinRate, s => Won(s).Concat(Lost(s))),
        new("average_deal_size", "Average deal size", MetricKind.Lagging, MetricUnit.Money, false,
            "Mean converted amount of the deals won in the period (deals without an exchange rate are left out).",
            s => Figure(WonAmounts(s), o => o.Mean), Won),
        new("median_deal_size", "Median deal size", MetricKind.Lagging, MetricUnit.Money, false,
            "Median converted amount of the deals won in the period.", s => Figure(WonAmounts(s), o => o.Median), Won),
        new("sales_cycle_median", "Sales cycle, median days", MetricKind.Lagging, MetricUnit.Days, false,
            "Median of (closedAt − createdAt) in days over the deals won in the period.", s => Figure(CycleDays(s), o => o.Median), Won),
        new("sales_cycle_p80", "Sales cycle, P80 days", MetricKind.Lagging, MetricUnit.Days, false,
            "80th percentile (nearest rank) of (closedAt − createdAt) in days over the deals won in the period.",
            s => Figure(CycleDays(s), o => o.Percentile(0.8)), Won),
        // A snapshot, not a flow: its run rate is itself, and a target of it is not split by days.
        new("open_pipeline", "Open pipeline", MetricKind.Lagging, MetricUnit.Money, false,
            "Sum of the amounts of the deals open now whose expected close is before the period ends (overdue ones included, "
            + "deals without an expected close left out), converted at today's rate.", s => Sum(s, "open", OpenPipeline(s), _ => s.Now), OpenPipeline),
        new("pipeline_coverage", "Pipeline coverage", MetricKind.Lagging, MetricUnit.Ratio, false,
            "open pipeline ÷ (bookings target − bookings so far) for the period, at most 10 (1,000 %); reads \"target met\" once the target is reached, "
            + "\"target nearly met\" with less than 5 % of it left, \"—\" without a bookings target (see Targets).",
            Coverage, OpenPipeline),
        new("expansion_bookings", "Expansion bookings", MetricKind.Lagging, MetricUnit.Money, true,
            "Bookings of the deals of kind expansion.", s => Sum(s, "expansion", Won(s).Where(d => d.Kind == DealKind.Expansion), d => d.ClosedAt!.Value),
            s => Won(s).Where(d => d.Kind == DealKind.Expansion)),
        new("cac", "Customer acquisition cost", MetricKind.Lagging, MetricUnit.Money, false,
            "Channel costs of the period (each cost prorated by the days its period shares with this one, converted at its start) ÷ "
            + "deals of kind new won in the period. Only when costs are entered, and only for whole channels (not cut by rep, team, tier, segment or product).",
            Cac, s => Won(s).Where(d => d.Kind == DealKind.New)),
    ];

    // Proposals are read one by one for the touch periods only (MetricFacts).
    static DealFact[] ProposalsSent(MetricSlice s) => s.TouchesCounted && s.ProposalsRead
        ? s.Part("proposals", s => s.Deals.Where(d => d.Role.HasFlag(DealRole.Proposal) && (d.ProposalsOf is { } counted ? counted == s.Period : d.ProposalAt.Any(s.Period.Contains))).ToArray())
        : throw new InvalidOperationException($"Proposals were not read for {s.Period.Label}.");

    public static MetricDefinition? Find(string id) => All.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));
}
