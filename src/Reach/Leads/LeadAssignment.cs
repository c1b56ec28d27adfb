using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Routing;

namespace Reach.Leads;

/// <summary>
/// Who gets a new lead that came without an owner: a rep of its routed channel's team (the team's channel, else the
/// rep's own), round robin weighted by open load — the fewest open leads first, ties to whoever got an assigned lead
/// least recently — skipping disabled reps and reps marked away. The one rule for the API, the web form, the capture
/// endpoint and imports (docs/leads.md).
/// </summary>
public static class LeadAssignment
{
    /// <summary>The statuses of a lead still in a rep's hands: what counts as their open load.</summary>
    public static readonly LeadStatus[] OpenStatuses = [LeadStatus.New, LeadStatus.Working];

    sealed class Candidate(Guid id, Channel channel, int load, DateTime? lastAssigned)
    {
        public Guid Id { get; } = id;
        public Channel Channel { get; } = channel;
        public int Load { get; set; } = load;
        public DateTime? LastAssigned { get; set; } = lastAssigned;
    }

    /// <summary>
    /// Routes and assigns each of <paramref name="leads"/> that is open and has no owner. A rep's own new lead stays
    /// theirs (what a rep creates is theirs, <see cref="AccessRules"/>); a manager hands leads only to the reps of
    /// their teams. A lead with no channel, or whose channel has no rep available, is left as it is.
    /// </summary>
    public static async Task AssignAsync(ReachDb db, IReadOnlyCollection<Lead> leads, CancellationToken cancellationToken)
    {
        var waiting = leads.Where(l => l.OwnerId is null && OpenStatuses.Contains(l.Status)).ToList();
        if (waiting.Count == 0 || db.Actor is { Role: UserRole.Rep })
            return;
        var router = await Rerouting.ActiveAsync(db, cancellationToken);
        if (router is null)
            return;
        var candidates = await CandidatesAsync(db, cancellationToken);
        var now = db.UtcNow;
        foreach (var lead in waiting)
        {
            Rerouting.Apply(lead, router);
            if (router.ChannelOf(lead.RoutedChannel) is not { } channel)
                continue;
            var rep = candidates.Where(c => c.Channel == channel)
                .OrderBy(c => c.Load).ThenBy(c => c.LastAssigned ?? DateTime.MinValue).ThenBy(c => c.Id)
                .FirstOrDefault();
            if (rep is null)
                continue;
            lead.OwnerId = rep.Id;
            lead.AssignedAt = now;
            rep.Load++;
            rep.LastAssigned = now;
        }
    }

    static async Task<List<Candidate>> CandidatesAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var actor = db.Actor;
        var reps = (await db.Users.AsNoTracking()
                .Where(u => u.Role == UserRole.Rep && u.IsActive && !u.Away)
                .Select(u => new { u.Id, TeamChannel = u.Team != null ? u.Team.Channel : null, u.Channel })
                .ToListAsync(cancellationToken))
            // Combined here: PostgreSQL cannot type a CASE over the two enum columns stored as text.
            .Select(u => new { u.Id, Channel = u.TeamChannel ?? u.Channel })
            .Where(u => u.Channel is not null && (actor is null || actor.AnswersFor(u.Id)))
            .ToList();
        if (reps.Count == 0)
            return [];
        var ids = reps.Select(r => r.Id).ToList();
        // Every lead counts, whoever may read it: the load is the rep's, not the asker's view of it.
        var leads = db.Leads.IgnoreQueryFilters([ReachDb.AccessFilter]).Where(l => l.OwnerId != null && ids.Contains(l.OwnerId.Value));
        var loads = await leads.Where(l => OpenStatuses.Contains(l.Status))
            .GroupBy(l => l.OwnerId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var last = await leads.Where(l => l.AssignedAt != null)
            .GroupBy(l => l.OwnerId!.Value).Select(g => new { g.Key, At = g.Max(l => l.AssignedAt) })
            .ToDictionaryAsync(g => g.Key, g => g.At, cancellationToken);
        return [.. reps.Select(r => new Candidate(r.Id, r.Channel!.Value, loads.GetValueOrDefault(r.Id), last.GetValueOrDefault(r.Id)))];
    }
}
