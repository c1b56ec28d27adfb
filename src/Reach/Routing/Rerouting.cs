using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Query;
using Reach.Data;
using Reach.Planning;

namespace Reach.Routing;

/// <summary>
/// The one place routes are written. <see cref="ReachDb"/>'s SaveChanges calls <see cref="RouteChangesAsync"/> for
/// accounts and leads that are new or whose size, expected ACV or hand-set tier changed, whatever saved them (API, pages, imports,
/// lead conversion, CLI); activating a plan calls <see cref="RerouteAllAsync"/>, which rewrites every record in a
/// single UPDATE per table (a CASE per route field) rather than loading a million rows.
/// </summary>
public static class Rerouting
{
    // Versions are never edited, so a parsed plan stays valid for its id.
    static readonly ConcurrentDictionary<Guid, Router?> Routers = new();

    /// <summary>The router of the workspace's active plan, or null when no plan is active.</summary>
    public static async Task<Router?> ActiveAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        var id = await db.PlanVersions.AsNoTracking().Where(v => v.IsActive).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is not { } versionId)
            return null;
        if (Routers.TryGetValue(versionId, out var cached))
            return cached;
        var yaml = await db.PlanVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Yaml).FirstAsync(cancellationToken);
        return Routers.GetOrAdd(versionId, _ => RouterOf(yaml));
    }

    /// <summary>The router of a plan text; null when the text is not a valid plan (a version saved before a rule tightened).</summary>
    public static Router? RouterOf(string yaml)
    {
        try
        {
            return new Router(PlanReader.Read(yaml));
        }
        catch (PlanValidationException)
        {
            return null;
        }
    }

    /// <summary>Routes the accounts and leads about to be saved whose route may have changed.</summary>
    public static async Task RouteChangesAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        var pending = Pending(db);
        if (pending.Count == 0)
            return;
        var router = await ActiveAsync(db, cancellationToken);
        foreach (var record in pending)
            Apply(record, router);
    }

    /// <summary>The synchronous twin of <see cref="RouteChangesAsync"/>, for SaveChanges.</summary>
    public static void RouteChanges(ReachDb db) => RouteChangesAsync(db).GetAwaiter().GetResult();

    public static void Apply(IRouted record, Router? router)
    {
        var route = router?.Route(record.Employees, record.ExpectedAcv) ?? Route.None;
        record.Segment = route.Segment;
        record.RoutedChannel = route.Channel;
        record.DeadZone = route.DeadZone;
        record.RouteAction = route.Action;
        record.RouteReason = route.Reason;
        // A tier follows the route unless someone set it by hand (kept, and audited as any change).
        if (record is ITiered { TierSetByHand: false } tiered)
            (tiered.Tier, tiered.TierReason) = router?.TierOf(route, tiered.ExpectedAcv) ?? (null, null);
    }

    static List<IRouted> Pending(ReachDb db) =>
        [.. db.ChangeTracker.Entries()
            .Where(e => e.Entity is IRouted && (e.State == EntityState.Added || (e.State == EntityState.Modified && SizeChanged(e))))
            .Select(e => (IRouted)e.Entity)];

    // A record whose hand-set tier was cleared is routed again, so the plan's tier comes back.
    static bool SizeChanged(EntityEntry entry) =>
        entry.Property(nameof(IRouted.Employees)).IsModified || entry.Property(nameof(IRouted.ExpectedAcv)).IsModified
        || (entry.Entity is ITiered && entry.Property(nameof(ITiered.TierSetByHand)).IsModified);

    /// <summary>
    /// Re-routes every account and lead (deleted ones too, so a restored record is right) by <paramref name="router"/>,
    /// in one transaction. Routes are derived data: records keep their version and UpdatedAt, and the trail records the
    /// activation that caused the change, not a million copies of it. Returns the number of rows written.
    /// </summary>
    public static async Task<int> RerouteAllAsync(ReachDb db, Router? router, CancellationToken cancellationToken = default)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = await RerouteAsync(db.Accounts.IgnoreQueryFilters(), router, cancellationToken)
                + await RerouteAsync(db.Leads.IgnoreQueryFilters(), router, cancellationToken);
            await RetierOpenLeadsAsync(db, router, cancellationToken);
            await RetierAccountsAsync(db, router, cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return written;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Gives every open lead (new, working, qualified) whose tier was not set by hand its tier and reason again by the
    /// newly active plan's rules (<see cref="Router.TierOf"/>, the rule routing applies to a single lead); a tier set by
    /// hand is kept. Unlike routes, a tier is what a rep works by, so each lead whose tier or reason changes gets its own
    /// audit entry (before and after), saved in the activation's transaction. Returns the number of leads re-tiered.
    /// Closed leads keep the tier they were worked with.
    /// </summary>
    public static async Task<int> RetierOpenLeadsAsync(ReachDb db, Router? router, CancellationToken cancellationToken = default) =>
        (await RetierAsync(db, db.Leads.IgnoreQueryFilters().Where(l => l.DeletedAt == null
            && (l.Status == Leads.LeadStatus.New || l.Status == Leads.LeadStatus.Working || l.Status == Leads.LeadStatus.Qualified)),
            router, cancellationToken)).Count;

    /// <summary>
    /// Gives every live account whose tier was not set by hand its tier and reason again by the newly active plan's
    /// rules, as <see cref="RetierOpenLeadsAsync"/> does leads (an audit entry per account changed). Every figure cut by
    /// tier reads the account's, so the days of the records of each account whose tier changed are marked stale
    /// (<see cref="Metrics.Rollups.RollupDays"/>), as a save would. Returns the number of accounts re-tiered.
    /// </summary>
    public static async Task<int> RetierAccountsAsync(ReachDb db, Router? router, CancellationToken cancellationToken = default)
    {
        var changed = await RetierAsync(db, db.Accounts.IgnoreQueryFilters().Where(a => a.DeletedAt == null), router, cancellationToken);
        var tierMoved = changed.Where(c => c.Before.Tier != c.After.Tier).Select(c => c.Id).ToList();
        if (tierMoved.Count > 0)
        {
            var days = await Metrics.Rollups.RollupDays.OfAccountsAsync(db, tierMoved, cancellationToken);
            await Metrics.Rollups.RollupDays.MarkStaleAsync(db, days, cancellationToken);
        }
        return changed.Count;
    }

    sealed record Retiered(Guid Id, (Tier? Tier, string? Reason) Before, (Tier? Tier, string? Reason) After);

    // The records of `records` not set by hand whose tier or reason the router's rules change, written in bulk (one
    // UPDATE per tier and reason, by id) and audited one entry each.
    static async Task<List<Retiered>> RetierAsync<T>(ReachDb db, IQueryable<T> records, Router? router, CancellationToken cancellationToken)
        where T : Record, ITiered
    {
        var current = await records.AsNoTracking()
            .Where(r => !r.TierSetByHand)
            .Select(r => new { r.Id, r.Segment, r.RoutedChannel, r.DeadZone, r.ExpectedAcv, r.Tier, r.TierReason })
            .ToListAsync(cancellationToken);
        var changed = current
            .Select(r => new Retiered(r.Id, (r.Tier, r.TierReason),
                router?.TierOf(new Route(r.Segment, r.RoutedChannel, r.DeadZone, null, null), r.ExpectedAcv) ?? (null, null)))
            .Where(r => r.Before != r.After)
            .ToList();
        if (changed.Count == 0)
            return changed;
        var now = db.UtcNow;
        foreach (var group in changed.GroupBy(c => c.After))
        {
            var (tier, reason) = group.Key;
            foreach (var chunk in group.Select(c => c.Id).Chunk(500))
                await records.Where(r => chunk.Contains(r.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.Tier, tier).SetProperty(r => r.TierReason, reason), cancellationToken);
        }
        static System.Text.Json.Nodes.JsonNode? Text(string? value) => value is null ? null : System.Text.Json.Nodes.JsonValue.Create(value);
        if (db.RecordsAudit)
        {
            db.AuditEntries.AddRange(changed.Select(c => new Audit.AuditEntry
            {
                At = now,
                ActorId = db.Actor?.UserId,
                ActorName = db.Actor?.Name ?? Audit.AuditTrail.NoActor,
                Action = Audit.AuditAction.Update,
                EntityType = Audit.AuditTrail.TypeName(typeof(T)),
                EntityId = c.Id,
                Changes = new System.Text.Json.Nodes.JsonObject
                {
                    ["tier"] = new System.Text.Json.Nodes.JsonObject { ["before"] = Text(EnumNames.Of(c.Before.Tier)), ["after"] = Text(EnumNames.Of(c.After.Tier)) },
                    ["tierReason"] = new System.Text.Json.Nodes.JsonObject { ["before"] = Text(c.Before.Reason), ["after"] = Text(c.After.Reason) },
                }.ToJsonString(),
            }));
            await db.SaveChangesAsync(cancellationToken);
        }
        return changed;
    }

    static async Task<int> RerouteAsync<T>(IQueryable<T> records, Router? router, CancellationToken cancellationToken) where T : class, IRouted
    {
        // One pass over the table: each row is written once, with the route of the first arm that holds for it, in the
        // router's order (an expected ACV first, then no size, then the plan's segments as listed). Writing each rule as
        // a statement of its own scanned the table once per distinct ACV: 20 times a bare UPDATE at a million accounts.
        List<Arm<T>> arms = [];
        var otherwise = Route.None;
        if (router is not null)
        {
            var acvs = await records.Where(r => r.ExpectedAcv != null && r.ExpectedAcv > 0).Select(r => r.ExpectedAcv!.Value).Distinct().ToListAsync(cancellationToken);
            foreach (var acv in acvs)
                arms.Add(new(r => r.ExpectedAcv == acv, router.Route(null, acv), SizeFirst: false));
            arms.Add(new(r => r.Employees == null, Route.None with { Reason = Router.NoSizeReason }, SizeFirst: false));
            foreach (var segment in router.Segments)
            {
                if (segment.Segment.Employees is not { } range)
                    continue;
                var (min, max) = (range.Min, range.Max ?? int.MaxValue);
                arms.Add(new(r => r.Employees >= min && r.Employees <= max, segment.Route, SizeFirst: true));
            }
            otherwise = Route.None with { Reason = Router.NoSegmentReason };
        }
        return await records.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Segment, Pick<T, string?>(arms, otherwise, (route, _, _) => Expression.Constant(route.Segment, typeof(string))))
            .SetProperty(r => r.RoutedChannel, Pick<T, string?>(arms, otherwise, (route, _, _) => Expression.Constant(route.Channel, typeof(string))))
            .SetProperty(r => r.DeadZone, Pick<T, bool>(arms, otherwise, (route, _, _) => Expression.Constant(route.DeadZone)))
            .SetProperty(r => r.RouteAction, Pick<T, string?>(arms, otherwise, (route, _, _) => Expression.Constant(route.Action, typeof(string))))
            .SetProperty(r => r.RouteReason, Pick<T, string?>(arms, otherwise, ReasonOf)), cancellationToken);
    }

    /// <summary>A rule of the router as SQL: the records it holds and the route they get (by size: the reason starts with it).</summary>
    sealed record Arm<T>(Expression<Func<T, bool>> When, Route Route, bool SizeFirst);

    // CASE WHEN arm 1 THEN its value WHEN arm 2 … ELSE the otherwise route's value END, as one expression per column.
    static Expression<Func<T, TValue>> Pick<T, TValue>(List<Arm<T>> arms, Route otherwise, Func<Route, Arm<T>?, ParameterExpression, Expression> value)
    {
        var record = Expression.Parameter(typeof(T), "r");
        var body = value(otherwise, null, record);
        for (var i = arms.Count - 1; i >= 0; i--)
        {
            var arm = arms[i];
            var when = ReplacingExpressionVisitor.Replace(arm.When.Parameters[0], record, arm.When.Body);
            body = Expression.Condition(when, value(arm.Route, arm, record), body);
        }
        return Expression.Lambda<Func<T, TValue>>(body, record);
    }

    // "<employees> employees → <the segment's reason>", built by the database per row, for the arms by size.
    static Expression ReasonOf<T>(Route route, Arm<T>? arm, ParameterExpression record) where T : class, IRouted
    {
        if (arm is not { SizeFirst: true })
            return Expression.Constant(route.Reason, typeof(string));
        var reason = route.Reason;
        Expression<Func<T, string?>> sized = r => r.Employees!.Value.ToString() + Router.EmployeesSuffix + reason;
        return ReplacingExpressionVisitor.Replace(sized.Parameters[0], record, sized.Body);
    }
}
