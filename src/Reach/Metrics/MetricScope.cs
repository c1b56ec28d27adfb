using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Metrics;

/// <summary>
/// Whose figures: the workspace, one team or one rep. Reading is filtered by the data layer already; this refuses
/// outright what the actor may not ask for, so a rep never receives a "team report" made of their own deals only.
/// </summary>
public sealed record MetricScope(Guid? RepId, Guid? TeamId, string Label)
{
    public static readonly MetricScope Workspace = new(null, null, "Workspace");

    /// <summary>
    /// Resolves <paramref name="rep"/> (an email or id) or <paramref name="team"/> (a name or id) and checks them against
    /// the actor: a rep may ask for themselves only, a manager for their teams and the users in them, an admin for anything.
    /// A rep who names nobody gets their own figures.
    /// </summary>
    public static async Task<MetricScope> ResolveAsync(ReachDb db, Actor? actor, string? rep, string? team, CancellationToken cancellationToken = default)
    {
        if (rep is not null && team is not null)
            throw new InputException("team", "Give a rep or a team, not both.");
        if (rep is not null)
        {
            var user = await (Guid.TryParse(rep, out var id)
                    ? db.Users.AsNoTracking().Where(u => u.Id == id)
                    : db.Users.AsNoTracking().Where(u => u.NormalizedEmail == rep.ToUpperInvariant()))
                .Select(u => new { u.Id, u.Name }).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InputException("rep", $"No user has the email or id '{rep}'.");
            if (actor is { IsAdmin: false } && !actor.AnswersFor(user.Id))
                throw new AccessDeniedException(actor.Role == UserRole.Rep
                    ? "A rep may see their own figures only."
                    : "A manager may see the figures of the users of their teams only.", "rep");
            return new MetricScope(user.Id, null, user.Name);
        }
        if (team is not null)
        {
            if (actor is { Role: UserRole.Rep })
                throw new AccessDeniedException("A rep may see their own figures only, not a team's.", "team");
            var found = await (Guid.TryParse(team, out var id)
                    ? db.Teams.AsNoTracking().Where(t => t.Id == id)
                    : db.Teams.AsNoTracking().Where(t => t.Name == team))
                .Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InputException("team", $"No team has the name or id '{team}'.");
            if (actor is { Role: UserRole.Manager } && !actor.AnswersForTeam(found.Id))
                throw new AccessDeniedException("A manager may see their own teams' figures only.", "team");
            return new MetricScope(null, found.Id, found.Name);
        }
        if (actor is { Role: UserRole.Rep, UserId: { } self })
            return new MetricScope(self, null, actor.Name);
        if (actor is { Role: UserRole.Manager })
        {
            // What a manager reads is their teams' records: say so rather than call it the workspace.
            var own = actor.TeamId is { } teamId ? await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(cancellationToken) : null;
            return own is not null ? new MetricScope(null, actor.TeamId, own) : new MetricScope(null, null, "Your teams");
        }
        return Workspace;
    }
}
