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
        RollupOwners owners, DateTime? heldBy, bool withTier = true, DateTime? heldAfter = null, bool withValues = false,
        CancellationToken cancellationToken = default)
    {
        if (from >= to)
            return [];
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var byOwner = owners.OneByOne;
        var named = owners.Named is not null;
        var ownerIds = owners.Named?.ToArray() ?? [];
        var unfiltered = named && owners.Answered;
        var deals = (unfiltered ? db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]) : db.Deals).AsNoTracking()
            .Where(d => !named || (d.OwnerId != null && ownerIds.Contains(d.OwnerId.Value)));
        // Joined deals are the touch's, read whatever the reader may open; the soft-delete filter still applies.
        var anyDeal = db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking();

        switch (measure)
        {
            case RollupMeasure.Created:
            case RollupMeasure.Won:
            case RollupMeasure.Lost:
                var status = measure == RollupMeasure.Won ? DealStatus.Won : DealStatus.Lost;
                var created = measure == RollupMeasure.Created;
                var dated = created
                    ? deals.Where(d => d.CreatedAt >= start && d.CreatedAt < end).Select(d => new { d, At = d.CreatedAt })
                    : deals.Where(d => d.Status == status && d.ClosedAt >= start && d.ClosedAt < end).Select(d => new { d, At = d.ClosedAt!.Value });
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
                    return [.. each.GroupBy(e => new { Day = DateOnly.FromDateTime(e.At), e.Channel, OwnerId = byOwner ? e.OwnerId : null, e.Tier, e.Kind, e.Currency })
                        .Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, g.Key.Kind, g.Key.Currency, null, null,
                            g.Count(), g.Sum(e => e.Amount), new RollupValues([.. g.Select(e => e.Amount)], [.. g.Select(e => (e.At - e.CreatedAt).Ticks)])))];
                }
                var events = await (
                        from e in tiered
                        group e by new { Day = e.At.Date, e.Channel, OwnerId = byOwner ? e.OwnerId : null, e.Tier, e.Kind, e.Currency } into g
                        select new { g.Key, Count = g.Count(), Amount = g.Sum(e => e.Amount) })
                    .ToListAsync(cancellationToken);
                return [.. events.Select(e => new RollupRow(DateOnly.FromDateTime(e.Key.Day), measure, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, e.Key.Kind,
                    e.Key.Currency, null, null, e.Count, e.Amount))];

            case RollupMeasure.Open:
                var none = from == NoExpectedClose;
                var openDeals = deals.Where(d => d.Status == DealStatus.Open && ((d.ExpectedClose >= @from && d.ExpectedClose < to) || (none && d.ExpectedClose == null)));
                var openTiered = withTier
                    ? from d in openDeals
                      join a0 in db.Accounts on d.AccountId equals a0.Id into accounts
                      from a in accounts.DefaultIfEmpty()
                      select new { d.Amount, d.ExpectedClose, d.Channel, d.OwnerId, d.Currency, d.StageId, Tier = (Tier?)a.Tier }
                    : openDeals.Select(d => new { d.Amount, d.ExpectedClose, d.Channel, d.OwnerId, d.Currency, d.StageId, Tier = (Tier?)null });
                var open = await (
                        from d in openTiered
                        group d by new { d.ExpectedClose, d.Channel, OwnerId = byOwner ? d.OwnerId : null, d.Tier, d.Currency, d.StageId } into g
                        select new { g.Key, Count = g.Count(), Amount = g.Sum(d => d.Amount) })
                    .ToListAsync(cancellationToken);
                return [.. open.Select(e => new RollupRow(e.Key.ExpectedClose ?? NoExpectedClose, measure, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, null,
                    e.Key.Currency, e.Key.StageId, null, e.Count, e.Amount))];

            case RollupMeasure.Touch:
                var types = Touches.Types;
                var until = heldBy is { } held && held < end ? held.AddTicks(1) : end;
                var since = heldAfter is { } counted && counted >= start ? counted.AddTicks(1) : start;
                // Joining the deals whoever owns them drops the access filter for the whole query: applied explicitly.
                var happened = (unfiltered ? db.Activities : db.ReadableActivities).AsNoTracking()
                    .Where(t => t.OccurredAt >= since && t.OccurredAt < until
                        && types.Contains(t.Type) && (t.DueAt == null || t.CompletedAt != null)
                        && (!named || (t.OwnerId != null && ownerIds.Contains(t.OwnerId.Value))));
                var withChannel =
                    from t in happened
                    join d0 in anyDeal on t.DealId equals (Guid?)d0.Id into ds
                    from d in ds.DefaultIfEmpty()
                    join u0 in db.Users on t.OwnerId equals (Guid?)u0.Id into us
                    from u in us.DefaultIfEmpty()
                    select new { t.OccurredAt, t.Type, t.OwnerId, t.AccountId, DealAccountId = (Guid?)d.AccountId, Channel = d != null ? (Channel?)d.Channel : u.Channel };
                var touchTiered = withTier
                    ? from t in withChannel
                      join da0 in db.Accounts on t.DealAccountId equals (Guid?)da0.Id into das
                      from da in das.DefaultIfEmpty()
                      join ta0 in db.Accounts on t.AccountId equals (Guid?)ta0.Id into tas
                      from ta in tas.DefaultIfEmpty()
                      select new { t.OccurredAt, t.Type, t.OwnerId, t.Channel, Tier = (Tier?)da.Tier ?? (Tier?)ta.Tier }
                    : withChannel.Select(t => new { t.OccurredAt, t.Type, t.OwnerId, t.Channel, Tier = (Tier?)null });
                var touches = await (
                        from t in touchTiered
                        group t by new { Day = t.OccurredAt.Date, t.Type, t.Channel, OwnerId = byOwner ? t.OwnerId : null, t.Tier } into g
                        select new { g.Key, Count = g.Count() })
                    .ToListAsync(cancellationToken);
                return [.. touches.Select(e => new RollupRow(DateOnly.FromDateTime(e.Key.Day), measure, e.Key.Channel, e.Key.OwnerId, e.Key.Tier, null,
                    null, null, e.Key.Type, e.Count, 0))];

            case RollupMeasure.Lead:
                var touchTypes = Touches.Types;
                var anyTouch = db.Activities.IgnoreQueryFilters([ReachDb.AccessFilter]);
                // Joining the deals whoever owns them drops the access filter for the whole query: applied explicitly.
                var received = (unfiltered ? db.Leads : db.ReadableLeads).AsNoTracking()
                    .Where(l => l.ReceivedAt >= start && l.ReceivedAt < end && (!named || (l.OwnerId != null && ownerIds.Contains(l.OwnerId.Value))));
                var leadChannel =
                    from l in received
                    join d0 in anyDeal on l.ConvertedDealId equals (Guid?)d0.Id into ds
                    from d in ds.DefaultIfEmpty()
                    join u0 in db.Users on l.OwnerId equals (Guid?)u0.Id into us
                    from u in us.DefaultIfEmpty()
                    select new { l.Id, l.ReceivedAt, l.OwnerId, l.ConvertedAccountId, DealAccountId = (Guid?)d.AccountId, Channel = d != null ? (Channel?)d.Channel : u.Channel };
                var leadTiered = withTier
                    ? from l in leadChannel
                      join da0 in db.Accounts on l.DealAccountId equals (Guid?)da0.Id into das
                      from da in das.DefaultIfEmpty()
                      join la0 in db.Accounts on l.ConvertedAccountId equals (Guid?)la0.Id into las
                      from la in las.DefaultIfEmpty()
                      select new { l.Id, l.ReceivedAt, l.OwnerId, l.Channel, Tier = (Tier?)da.Tier ?? (Tier?)la.Tier }
                    : leadChannel.Select(l => new { l.Id, l.ReceivedAt, l.OwnerId, l.Channel, Tier = (Tier?)null });
                // Lazily: the database reads a lead's touches only when its first one is asked for.
                var leads = await leadTiered.Select(l => new
                {
                    l.ReceivedAt,
                    l.OwnerId,
                    l.Channel,
                    l.Tier,
                    FirstTouchAt = withValues ? anyTouch.Where(a => a.LeadId == l.Id && touchTypes.Contains(a.Type)).Min(a => (DateTime?)a.OccurredAt) : null,
                })
                    .ToListAsync(cancellationToken);
                return [.. leads.GroupBy(l => new { Day = DateOnly.FromDateTime(l.ReceivedAt), l.Channel, OwnerId = byOwner ? l.OwnerId : null, l.Tier })
                    .Select(g => new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, null, null, null, null, g.Count(), 0,
                        withValues ? new RollupValues([], [.. g.Where(l => l.FirstTouchAt is not null).Select(l => (l.FirstTouchAt!.Value - l.ReceivedAt).Ticks)]) : null))];

            case RollupMeasure.Proposal:
                // A proposal stage is one whose name says so; a deal is counted once a day (and once a period, by its id).
                var proposalStages = (await db.Stages.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken))
                    .Where(s => s.Name.Contains("proposal", StringComparison.OrdinalIgnoreCase)).Select(s => s.Id).ToList();
                var entered =
                    from c in db.DealStageChanges.AsNoTracking().Where(c => proposalStages.Contains(c.ToStageId) && c.At >= start && c.At < end)
                    join d in deals on c.DealId equals d.Id
                    select new { c.At, d.Id, d.Channel, d.OwnerId, d.AccountId };
                var proposalTiered = withTier
                    ? from e in entered
                      join a0 in db.Accounts on e.AccountId equals a0.Id into accounts
                      from a in accounts.DefaultIfEmpty()
                      select new { e.At, e.Id, e.Channel, e.OwnerId, Tier = (Tier?)a.Tier }
                    : entered.Select(e => new { e.At, e.Id, e.Channel, e.OwnerId, Tier = (Tier?)null });
                var proposals = await proposalTiered.ToListAsync(cancellationToken);
                return [.. proposals.GroupBy(e => new { Day = DateOnly.FromDateTime(e.At), e.Channel, OwnerId = byOwner ? e.OwnerId : null, e.Tier })
                    .Select(g =>
                    {
                        var ids = g.Select(e => e.Id).Distinct().ToList();
                        return new RollupRow(g.Key.Day, measure, g.Key.Channel, g.Key.OwnerId, g.Key.Tier, null, null, null, null, ids.Count, 0, RollupValues.OfIds(ids));
                    })];

            default:
                throw new ArgumentOutOfRangeException(nameof(measure), measure, null);
        }
    }
}
