using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics;

/// <summary>The cuts of a figure: a period, and optionally one channel, team, rep, tier, segment (the active plan's) or product.</summary>
public sealed record MetricQuery(Period Period)
{
    public Channel? Channel { get; init; }
    public Guid? TeamId { get; init; }
    public Guid? RepId { get; init; }
    public Tier? Tier { get; init; }

    /// <summary>A segment of the go-to-market plan, as routing wrote it on the accounts and leads (<see cref="MetricSegments"/>).</summary>
    public string? Segment { get; init; }

    public Guid? ProductId { get; init; }
}

public sealed record PeriodView(string Label, string Kind, DateOnly Start, DateOnly End)
{
    /// <summary>As people read it (<see cref="Period.Name"/>): a custom range names its last day, "10 Oct – 20 Nov 2026".</summary>
    public string Name { get; init; } = Label;

    public static PeriodView Of(Period p) => new(p.Label, p.Kind.ToString().ToLowerInvariant(), p.Start, p.End) { Name = p.Name };
}

public sealed record MetricInfo(string Id, string Name, MetricKind Kind, MetricUnit Unit, string Formula)
{
    public static MetricInfo Of(MetricDefinition m) => new(m.Id, m.Name, m.Kind, m.Unit, m.Formula);
}

/// <summary>
/// One row of a result: all channels (<c>channel</c> "all") or one ("self_service", "inside", "field", or "unassigned"
/// for leads and touches with no channel). <c>change</c> is value − previous; <c>projection</c> the run rate to the period's end.
/// </summary>
public sealed record Figure(string Channel, decimal? Value, int Count, decimal? Previous, decimal? Change, decimal? Target, decimal? Attainment, decimal? Projection)
{
    /// <summary>
    /// What the figure reads as instead of its number, when a number would mislead: pipeline coverage's "target met",
    /// "target nearly met" or "1,000% or more" (<see cref="MetricCatalogue.CoverageReading"/>); null otherwise.
    /// </summary>
    public string? Reading { get; init; }
}

public sealed record ExcludedDeal(Guid Id, string Name, decimal Amount, string Currency);

/// <summary>A metric's figure: the blended total and, side by side, the split by channel; never the blend alone.</summary>
public sealed record MetricResult(
    MetricInfo Metric, PeriodView Period, PeriodView PreviousPeriod, string Currency, Figure Total, IReadOnlyList<Figure> Channels,
    IReadOnlyList<string> Notes, IReadOnlyList<ExcludedDeal> Excluded);

/// <summary>Computes catalogue metrics over cuts, with the previous period, targets and the run-rate projection.</summary>
public static class MetricService
{
    /// <summary>What the split shows when no channel applies (a lead or a touch with no deal and an owner without a channel).</summary>
    public const string Unassigned = "unassigned";

    /// <summary>The workspace currency when configuration (Reach:Currency) names none.</summary>
    public const string DefaultCurrency = "EUR";

    /// <summary>The workspace currency from its configured value (Reach:Currency), else <see cref="DefaultCurrency"/>.</summary>
    public static string WorkspaceCurrency(string? configured) =>
        configured is { Length: 3 } currency ? currency.ToUpperInvariant() : DefaultCurrency;

    public static string ChannelName(Channel? channel) => EnumNames.Of(channel) ?? Unassigned;

    public static async Task<IReadOnlyList<MetricResult>> ComputeAsync(ReachDb db, IReadOnlyList<MetricDefinition> metrics, MetricQuery query, string currency,
        DateTime now, CancellationToken cancellationToken = default)
    {
        var facts = await MetricFacts.LoadAsync(db, currency, now, query, cancellationToken);
        return [.. metrics.Select(m => Compute(facts, m, query, now))];
    }

    public static MetricResult Compute(MetricFacts all, MetricDefinition metric, MetricQuery query, DateTime now)
    {
        var facts = all.Cut(query);
        var previous = query.Period.Previous();
        var notes = new List<string>();
        var excluded = new HashSet<DealFact>();
        var excludedBefore = new HashSet<DealFact>();
        var targetsApply = query.Tier is null && query.Segment is null && query.ProductId is null;

        // Channels: the three always, plus "unassigned" when leads or touches without one are in the figure.
        List<Channel?> channels = query.Channel is { } only ? [only] : [Channel.SelfService, Channel.Inside, Channel.Field];
        Figure Row(bool total, Channel? channel)
        {
            var current = Slice(facts, query.Period, now, total, channel, query);
            var before = Slice(facts, previous, now, total, channel, query);
            var target = targetsApply ? TargetFor(facts, metric.Id, query, total ? query.Channel : channel, total && query.Channel is null) : null;
            if (metric.Id == "pipeline_coverage")
            {
                current.RemainingBookingsTarget = RemainingBookings(facts, query, current, total ? query.Channel : channel, total && query.Channel is null, targetsApply);
                before.RemainingBookingsTarget = RemainingBookings(facts, query with { Period = previous }, before, total ? query.Channel : channel, total && query.Channel is null, targetsApply);
            }
            var value = metric.Compute(current);
            var old = metric.Compute(before);
            excluded.UnionWith(current.Excluded);
            excludedBefore.UnionWith(before.Excluded);
            var projection = Projection(metric, query.Period, value.Value, now);
            return new Figure(total && query.Channel is null ? "all" : ChannelName(channel), value.Value, value.Count, old.Value,
                value.Value is { } v && old.Value is { } o ? v - o : null, target,
                target is > 0 && value.Value is { } a ? Math.Round(a / target.Value, 4) : null, projection)
            {
                Reading = metric.Id == "pipeline_coverage" ? MetricCatalogue.CoverageReading(current, value.Value) : null,
            };
        }

        var rows = channels.Select(c => Row(false, c)).ToList();
        if (query.Channel is null)
        {
            var unassigned = Row(false, null);
            if (unassigned.Count > 0 || unassigned.Previous is > 0)
                rows.Add(unassigned);
        }
        var totalRow = Row(true, query.Channel);

        var excludedDeals = excluded.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new ExcludedDeal(d.Id, d.Name, d.Amount, d.Currency)).ToList();
        notes.AddRange(ExclusionNotes(excludedDeals, all.Converter.Currency));
        if (excludedBefore.Except(excluded).Any())
            notes.Add($"{excludedBefore.Except(excluded).Count()} deal(s) of the previous period left out of its amounts for want of an exchange rate.");
        if (query.Segment is not null)
            notes.Add(MetricSegments.Note);
        if (!targetsApply)
            notes.Add("Targets are set for the workspace, a team or a rep, not for a tier, a segment or a product: none is shown.");
        if (metric.Id == "cac" && query is not { RepId: null, TeamId: null, Tier: null, Segment: null, ProductId: null })
            notes.Add("CAC is computed for whole channels only: costs are entered per channel, not per rep, team, tier, segment or product.");
        if (metric.Id == "cac" && all.Costs.Count == 0)
            notes.Add("No channel costs are entered: CAC needs them (the Costs page, /Costs, or /api/v1/costs).");
        if (metric.Id == "pipeline_coverage" && totalRow.Value is null && totalRow.Reading is null)
            notes.Add("Pipeline coverage needs a bookings target for the period: none is set.");
        if (metric.Id == "pipeline_coverage" && totalRow.Reading == MetricCatalogue.TargetNearlyMet)
            notes.Add("The bookings target is nearly met (less than 5% of it left): pipeline coverage is not divided by what is left.");
        if (metric.Id == "sales_cycle_median" || metric.Id == "sales_cycle_p80")
        {
            var undated = facts.Deals.Where(d => d.Role.HasFlag(DealRole.Closed) && d.Status == DealStatus.Won && d.ClosedAt is null).Sum(d => d.Weight);
            if (undated > 0)
                notes.Add($"{undated} won deal(s) have no close date and are left out.");
        }

        return new MetricResult(MetricInfo.Of(metric), PeriodView.Of(query.Period), PeriodView.Of(previous), all.Converter.Currency, totalRow, rows, notes, excludedDeals);
    }

    /// <summary>One note per currency of the deals left out of the amounts.</summary>
    public static IEnumerable<string> ExclusionNotes(IEnumerable<ExcludedDeal> excluded, string currency) =>
        excluded.DistinctBy(d => d.Id).GroupBy(d => d.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} deal(s) in {g.Key} left out of the amounts: no exchange rate to {currency} valid on their date.");

    /// <summary>
    /// Bookings, deals won and lost and the win rate of each kind of deal (new, expansion, renewal) for
    /// <paramref name="query"/>'s cuts, over its period (bookings also over the previous one): a renewal is not a new win.
    /// </summary>
    public static IReadOnlyList<Reports.KindFigures> ByKind(MetricFacts all, MetricQuery query, DateTime now)
    {
        var facts = all.Cut(query);
        var (current, before) = (Slice(facts, query.Period, now, true, query.Channel, query), Slice(facts, query.Period.Previous(), now, true, query.Channel, query));
        decimal? Booked(MetricSlice s, DealKind kind)
        {
            var (sum, any) = (0m, false);
            foreach (var deal in MetricCatalogue.Won(s).Where(d => d.Kind == kind))
            {
                if (s.Money(deal, deal.ClosedAt!.Value) is { } amount)
                    (sum, any) = (sum + amount, true);
            }
            return any ? Math.Round(sum, 2) : 0;
        }
        return [.. Enum.GetValues<DealKind>().Select(kind =>
        {
            var won = MetricCatalogue.Won(current).Where(d => d.Kind == kind).Sum(d => d.Weight);
            var lost = MetricCatalogue.Lost(current).Where(d => d.Kind == kind).Sum(d => d.Weight);
            return new Reports.KindFigures(EnumNames.Of(kind), Booked(current, kind), won, lost,
                won + lost == 0 ? null : Math.Round((decimal)won / (won + lost), 4), Booked(before, kind));
        })];
    }

    /// <summary>The deals behind a deal-based metric's figure, for the drill-down.</summary>
    public static IReadOnlyList<DealFact> DealsBehind(MetricFacts all, MetricDefinition metric, MetricQuery query, DateTime now)
    {
        if (metric.Behind is null)
            throw new InvalidOperationException($"{metric.Id} is not made of deals.");
        var slice = Slice(all.Cut(query), query.Period, now, true, query.Channel, query);
        return [.. metric.Behind(slice).OrderBy(d => d.ClosedAt ?? d.CreatedAt).ThenBy(d => d.Id)];
    }

    /// <summary>The leads behind a lead-based metric's figure (for <paramref name="query"/>'s cuts), newest first.</summary>
    public static IReadOnlyList<LeadFact> LeadsBehind(MetricFacts all, MetricDefinition metric, MetricQuery query, DateTime now)
    {
        if (metric.LeadsBehind is null)
            throw new InvalidOperationException($"{metric.Id} is not made of leads.");
        var slice = Slice(all.Cut(query), query.Period, now, true, query.Channel, query);
        return [.. metric.LeadsBehind(slice).OrderByDescending(l => l.ReceivedAt).ThenBy(l => l.Id)];
    }

    /// <summary>
    /// The touches behind a touch count (for <paramref name="query"/>'s cuts), newest first: the facts must hold them
    /// one by one (<see cref="MetricFacts.LoadTouchesOneByOneAsync"/>).
    /// </summary>
    public static IReadOnlyList<ActivityFact> TouchesBehind(MetricFacts all, MetricDefinition metric, MetricQuery query, DateTime now)
    {
        if (metric.TouchTypesBehind is not { } types)
            throw new InvalidOperationException($"{metric.Id} is not made of touches.");
        var slice = Slice(all.Cut(query), query.Period, now, true, query.Channel, query);
        return [.. slice.Activities.Where(a => a.Period == query.Period && types.Contains(a.Type))
            .Select(a => a.Id != Guid.Empty ? a : throw new InvalidOperationException("The touches were counted, not read one by one."))
            .OrderByDescending(a => a.OccurredAt).ThenBy(a => a.Id)];
    }

    static MetricSlice Slice(MetricFacts facts, Period period, DateTime now, bool total, Channel? channel, MetricQuery query)
    {
        // The total of an unfiltered query is every channel and none; a channel row is that channel only.
        facts.EnsureLoaded(period, touches: false);
        var allChannels = total && query.Channel is null;
        var (deals, leads, activities) = facts.OfPeriod(period, channel, allChannels);
        IReadOnlyList<ChannelCost> costs = allChannels ? facts.Costs : [.. facts.Costs.Where(c => c.Channel == channel)];
        return new MetricSlice(period, now, deals, leads, activities, costs, facts.Converter)
        {
            Shared = facts.SharedOf(period, channel, allChannels),
            // Costs are entered per channel: they are no rep's, team's, tier's, segment's or product's.
            CostsApply = query is { RepId: null, TeamId: null, Tier: null, Segment: null, ProductId: null },
            TouchesCounted = facts.TouchPeriods.Contains(period),
            ProposalsRead = facts.ProposalsRead,
            FirstTouchesRead = facts.FirstTouchesRead,
            ResponseTargets = facts.ResponseTargets,
        };
    }

    static decimal? RemainingBookings(MetricFacts facts, MetricQuery query, MetricSlice slice, Channel? channel, bool allChannels, bool targetsApply)
    {
        var target = targetsApply ? TargetFor(facts, "bookings", query, channel, allChannels) : null;
        slice.BookingsTarget = target;
        if (target is null)
            return null;
        var booked = MetricCatalogue.Find("bookings")!.Compute(slice).Value ?? 0;
        return target - booked;
    }

    /// <summary>
    /// The target of the query's scope (its rep, else its team, else the workspace) and channel over its period: targets
    /// of additive metrics prorated by the days they share with it, others averaged weighted by those days.
    /// </summary>
    public static decimal? TargetFor(MetricFacts facts, string metric, MetricQuery query, Channel? channel, bool allChannels)
    {
        var period = query.Period;
        var additive = MetricCatalogue.Find(metric)!.Additive;
        var matching = facts.Targets.Where(t => string.Equals(t.Metric, metric, StringComparison.OrdinalIgnoreCase)
                && t.UserId == query.RepId && (query.RepId is not null || t.TeamId == query.TeamId)
                && (allChannels ? t.Channel is null : t.Channel == channel)
                && t.PeriodEnd > period.Start && t.PeriodStart < period.End)
            .ToList();
        if (matching.Count == 0)
            return null;
        decimal sum = 0, days = 0;
        foreach (var t in matching)
        {
            var overlap = Math.Min(t.PeriodEnd.DayNumber, period.End.DayNumber) - Math.Max(t.PeriodStart.DayNumber, period.Start.DayNumber);
            var length = t.PeriodEnd.DayNumber - t.PeriodStart.DayNumber;
            sum += additive ? t.Value * overlap / length : t.Value * overlap;
            days += overlap;
        }
        return Math.Round(additive ? sum : sum / days, 4);
    }

    /// <summary>Run rate to the period's end: the value so far scaled by elapsed time (additive metrics); the value itself otherwise.</summary>
    public static decimal? Projection(MetricDefinition metric, Period period, decimal? value, DateTime now)
    {
        if (value is null || now < period.StartsAt)
            return null;
        if (!metric.Additive || now >= period.EndsAt)
            return value;
        var elapsed = (decimal)(now - period.StartsAt).TotalSeconds / (decimal)(period.EndsAt - period.StartsAt).TotalSeconds;
        return elapsed <= 0 ? null : Math.Round(value.Value / elapsed, 2);
    }
}
