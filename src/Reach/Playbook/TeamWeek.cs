using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Playbook;

/// <summary>One figure of a rep's week, from the metric catalogue.</summary>
public sealed record WeekFigure(string Metric, string Name, decimal? Value);

/// <summary>A rep's week: their log (null when not written) beside their figures, and the items promoted from it.</summary>
public sealed record RepWeek(Guid UserId, string Name, WeeklyLog? Log, IReadOnlyList<WeekFigure> Figures, IReadOnlyList<PromotedItem> Promoted);

/// <summary>A playbook item made from an insight.</summary>
public sealed record PromotedItem(Guid Id, string Title, PlaybookKind Kind);

/// <summary>The week the caller sees: a rep their own, a manager their teams' reps, an admin everyone's.</summary>
public sealed record TeamWeekView(DateOnly Week, string Currency, IReadOnlyList<RepWeek> Reps);

/// <summary>The team's weekly log beside the week's figures (touches, meetings, proposals, deals won, bookings).</summary>
public static class TeamWeek
{
    /// <summary>The figures shown beside a log: what the rep did (leading) and what came of it (lagging).</summary>
    public static readonly string[] Metrics = ["touches", "meetings_held", "proposals_sent", "deals_won", "bookings"];

    public static async Task<TeamWeekView> BuildAsync(ReachDb db, DateOnly day, DateTime now, CancellationToken cancellationToken)
    {
        var week = WeeklyLog.WeekOf(day);
        var actor = db.Actor;
        var users = db.Users.AsNoTracking().Where(u => u.IsActive && u.Role != UserRole.Admin);
        if (actor is { IsAdmin: false, UserId: { } me })
        {
            var mine = actor.TeamUserIds.Count > 0 ? actor.TeamUserIds : [me];
            users = users.Where(u => mine.Contains(u.Id));
        }
        var people = await users.OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken);
        var ids = people.Select(p => p.Id).ToList();
        var logs = await db.WeeklyLogs.AsNoTracking().Where(l => l.Week == week && ids.Contains(l.UserId)).ToDictionaryAsync(l => l.UserId, cancellationToken);
        var logIds = logs.Values.Select(l => (Guid?)l.Id).ToList();
        var promoted = (await db.PlaybookItems.AsNoTracking().Where(i => logIds.Contains(i.FromInsightId)).Select(i => new { i.Id, i.Title, i.Kind, i.FromInsightId }).ToListAsync(cancellationToken))
            .ToLookup(i => i.FromInsightId!.Value, i => new PromotedItem(i.Id, i.Title, i.Kind));
        var currency = await WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        var metrics = Metrics.Select(MetricCatalogue.Find).OfType<MetricDefinition>().ToList();
        var period = new Period(PeriodKind.Week, week, week.AddDays(7));
        var reps = new List<RepWeek>();
        foreach (var person in people)
        {
            var results = await MetricService.ComputeAsync(db, metrics, new MetricQuery(period) { RepId = person.Id }, currency, now, cancellationToken);
            var log = logs.GetValueOrDefault(person.Id);
            reps.Add(new RepWeek(person.Id, person.Name, log, [.. results.Select(r => new WeekFigure(r.Metric.Id, r.Metric.Name, r.Total.Value))],
                log is null ? [] : [.. promoted[log.Id]]));
        }
        return new TeamWeekView(week, currency, reps);
    }
}
