using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics.Rollups;

/// <summary>
/// Whose rows to compute: the workspace's (no owner), every owner's apart (<see cref="OneByOne"/>), or only the
/// <see cref="Named"/> owners' apart. <see cref="Answered"/>: the reader answers for every one of the named owners
/// (<see cref="Access.Actor.AnswersFor"/>), so their records pass the access filter anyway and are read without it,
/// which lets the database go straight to them by owner.
/// </summary>
public sealed record RollupOwners(IReadOnlyCollection<Guid>? Named, bool OneByOne, bool Answered)
{
    public static readonly RollupOwners Workspace = new(null, false, false);
    public static readonly RollupOwners Each = new(null, true, false);

    public static RollupOwners Of(IReadOnlyCollection<Guid> owners, bool answered) => new(owners, true, answered);
}

/// <summary>One aggregate: a measure's records of one day and one combination of cuts (an owner's when asked by owner).</summary>
public sealed record RollupRow(
    DateOnly Day, RollupMeasure Measure, Channel? Channel, Guid? OwnerId, Tier? Tier, DealKind? Kind, string? Currency, Guid? StageId,
    ActivityType? Type, int Count, decimal Amount, RollupValues? Values = null);

/// <summary>
/// The one definition of what a rollup holds, computed from the records themselves through the caller's
/// <see cref="ReachDb"/> (so its access filters apply). The refresher stores its rows per owner and the workspace's made
/// of them; the metrics read it live for the days whose stored rows are stale or not over, and for a reader who may not
/// read the stored rows of the owners asked for.
/// A deal's channel is its own and its tier its account's; a touch's channel is its deal's, else its owner's, and its
/// tier its deal's account's, else its own account's (whether or not the reader may open that deal: the figure is the
/// touch's, not the deal's). A lead's channel is its converted deal's, else its owner's, its tier its converted deal's
/// account's, else its converted account's, and its first touch the earliest touch logged on it by anyone. Deleted deals
/// and accounts are not there.
/// </summary>
public static class RollupRows
{
    /// <summary>The day under which open deals without an expected close are kept (the funnel counts them; open pipeline does not).</summary>
    public static readonly DateOnly NoExpectedClose = DateOnly.MinValue;

    /// <summary>
    /// <paramref name="measure"/>'s rows for the days [<paramref name="from"/>, <paramref name="to"/>): one per day and
    /// combination, by owner or workspace-wide as <paramref name="owners"/> says. Touches after <paramref name="heldBy"/>
    /// have not happened yet and are left out, and those at or before <paramref name="heldAfter"/> too (counted already).
    /// Without <paramref name="withTier"/> the rows carry no tier: the accounts
    /// the tier is read from are not joined, which is most of the cost of these reads. With <paramref name="withValues"/>
    /// the rows of won deals and leads carry their <see cref="RollupValues"/> (read one by one, so only when asked).
    /// </summary>
    public static async Task<List<RollupRow>> ComputeAsync(ReachDb db, RollupMeasure measure, DateOnly from, DateOnly to,
        RollupOwners owners, DateTime heldBy, bool withTier = true, DateTime? heldAfter = null, bool withValues = false,
        CancellationToken cancellationToken = default)
    {
        if (from >= to)
            return [];
        var rows = new Rows(db, owners, withTier, from, to);
        return measure switch
        {
            RollupMeasure.Created or RollupMeasure.Won or RollupMeasure.Lost => await rows.DealsAsync(measure, withValues, cancellationToken),
            RollupMeasure.Open => await rows.OpenAsync(cancellationToken),
            RollupMeasure.Touch => await rows.TouchesAsync(heldBy, heldAfter, cancellationToken),
            RollupMeasure.Lead => await rows.LeadsAsync(withValues, cancellationToken),
            RollupMeasure.Proposal => await rows.ProposalsAsync(cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
        };
    }

    /// <summary>A touch or a lead with what places and cuts it (<see cref="Rows.Cut"/> fills its channel and tier).</summary>
    sealed class Dated
    {
        public Guid Id { get; init; }
        public DateTime At { get; init; }
        public ActivityType? Type { get; init; }
        public Guid? OwnerId { get; init; }
        public Guid? DealId { get; init; }
        public Guid? AccountId { get; init; }
        public Guid? DealAccountId { get; init; }
        public Channel? Channel { get; init; }
        public Tier? Tier { get; init; }
    }

    /// <summary>The records of one range of days for one set of owners, as each measure counts them.</summary>
    sealed class Rows
    {
        readonly ReachDb db;
        readonly bool byOwner, named, unfiltered, withTier;
        readonly Guid[] ownerIds;
        readonly DateOnly from, to;
        readonly DateTime start, end;

        public Rows(ReachDb db, RollupOwners owners, bool withTier, DateOnly from, DateOnly to)
        {
            (this.db, this.withTier, this.from, this.to) = (db, withTier, from, to);
            (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            byOwner = owners.OneByOne;
            named = owners.Named is not null;
            ownerIds = owners.Named?.ToArray() ?? [];
            unfiltered = named && owners.Answered;
        }

        IQueryable<Deal> Deals => (unfiltered ? db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]) : db.Deals).AsNoTracking()
            .Where(d => !named || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value)));

        // Joined deals are the touch's or lead's, read whatever the reader may open; the soft-delete filter still applies.
        IQueryable<Deal> AnyDeal => db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking();

        Guid? Owner(Guid? owner) => byOwner ? owner : null;

        /// <summary>Deals created on their creation day, or won or lost on their close day, with their amounts (and, won, each one's amount and cycle).</summary>
        public async Task<List<RollupRow>> DealsAsync(RollupMeasure measure, bool withValues, CancellationToken cancellationToken)
        {
            var status = measure == RollupMeasure.Won ? DealStatus.Won : DealStatus.Lost;
            var (start, end) = (this.start, this.end);
            var dated = measure == RollupMeasure.Created
                ? Deals.Where(d => d.CreatedAt >= start && d.CreatedAt < end).Select(d => new { d, At = d.CreatedAt })
                : Deals.Where(d => d.Status == status && d.ClosedAt >= start && d.ClosedAt < end).Select(d => new { d, At = d.ClosedAt!.Value });
            // Without the tier the accounts are not joined at all (joined on nothing, the database still looks each one up).
            var tiered = withTier
                ? from x in dated
                  join a0 in db.Accounts on x.d.AccountId equals a0.Id into accounts
                  from a in accounts.DefaultIfEmpty()
                  select new { x.d.Amount, x.d.Channel, x.d.OwnerId, x.d.Kind, x.d.Currency, Tier = (Tier?)a.Tier, x.At, x.d.CreatedAt }
                : dated.Select(x => new { x.d.Amount, x.d.Channel, x.d.OwnerId, x.d.Kind, x.d.Currency, Tier = (Tier?)null, x.At, x.d.CreatedAt });
            if (withValues && measure == RollupMeasure.Won)
            {
                var each = await tiered.ToListAsync(cancellationToken);
                return [.. each.GroupBy(e => new { Day = DateOnly.FromDateTime(e.At), e.Channel, OwnerId = Owner(e.OwnerId), e.Tier, e.Kind, e.Currency })
                    .Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, g.Key.Kind, g.Key.Currency, null, null,
                        g.Count(), g.Sum(e => e.Amount), new RollupValues([.. g.Select(e => e.Amount)], [.. g.Select(e => (e.At - e.CreatedAt).Ticks)])))];
            }
            var byOwner = this.byOwner;
            var events = await (
                    from e in tiered
                    group e by new { Day = e.At.Date, e.Channel, OwnerId = byOwner ? e.OwnerId : null, e.Tier, e.Kind, e.Currency } into g
                    select new { g.Key, Count = g.Count(), Amount = g.Sum(e => e.Amount) })
                .ToListAsync(cancellationToken);
            return [.. events.Select(e => new RollupRow(DateOnly.FromDateTime(e.Key.Day), measure, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, e.Key.Kind,
                e.Key.Currency, null, null, e.Count, e.Amount))];
        }

        /// <summary>Deals open now, on their expected close day (those without one under <see cref="NoExpectedClose"/>), by stage.</summary>
        public async Task<List<RollupRow>> OpenAsync(CancellationToken cancellationToken)
        {
            var (from, to) = (this.from, this.to);
            var none = from == NoExpectedClose;
            var openDeals = Deals.Where(d => d.Status == DealStatus.Open && ((d.ExpectedClose >= from && d.ExpectedClose < to) || (none && d.ExpectedClose == null)));
            var tiered = withTier
                ? from d in openDeals
                  join a0 in db.Accounts on d.AccountId equals a0.Id into accounts
                  from a in accounts.DefaultIfEmpty()
                  select new { d.Amount, d.ExpectedClose, d.Channel, d.OwnerId, d.Currency, d.StageId, Tier = (Tier?)a.Tier }
                : openDeals.Select(d => new { d.Amount, d.ExpectedClose, d.Channel, d.OwnerId, d.Currency, d.StageId, Tier = (Tier?)null });
            var byOwner = this.byOwner;
            var open = await (
                    from d in tiered
                    group d by new { d.ExpectedClose, d.Channel, OwnerId = byOwner ? d.OwnerId : null, d.Tier, d.Currency, d.StageId } into g
                    select new { g.Key, Count = g.Count(), Amount = g.Sum(d => d.Amount) })
                .ToListAsync(cancellationToken);
            return [.. open.Select(e => new RollupRow(e.Key.ExpectedClose ?? NoExpectedClose, RollupMeasure.Open, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, null,
                e.Key.Currency, e.Key.StageId, null, e.Count, e.Amount))];
        }

        /// <summary>Touches held on their day (<see cref="MetricRecords.HeldTouches"/>) by <paramref name="heldBy"/>, after <paramref name="heldAfter"/> when given, by type.</summary>
        public async Task<List<RollupRow>> TouchesAsync(DateTime heldBy, DateTime? heldAfter, CancellationToken cancellationToken)
        {
            var since = heldAfter is { } counted && counted >= start ? counted.AddTicks(1) : start;
            // Joining the deals whoever owns them drops the access filter for the whole query: applied explicitly.
            var touches = MetricRecords.HeldTouches((unfiltered ? db.Activities : db.ReadableActivities).AsNoTracking(), since, end, heldBy)
                .Where(t => !named || (t.OwnerId != null && ownerIds.Contains(t.OwnerId.Value)))
                .Select(t => new Dated { Id = t.Id, At = t.OccurredAt, Type = t.Type, OwnerId = t.OwnerId, DealId = t.DealId, AccountId = t.AccountId });
            var byOwner = this.byOwner;
            var counts = await (
                    from t in Cut(touches)
                    group t by new { Day = t.At.Date, t.Type, t.Channel, OwnerId = byOwner ? t.OwnerId : null, t.Tier } into g
                    select new { g.Key, Count = g.Count() })
                .ToListAsync(cancellationToken);
            return [.. counts.Select(e => new RollupRow(DateOnly.FromDateTime(e.Key.Day), RollupMeasure.Touch, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, null,
                null, null, e.Key.Type, e.Count, 0))];
        }

        /// <summary>Leads received on their day; with <paramref name="withValues"/>, each touched one's time to its first touch (the earliest logged on it, by anyone).</summary>
        public async Task<List<RollupRow>> LeadsAsync(bool withValues, CancellationToken cancellationToken)
        {
            var (start, end) = (this.start, this.end);
            var leadTouches = MetricRecords.LeadTouches(db);
            // Joining the deals whoever owns them drops the access filter for the whole query: applied explicitly.
            var received = (unfiltered ? db.Leads : db.ReadableLeads).AsNoTracking()
                .Where(l => l.ReceivedAt >= start && l.ReceivedAt < end && (!named || (l.OwnerId != null && ownerIds.Contains(l.OwnerId.Value))))
                .Select(l => new Dated { Id = l.Id, At = l.ReceivedAt, OwnerId = l.OwnerId, DealId = l.ConvertedDealId, AccountId = l.ConvertedAccountId });
            // Lazily: the database reads a lead's touches only when its first one is asked for.
            var leads = await Cut(received).Select(l => new
            {
                l.At,
                l.OwnerId,
                l.Channel,
                l.Tier,
                FirstTouchAt = withValues ? leadTouches.Where(a => a.LeadId == l.Id).Min(a => (DateTime?)a.OccurredAt) : null,
            })
                .ToListAsync(cancellationToken);
            return [.. leads.GroupBy(l => new { Day = DateOnly.FromDateTime(l.At), l.Channel, OwnerId = Owner(l.OwnerId), l.Tier })
                .Select(g => new RollupRow(g.Key.Day, RollupMeasure.Lead, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, null, null, null, null, g.Count(), 0,
                    withValues ? new RollupValues([], [.. g.Where(l => l.FirstTouchAt is not null).Select(l => (l.FirstTouchAt!.Value - l.At).Ticks)]) : null))];
        }

        /// <summary>Deals that entered a proposal stage (<see cref="MetricRecords.ProposalsSent"/>) on the day: each once a day, and once a period by its id.</summary>
        public async Task<List<RollupRow>> ProposalsAsync(CancellationToken cancellationToken)
        {
            var proposalStages = await MetricRecords.ProposalStagesAsync(db, cancellationToken);
            var entered =
                from c in MetricRecords.ProposalsSent(db, proposalStages, start, end)
                join d in Deals on c.DealId equals d.Id
                select new { c.At, d.Id, d.Channel, d.OwnerId, d.AccountId };
            var tiered = withTier
                ? from e in entered
                  join a0 in db.Accounts on e.AccountId equals a0.Id into accounts
                  from a in accounts.DefaultIfEmpty()
                  select new { e.At, e.Id, e.Channel, e.OwnerId, Tier = (Tier?)a.Tier }
                : entered.Select(e => new { e.At, e.Id, e.Channel, e.OwnerId, Tier = (Tier?)null });
            var proposals = await tiered.ToListAsync(cancellationToken);
            return [.. proposals.GroupBy(e => new { Day = DateOnly.FromDateTime(e.At), e.Channel, OwnerId = Owner(e.OwnerId), e.Tier })
                .Select(g =>
                {
                    var ids = g.Select(e => e.Id).Distinct().ToList();
                    return new RollupRow(g.Key.Day, RollupMeasure.Proposal, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, null, null, null, null, ids.Count, 0, RollupValues.OfIds(ids));
                })];
        }

        /// <summary>
        /// A touch's or lead's channel and tier: the channel its deal's (a lead's converted deal's), else its owner's; the
        /// tier its deal's account's, else its own account's (a lead's converted account's). Without the tier the accounts
        /// are not joined.
        /// </summary>
        IQueryable<Dated> Cut(IQueryable<Dated> records)
        {
            var withChannel =
                from r in records
                join d0 in AnyDeal on r.DealId equals (Guid?)d0.Id into ds
                from d in ds.DefaultIfEmpty()
                join u0 in db.Users on r.OwnerId equals (Guid?)u0.Id into us
                from u in us.DefaultIfEmpty()
                select new Dated
                {
                    Id = r.Id,
                    At = r.At,
                    Type = r.Type,
                    OwnerId = r.OwnerId,
                    AccountId = r.AccountId,
                    DealAccountId = (Guid?)d.AccountId,
                    Channel = d != null ? (Channel?)d.Channel : u.Channel,
                    Tier = null,
                };
            if (!withTier)
                return withChannel;
            return from r in withChannel
                   join da0 in db.Accounts on r.DealAccountId equals (Guid?)da0.Id into das
                   from da in das.DefaultIfEmpty()
                   join ra0 in db.Accounts on r.AccountId equals (Guid?)ra0.Id into ras
                   from ra in ras.DefaultIfEmpty()
                   select new Dated { Id = r.Id, At = r.At, Type = r.Type, OwnerId = r.OwnerId, Channel = r.Channel, Tier = (Tier?)da.Tier ?? (Tier?)ra.Tier };
        }
    }
}
