using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reach.Data;
using Reach.Planning;

namespace Reach.Routing;

/// <summary>
/// The one place routes are written. <see cref="ReachDb"/>'s SaveChanges calls <see cref="RouteChangesAsync"/> for
/// accounts and leads that are new or whose size or expected ACV changed, whatever saved them (API, pages, imports,
/// lead conversion, CLI); activating a plan calls <see cref="RerouteAllAsync"/>, which rewrites every record in a
/// few set-based statements (one per segment) rather than loading a million rows.
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
    }

    static List<IRouted> Pending(ReachDb db) =>
        [.. db.ChangeTracker.Entries()
            .Where(e => e.Entity is IRouted && (e.State == EntityState.Added || (e.State == EntityState.Modified && SizeChanged(e))))
            .Select(e => (IRouted)e.Entity)];

    static bool SizeChanged(EntityEntry entry) =>
        entry.Property(nameof(IRouted.Employees)).IsModified || entry.Property(nameof(IRouted.ExpectedAcv)).IsModified;

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

    static async Task<int> RerouteAsync<T>(IQueryable<T> records, Router? router, CancellationToken cancellationToken) where T : class, IRouted
    {
        // Everything first gets the route of "no segment"; then each segment, last to first so that the first listed
        // wins where ranges overlap, claims the records its range holds; then each distinct expected ACV.
        var written = await SetAsync(records, router is null ? Route.None : Route.None with { Reason = Router.NoSegmentReason }, null, cancellationToken);
        if (router is null)
            return written;
        await SetAsync(records.Where(r => r.Employees == null && r.ExpectedAcv == null), Route.None with { Reason = Router.NoSizeReason }, null, cancellationToken);

        foreach (var segment in router.Segments.Reverse())
        {
            if (segment.Segment.Employees is not { } range)
                continue;
            var (min, max) = (range.Min, range.Max ?? int.MaxValue);
            await SetAsync(records.Where(r => r.ExpectedAcv == null && r.Employees >= min && r.Employees <= max), segment.Route, Router.EmployeesSuffix, cancellationToken);
        }

        var acvs = await records.Where(r => r.ExpectedAcv != null && r.ExpectedAcv > 0).Select(r => r.ExpectedAcv!.Value).Distinct().ToListAsync(cancellationToken);
        foreach (var acv in acvs)
            await SetAsync(records.Where(r => r.ExpectedAcv == acv), router.Route(null, acv), null, cancellationToken);
        return written;
    }

    // With a size suffix the reason is "<employees> employees → <the segment's reason>", built by the database per row.
    static Task<int> SetAsync<T>(IQueryable<T> records, Route route, string? sizeSuffix, CancellationToken cancellationToken) where T : class, IRouted =>
        records.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(r => r.Segment, route.Segment)
                .SetProperty(r => r.RoutedChannel, route.Channel)
                .SetProperty(r => r.DeadZone, route.DeadZone)
                .SetProperty(r => r.RouteAction, route.Action);
            if (sizeSuffix is null)
                s.SetProperty(r => r.RouteReason, route.Reason);
            else
                s.SetProperty(r => r.RouteReason, r => r.Employees!.Value.ToString() + sizeSuffix + route.Reason);
        }, cancellationToken);
}
