using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Pipelines;

namespace Reach.Metrics.Rollups;

/// <summary>
/// Which days' rollups a save makes stale, and marking them so in the save's own transaction. Every write that goes
/// through <see cref="ReachDb.SaveChanges(bool)"/> is seen here (the web app, the API, the CLI, imports), so no write path
/// can leave a stored figure wrong: at worst a day is rebuilt that did not need it.
/// </summary>
public static class RollupDays
{
    /// <summary>The row whose presence says the rollups were built once for the whole workspace (days without a row then have no records).</summary>
    public static readonly DateOnly BuiltMarker = DateOnly.MaxValue;

    /// <summary>The days the pending changes of <paramref name="db"/> touch, old values and new (read before saving).</summary>
    public static HashSet<DateOnly> Touched(ReachDb db)
    {
        var moved = Moved.Of(db);
        foreach (var instants in moved.Instants)
            moved.Add(instants.ToList());
        foreach (var expected in moved.ExpectedCloses)
            moved.Add(expected.ToList());
        return moved.Days;
    }

    /// <inheritdoc cref="Touched"/>
    public static Task<HashSet<DateOnly>> TouchedAsync(ReachDb db, CancellationToken cancellationToken) =>
        DaysAsync(Moved.Of(db), cancellationToken);

    /// <summary>
    /// The days a change of tier of <paramref name="accounts"/> moves (their deals', touches' and converted leads'), as a
    /// save of that change would find them: for tiers written in bulk, outside the change tracker (activating a plan).
    /// </summary>
    public static Task<HashSet<DateOnly>> OfAccountsAsync(ReachDb db, List<Guid> accounts, CancellationToken cancellationToken)
    {
        var moved = new Moved();
        moved.Follow(db, [], accounts, [], [], [], []);
        return DaysAsync(moved, cancellationToken);
    }

    static async Task<HashSet<DateOnly>> DaysAsync(Moved moved, CancellationToken cancellationToken)
    {
        foreach (var instants in moved.Instants)
            moved.Add(await instants.ToListAsync(cancellationToken));
        foreach (var expected in moved.ExpectedCloses)
            moved.Add(await expected.ToListAsync(cancellationToken));
        return moved.Days;
    }

    /// <summary>
    /// What a save moves: the days its records' own dates name (found in the change tracker), and the queries for the
    /// days of the records that take a cut from them (a deal's touches take its channel…), run by the caller, sync or async.
    /// </summary>
    sealed class Moved
    {
        public HashSet<DateOnly> Days { get; } = [];
        public List<IQueryable<DateTime>> Instants { get; } = [];
        public List<IQueryable<DateOnly?>> ExpectedCloses { get; } = [];

        public void Add(IEnumerable<DateTime> instants)
        {
            foreach (var at in instants)
                Add(at);
        }

        // An open deal counts on its expected close day; one without, under its own day.
        public void Add(IEnumerable<DateOnly?> expectedCloses)
        {
            foreach (var day in expectedCloses)
                Days.Add(day ?? RollupRows.NoExpectedClose);
        }

        void Add(DateTime? at)
        {
            if (at is { } value && value != default)
                Days.Add(DateOnly.FromDateTime(value));
        }

        public static Moved Of(ReachDb db)
        {
            var moved = new Moved();
            List<Guid> deals = [], accounts = [], users = [], leads = [], proposed = [], stages = [];
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                    continue;
                switch (entry.Entity)
                {
                    // Deals created, won, lost (by their close day) and open (by their expected close day).
                    case Deal deal:
                        foreach (var values in Versions(entry))
                        {
                            moved.Add(values.GetValue<DateTime>(nameof(Deal.CreatedAt)));
                            moved.Add(values.GetValue<DateTime?>(nameof(Deal.ClosedAt)));
                            moved.Days.Add(values.GetValue<DateOnly?>(nameof(Deal.ExpectedClose)) ?? RollupRows.NoExpectedClose);
                        }
                        // Its touches take its channel and its account's tier.
                        if (entry.State != EntityState.Added && Changed(entry, nameof(Deal.Channel), nameof(Deal.AccountId), nameof(Deal.DeletedAt)))
                            deals.Add(deal.Id);
                        // Its proposals count for its owner too.
                        if (entry.State != EntityState.Added && Changed(entry, nameof(Deal.Channel), nameof(Deal.AccountId), nameof(Deal.DeletedAt), nameof(Deal.OwnerId)))
                            proposed.Add(deal.Id);
                        break;
                    // Proposals sent, on the day of the move.
                    case DealStageChange:
                        foreach (var values in Versions(entry))
                            moved.Add(values.GetValue<DateTime>(nameof(DealStageChange.At)));
                        break;
                    // A stage is a proposal stage by its name: a rename that makes or unmakes one moves the days deals entered it.
                    case Stage stage when entry.State == EntityState.Deleted || (entry.State == EntityState.Modified
                        && MetricRecords.IsProposalStage(entry.OriginalValues.GetValue<string>(nameof(Stage.Name))) != MetricRecords.IsProposalStage(stage.Name)):
                        stages.Add(stage.Id);
                        break;
                    // Touches held, on their day.
                    case Activity:
                        foreach (var values in Versions(entry))
                        {
                            moved.Add(values.GetValue<DateTime>(nameof(Activity.OccurredAt)));
                            // It may be its lead's first touch.
                            if (values.GetValue<Guid?>(nameof(Activity.LeadId)) is { } lead)
                                leads.Add(lead);
                        }
                        break;
                    // Leads received, on their day.
                    case Lead:
                        foreach (var values in Versions(entry))
                            moved.Add(values.GetValue<DateTime>(nameof(Lead.ReceivedAt)));
                        break;
                    // Every record takes its tier from an account.
                    case Account account when entry.State == EntityState.Deleted || Changed(entry, nameof(Account.Tier), nameof(Account.DeletedAt)):
                        if (entry.State != EntityState.Added)
                            accounts.Add(account.Id);
                        break;
                    // A touch without a deal takes its owner's channel, and so does a lead without one.
                    case User user when entry.State == EntityState.Modified && Changed(entry, nameof(User.Channel)):
                        users.Add(user.Id);
                        break;
                    default:
                        break;
                }
            }
            moved.Follow(db, deals, accounts, users, leads, proposed, stages);
            return moved;
        }

        // The records that take a cut from the changed ones, as queries of their days.
        public void Follow(ReachDb db, List<Guid> deals, List<Guid> accounts, List<Guid> users, List<Guid> leads, List<Guid> proposed, List<Guid> stages)
        {
            var allActivities = db.Set<Activity>().IgnoreQueryFilters().AsNoTracking();
            // A lead counts on the day it was received, with its converted deal's channel (else its owner's), that deal's or
            // its converted account's tier, and its first touch.
            var allLeads = db.Leads.IgnoreQueryFilters().AsNoTracking();
            var changes = db.DealStageChanges.AsNoTracking();
            if (leads.Count > 0)
                Instants.Add(allLeads.Where(l => leads.Contains(l.Id)).Select(l => l.ReceivedAt));
            if (accounts.Count > 0)
            {
                var ofAccounts = db.Deals.IgnoreQueryFilters().AsNoTracking().Where(d => d.AccountId != null && accounts.Contains(d.AccountId.Value));
                var ids = ofAccounts.Select(d => d.Id);
                Instants.Add(ofAccounts.Select(d => d.CreatedAt));
                Instants.Add(ofAccounts.Where(d => d.ClosedAt != null).Select(d => d.ClosedAt!.Value));
                ExpectedCloses.Add(ofAccounts.Select(d => d.ExpectedClose));
                Instants.Add(allActivities.Where(a => (a.AccountId != null && accounts.Contains(a.AccountId.Value)) || (a.DealId != null && ids.Contains(a.DealId.Value)))
                    .Select(a => a.OccurredAt));
                Instants.Add(allLeads.Where(l => (l.ConvertedAccountId != null && accounts.Contains(l.ConvertedAccountId.Value))
                    || (l.ConvertedDealId != null && ids.Contains(l.ConvertedDealId.Value))).Select(l => l.ReceivedAt));
                Instants.Add(changes.Where(c => ids.Contains(c.DealId)).Select(c => c.At));
            }
            if (deals.Count > 0)
            {
                Instants.Add(allActivities.Where(a => a.DealId != null && deals.Contains(a.DealId.Value)).Select(a => a.OccurredAt));
                Instants.Add(allLeads.Where(l => l.ConvertedDealId != null && deals.Contains(l.ConvertedDealId.Value)).Select(l => l.ReceivedAt));
            }
            if (proposed.Count > 0)
                Instants.Add(changes.Where(c => proposed.Contains(c.DealId)).Select(c => c.At));
            if (stages.Count > 0)
                Instants.Add(changes.Where(c => stages.Contains(c.ToStageId)).Select(c => c.At));
            if (users.Count > 0)
            {
                Instants.Add(allActivities.Where(a => a.DealId == null && a.OwnerId != null && users.Contains(a.OwnerId.Value)).Select(a => a.OccurredAt));
                Instants.Add(allLeads.Where(l => l.OwnerId != null && users.Contains(l.OwnerId.Value)).Select(l => l.ReceivedAt));
            }
        }
    }

    /// <summary>Bumps the version of each of <paramref name="days"/> (creating its row): run inside the transaction of the save that changed them.</summary>
    public static void MarkStale(ReachDb db, IReadOnlyCollection<DateOnly> days)
    {
        foreach (var (sql, parameters) in Statements(days))
            db.Database.ExecuteSqlRaw(sql, parameters);
    }

    /// <inheritdoc cref="MarkStale"/>
    public static async Task MarkStaleAsync(ReachDb db, IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var (sql, parameters) in Statements(days))
            await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }

    // An upsert both databases read alike; the increment happens in the database, so concurrent writers never lose a bump.
    static IEnumerable<(string Sql, object[] Parameters)> Statements(IReadOnlyCollection<DateOnly> days)
    {
        foreach (var chunk in days.Order().Chunk(200))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"({{{i}}}, 1, 0)"));
            yield return ($"""INSERT INTO "MetricRollupDays" ("Day", "Version", "Built") VALUES {values} ON CONFLICT ("Day") DO UPDATE SET "Version" = "MetricRollupDays"."Version" + 1""",
                [.. chunk.Cast<object>()]);
        }
    }

    static IEnumerable<PropertyValues> Versions(EntityEntry entry)
    {
        if (entry.State != EntityState.Added)
            yield return entry.OriginalValues;
        if (entry.State != EntityState.Deleted)
            yield return entry.CurrentValues;
    }

    static bool Changed(EntityEntry entry, params string[] properties) =>
        entry.State == EntityState.Deleted || properties.Any(p => entry.Property(p).IsModified && !Equals(entry.Property(p).OriginalValue, entry.Property(p).CurrentValue));
}
