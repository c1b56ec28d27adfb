using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Metrics.Rollups;

/// <summary>What one refresh did: whether it built the whole workspace, and how many days it rebuilt.</summary>
public sealed record RollupRun(bool Built, int Days, int Rows, int StaleLeft);

/// <summary>
/// Keeps the stored rollups right: the first run builds them for the whole workspace; later runs rebuild the days that
/// writes made stale. Run by the web app's worker every few seconds, by <c>reach metrics refresh</c> and by the
/// benchmark. Figures never wait for it: a stale day is computed live until it is rebuilt. Touches are counted up to
/// the refresh's clock (<see cref="ReachDb.Clock"/>): a day not over yet is built again once it is.
/// </summary>
public static class RollupRefresh
{
    static readonly RollupMeasure[] Measures = Enum.GetValues<RollupMeasure>();

    /// <summary>Builds the rollups if they never were, else rebuilds up to <paramref name="maxDays"/> stale days, oldest first.</summary>
    public static async Task<RollupRun> RunAsync(ReachDb db, int maxDays = 400, CancellationToken cancellationToken = default)
    {
        if (db.Actor is { IsAdmin: false })
            throw new InvalidOperationException("Rollups are built over the whole workspace: run them without a signed-in user's filters.");
        var now = db.Clock.GetUtcNow().UtcDateTime;
        if (!await db.MetricRollupDays.AnyAsync(d => d.Day == RollupDays.BuiltMarker, cancellationToken))
            return await BuildAllAsync(db, now, cancellationToken);

        // Days built before they ended counted their touches only so far: now over, they are built again.
        var today = DateOnly.FromDateTime(now);
        var ended = await db.MetricRollupDays.Where(d => d.TouchesUntil != null && d.Day < today).Select(d => d.Day).ToListAsync(cancellationToken);
        if (ended.Count > 0)
            await RollupDays.MarkStaleAsync(db, ended, cancellationToken);

        var stale = await db.MetricRollupDays.AsNoTracking().Where(d => d.Built != d.Version).OrderBy(d => d.Day).Take(maxDays).ToListAsync(cancellationToken);
        var rows = 0;
        foreach (var run in Runs(stale))
            rows += await RebuildAsync(db, run, now, cancellationToken);
        var left = await db.MetricRollupDays.CountAsync(d => d.Built != d.Version, cancellationToken);
        return new RollupRun(false, stale.Count, rows, left);
    }

    // Every day with records, a month of days at a time (every measure's rows of the month computed, written in batches
    // and let go), so the first build holds one month's rows at most, whatever the size of the workspace: each batch is
    // saved and the change tracker cleared. All in one transaction, so a build cut short leaves nothing behind (its rows
    // are read inside it too: on SQLite other writers wait for it, as they waited for its one long write before). Days
    // written meanwhile stay stale (their version moved on).
    static async Task<RollupRun> BuildAllAsync(ReachDb db, DateTime now, CancellationToken cancellationToken)
    {
        var before = await db.MetricRollupDays.AsNoTracking().ToDictionaryAsync(d => d.Day, d => d.Version, cancellationToken);
        var days = new HashSet<DateOnly>(before.Keys) { RollupDays.BuiltMarker };
        var rows = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.MetricRollups.ExecuteDeleteAsync(cancellationToken);
        var tracking = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var (from, to) in await MonthsAsync(db, now, cancellationToken))
            {
                var month = new List<RollupRow>();
                foreach (var measure in Measures)
                    month.AddRange(WithWorkspace(await RollupRows.ComputeAsync(db, measure, from, to, RollupOwners.Each, now, withValues: true,
                        cancellationToken: cancellationToken)));
                foreach (var batch in month.Chunk(BuildBatch))
                {
                    db.MetricRollups.AddRange(batch.Select(Stored));
                    await db.SaveChangesAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                }
                days.UnionWith(month.Select(r => r.Day));
                rows += month.Count;
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = tracking;
        }

        // New days start at version 0, built 0; a day a writer created meanwhile keeps its version and stays stale.
        await Insert(db, days.Where(d => !before.ContainsKey(d)).ToList(), cancellationToken);
        foreach (var (day, version) in before)
            await db.MetricRollupDays.Where(d => d.Day == day).ExecuteUpdateAsync(s => s.SetProperty(d => d.Built, version), cancellationToken);
        var today = DateOnly.FromDateTime(now);
        await db.MetricRollupDays.Where(d => d.Day >= today).ExecuteUpdateAsync(s => s.SetProperty(d => d.TouchesUntil, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RollupRun(true, days.Count - 1, rows, await db.MetricRollupDays.CountAsync(d => d.Built != d.Version, cancellationToken));
    }

    // Rows saved per round trip in the first build: the change tracker holds no more than these at once.
    const int BuildBatch = 2_000;

    /// <summary>
    /// Ranges of days that together cover every day a record can fall on: a month at a time from the month of the first
    /// deal created up to the month after <paramref name="now"/>, and before and after those whatever is left (records
    /// older than the first deal, deals expected to close later). Only how much is held at once depends on them.
    /// </summary>
    static async Task<List<(DateOnly From, DateOnly To)>> MonthsAsync(ReachDb db, DateTime now, CancellationToken cancellationToken)
    {
        var first = await db.Deals.IgnoreQueryFilters().MinAsync(d => (DateTime?)d.CreatedAt, cancellationToken);
        var end = new DateOnly(now.Year, now.Month, 1).AddMonths(1);
        var months = new List<(DateOnly From, DateOnly To)>();
        var from = RollupRows.NoExpectedClose;
        for (var month = first is { } f ? new DateOnly(f.Year, f.Month, 1) : end; month < end; month = month.AddMonths(1))
        {
            months.Add((from, month));
            from = month;
        }
        months.Add((from, end));
        months.Add((end, RollupDays.BuiltMarker));
        return months;
    }

    static async Task<int> RebuildAsync(ReachDb db, List<MetricRollupDay> run, DateTime now, CancellationToken cancellationToken)
    {
        var (from, to) = (run[0].Day, run[^1].Day.AddDays(1));
        var rows = new List<RollupRow>();
        foreach (var measure in Measures)
            rows.AddRange(WithWorkspace(await RollupRows.ComputeAsync(db, measure, from, to, RollupOwners.Each, now, withValues: true, cancellationToken: cancellationToken)));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.MetricRollups.Where(r => r.Day >= from && r.Day < to).ExecuteDeleteAsync(cancellationToken);
        db.MetricRollups.AddRange(rows.Select(Stored));
        await db.SaveChangesAsync(cancellationToken);
        // Built takes the version read before the rows were computed: a write since then keeps the day stale.
        var today = DateOnly.FromDateTime(now);
        foreach (var day in run)
        {
            DateTime? touchesUntil = day.Day >= today ? now : null;
            await db.MetricRollupDays.Where(d => d.Day == day.Day)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Built, day.Version).SetProperty(d => d.TouchesUntil, touchesUntil), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return rows.Count;
    }

    static async Task Insert(ReachDb db, List<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var chunk in days.Chunk(200))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"({{{i}}}, 0, 0)"));
            // Only placeholders are built here; the days go as parameters.
            var sql = $"""INSERT INTO "MetricRollupDays" ("Day", "Version", "Built") VALUES {values} ON CONFLICT ("Day") DO NOTHING""";
            await db.Database.ExecuteSqlRawAsync(sql, [.. chunk.Cast<object>()], cancellationToken);
        }
    }

    // Consecutive stale days are rebuilt together (one query per measure for the run).
    static IEnumerable<List<MetricRollupDay>> Runs(List<MetricRollupDay> stale)
    {
        var run = new List<MetricRollupDay>();
        foreach (var day in stale.Where(d => d.Day != RollupDays.BuiltMarker))
        {
            if (run.Count > 0 && (run[^1].Day.DayNumber + 1 != day.Day.DayNumber || run.Count >= 31))
            {
                yield return run;
                run = [];
            }
            run.Add(day);
        }
        if (run.Count > 0)
            yield return run;
    }

    // Each owner's rows as computed, and the workspace's made of them (with the unowned records' rows, which are kept
    // only in it): one query per measure gives both.
    static IEnumerable<RollupRow> WithWorkspace(List<RollupRow> byOwner) =>
        byOwner.Where(r => r.OwnerId is not null).Concat(byOwner
            .GroupBy(r => r with { OwnerId = null, Count = 0, Amount = 0, Values = null })
            .Select(g => g.Key with
            {
                Count = g.Sum(r => r.Count),
                Amount = g.Sum(r => r.Amount),
                Values = g.Any(r => r.Values is not null) ? RollupValues.Concat(g.Select(r => r.Values).OfType<RollupValues>()) : null,
            }));

    static MetricRollup Stored(RollupRow r) => new()
    {
        Day = r.Day,
        Measure = r.Measure,
        OwnerId = r.OwnerId,
        Channel = r.Channel,
        Tier = r.Tier,
        Kind = r.Kind,
        Currency = r.Currency,
        StageId = r.StageId,
        Type = r.Type,
        Count = r.Count,
        Amount = r.Amount,
        Values = r.Values?.Pack(),
    };
}
