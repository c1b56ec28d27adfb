using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics;

/// <summary>
/// A deal as metrics see it: its channel, its cuts (owner, team, tier, products) and its dated events. Either one deal
/// read one by one, or an aggregate of a rollup row (<see cref="Weight"/> deals, no id or name, their amounts summed).
/// </summary>
public sealed record DealFact
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public Channel Channel { get; init; }
    public DealKind Kind { get; init; }
    public DealStatus Status { get; init; }

    /// <summary>In <see cref="Currency"/>, the deal's own.</summary>
    public decimal Amount { get; init; }

    public required string Currency { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public DateOnly? ExpectedClose { get; init; }
    public Guid? OwnerId { get; init; }
    public Guid? TeamId { get; init; }
    public Tier? Tier { get; init; }

    /// <summary>The product the facts were loaded for, when the deal has a line item of it.</summary>
    public IReadOnlyList<Guid> Products { get; init; } = [];

    /// <summary>When the deal entered a proposal stage within the periods read.</summary>
    public IReadOnlyList<DateTime> ProposalAt { get; init; } = [];

    public string? LostReason { get; init; }

    /// <summary>How many deals the fact stands for: 1 for a deal read one by one, more for a rollup's aggregate (its amount is their sum).</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Which figures may read the fact: a deal read one by one counts everywhere; an aggregate only where it was made for.</summary>
    public DealRole Role { get; init; } = DealRole.All;

    public Guid? StageId { get; init; }

    /// <summary>For an aggregate of proposals sent, the one period it counts them for (a deal is counted once per period).</summary>
    public Period? ProposalsOf { get; init; }

    /// <summary>
    /// For the deals won on one day that a stored rollup keeps one by one (<see cref="DealRole.OneByOne"/>): each one's
    /// amount and its cycle in ticks (created → won). <see cref="Weight"/> is how many; <see cref="Amount"/> is not theirs.
    /// </summary>
    public Rollups.RollupValues? Values { get; init; }
}

/// <summary>
/// The figures a deal fact takes part in: created (pipeline created), closed (bookings, win rate…), open (open
/// pipeline, funnel), proposal, and one by one (the figures that need each won deal: medians, cycles, notable wins).
/// </summary>
[Flags]
public enum DealRole { Created = 1, Closed = 2, Open = 4, Proposal = 8, OneByOne = 16, All = Created | Closed | Open | Proposal | OneByOne }

/// <summary>The deal a lead was converted into, as cuts see it (a lead counts for a product through it).</summary>
public sealed record ConvertedDeal(Guid Id, Guid? OwnerId, Guid? TeamId, Tier? Tier, bool HasProduct);

/// <summary>A lead: its channel is its converted deal's, else its owner's, else none.</summary>
public sealed record LeadFact(Guid Id, DateTime ReceivedAt, DateTime? FirstTouchAt, Channel? Channel, Guid? OwnerId, Guid? TeamId, Tier? Tier, ConvertedDeal? Deal)
{
    /// <summary>How many leads the fact stands for: 1 for a lead read one by one, more for a stored rollup's row of one day.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>For a rollup's row: the time from receipt to first touch of each of its leads that was touched (in ticks).</summary>
    public long[]? TouchedAfter { get; init; }
}

/// <summary>
/// Touches counted in the database: how many held touches of one type fell in <see cref="Period"/> for one channel
/// (the deal's, else the owner's), owner and tier (the deal's account's, else the activity's account's).
/// <see cref="Deal"/> is the cut-relevant part of the touch's deal, when it has one.
/// </summary>
public sealed record ActivityFact(ActivityType Type, Period Period, int Count, Channel? Channel, Guid? OwnerId, Guid? TeamId, Tier? Tier, ConvertedDeal? Deal)
{
    /// <summary>The activity, when the fact is one touch read one by one (a drill-down); empty for a count.</summary>
    public Guid Id { get; init; }

    public DateTime? OccurredAt { get; init; }
}

/// <summary>
/// What the metrics read for a set of periods, through the caller's <see cref="ReachDb"/>: its access filters decide
/// what is there (a rep's figures are made of the rep's records only). Only what those periods need is read: the deals
/// created, closed or sent a proposal within them, every open deal (open pipeline) and every won deal without a
/// close date (the cycle note); the leads received within them; and the touches of each touch period counted in the
/// database (grouped by type, channel, owner and tier) rather than read one by one. The remaining cuts are applied
/// here in memory. A figure asked for a period or product the facts were not loaded for throws rather than be wrong.
/// </summary>
public sealed partial class MetricFacts
{
    /// <summary>Touch types: notes and tasks are not touches.</summary>
    public static readonly ActivityType[] TouchTypes = Touches.Types;

    public required IReadOnlyList<DealFact> Deals { get; init; }
    public required IReadOnlyList<LeadFact> Leads { get; init; }
    public required IReadOnlyList<ActivityFact> Activities { get; init; }
    public required IReadOnlyList<Target> Targets { get; init; }
    public required IReadOnlyList<ChannelCost> Costs { get; init; }
    public required CurrencyConverter Converter { get; init; }

    /// <summary>The span of time whose deals and leads are loaded.</summary>
    public required DateTime From { get; init; }
    public required DateTime To { get; init; }

    /// <summary>The periods whose touches are counted and whose leads are read.</summary>
    public required IReadOnlySet<Period> TouchPeriods { get; init; }

    /// <summary>Whether the proposals sent in the touch periods were read (a page that shows no proposals figure skips them).</summary>
    public bool ProposalsRead { get; init; } = true;

    /// <summary>
    /// The team whose aggregates were summed over its owners when loaded (so they carry no owner): the facts can then
    /// be cut by that team, not by one of its reps.
    /// </summary>
    public Guid? SummedForTeam { get; init; }

    /// <summary>Whether the leads' first touches were read (a page that shows no speed to first touch skips them).</summary>
    public bool FirstTouchesRead { get; init; } = true;

    /// <summary>The workspace's response target per channel, which <c>first_touch_within_target</c> holds each lead's first touch to.</summary>
    public Access.ResponseTargets ResponseTargets { get; init; } = Access.ResponseTargets.Default;

    /// <summary>Whether the records carry their tier: read only for a tier cut (joining the accounts costs most of a read), so facts without refuse one.</summary>
    public bool TiersRead { get; init; } = true;

    /// <summary>The product the facts were loaded for (its deals carry it in <see cref="DealFact.Products"/>); none means no product cut is possible.</summary>
    public Guid? Product { get; init; }

    /// <summary>
    /// The segment the facts were loaded for: they hold that segment's records only (the cut is made in the database), so
    /// they serve figures of that segment and no others.
    /// </summary>
    public string? Segment { get; init; }

    /// <summary>The facts for <paramref name="query"/>'s figures (its period and the previous one), from the rollups where they can be.</summary>
    public static Task<MetricFacts> LoadAsync(ReachDb db, string currency, DateTime now, MetricQuery query, CancellationToken cancellationToken = default) =>
        LoadAsync(db, currency, now, [query.Period, query.Period.Previous()], query, null, cancellationToken: cancellationToken);

    /// <summary>The facts for <paramref name="query"/>'s figures with every deal and lead read one by one: what a drill-down lists.</summary>
    public static Task<MetricFacts> LoadDetailedAsync(ReachDb db, string currency, DateTime now, MetricQuery query, CancellationToken cancellationToken = default) =>
        ReadDetailedAsync(db, currency, now, [query.Period, query.Period.Previous()], query.ProductId, query.Segment, null, null, cancellationToken);

    /// <summary>As <see cref="LoadDetailedAsync(ReachDb, string, DateTime, MetricQuery, CancellationToken)"/>, with the period's touches read one by one (the previous period's counted): the touches' drill-down.</summary>
    public static Task<MetricFacts> LoadTouchesOneByOneAsync(ReachDb db, string currency, DateTime now, MetricQuery query, CancellationToken cancellationToken = default) =>
        ReadDetailedAsync(db, currency, now, [query.Period, query.Period.Previous()], query.ProductId, query.Segment, null, query.Period, cancellationToken);

    /// <summary>
    /// The facts for figures over <paramref name="periods"/> (each with its previous period already included by the
    /// caller); touches are counted, and leads read, for <paramref name="touchPeriods"/> (default: all of <paramref name="periods"/>).
    /// With a <paramref name="segment"/>, only that segment's records are read.
    /// </summary>
    public static Task<MetricFacts> LoadDetailedAsync(ReachDb db, string currency, DateTime now, IReadOnlyCollection<Period> periods, Guid? product,
        IReadOnlyCollection<Period>? touchPeriods = null, string? segment = null, CancellationToken cancellationToken = default) =>
        ReadDetailedAsync(db, currency, now, periods, product, segment, touchPeriods, null, cancellationToken);

    static async Task<MetricFacts> ReadDetailedAsync(ReachDb db, string currency, DateTime now, IReadOnlyCollection<Period> periods, Guid? product,
        string? segment, IReadOnlyCollection<Period>? touchPeriods, Period? touchesOneByOne, CancellationToken cancellationToken)
    {
        if (periods.Count == 0)
            throw new ArgumentException("Name at least one period.", nameof(periods));
        var since = periods.Min(p => p.StartsAt);
        var until = periods.Max(p => p.EndsAt);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.TeamId, u.Channel }).ToDictionaryAsync(u => u.Id, cancellationToken);
        Guid? TeamOf(Guid? owner) => owner is { } o && users.TryGetValue(o, out var u) ? u.TeamId : null;
        Channel? ChannelOf(Guid? owner) => owner is { } o && users.TryGetValue(o, out var u) ? u.Channel : null;
        var proposalsSent = MetricRecords.ProposalsSent(db, await MetricRecords.ProposalStagesAsync(db, cancellationToken), since, until);

        // The deals some figure of these periods is made of. Each branch of the OR has its own index.
        var proposed = proposalsSent.Select(c => c.DealId);
        var deals = await new DealReader(db, null, TeamOf).ReadAsync(d => ((d.CreatedAt >= since && d.CreatedAt < until) || (d.ClosedAt >= since && d.ClosedAt < until)
                || d.Status == DealStatus.Open || (d.Status == DealStatus.Won && d.ClosedAt == null) || proposed.Contains(d.Id))
            && (segment == null || db.Accounts.Any(a => a.Id == d.AccountId && a.Segment == segment)), DealRole.All, cancellationToken);
        var proposals = (await proposalsSent.Select(c => new { c.DealId, c.At }).ToListAsync(cancellationToken)).ToLookup(c => c.DealId, c => c.At);
        var withProduct = product is { } p
            ? (await db.DealLineItems.AsNoTracking().Where(l => l.ProductId == p).Select(l => l.DealId).Distinct().ToListAsync(cancellationToken)).ToHashSet()
            : [];
        var dealFacts = deals.Select(d => withProduct.Contains(d.Id) || proposals.Contains(d.Id)
            ? d with { Products = withProduct.Contains(d.Id) ? [product!.Value] : [], ProposalAt = [.. proposals[d.Id].Order()] }
            : d).ToList();

        // Leads, like touches, are read for the touch periods only (their figures are the key metrics, not the history charts).
        var counted = (touchPeriods ?? periods).Distinct().ToList();
        var leadFacts = await LeadsAsync(db, counted, product, segment, null, TeamOf, ChannelOf, false, true, true, cancellationToken);

        var touches = new List<ActivityFact>();
        foreach (var period in counted)
        {
            var held = HeldTouches(db, period, now, product, segment);
            // Only the listed period's touches are read one by one; the others (the previous period's) are counted.
            if (period == touchesOneByOne)
            {
                var each = await held.OrderByDescending(t => t.OccurredAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
                touches.AddRange(each.Select(t => ActivityFactOf(t.Type, period, 1, t.OwnerId, t.HasDeal, t.DealChannel, t.DealOwnerId, t.DealTier, t.AccountTier,
                    t.HasProduct, TeamOf, ChannelOf) with
                { Id = t.Id, OccurredAt = t.OccurredAt }));
                continue;
            }
            var groups = await held
                .GroupBy(t => new { t.Type, t.OwnerId, t.HasDeal, t.DealChannel, t.DealOwnerId, t.DealTier, t.AccountTier, t.HasProduct })
                .Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            touches.AddRange(groups.Select(c => ActivityFactOf(c.Key.Type, period, c.Count, c.Key.OwnerId, c.Key.HasDeal, c.Key.DealChannel, c.Key.DealOwnerId,
                c.Key.DealTier, c.Key.AccountTier, c.Key.HasProduct, TeamOf, ChannelOf)));
        }

        var rates = await db.Set<ExchangeRate>().AsNoTracking().ToListAsync(cancellationToken);
        return new MetricFacts
        {
            Deals = dealFacts,
            Leads = leadFacts,
            Activities = touches,
            Targets = await db.Set<Target>().AsNoTracking().ToListAsync(cancellationToken),
            Costs = await db.Set<ChannelCost>().AsNoTracking().ToListAsync(cancellationToken),
            Converter = new CurrencyConverter(currency, rates),
            From = since,
            To = until,
            TouchPeriods = counted.ToHashSet(),
            Product = product,
            Segment = segment,
            ResponseTargets = await Access.ResponseTargets.LoadAsync(db, cancellationToken),
        };
    }

    /// <summary>
    /// The touches held in <paramref name="period"/>: a call, e-mail, meeting or social activity that happened (not in
    /// the future) and is not a planned task still open, with what cuts it: its deal (whichever the reader may open, so
    /// figures don't depend on who asks), that deal's account's tier, and its own account's tier. With a
    /// <paramref name="segment"/>, only the touches of that segment (their deal's account's, else their own account's).
    /// </summary>
    static IQueryable<HeldTouch> HeldTouches(ReachDb db, Period period, DateTime now, Guid? product, string? segment = null)
    {
        var (start, end) = (period.StartsAt, period.EndsAt);
        // The deals are joined whoever owns them, which drops the access filter for the whole query: it is applied to the
        // activities here explicitly.
        return from a in MetricRecords.HeldTouches(db.ReadableActivities.AsNoTracking(), start, end, now)
               join d0 in db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]) on a.DealId equals (Guid?)d0.Id into ds
               from d in ds.DefaultIfEmpty()
               join da0 in db.Accounts on d.AccountId equals da0.Id into das
               from da in das.DefaultIfEmpty()
               join aa0 in db.Accounts on a.AccountId equals (Guid?)aa0.Id into aas
               from aa in aas.DefaultIfEmpty()
               where segment == null || (da.Segment ?? aa.Segment) == segment
               select new HeldTouch
               {
                   Id = a.Id,
                   Type = a.Type,
                   OccurredAt = a.OccurredAt,
                   OwnerId = a.OwnerId,
                   HasDeal = d != null,
                   DealChannel = (Channel?)d.Channel,
                   DealOwnerId = d.OwnerId,
                   DealTier = da.Tier,
                   AccountTier = aa.Tier,
                   HasProduct = product != null && db.DealLineItems.Any(i => i.DealId == d.Id && i.ProductId == product),
               };
    }

    sealed class HeldTouch
    {
        public Guid Id { get; init; }
        public ActivityType Type { get; init; }
        public DateTime OccurredAt { get; init; }
        public Guid? OwnerId { get; init; }
        public bool HasDeal { get; init; }
        public Channel? DealChannel { get; init; }
        public Guid? DealOwnerId { get; init; }
        public Tier? DealTier { get; init; }
        public Tier? AccountTier { get; init; }
        public bool HasProduct { get; init; }
    }

    // A touch's channel is its deal's, else its owner's; its tier its deal's account's, else its own account's.
    static ActivityFact ActivityFactOf(ActivityType type, Period period, int count, Guid? ownerId, bool hasDeal, Channel? dealChannel, Guid? dealOwnerId,
        Tier? dealTier, Tier? accountTier, bool hasProduct, Func<Guid?, Guid?> teamOf, Func<Guid?, Channel?> channelOf) =>
        new(type, period, count, dealChannel ?? channelOf(ownerId), ownerId, teamOf(ownerId), dealTier ?? accountTier,
            hasDeal ? new ConvertedDeal(Guid.Empty, dealOwnerId, teamOf(dealOwnerId), dealTier, hasProduct) : null);

    /// <summary>
    /// The leads received within <paramref name="periods"/> (of <paramref name="owners"/> when named), each with its first
    /// touch: the same for both loaders, because speed to first touch is a median of the leads themselves.
    /// </summary>
    static async Task<List<LeadFact>> LeadsAsync(ReachDb db, IReadOnlyCollection<Period> periods, Guid? product, string? segment, Guid[]? owners,
        Func<Guid?, Guid?> teamOf, Func<Guid?, Channel?> channelOf, bool answered, bool withTier, bool withFirstTouches, CancellationToken cancellationToken)
    {
        var (since, until) = (periods.Min(p => p.StartsAt), periods.Max(p => p.EndsAt));
        var byOwner = owners is not null;
        var ownerIds = owners ?? [];
        // The converted deal is joined whoever owns it, which drops the access filter for the whole query: it is applied
        // to the leads explicitly (unless the reader answers for every owner asked for).
        var received = (answered ? db.Leads : db.ReadableLeads).AsNoTracking()
            .Where(l => l.ReceivedAt >= since && l.ReceivedAt < until && (!byOwner || (l.OwnerId != null && ownerIds.Contains(l.OwnerId.Value))));
        var anyDeal = db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]);
        // A lead's tier and segment are its converted deal's account's, else its converted account's (else, for the
        // segment, its own route's).
        var withAccounts = from l in received
                           join d0 in anyDeal on l.ConvertedDealId equals (Guid?)d0.Id into ds
                           from d in ds.DefaultIfEmpty()
                           join da0 in db.Accounts on d.AccountId equals da0.Id into das
                           from da in das.DefaultIfEmpty()
                           join la0 in db.Accounts on l.ConvertedAccountId equals (Guid?)la0.Id into las
                           from la in las.DefaultIfEmpty()
                           select new { Lead = l, DealAccount = da, Account = la };
        if (segment is not null)
        {
            withAccounts = withAccounts.Where(x => (x.DealAccount.Segment ?? x.Account.Segment ?? x.Lead.Segment) == segment);
            received = withAccounts.Select(x => x.Lead);
        }
        // A lead's first touch is the earliest logged on it, by anyone (as the stored rollups count it).
        var leadTouches = MetricRecords.LeadTouches(db);
        var leads = await (
                from l in received
                join d0 in anyDeal on l.ConvertedDealId equals (Guid?)d0.Id into ds
                from d in ds.DefaultIfEmpty()
                select new
                {
                    l.Id,
                    l.ReceivedAt,
                    l.OwnerId,
                    DealId = (Guid?)d.Id,
                    DealChannel = (Channel?)d.Channel,
                    DealOwnerId = d.OwnerId,
                    HasProduct = product != null && db.DealLineItems.Any(i => i.DealId == d.Id && i.ProductId == product),
                    // Lazily: the database reads a lead's touches only when its first one is asked for.
                    FirstTouchAt = !withFirstTouches ? null : leadTouches.Where(a => a.LeadId == l.Id).Min(a => (DateTime?)a.OccurredAt),
                })
            .ToListAsync(cancellationToken);
        // Joining the accounts for the tier is read only when asked (a tier cut, a drill-down), being most of the query's cost.
        var tiers = withTier
            ? (await withAccounts.Where(x => x.DealAccount != null || x.Account != null)
                    .Select(x => new { x.Lead.Id, DealTier = (Tier?)x.DealAccount.Tier, AccountTier = (Tier?)x.Account.Tier })
                .ToListAsync(cancellationToken)).ToDictionary(t => t.Id, t => (t.DealTier, t.AccountTier))
            : [];
        return [.. leads.Select(l =>
        {
            var (dealTier, accountTier) = tiers.GetValueOrDefault(l.Id);
            return new LeadFact(l.Id, l.ReceivedAt, l.FirstTouchAt, l.DealChannel ?? channelOf(l.OwnerId), l.OwnerId, teamOf(l.OwnerId), dealTier ?? accountTier,
                l.DealId is { } id ? new ConvertedDeal(id, l.DealOwnerId, teamOf(l.DealOwnerId), dealTier, l.HasProduct) : null);
        })];
    }

    // Every figure of a page cuts the same facts the same way: each cut, and each channel's and period's part, is made once.
    readonly Dictionary<(Guid?, Guid?, Tier?, Guid?), MetricFacts> cuts = [];

    readonly Dictionary<(Period, int), (IReadOnlyList<DealFact> Deals, IReadOnlyList<LeadFact> Leads, IReadOnlyList<ActivityFact> Activities)> ofPeriods = [];
    readonly Dictionary<int, FactsByDate> byDate = [];

    /// <summary>
    /// The facts a figure of <paramref name="period"/> can be made of, of one channel or (<paramref name="allChannels"/>)
    /// of all: the deals created, closed or sent a proposal in it and the open ones, its leads and its touches. Figures
    /// of a page read the same period many times and many periods: each reads this narrow part, found by date, rather
    /// than every fact loaded.
    /// </summary>
    public (IReadOnlyList<DealFact> Deals, IReadOnlyList<LeadFact> Leads, IReadOnlyList<ActivityFact> Activities) OfPeriod(Period period, Channel? channel, bool allChannels)
    {
        var key = allChannels ? -2 : channel is { } c ? (int)c : -1;
        if (ofPeriods.TryGetValue((period, key), out var part))
            return part;
        if (!byDate.TryGetValue(key, out var facts))
        {
            // Sorted once for all channels; a channel's part keeps that order.
            var all = byDate.TryGetValue(-2, out var sorted) ? sorted : byDate[-2] = new FactsByDate(Deals, Leads, Activities);
            byDate[key] = facts = allChannels ? all : all.OfChannel(channel);
        }
        return ofPeriods[(period, key)] = facts.Of(period);
    }

    readonly Dictionary<(Period, int), Dictionary<string, object>> shared = [];

    /// <summary>What the figures of a period's part of one channel (or all) share: <see cref="MetricSlice.Shared"/>.</summary>
    public Dictionary<string, object> SharedOf(Period period, Channel? channel, bool allChannels)
    {
        var key = (period, allChannels ? -2 : channel is { } c ? (int)c : -1);
        return shared.TryGetValue(key, out var parts) ? parts : shared[key] = [];
    }

    /// <summary>Facts sorted by the dates that place them in a period, so a period's are found by binary search.</summary>
    sealed class FactsByDate
    {
        readonly DealFact[] created, closed, open, proposals;
        readonly DateTime[] createdAt, closedAt, receivedAt;
        readonly LeadFact[] leads;
        readonly IReadOnlyList<ActivityFact> touches;
        readonly ILookup<Period, ActivityFact> activities;

        public FactsByDate(IReadOnlyList<DealFact> deals, IReadOnlyList<LeadFact> leads, IReadOnlyList<ActivityFact> activities)
        {
            created = [.. deals.Where(d => d.Role.HasFlag(DealRole.Created))];
            createdAt = [.. created.Select(d => d.CreatedAt)];
            Array.Sort(createdAt, created);
            closed = [.. deals.Where(d => (d.Role & (DealRole.Closed | DealRole.OneByOne)) != 0 && d.ClosedAt is not null)];
            closedAt = [.. closed.Select(d => d.ClosedAt!.Value)];
            Array.Sort(closedAt, closed);
            open = [.. deals.Where(d => d.Role.HasFlag(DealRole.Open) && d.Status == DealStatus.Open)];
            proposals = [.. deals.Where(d => d.Role.HasFlag(DealRole.Proposal))];
            this.leads = [.. leads];
            receivedAt = [.. leads.Select(l => l.ReceivedAt)];
            Array.Sort(receivedAt, this.leads);
            touches = activities;
            this.activities = activities.ToLookup(a => a.Period);
        }

        FactsByDate(DealFact[] created, DealFact[] closed, DealFact[] open, DealFact[] proposals, LeadFact[] leads, IReadOnlyList<ActivityFact> touches)
        {
            (this.created, this.closed, this.open, this.proposals, this.leads, this.touches) = (created, closed, open, proposals, leads, touches);
            (createdAt, closedAt, receivedAt) = ([.. created.Select(d => d.CreatedAt)], [.. closed.Select(d => d.ClosedAt!.Value)], [.. leads.Select(l => l.ReceivedAt)]);
            activities = touches.ToLookup(a => a.Period);
        }

        /// <summary>One channel's facts (none: those without a channel), in the same order.</summary>
        public FactsByDate OfChannel(Channel? channel) => new(
            [.. created.Where(d => d.Channel == channel)], [.. closed.Where(d => d.Channel == channel)], [.. open.Where(d => d.Channel == channel)],
            [.. proposals.Where(d => d.Channel == channel)], [.. leads.Where(l => l.Channel == channel)], [.. touches.Where(a => a.Channel == channel)]);

        // Each deal once, though it may be placed in the period by several of its dates.
        public (IReadOnlyList<DealFact>, IReadOnlyList<LeadFact>, IReadOnlyList<ActivityFact>) Of(Period period)
        {
            var (start, end) = (period.StartsAt, period.EndsAt);
            bool CreatedIn(DealFact d) => d.Role.HasFlag(DealRole.Created) && d.CreatedAt >= start && d.CreatedAt < end;
            bool ClosedIn(DealFact d) => (d.Role & (DealRole.Closed | DealRole.OneByOne)) != 0 && d.ClosedAt >= start && d.ClosedAt < end;
            bool Open(DealFact d) => d.Role.HasFlag(DealRole.Open) && d.Status == DealStatus.Open;

            var deals = new List<DealFact>(Within(closed, closedAt, start, end));
            deals.AddRange(Within(created, createdAt, start, end).Where(d => !ClosedIn(d)));
            deals.AddRange(open.Where(d => !CreatedIn(d) && !ClosedIn(d)));
            deals.AddRange(proposals.Where(d => (d.ProposalsOf is { } counted ? counted == period : d.ProposalAt.Any(period.Contains))
                && !CreatedIn(d) && !ClosedIn(d) && !Open(d)));
            return (deals, [.. Within(leads, receivedAt, start, end)], [.. activities[period]]);
        }

        static ArraySegment<T> Within<T>(T[] items, DateTime[] dates, DateTime start, DateTime end)
        {
            var (from, to) = (First(dates, start), First(dates, end));
            return new ArraySegment<T>(items, from, to - from);
        }

        // The index of the first date at or after the given one.
        static int First(DateTime[] dates, DateTime at)
        {
            var (low, high) = (0, dates.Length);
            while (low < high)
            {
                var mid = (low + high) / 2;
                if (dates[mid] < at)
                    low = mid + 1;
                else
                    high = mid;
            }
            return low;
        }
    }

    /// <summary>The facts within the cuts of <paramref name="query"/> other than period and channel (those make the slices).</summary>
    public MetricFacts Cut(MetricQuery query)
    {
        if (query.ProductId is { } asked && asked != Product)
            throw new InvalidOperationException($"The facts were loaded for product {Product?.ToString() ?? "none"}, not {asked}.");
        if (query.Segment != Segment)
            throw new InvalidOperationException($"The facts were loaded for segment {Segment ?? "none"}, not {query.Segment ?? "none"}.");
        if (query.Tier is { } tier && !TiersRead)
            throw new InvalidOperationException($"The facts were loaded without the tiers of their records, not for tier {tier}.");
        if (SummedForTeam is { } team && (query.RepId is not null || query.TeamId != team))
            throw new InvalidOperationException($"The facts were loaded summed for team {team}: cut them by that team only.");
        if (query.RepId is null && query.TeamId is null && query.Tier is null && query.ProductId is null)
            return this;
        var key = (query.RepId, query.TeamId, query.Tier, query.ProductId);
        if (!cuts.TryGetValue(key, out var cut))
            cuts[key] = cut = CutAnew(query);
        return cut;
    }

    MetricFacts CutAnew(MetricQuery query)
    {
        bool Keep(Guid? owner, Guid? team, Tier? tier) =>
            (query.RepId is null || owner == query.RepId) && (query.TeamId is null || team == query.TeamId) && (query.Tier is null || tier == query.Tier);
        bool KeepThrough(ConvertedDeal? deal) => query.ProductId is null || (deal is { HasProduct: true } && Keep(deal.OwnerId, deal.TeamId, deal.Tier));
        return new MetricFacts
        {
            Deals = [.. Deals.Where(d => Keep(d.OwnerId, d.TeamId, d.Tier) && (query.ProductId is null || d.Products.Contains(query.ProductId.Value)))],
            Leads = [.. Leads.Where(l => Keep(l.OwnerId, l.TeamId, l.Tier) && KeepThrough(l.Deal))],
            Activities = [.. Activities.Where(a => Keep(a.OwnerId, a.TeamId, a.Tier) && KeepThrough(a.Deal))],
            Targets = Targets,
            Costs = Costs,
            Converter = Converter,
            From = From,
            To = To,
            TouchPeriods = TouchPeriods,
            Product = Product,
            Segment = Segment,
            ProposalsRead = ProposalsRead,
            FirstTouchesRead = FirstTouchesRead,
            ResponseTargets = ResponseTargets,
            SummedForTeam = SummedForTeam,
            TiersRead = TiersRead,
        };
    }

    /// <summary>Throws unless the facts were loaded for <paramref name="period"/> (and, for touches and leads, for it).</summary>
    public void EnsureLoaded(Period period, bool touches)
    {
        if (period.StartsAt < From || period.EndsAt > To)
            throw new InvalidOperationException($"The facts were loaded for {From:yyyy-MM-dd}..{To:yyyy-MM-dd}, not for {period.Label}.");
        if (touches && !TouchPeriods.Contains(period))
            throw new InvalidOperationException($"Touches and leads were not read for {period.Label}.");
    }
}
