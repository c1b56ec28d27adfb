using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics.Rollups;

namespace Reach.Metrics;

public sealed partial class MetricFacts
{
    /// <summary>
    /// The facts for figures over <paramref name="periods"/> of <paramref name="scope"/>'s rep or team (or, for whoever
    /// reads the whole workspace, of everyone), built from aggregates rather than deal by deal: the stored rollups (the
    /// workspace's rows, or the owners' rows, summed over a team's in the database), a stale day computed live. What a
    /// median needs is still read one by one: the deals won and the leads received in the touch periods. Proposals are
    /// counted per touch period in the database. A product or segment cut, or a reader who sees only part of the workspace without naming a rep or
    /// team, takes <see cref="LoadDetailedAsync(ReachDb, string, DateTime, IReadOnlyCollection{Period}, Guid?, IReadOnlyCollection{Period}?, string?, CancellationToken)"/>.
    /// </summary>
    public static async Task<MetricFacts> LoadAsync(ReachDb db, string currency, DateTime now, IReadOnlyCollection<Period> periods, MetricQuery scope,
        IReadOnlyCollection<Period>? touchPeriods = null, bool withProposals = true, bool withFirstTouches = true,
        CancellationToken cancellationToken = default)
    {
        var seesAll = db.Actor is null or { IsAdmin: true };
        if (periods.Count == 0)
            throw new ArgumentException("Name at least one period.", nameof(periods));
        if (scope.ProductId is not null || scope.Segment is not null || (!seesAll && scope.RepId is null && scope.TeamId is null))
            return await LoadDetailedAsync(db, currency, now, periods, scope.ProductId, touchPeriods, scope.Segment, cancellationToken);

        var counted = (touchPeriods ?? periods).Distinct().ToList();
        var load = await RollupLoad.StartAsync(db, currency, now, scope, counted, cancellationToken);
        var (since, until) = (periods.Min(p => p.Start), periods.Max(p => p.End));

        // Reading and materialising rows is most of the time: the deals won in the touch periods, and the touches and
        // leads, are read meanwhile on their own contexts (same actor, same filters), each on a core of its own.
        await using var wonDb = db.Sibling();
        await using var touchDb = db.Sibling();
        var wonRead = Task.Run(() => load.WonOneByOneAsync(wonDb, cancellationToken), cancellationToken);
        var touchesRead = Task.Run(() => load.TouchesAndLeadsAsync(touchDb, withFirstTouches, cancellationToken), cancellationToken);
        var deals = new List<DealFact>();
        try
        {
            deals.AddRange(await load.DealsAsync(since, until, cancellationToken));
            if (withProposals)
                deals.AddRange(await load.ProposalsAsync(cancellationToken));
        }
        catch
        {
            // Not left running on contexts about to be disposed; the first failure is the one reported.
            await Task.WhenAll(wonRead, touchesRead).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        deals.AddRange(await wonRead);
        var (touches, leads) = await touchesRead;

        return new MetricFacts
        {
            Deals = deals,
            Leads = leads,
            Activities = touches,
            Targets = await db.Set<Target>().AsNoTracking().ToListAsync(cancellationToken),
            Costs = await db.Set<ChannelCost>().AsNoTracking().ToListAsync(cancellationToken),
            Converter = load.Converter,
            From = RollupLoad.At(since),
            To = RollupLoad.At(until),
            TouchPeriods = counted.ToHashSet(),
            ProposalsRead = withProposals,
            FirstTouchesRead = withFirstTouches,
            ResponseTargets = await Access.ResponseTargets.LoadAsync(db, cancellationToken),
            SummedForTeam = load.SumOwners ? scope.TeamId : null,
            TiersRead = load.WithTier,
        };
    }

    /// <summary>
    /// One load of facts from the rollups for one scope: each part (the deals' aggregates, the won deals one by one, the
    /// touches and leads, the proposals) reads its measure's rows and makes them facts.
    /// </summary>
    sealed class RollupLoad
    {
        readonly ReachDb db;
        readonly string currency;
        readonly DateTime now;
        readonly Guid[]? owners;
        readonly bool answered;
        readonly Dictionary<Guid, Guid?> teams;
        readonly Guid? summedTeam;
        readonly List<Period> counted;

        RollupLoad(ReachDb db, string currency, DateTime now, MetricQuery scope, List<Period> counted, Dictionary<Guid, Guid?> teams, CurrencyConverter converter)
        {
            (this.db, this.currency, this.now, this.counted, this.teams, Converter) = (db, currency, now, counted, teams, converter);
            owners = scope.RepId is { } rep ? [rep] : scope.TeamId is { } team ? [.. teams.Where(u => u.Value == team).Select(u => u.Key)] : null;
            answered = Answered(db, owners);
            // A deal's or lead's tier is its account's: joining the accounts one by one is the costliest part of the reads,
            // so it is done only for a tier cut (the facts then refuse any other tier).
            WithTier = scope.Tier is not null;
            // A team's aggregates are summed over its owners in the database (a rep's cut of them is then refused): fewer
            // rows to read. Those rows have no owner, and are the team's.
            SumOwners = scope.TeamId is not null && scope.RepId is null;
            summedTeam = SumOwners ? scope.TeamId : null;
        }

        public CurrencyConverter Converter { get; }
        public bool WithTier { get; }
        public bool SumOwners { get; }

        public static async Task<RollupLoad> StartAsync(ReachDb db, string currency, DateTime now, MetricQuery scope, List<Period> counted, CancellationToken cancellationToken)
        {
            var teams = await db.Users.AsNoTracking().Select(u => new { u.Id, u.TeamId }).ToDictionaryAsync(u => u.Id, u => u.TeamId, cancellationToken);
            return new RollupLoad(db, currency, now, scope, counted, teams, await CurrencyConverter.LoadAsync(db, currency, cancellationToken));
        }

        public static DateTime At(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

        Guid? TeamOf(Guid? owner) => owner is { } o && teams.TryGetValue(o, out var team) ? team : null;

        // A summed team's rows have no owner, and are the team's.
        Guid? TeamOfRow(Guid? owner) => owner is null && summedTeam is { } team ? team : TeamOf(owner);

        RollupReader Rows(ReachDb on) => new(on, owners, now, answered, WithTier, SumOwners);

        // The caller's context reads the deals' aggregates and then the proposals: one reader, which learns the stale days once.
        RollupReader? ownRows;
        RollupReader OwnRows => ownRows ??= Rows(db);

        DealReader OneByOne(ReachDb on) => new(on, owners, TeamOf, answered, WithTier);

        // An aggregate whose currency has no rate on its day is replaced by its deals one by one, so they can be named.
        bool Convertible(RollupRow r, DateTime at) => Converter.Convert(1m, r.Currency ?? currency, at) is not null;

        // A rollup row as a deal fact: Weight deals, their amounts summed.
        DealFact Aggregate(RollupRow r, DealRole role, DealStatus status, DateTime created, DateTime? closed, DateOnly? expected) => new()
        {
            Channel = r.Channel ?? default,
            Kind = r.Kind ?? DealKind.New,
            Status = status,
            Amount = r.Amount,
            Currency = r.Currency ?? currency,
            CreatedAt = created,
            ClosedAt = closed,
            ExpectedClose = expected,
            OwnerId = r.OwnerId,
            TeamId = TeamOfRow(r.OwnerId),
            Tier = r.Tier,
            Weight = r.Count,
            Role = role,
            StageId = r.StageId,
        };

        /// <summary>Deals created, won and lost in [since, until) and open now, as aggregates (one by one where a currency has no rate).</summary>
        public async Task<List<DealFact>> DealsAsync(DateOnly since, DateOnly until, CancellationToken cancellationToken)
        {
            var rows = OwnRows;
            var deals = new List<DealFact>();
            var unconvertible = new List<(DealRole Role, DealStatus Status, string Currency, DateOnly Day)>();
            void Add(RollupRow r, DealRole role, DealStatus status, DateTime? closed)
            {
                if (Convertible(r, At(r.Day)))
                    deals.Add(Aggregate(r, role, status, At(r.Day), closed, null));
                else
                    unconvertible.Add((role, status, r.Currency!, r.Day));
            }
            foreach (var r in await rows.ReadAsync(RollupMeasure.Created, since, until, cancellationToken))
                Add(r, DealRole.Created, DealStatus.Open, null);
            // The touch periods' won deals are read one by one too (WonOneByOneAsync), for the figures that need each.
            foreach (var r in await rows.ReadAsync(RollupMeasure.Won, since, until, cancellationToken))
                Add(r, DealRole.Closed, DealStatus.Won, At(r.Day));
            foreach (var r in await rows.ReadAsync(RollupMeasure.Lost, since, until, cancellationToken))
                Add(r, DealRole.Closed, DealStatus.Lost, At(r.Day));
            var openWithoutRate = new HashSet<string>();
            foreach (var r in await rows.ReadAsync(RollupMeasure.Open, RollupRows.NoExpectedClose, RollupDays.BuiltMarker, cancellationToken))
            {
                if (Convertible(r, now))
                    deals.Add(Aggregate(r, DealRole.Open, DealStatus.Open, default, null, r.Day == RollupRows.NoExpectedClose ? null : r.Day));
                else
                    openWithoutRate.Add(r.Currency!);
            }

            // One by one: the deals behind an aggregate that has no exchange rate, day by day (runs of days), so only the
            // deals of those days are read.
            var individual = OneByOne(db);
            foreach (var group in unconvertible.GroupBy(u => (u.Role, u.Status, u.Currency)))
            {
                var (role, status, code) = group.Key;
                foreach (var (first, last) in Runs(group.Select(g => g.Day)))
                {
                    var (from, to) = (At(first), At(last));
                    deals.AddRange(role == DealRole.Created
                        ? await individual.ReadAsync(d => d.Currency == code && d.CreatedAt >= from && d.CreatedAt < to, role, cancellationToken)
                        : await individual.ReadAsync(d => d.Currency == code && d.Status == status && d.ClosedAt >= from && d.ClosedAt < to, role, cancellationToken));
                }
            }
            foreach (var code in openWithoutRate)
                deals.AddRange(await individual.ReadAsync(d => d.Currency == code && d.Status == DealStatus.Open, DealRole.Open, cancellationToken));
            return deals;
        }

        /// <summary>
        /// The deals won in the touch periods one by one (medians, cycles), from the values the stored rows keep of each
        /// (packed: the figures unpack them); a day's deals in a currency without a rate that day are read from the deals,
        /// so they can be named; and the deals won without a close date (the cycle's note names them).
        /// </summary>
        public async Task<List<DealFact>> WonOneByOneAsync(ReachDb on, CancellationToken cancellationToken)
        {
            var rows = Rows(on);
            var reader = OneByOne(on);
            var won = new List<DealFact>();
            var unconvertible = new List<(string Currency, DateOnly Day)>();
            foreach (var (first, last) in Merged(counted))
            {
                foreach (var r in await rows.ReadAsync(RollupMeasure.Won, first, last, cancellationToken, withValues: true))
                {
                    var closed = At(r.Day);
                    if (Convertible(r, closed))
                        won.Add(Aggregate(r, DealRole.OneByOne, DealStatus.Won, closed, closed, null) with { Amount = 0, StageId = null, Weight = r.Values!.Amounts.Length, Values = r.Values });
                    else
                        unconvertible.Add((r.Currency!, r.Day));
                }
            }
            foreach (var group in unconvertible.GroupBy(u => u.Currency))
            {
                foreach (var (first, last) in Runs(group.Select(g => g.Day)))
                    won.AddRange(await reader.ReadWonAsync(At(first), At(last), group.Key, cancellationToken));
            }
            won.AddRange(await reader.ReadAsync(d => d.Status == DealStatus.Won && d.ClosedAt == null, DealRole.Closed, cancellationToken));
            return won;
        }

        /// <summary>The touch periods' touches, counted by type and cuts, and their leads, with the times to first touch of the touched ones.</summary>
        public async Task<(List<ActivityFact> Touches, List<LeadFact> Leads)> TouchesAndLeadsAsync(ReachDb on, bool withFirstTouches, CancellationToken cancellationToken)
        {
            var rows = Rows(on);
            var (from, to) = (counted.Min(p => p.Start), counted.Max(p => p.End));
            var touchRows = await rows.ReadAsync(RollupMeasure.Touch, from, to, cancellationToken);
            var touches = new List<ActivityFact>();
            foreach (var p in counted)
                touches.AddRange(touchRows.Where(r => r.Day >= p.Start && r.Day < p.End)
                    .GroupBy(r => (r.Type!.Value, r.Channel, r.OwnerId, r.Tier))
                    .Select(g => new ActivityFact(g.Key.Value, p, g.Sum(r => r.Count), g.Key.Channel, g.Key.OwnerId, TeamOfRow(g.Key.OwnerId), g.Key.Tier, null)));
            var leads = new List<LeadFact>();
            foreach (var r in await rows.ReadAsync(RollupMeasure.Lead, from, to, cancellationToken, withValues: withFirstTouches))
                leads.Add(new LeadFact(Guid.Empty, At(r.Day), null, r.Channel, r.OwnerId, TeamOfRow(r.OwnerId), r.Tier, null)
                { Weight = r.Count, TouchedAfter = r.Values?.Ticks ?? [] });
            return (touches, leads);
        }

        /// <summary>
        /// Proposals sent: the deals that entered a proposal stage, each counted once per touch period (by its id). Stored
        /// rows carry a tier even when the reader asked for none, so without a tier cut the tier is no part of the key.
        /// </summary>
        public async Task<List<DealFact>> ProposalsAsync(CancellationToken cancellationToken)
        {
            var proposalRows = await OwnRows.ReadAsync(RollupMeasure.Proposal, counted.Min(p => p.Start), counted.Max(p => p.End), cancellationToken, withValues: true);
            var proposals = new List<DealFact>();
            var withTier = WithTier;
            foreach (var p in counted)
            {
                var start = p.StartsAt;
                proposals.AddRange(proposalRows.Where(r => r.Day >= p.Start && r.Day < p.End)
                    .GroupBy(r => (r.Channel, r.OwnerId, Tier: withTier ? r.Tier : null))
                    .Select(g => new DealFact
                    {
                        Channel = g.Key.Channel ?? default,
                        Kind = DealKind.New,
                        Status = DealStatus.Open,
                        Currency = currency,
                        CreatedAt = start,
                        ProposalAt = [start],
                        OwnerId = g.Key.OwnerId,
                        TeamId = TeamOfRow(g.Key.OwnerId),
                        Tier = g.Key.Tier,
                        Weight = g.SelectMany(r => r.Values!.Ids()).Distinct().Count(),
                        Role = DealRole.Proposal,
                        ProposalsOf = p,
                    }));
            }
            return proposals;
        }
    }

    // Days as runs of consecutive days: [first, last + 1).
    static List<(DateOnly Start, DateOnly End)> Runs(IEnumerable<DateOnly> days)
    {
        var runs = new List<(DateOnly Start, DateOnly End)>();
        foreach (var day in days.Distinct().Order())
        {
            if (runs.Count > 0 && runs[^1].End == day)
                runs[^1] = (runs[^1].Start, day.AddDays(1));
            else
                runs.Add((day, day.AddDays(1)));
        }
        return runs;
    }

    // The days the periods cover, as disjoint ranges.
    static List<(DateOnly Start, DateOnly End)> Merged(IEnumerable<Period> periods)
    {
        var merged = new List<(DateOnly Start, DateOnly End)>();
        foreach (var p in periods.OrderBy(p => p.Start))
        {
            if (merged.Count > 0 && p.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, p.End > merged[^1].End ? p.End : merged[^1].End);
            else
                merged.Add((p.Start, p.End));
        }
        return merged;
    }

    /// <summary>Deals read one by one with what a fact needs (of the owners when named), through the caller's access filters.</summary>
    sealed class DealReader(ReachDb db, Guid[]? owners, Func<Guid?, Guid?> teamOf, bool answered = false, bool withTier = true)
    {
        public Task<List<DealFact>> ReadAsync(Expression<Func<Deal, bool>> filter, DealRole role, CancellationToken cancellationToken, int? largest = null) =>
            FactsAsync(Largest(Owned(largest is null ? db.Deals : ByAmount(db, owners)).Where(filter), largest), role, false, cancellationToken);

        /// <summary>
        /// Won deals for the figures that need each one (medians, cycles, notable wins), with only what those read: the
        /// many rows of a period cost their columns.
        /// </summary>
        public Task<List<DealFact>> ReadWonAsync(DateTime start, DateTime end, string currency, CancellationToken cancellationToken) =>
            FactsAsync(Owned(db.Deals).Where(d => d.Status == DealStatus.Won && d.Currency == currency && d.ClosedAt >= start && d.ClosedAt < end),
                DealRole.OneByOne, true, cancellationToken);

        IQueryable<Deal> Owned(IQueryable<Deal> source)
        {
            var byOwner = owners is not null;
            var ownerIds = owners ?? [];
            return Readable(source, answered).AsNoTracking().Where(d => !byOwner || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value)));
        }

        // Won deals read narrow leave out the columns their figures do not read (their status is known).
        async Task<List<DealFact>> FactsAsync(IQueryable<Deal> deals, DealRole role, bool wonNarrow, CancellationToken cancellationToken)
        {
            // Without the tier the accounts are not joined at all (joined on nothing, the database still looks each one up).
            var tiered = withTier
                ? from d in deals
                  join a0 in db.Accounts on d.AccountId equals a0.Id into accounts
                  from a in accounts.DefaultIfEmpty()
                  select new { Deal = d, Tier = (Tier?)a.Tier }
                : deals.Select(d => new { Deal = d, Tier = (Tier?)null });
            var found = await (wonNarrow
                    ? tiered.Select(x => new
                    {
                        x.Deal.Id,
                        x.Deal.Name,
                        x.Deal.Channel,
                        x.Deal.Kind,
                        Status = DealStatus.Won,
                        x.Deal.Amount,
                        x.Deal.Currency,
                        x.Deal.CreatedAt,
                        x.Deal.ClosedAt,
                        ExpectedClose = (DateOnly?)null,
                        x.Deal.OwnerId,
                        LostReason = (string?)null,
                        StageId = (Guid?)null,
                        x.Tier,
                    })
                    : tiered.Select(x => new
                    {
                        x.Deal.Id,
                        x.Deal.Name,
                        x.Deal.Channel,
                        x.Deal.Kind,
                        x.Deal.Status,
                        x.Deal.Amount,
                        x.Deal.Currency,
                        x.Deal.CreatedAt,
                        x.Deal.ClosedAt,
                        x.Deal.ExpectedClose,
                        x.Deal.OwnerId,
                        x.Deal.LostReason,
                        StageId = (Guid?)x.Deal.StageId,
                        x.Tier,
                    }))
                .ToListAsync(cancellationToken);
            return [.. found.Select(d => new DealFact
            {
                Id = d.Id,
                Name = d.Name,
                Channel = d.Channel,
                Kind = d.Kind,
                Status = d.Status,
                Amount = d.Amount,
                Currency = d.Currency,
                CreatedAt = d.CreatedAt,
                ClosedAt = d.ClosedAt,
                ExpectedClose = d.ExpectedClose,
                OwnerId = d.OwnerId,
                TeamId = teamOf(d.OwnerId),
                Tier = d.Tier,
                LostReason = d.LostReason,
                Role = role,
                StageId = d.StageId,
            })];
        }
    }

    // Whether the reader answers for every owner of the scope (their own records, their team's): those records pass the
    // access filter anyway, and reading them without it lets the database go straight to them by owner.
    static bool Answered(ReachDb db, Guid[]? owners) => owners is not null && (db.Actor is not { } actor || owners.All(o => actor.AnswersFor(o)));

    // Records of owners the reader answers for need no access filter.
    static IQueryable<T> Readable<T>(IQueryable<T> records, bool answered) where T : class =>
        answered ? records.IgnoreQueryFilters([ReachDb.AccessFilter]) : records;

    // The deals for finding the largest: on SQLite down its index by status, currency and amount (SqliteReachDb.DealAmountIndex
    // says why it is named); one rep's by the owner's index by close date instead (a period's few hundred deals, sorted,
    // against walking everyone's by amount until forty of the rep's turn up: a fifth of the time).
    static IQueryable<Deal> ByAmount(ReachDb db, Guid[]? owners) => db is SqliteReachDb
        ? owners is { Length: 1 }
            ? db.Deals.FromSqlRaw($"""SELECT * FROM "Deals" INDEXED BY "{OwnerClosedIndex}" """)
            : db.Deals.FromSqlRaw($"""SELECT * FROM "Deals" INDEXED BY "{SqliteReachDb.DealAmountIndex}" """)
        : db.Deals;

    // Deal's configuration names it.
    const string OwnerClosedIndex = "IX_Deals_OwnerId_ClosedAt_Covering";

    // The deals for asking whether any of a currency closed in a period: on SQLite by currency, status and close date,
    // named (the planner, without statistics, reads every deal of the status closed in the period instead).
    static IQueryable<Deal> ByCurrency(ReachDb db) => db is SqliteReachDb
        ? db.Deals.FromSqlRaw("""SELECT * FROM "Deals" INDEXED BY "IX_Deals_Currency_Status_ClosedAt" """)
        : db.Deals;

    /// <summary>
    /// The currencies other than <paramref name="currency"/> of the deals <paramref name="matching"/>: each currency the
    /// deals have, found by its index one after another (a few seeks), then asked whether any deal of it matches. A
    /// DISTINCT over the matching deals would read every deal of the status, its period being no prefix of any index.
    /// </summary>
    static async Task<List<string>> OtherCurrenciesAsync(ReachDb db, IQueryable<Deal> matching, string currency, CancellationToken cancellationToken)
    {
        var others = new List<string>();
        var all = db.Deals.IgnoreQueryFilters().AsNoTracking();
        for (var last = ""; await all.Where(d => string.Compare(d.Currency, last) > 0).OrderBy(d => d.Currency).Select(d => d.Currency)
            .FirstOrDefaultAsync(cancellationToken) is { } next; last = next)
        {
            if (next != currency && await matching.AnyAsync(d => d.Currency == next, cancellationToken))
                others.Add(next);
        }
        return others;
    }

    static IQueryable<Deal> Largest(IQueryable<Deal> deals, int? largest) =>
        largest is { } n ? deals.OrderByDescending(d => (double)d.Amount).ThenBy(d => d.Id).Take(n) : deals;

    /// <summary>
    /// The deals won or lost in <paramref name="period"/> within <paramref name="scope"/>'s rep or team that can be among
    /// the <paramref name="count"/> largest once converted: the largest in the workspace currency; in another, the largest
    /// of each stretch of days one rate holds for (a converted amount follows the raw one within it); and, when those are
    /// fewer than <paramref name="count"/>, every one of the days without a rate (they come last, named).
    /// </summary>
    public static async Task<List<DealFact>> LargestClosedAsync(ReachDb db, DealStatus status, string currency, Period period, MetricQuery scope, int count,
        CancellationToken cancellationToken = default)
    {
        var teams = await db.Users.AsNoTracking().Select(u => new { u.Id, u.TeamId }).ToDictionaryAsync(u => u.Id, u => u.TeamId, cancellationToken);
        Guid[]? owners = scope.RepId is { } rep ? [rep] : scope.TeamId is { } team ? [.. teams.Where(u => u.Value == team).Select(u => u.Key)] : null;
        var answered = Answered(db, owners);
        var reader = new DealReader(db, owners, owner => owner is { } o && teams.TryGetValue(o, out var t) ? t : null, answered);
        var (start, end) = (period.StartsAt, period.EndsAt);
        var closed = await reader.ReadAsync(d => d.Status == status && d.ClosedAt >= start && d.ClosedAt < end && d.Currency == currency,
            DealRole.Closed, cancellationToken, count);

        var byOwner = owners is not null;
        var ownerIds = owners ?? [];
        var others = await OtherCurrenciesAsync(db, Readable(ByCurrency(db), answered).AsNoTracking()
            .Where(d => d.Status == status && d.ClosedAt >= start && d.ClosedAt < end
                && (!byOwner || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value)))), currency, cancellationToken);
        if (others.Count == 0)
            return closed;
        var converter = await CurrencyConverter.LoadAsync(db, currency, cancellationToken);
        var unrated = new List<(string Currency, DateTime From, DateTime To)>();
        foreach (var other in others)
        {
            var changes = converter.RateDays(other).Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).ToList();
            var cuts = changes.Where(c => c > start && c < end).Prepend(start).Append(end).ToList();
            for (var i = 0; i + 1 < cuts.Count; i++)
            {
                var (from, to) = (cuts[i], cuts[i + 1]);
                if (changes.Count == 0 || changes[0] > from)
                    unrated.Add((other, from, to));
                else
                    closed.AddRange(await reader.ReadAsync(d => d.Status == status && d.ClosedAt >= from && d.ClosedAt < to && d.Currency == other,
                        DealRole.Closed, cancellationToken, count));
            }
        }
        // Amounts are never negative: with as many converted deals as asked for, none without a rate can be among the largest.
        if (closed.Count >= count)
            return closed;
        foreach (var (other, from, to) in unrated)
            closed.AddRange(await reader.ReadAsync(d => d.Status == status && d.ClosedAt >= from && d.ClosedAt < to && d.Currency == other,
                DealRole.Closed, cancellationToken));
        return closed;
    }

    // Stored rows keep every cut; a reader that does not cut by tier (or by rep, within a team) has them summed in the
    // database over what it leaves out: the workspace's deals of a day come as about a third as many rows, which are then
    // a third as many facts for every figure to go through. Touches and leads have no amount: summing one would cost a
    // call into .NET per row (SQLite has no decimal type), most of the time of a team's touches.
    static IQueryable<RollupRow> Summed(IQueryable<MetricRollup> rows, RollupMeasure measure, bool overOwners, bool withTier)
    {
        var counted = measure is RollupMeasure.Touch or RollupMeasure.Lead;
        if (withTier)
        {
            if (!overOwners)
                return rows.Select(r => new RollupRow(r.Day, r.Measure, r.Channel, r.OwnerId, r.Tier, r.Kind, r.Currency, r.StageId, r.Type, r.Count, r.Amount));
            var byTier = rows.GroupBy(r => new { r.Day, r.Channel, r.Tier, r.Kind, r.Currency, r.StageId, r.Type });
            return counted
                ? byTier.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, g.Key.Tier, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                    g.Sum(r => r.Count), 0m))
                : byTier.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, g.Key.Tier, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                    g.Sum(r => r.Count), g.Sum(r => r.Amount)));
        }
        if (overOwners)
        {
            var overAll = rows.GroupBy(r => new { r.Day, r.Channel, r.Kind, r.Currency, r.StageId, r.Type });
            return counted
                ? overAll.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, null, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                    g.Sum(r => r.Count), 0m))
                : overAll.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, null, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                    g.Sum(r => r.Count), g.Sum(r => r.Amount)));
        }
        var byOwner = rows.GroupBy(r => new { r.Day, r.Channel, r.OwnerId, r.Kind, r.Currency, r.StageId, r.Type });
        return counted
            ? byOwner.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, null, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                g.Sum(r => r.Count), 0m))
            : byOwner.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, null, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                g.Sum(r => r.Count), g.Sum(r => r.Amount)));
    }

    /// <summary>
    /// A measure's aggregates over a range of days, for the workspace or for the named owners: the stored rows of the
    /// days that are up to date and live rows for the stale ones. A day built before it ended counted its touches up to
    /// then: those held since are counted live (the whole day, when the reader's clock is behind the build's). Stored rows
    /// carry no access filter: an owner's are read only by a reader who answers for every owner asked for (the
    /// workspace's only by one who sees it all, as the caller ensures); for anyone else the rows are computed live
    /// through their filters.
    /// </summary>
    sealed class RollupReader(ReachDb db, Guid[]? owners, DateTime now, bool answered, bool withTier, bool sumOwners = false)
    {
        bool? built;
        List<DateOnly>? stale;
        Dictionary<DateOnly, DateTime>? partial;
        readonly RollupOwners who = owners is null ? RollupOwners.Workspace : new RollupOwners(owners, !sumOwners, answered);

        Task<List<RollupRow>> LiveAsync(RollupMeasure measure, DateOnly from, DateOnly to, CancellationToken cancellationToken, DateTime? heldAfter = null,
            bool withValues = false) =>
            RollupRows.ComputeAsync(db, measure, from, to, withValues ? valuesWho : who, now, withTier, heldAfter, withValues, cancellationToken);

        // Values cannot be summed in the database: a team's rows with values are read owner by owner.
        readonly RollupOwners valuesWho = owners is null ? RollupOwners.Workspace : new RollupOwners(owners, true, answered);

        /// <summary>The rows of a measure over [from, to); with <paramref name="withValues"/>, those of won deals and leads with their values (then never summed over a team).</summary>
        public async Task<List<RollupRow>> ReadAsync(RollupMeasure measure, DateOnly from, DateOnly to, CancellationToken cancellationToken, bool withValues = false)
        {
            if (owners is not null && !answered)
                return await LiveAsync(measure, from, to, cancellationToken, withValues: withValues);
            built ??= await db.MetricRollupDays.AnyAsync(d => d.Day == RollupDays.BuiltMarker, cancellationToken);
            if (built is false)
                return await LiveAsync(measure, from, to, cancellationToken, withValues: withValues);
            stale ??= await db.MetricRollupDays.Where(d => d.Built != d.Version).Select(d => d.Day).ToListAsync(cancellationToken);
            partial ??= await db.MetricRollupDays.Where(d => d.TouchesUntil != null && d.Built == d.Version)
                .ToDictionaryAsync(d => d.Day, d => d.TouchesUntil!.Value, cancellationToken);

            // Days whose stored touches cannot be completed live (built "after" the reader's now) are read live whole.
            var wholeLive = measure == RollupMeasure.Touch ? partial.Where(p => p.Value > now && p.Key >= from && p.Key < to).Select(p => p.Key).ToHashSet() : [];
            var ownerIds = owners ?? [];
            var rollups = owners is not null
                ? db.MetricRollups.Where(r => r.OwnerId != null && ownerIds.Contains(r.OwnerId.Value))
                : db.MetricRollups.Where(r => r.OwnerId == null);
            var upToDate =
                from r in rollups.AsNoTracking()
                join d in db.MetricRollupDays on r.Day equals d.Day
                where r.Measure == measure && r.Day >= @from && r.Day < to && d.Built == d.Version
                select r;
            var stored = withValues
                ? (await upToDate.Select(r => new { r.Day, r.Channel, r.OwnerId, r.Tier, r.Kind, r.Currency, r.Count, r.Amount, r.Values }).ToListAsync(cancellationToken))
                    .Select(r => new RollupRow(r.Day, measure, r.Channel, r.OwnerId, r.Tier, r.Kind, r.Currency, null, null, r.Count, r.Amount,
                        r.Values is null ? null : RollupValues.Unpack(r.Values))).ToList()
                : await Summed(upToDate, measure, sumOwners, withTier).ToListAsync(cancellationToken);
            if (wholeLive.Count > 0)
                stored.RemoveAll(r => wholeLive.Contains(r.Day));
            foreach (var day in stale.Where(d => d >= from && d < to).Concat(wholeLive))
                stored.AddRange(await LiveAsync(measure, day, day.AddDays(1), cancellationToken, withValues: withValues));
            if (measure == RollupMeasure.Touch)
            {
                // The touches held since a day not over was built, up to now.
                foreach (var (day, until) in partial.Where(p => p.Key >= from && p.Key < to && !wholeLive.Contains(p.Key) && p.Key.ToDateTime(TimeOnly.MinValue) <= now))
                    stored.AddRange(await LiveAsync(measure, day, day.AddDays(1), cancellationToken, heldAfter: until));
            }
            return stored;
        }
    }
}
