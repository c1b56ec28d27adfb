using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Forecasting;
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

        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.TeamId }).ToDictionaryAsync(u => u.Id, cancellationToken);
        Guid? TeamOf(Guid? owner) => owner is { } o && users.TryGetValue(o, out var u) ? u.TeamId : null;
        Guid[]? owners = scope.RepId is { } rep ? [rep] : scope.TeamId is { } team ? [.. users.Values.Where(u => u.TeamId == team).Select(u => u.Id)] : null;
        var answered = Answered(db, owners);
        // A deal's or lead's tier is its account's: joining the accounts one by one is the costliest part of the reads,
        // so it is done only for a tier cut (the facts then refuse any other tier).
        var withTier = scope.Tier is not null;
        // A team's aggregates are summed over its owners in the database (a rep's cut of them is then refused): fewer
        // rows to read. Those rows have no owner, and are the team's.
        var sumOwners = scope.TeamId is not null && scope.RepId is null;
        Guid? TeamOfRow(Guid? owner) => owner is null && sumOwners ? scope.TeamId : TeamOf(owner);

        var counted = (touchPeriods ?? periods).Distinct().ToList();
        var (since, until) = (periods.Min(p => p.Start), periods.Max(p => p.End));
        var rows = new RollupReader(db, owners, now, answered, withTier, sumOwners);
        var converter = await CurrencyConverter.LoadAsync(db, currency, cancellationToken);

        var deals = new List<DealFact>();
        DateTime At(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        // An aggregate whose currency has no rate on its day is replaced by its deals one by one, so they can be named.
        bool Convertible(RollupRow r, DateTime at) => converter.Convert(1m, r.Currency ?? currency, at) is not null;

        // Reading and materialising rows is most of the time: the deals won in the touch periods, and the touches and
        // leads, are read meanwhile on their own contexts (same actor, same filters), each on a core of its own.
        await using var wonDb = db.Sibling();
        await using var touchDb = db.Sibling();
        var wonRead = Task.Run(async () =>
        {
            // One by one, from the values the stored rows keep of each: the deals won in the touch periods (medians,
            // cycles). A day's deals in a currency without a rate that day are read from the deals, so they can be named.
            var wonRows = new RollupReader(wonDb, owners, now, answered, withTier, sumOwners);
            var reader = new DealReader(wonDb, owners, TeamOf, answered, withTier);
            var won = new List<DealFact>();
            var unconvertible = new List<(string Currency, DateOnly Day)>();
            foreach (var (first, last) in Merged(counted))
            {
                foreach (var r in await wonRows.ReadAsync(RollupMeasure.Won, first, last, cancellationToken, withValues: true))
                {
                    var closed = At(r.Day);
                    if (!Convertible(r, closed))
                    {
                        unconvertible.Add((r.Currency!, r.Day));
                        continue;
                    }
                    // The row's deals stay packed (a fact apiece would be most of the reading): the figures unpack them.
                    won.Add(new DealFact(Guid.Empty, "", r.Channel ?? default, r.Kind ?? DealKind.New, DealStatus.Won, 0, r.Currency ?? currency,
                        closed, closed, null, r.OwnerId, TeamOfRow(r.OwnerId), r.Tier, [], [], null)
                    { Role = DealRole.OneByOne, Weight = r.Values!.Amounts.Length, Values = r.Values });
                }
            }
            foreach (var group in unconvertible.GroupBy(u => u.Currency))
            {
                foreach (var (first, last) in Runs(group.Select(g => g.Day)))
                    won.AddRange(await reader.ReadWonAsync(At(first), At(last), group.Key, cancellationToken));
            }
            // The deals won without a close date: the cycle's note names them.
            won.AddRange(await reader.ReadAsync(d => d.Status == DealStatus.Won && d.ClosedAt == null, DealRole.Closed, cancellationToken));
            return won;
        }, cancellationToken);
        var touchesRead = Task.Run(async () =>
        {
            var touchReader = new RollupReader(touchDb, owners, now, answered, withTier, sumOwners);
            var (from, to) = (counted.Min(p => p.Start), counted.Max(p => p.End));
            var touchRows = await touchReader.ReadAsync(RollupMeasure.Touch, from, to, cancellationToken);
            var touches = new List<ActivityFact>();
            foreach (var p in counted)
                touches.AddRange(touchRows.Where(r => r.Day >= p.Start && r.Day < p.End)
                    .GroupBy(r => (r.Type!.Value, r.Channel, r.OwnerId, r.Tier))
                    .Select(g => new ActivityFact(g.Key.Value, p, g.Sum(r => r.Count), g.Key.Channel, g.Key.OwnerId, TeamOfRow(g.Key.OwnerId), g.Key.Tier, null)));
            // The leads of each stored row, received on its day, with the times to first touch of the touched ones.
            var leads = new List<LeadFact>();
            foreach (var r in await touchReader.ReadAsync(RollupMeasure.Lead, from, to, cancellationToken, withValues: withFirstTouches))
                leads.Add(new LeadFact(Guid.Empty, At(r.Day), null, r.Channel, r.OwnerId, TeamOfRow(r.OwnerId), r.Tier, null)
                { Weight = r.Count, TouchedAfter = r.Values?.Ticks ?? [] });
            return (touches, leads);
        }, cancellationToken);
        try
        {
            DealFact Aggregate(RollupRow r, DealRole role, DealStatus status, DateTime created, DateTime? closed, DateOnly? expected) =>
                new(Guid.Empty, "", r.Channel ?? default, r.Kind ?? DealKind.New, status, r.Amount, r.Currency ?? currency, created, closed, expected,
                    r.OwnerId, TeamOfRow(r.OwnerId), r.Tier, [], [], null)
                { Weight = r.Count, Role = role, StageId = r.StageId };

            var unconvertible = new List<(DealRole Role, string Currency, DateOnly Day)>();
            foreach (var r in await rows.ReadAsync(RollupMeasure.Created, since, until, cancellationToken))
            {
                if (Convertible(r, At(r.Day)))
                    deals.Add(Aggregate(r, DealRole.Created, DealStatus.Open, At(r.Day), null, null));
                else
                    unconvertible.Add((DealRole.Created, r.Currency!, r.Day));
            }
            // The touch periods' won deals are read one by one too (wonRead), for the figures that need each.
            foreach (var r in await rows.ReadAsync(RollupMeasure.Won, since, until, cancellationToken))
            {
                if (Convertible(r, At(r.Day)))
                    deals.Add(Aggregate(r, DealRole.Closed, DealStatus.Won, At(r.Day), At(r.Day), null));
                else
                    unconvertible.Add((DealRole.Closed, r.Currency!, r.Day));
            }
            deals.AddRange((await rows.ReadAsync(RollupMeasure.Lost, since, until, cancellationToken))
                .Select(r => Aggregate(r, DealRole.Closed, DealStatus.Lost, At(r.Day), At(r.Day), null)));
            var openWithoutRate = new HashSet<string>();
            foreach (var r in await rows.ReadAsync(RollupMeasure.Open, RollupRows.NoExpectedClose, RollupDays.BuiltMarker, cancellationToken))
            {
                if (Convertible(r, now))
                    deals.Add(Aggregate(r, DealRole.Open, DealStatus.Open, default, null, r.Day == RollupRows.NoExpectedClose ? null : r.Day));
                else
                    openWithoutRate.Add(r.Currency!);
            }

            // One by one: the deals behind an aggregate that has no exchange rate.
            var individual = new DealReader(db, owners, TeamOf, answered, withTier);
            foreach (var group in unconvertible.GroupBy(u => (u.Role, u.Currency)))
            {
                var (role, code) = group.Key;
                // Day by day (runs of days), so only the deals of those days are read.
                foreach (var (first, last) in Runs(group.Select(g => g.Day)))
                {
                    var (from, to) = (At(first), At(last));
                    deals.AddRange(role == DealRole.Created
                        ? await individual.ReadAsync(d => d.Currency == code && d.CreatedAt >= from && d.CreatedAt < to, role, cancellationToken)
                        : await individual.ReadAsync(d => d.Currency == code && d.Status == DealStatus.Won && d.ClosedAt >= from && d.ClosedAt < to, role, cancellationToken));
                }
            }
            foreach (var code in openWithoutRate)
                deals.AddRange(await individual.ReadAsync(d => d.Currency == code && d.Status == DealStatus.Open, DealRole.Open, cancellationToken));

            // Proposals sent: the deals that entered a proposal stage, each counted once per touch period (by its id). Stored
            // rows carry a tier even when the reader asked for none, so without a tier cut the tier is no part of the key.
            if (withProposals)
            {
                var proposalRows = await rows.ReadAsync(RollupMeasure.Proposal, counted.Min(p => p.Start), counted.Max(p => p.End), cancellationToken, withValues: true);
                foreach (var p in counted)
                {
                    var start = p.StartsAt;
                    deals.AddRange(proposalRows.Where(r => r.Day >= p.Start && r.Day < p.End)
                        .GroupBy(r => (r.Channel, r.OwnerId, Tier: withTier ? r.Tier : null))
                        .Select(g => new DealFact(Guid.Empty, "", g.Key.Channel ?? default, DealKind.New, DealStatus.Open, 0, currency, start, null, null,
                            g.Key.OwnerId, TeamOfRow(g.Key.OwnerId), g.Key.Tier, [], [start], null)
                        { Weight = g.SelectMany(r => r.Values!.Ids()).Distinct().Count(), Role = DealRole.Proposal, ProposalsOf = p }));
                }
            }
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
            Converter = converter,
            From = At(since),
            To = At(until),
            TouchPeriods = counted.ToHashSet(),
            ProposalsRead = withProposals,
            FirstTouchesRead = withFirstTouches,
            SummedForTeam = sumOwners ? scope.TeamId : null,
            TiersRead = withTier,
        };
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
        public async Task<List<DealFact>> ReadAsync(Expression<Func<Deal, bool>> filter, DealRole role, CancellationToken cancellationToken, int? largest = null)
        {
            var byOwner = owners is not null;
            var ownerIds = owners ?? [];
            var source = largest is null ? db.Deals : ByAmount(db);
            var deals = Largest(Readable(source, answered).AsNoTracking().Where(filter).Where(d => !byOwner || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value))), largest);
            var found = await (withTier
                    ? from d in deals
                      join a0 in db.Accounts on d.AccountId equals a0.Id into accounts
                      from a in accounts.DefaultIfEmpty()
                      select new { d.Id, d.Name, d.Channel, d.Kind, d.Status, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.ExpectedClose, d.OwnerId, d.LostReason, d.StageId, a.Tier }
                    : deals.Select(d => new { d.Id, d.Name, d.Channel, d.Kind, d.Status, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.ExpectedClose, d.OwnerId, d.LostReason, d.StageId, Tier = (Tier?)null }))
                .ToListAsync(cancellationToken);
            return [.. found.Select(d => new DealFact(d.Id, d.Name, d.Channel, d.Kind, d.Status, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.ExpectedClose,
                d.OwnerId, teamOf(d.OwnerId), d.Tier, [], [], d.LostReason) { Role = role, StageId = d.StageId })];
        }

        /// <summary>
        /// Won deals for the figures that need each one (medians, cycles, notable wins), with only what those read: the
        /// many rows of a period cost their columns.
        /// </summary>
        public async Task<List<DealFact>> ReadWonAsync(DateTime start, DateTime end, string currency, CancellationToken cancellationToken)
        {
            var byOwner = owners is not null;
            var ownerIds = owners ?? [];
            var deals = Readable(db.Deals, answered).AsNoTracking()
                .Where(d => d.Status == DealStatus.Won && d.Currency == currency && d.ClosedAt >= start && d.ClosedAt < end
                    && (!byOwner || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value))));
            var found = await (withTier
                    ? from d in deals
                      join a0 in db.Accounts on d.AccountId equals a0.Id into accounts
                      from a in accounts.DefaultIfEmpty()
                      select new { d.Id, d.Name, d.Channel, d.Kind, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.OwnerId, a.Tier }
                    : deals.Select(d => new { d.Id, d.Name, d.Channel, d.Kind, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.OwnerId, Tier = (Tier?)null }))
                .ToListAsync(cancellationToken);
            return [.. found.Select(d => new DealFact(d.Id, d.Name, d.Channel, d.Kind, DealStatus.Won, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, null,
                d.OwnerId, teamOf(d.OwnerId), d.Tier, [], [], null) { Role = DealRole.OneByOne })];
        }
    }

    // Whether the reader answers for every owner of the scope (their own records, their team's): those records pass the
    // access filter anyway, and reading them without it lets the database go straight to them by owner.
    static bool Answered(ReachDb db, Guid[]? owners) => owners is not null && (db.Actor is not { } actor || owners.All(o => actor.AnswersFor(o)));

    // Records of owners the reader answers for need no access filter.
    static IQueryable<T> Readable<T>(IQueryable<T> records, bool answered) where T : class =>
        answered ? records.IgnoreQueryFilters([ReachDb.AccessFilter]) : records;

    // The deals for finding the largest: on SQLite down its index by status, currency and amount (SqliteReachDb.DealAmountIndex
    // says why it is named).
    static IQueryable<Deal> ByAmount(ReachDb db) => db is SqliteReachDb
        ? db.Deals.FromSqlRaw($"""SELECT * FROM "Deals" INDEXED BY "{SqliteReachDb.DealAmountIndex}" """)
        : db.Deals;

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
        var others = await Readable(db.Deals, answered).AsNoTracking()
            .Where(d => d.Status == status && d.ClosedAt >= start && d.ClosedAt < end && d.Currency != currency
                && (!byOwner || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value))))
            .Select(d => d.Currency).Distinct().ToListAsync(cancellationToken);
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

    // A team's rows, summed over its owners. Touches and leads have no amount: summing one would cost a call into .NET
    // per row (SQLite has no decimal type), most of the time of a team's touches.
    static IQueryable<RollupRow> SummedOverOwners(IQueryable<MetricRollup> rows, RollupMeasure measure)
    {
        var groups = rows.GroupBy(r => new { r.Day, r.Channel, r.Tier, r.Kind, r.Currency, r.StageId, r.Type });
        return measure is RollupMeasure.Touch or RollupMeasure.Lead
            ? groups.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, g.Key.Tier, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
                g.Sum(r => r.Count), 0m))
            : groups.Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, null, g.Key.Tier, g.Key.Kind, g.Key.Currency, g.Key.StageId, g.Key.Type,
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
                : await (sumOwners ? SummedOverOwners(upToDate, measure)
                    : upToDate.Select(r => new RollupRow(r.Day, r.Measure, r.Channel, r.OwnerId, r.Tier, r.Kind, r.Currency, r.StageId, r.Type, r.Count, r.Amount)))
                .ToListAsync(cancellationToken);
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
