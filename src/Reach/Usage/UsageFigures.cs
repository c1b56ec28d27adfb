using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Usage;

/// <summary>One part of a product-qualified score: what it looked at, the points it gave and why.</summary>
public sealed record ScorePart(string Factor, int Points, int OutOf, string Reason);

/// <summary>
/// An account's usage now: its distinct active users over the last day, 7 days and 30 days, their growth on the 7 days
/// before, their share of the account's employees, its product-qualified score with its reasons, and whether it is past
/// the workspace's threshold (<see cref="UsageRule"/>).
/// </summary>
public sealed record AccountUsage(
    Guid AccountId, string AccountName, Guid? OwnerId, string? OwnerName, int? Employees,
    int DailyActiveUsers, int WeeklyActiveUsers, int MonthlyActiveUsers, int PreviousWeeklyActiveUsers,
    decimal? WeeklyGrowthPercent, decimal? EmployeeSharePercent, int Score, IReadOnlyList<ScorePart> ScoreParts,
    bool OverThreshold, string? ThresholdMet, DateTime? CrossedAt, Guid? DealId, DateTime? LastSeenAt);

/// <summary>A company domain whose users use the product but which no account has: a candidate account.</summary>
public sealed record CandidateAccount(string Domain, int Users, int Events, DateTime FirstSeenAt, DateTime LastSeenAt);

/// <summary>
/// The usage figures, one definition for the API, the pages, the CLI and the rule. Windows end now: a day, 7 days,
/// 30 days; growth compares the last 7 days with the 7 before; the share is weekly active users over employees.
/// </summary>
public static class UsageFigures
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    /// <summary>The usage of <paramref name="accountIds"/> (null: every account with events in the last 30 days), busiest first.</summary>
    public static async Task<List<AccountUsage>> ForAccountsAsync(ReachDb db, IReadOnlyCollection<Guid>? accountIds, DateTime now, CancellationToken cancellationToken)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var days = db.UsageDays.AsNoTracking();
        if (accountIds is not null)
        {
            var ids = accountIds.ToList();
            days = days.Where(d => ids.Contains(d.AccountId));
        }
        // Monthly, weekly, the week before, daily: one query.
        var active = await ActiveUsersAsync(days, [(now - Month, now), (now - Week, now), (now - Week - Week, now - Week), (now - Day, now)], cancellationToken);
        var wanted = accountIds?.ToList() ?? [.. active.Keys];
        // The accounts with their owner, crossing and last event (an index seek each: the rollup's days do not say which of
        // today's events are already past), one query.
        var accounts = await db.Accounts.AsNoTracking().Where(a => wanted.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                a.Name,
                a.OwnerId,
                a.Employees,
                OwnerName = db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.Name).FirstOrDefault(),
                Crossing = db.UsageCrossings.Where(c => c.AccountId == a.Id).Select(c => new { c.CrossedAt, c.DealId }).FirstOrDefault(),
                LastSeen = db.UsageEvents.Where(e => e.AccountId == a.Id && e.OccurredAt <= now).Max(e => (DateTime?)e.OccurredAt),
            }).ToListAsync(cancellationToken);
        return [.. accounts.Select(a =>
        {
            var users = active.GetValueOrDefault(a.Id) ?? new int[4];
            var figures = new Counts(users[3], users[1], users[0], users[2], a.Employees);
            var (score, parts) = UsageScore.Of(figures);
            return new AccountUsage(a.Id, a.Name, a.OwnerId, a.OwnerName, a.Employees,
                figures.Daily, figures.Weekly, figures.Monthly, figures.PreviousWeekly, figures.GrowthPercent, figures.SharePercent, score, parts,
                UsageRule.Met(figures, settings) is not null, UsageRule.Met(figures, settings), a.Crossing?.CrossedAt, a.Crossing?.DealId, a.LastSeen);
        }).OrderByDescending(u => u.WeeklyActiveUsers).ThenByDescending(u => u.Score).ThenBy(u => u.AccountName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Weekly active users of one account for each of the last <paramref name="weeks"/> 7-day windows, oldest first: one query.</summary>
    public static async Task<List<(DateTime Until, int Users)>> WeeklySeriesAsync(ReachDb db, Guid accountId, DateTime now, int weeks, CancellationToken cancellationToken)
    {
        var windows = Enumerable.Range(0, weeks).Select(i => now - TimeSpan.FromDays(7 * (weeks - 1 - i))).Select(until => (From: until - Week, Until: until)).ToList();
        var users = (await ActiveUsersAsync(db.UsageDays.AsNoTracking().Where(d => d.AccountId == accountId), windows, cancellationToken)).GetValueOrDefault(accountId) ?? new int[weeks];
        return [.. windows.Select((w, i) => (w.Until, users[i]))];
    }

    /// <summary>The domains of unmatched, non-free-mail events of the last 30 days, most users first: accounts to be.</summary>
    public static async Task<List<CandidateAccount>> CandidatesAsync(ReachDb db, DateTime now, int limit, CancellationToken cancellationToken)
    {
        var from = now - Month;
        var rows = await db.UsageEvents.AsNoTracking().Where(e => e.AccountId == null && e.Domain != null && e.OccurredAt >= from)
            .GroupBy(e => e.Domain!)
            .Select(g => new { Domain = g.Key, Users = g.Select(e => e.UserKey).Distinct().Count(), Events = g.Count(), First = g.Min(e => e.OccurredAt), Last = g.Max(e => e.OccurredAt) })
            .OrderByDescending(g => g.Users).ThenBy(g => g.Domain).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new CandidateAccount(r.Domain, r.Users, r.Events, r.First, r.Last))];
    }

    /// <summary>
    /// The distinct active users of each account in <paramref name="days"/> over each window (at least a day long), read
    /// from the rollup in one statement (one grouped select per window, concatenated): per account, the count of each
    /// window in the order given; an account with nobody in any window is absent.
    /// </summary>
    static async Task<Dictionary<Guid, int[]>> ActiveUsersAsync(IQueryable<UsageDay> days, List<(DateTime From, DateTime Until)> windows, CancellationToken cancellationToken)
    {
        var query = windows.Select((w, i) => days.Where(UsageDay.ActiveIn(w.From, w.Until)).GroupBy(d => d.AccountId)
            .Select(g => new WindowUsers { AccountId = g.Key, Window = i, Users = g.Select(d => d.UserKey).Distinct().Count() }))
            .Aggregate(Queryable.Concat);
        var counts = new Dictionary<Guid, int[]>();
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!counts.TryGetValue(row.AccountId, out var users))
                counts[row.AccountId] = users = new int[windows.Count];
            users[row.Window] = row.Users;
        }
        return counts;
    }

    sealed class WindowUsers
    {
        public Guid AccountId { get; init; }
        public int Window { get; init; }
        public int Users { get; init; }
    }

    /// <summary>An account's active-user counts and what follows from them.</summary>
    public sealed record Counts(int Daily, int Weekly, int Monthly, int PreviousWeekly, int? Employees)
    {
        /// <summary>The last 7 days against the 7 before, in percent; null when there was nobody the week before.</summary>
        public decimal? GrowthPercent => PreviousWeekly == 0 ? null : Math.Round((Weekly - PreviousWeekly) * 100m / PreviousWeekly, 1);

        /// <summary>Weekly active users as a percentage of the account's employees; null when they are unknown.</summary>
        public decimal? SharePercent => Employees is > 0 ? Math.Round(Weekly * 100m / Employees.Value, 1) : null;
    }

    /// <summary>A percentage as the usage figures say it ("7.5 %").</summary>
    public static string Percent(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
