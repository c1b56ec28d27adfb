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
        var events = db.UsageEvents.AsNoTracking().Where(e => e.AccountId != null);
        if (accountIds is not null)
        {
            var ids = accountIds.ToList();
            events = events.Where(e => ids.Contains(e.AccountId!.Value));
        }
        var monthly = await ActiveAsync(events, now - Month, now, cancellationToken);
        var weekly = await ActiveAsync(events, now - Week, now, cancellationToken);
        var previous = await ActiveAsync(events, now - Week - Week, now - Week, cancellationToken);
        var daily = await ActiveAsync(events, now - Day, now, cancellationToken);
        var lastSeen = await events.Where(e => e.OccurredAt <= now).GroupBy(e => e.AccountId!.Value)
            .Select(g => new { g.Key, Last = g.Max(e => e.OccurredAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken);
        var wanted = accountIds?.ToList() ?? [.. monthly.Keys.Union(previous.Keys)];
        var accounts = await db.Accounts.AsNoTracking().Where(a => wanted.Contains(a.Id))
            .Select(a => new { a.Id, a.Name, a.OwnerId, a.Employees }).ToListAsync(cancellationToken);
        var ownerIds = accounts.Where(a => a.OwnerId != null).Select(a => a.OwnerId!.Value).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var crossings = await db.UsageCrossings.AsNoTracking().Where(c => wanted.Contains(c.AccountId)).ToDictionaryAsync(c => c.AccountId, cancellationToken);
        return [.. accounts.Select(a =>
        {
            var figures = new Counts(daily.GetValueOrDefault(a.Id), weekly.GetValueOrDefault(a.Id), monthly.GetValueOrDefault(a.Id), previous.GetValueOrDefault(a.Id), a.Employees);
            var (score, parts) = UsageScore.Of(figures);
            var crossing = crossings.GetValueOrDefault(a.Id);
            return new AccountUsage(a.Id, a.Name, a.OwnerId, a.OwnerId is { } o ? owners.GetValueOrDefault(o) : null, a.Employees,
                figures.Daily, figures.Weekly, figures.Monthly, figures.PreviousWeekly, figures.GrowthPercent, figures.SharePercent, score, parts,
                UsageRule.Met(figures, settings) is not null, UsageRule.Met(figures, settings), crossing?.CrossedAt, crossing?.DealId,
                lastSeen.TryGetValue(a.Id, out var last) ? last : null);
        }).OrderByDescending(u => u.WeeklyActiveUsers).ThenByDescending(u => u.Score).ThenBy(u => u.AccountName, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Weekly active users of one account for each of the last <paramref name="weeks"/> 7-day windows, oldest first.</summary>
    public static async Task<List<(DateTime Until, int Users)>> WeeklySeriesAsync(ReachDb db, Guid accountId, DateTime now, int weeks, CancellationToken cancellationToken)
    {
        var events = db.UsageEvents.AsNoTracking().Where(e => e.AccountId == accountId);
        var series = new List<(DateTime, int)>();
        for (var i = weeks - 1; i >= 0; i--)
        {
            var until = now - TimeSpan.FromDays(7 * i);
            var from = until - Week;
            series.Add((until, await events.Where(e => e.OccurredAt >= from && e.OccurredAt < until).Select(e => e.UserKey).Distinct().CountAsync(cancellationToken)));
        }
        return series;
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

    static async Task<Dictionary<Guid, int>> ActiveAsync(IQueryable<UsageEvent> events, DateTime from, DateTime until, CancellationToken cancellationToken) =>
        await events.Where(e => e.OccurredAt >= from && e.OccurredAt < until).GroupBy(e => e.AccountId!.Value)
            .Select(g => new { g.Key, Users = g.Select(e => e.UserKey).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Users, cancellationToken);

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
