using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics;

/// <summary>
/// Which records a figure is made of, each rule written once: the live read deal by deal
/// (<see cref="MetricFacts.LoadDetailedAsync(ReachDb, string, DateTime, MetricQuery, CancellationToken)"/>), the
/// rollups' one query (<see cref="Rollups.RollupRows"/>) and the marking of the days a write moves
/// (<see cref="Rollups.RollupDays"/>) all call these, so they cannot drift apart.
/// </summary>
public static class MetricRecords
{
    /// <summary>A proposal stage is one whose name says so ("Proposal", "Proposal sent"…): a deal entering one sent a proposal.</summary>
    public static bool IsProposalStage(string name) => name.Contains("proposal", StringComparison.OrdinalIgnoreCase);

    /// <summary>The proposal stages of every pipeline (<see cref="IsProposalStage"/>).</summary>
    public static async Task<List<Guid>> ProposalStagesAsync(ReachDb db, CancellationToken cancellationToken) =>
        [.. (await db.Stages.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken)).Where(s => IsProposalStage(s.Name)).Select(s => s.Id)];

    /// <summary>Proposals sent in [<paramref name="start"/>, <paramref name="end"/>): deals entering one of <paramref name="proposalStages"/>.</summary>
    public static IQueryable<DealStageChange> ProposalsSent(ReachDb db, List<Guid> proposalStages, DateTime start, DateTime end) =>
        db.DealStageChanges.AsNoTracking().Where(c => proposalStages.Contains(c.ToStageId) && c.At >= start && c.At < end);

    /// <summary>
    /// The touches a lead's first touch is the earliest of (<c>Min(a => a.OccurredAt)</c> of those with its <c>LeadId</c>):
    /// every call, e-mail, meeting or social activity logged on it, by anyone, whichever the reader may open.
    /// </summary>
    public static IQueryable<Activity> LeadTouches(ReachDb db)
    {
        var types = Touches.Types;
        return db.Activities.IgnoreQueryFilters([ReachDb.AccessFilter]).Where(a => types.Contains(a.Type));
    }

    /// <summary>
    /// The touches held in [<paramref name="start"/>, <paramref name="end"/>) as of <paramref name="now"/>
    /// (<see cref="Touches.Held"/>: a call, e-mail, meeting or social activity that happened, not a planned one still open).
    /// </summary>
    public static IQueryable<Activity> HeldTouches(IQueryable<Activity> activities, DateTime start, DateTime end, DateTime now) =>
        activities.Held(now).Where(a => a.OccurredAt >= start && a.OccurredAt < end);
}
