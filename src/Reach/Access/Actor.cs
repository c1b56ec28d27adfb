using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Access;

/// <summary>
/// Who is acting: the signed-in user (web page or API token) or the operator at the CLI. Set on
/// <see cref="ReachDb.Actor"/>, it decides what the context reads and what it may save (<see cref="AccessRules"/>).
/// </summary>
public sealed record Actor(Guid? UserId, UserRole Role, Guid? TeamId, string Name)
{
    /// <summary>The operator at the machine's console (CLI commands run with the database file's owner's rights).</summary>
    public static readonly Actor Operator = new(null, UserRole.Admin, null, "operator");

    /// <summary>For a manager, the users of the teams they manage (themselves included); empty otherwise.</summary>
    public IReadOnlyList<Guid> TeamUserIds { get; init; } = [];

    /// <summary>The teams this actor answers for (<see cref="Team.AnsweredForBy"/>): a manager's own and those they manage, a rep's own.</summary>
    public IReadOnlyList<Guid> TeamIds { get; init; } = [];

    /// <summary>False for a read-only API token: every save is refused.</summary>
    public bool CanWrite { get; init; } = true;

    /// <summary>Signed in with a password someone else chose: the web app asks for a new one before anything else.</summary>
    public bool MustChangePassword { get; init; }

    public static Actor For(User user) => new(user.Id, user.Role, user.TeamId, user.Name) { TeamIds = user.TeamId is { } team ? [team] : [] };

    /// <summary>
    /// <paramref name="user"/> as an actor with the users they answer for (a manager: their team's and those of the
    /// teams they manage): what a signed-in request gets, and what work done on their behalf (a scheduled report) runs as.
    /// </summary>
    public static async Task<Actor> ForAsync(ReachDb db, User user, CancellationToken cancellationToken)
    {
        if (user.Role != UserRole.Manager)
            return For(user);
        var teams = await db.Teams.AsNoTracking().Where(Team.AnsweredForBy(user.Id, user.TeamId)).Select(t => t.Id).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.Id == user.Id || (u.TeamId != null && teams.Contains(u.TeamId.Value)))
            .Select(u => u.Id).ToListAsync(cancellationToken);
        return For(user) with { TeamUserIds = users, TeamIds = teams };
    }

    /// <summary>Whether this actor answers for the team <paramref name="teamId"/> (an admin for every team).</summary>
    public bool AnswersForTeam(Guid teamId) => IsAdmin || TeamIds.Contains(teamId);

    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>An admin or a manager: who runs the team's shared work (the manager policy, running the outreach sender now).</summary>
    public bool IsManagerOrAdmin => Role is UserRole.Admin or UserRole.Manager;

    /// <summary>Whether this actor answers for records owned by <paramref name="ownerId"/>: their own, or (managers) their teams'.</summary>
    public bool AnswersFor(Guid? ownerId) =>
        IsAdmin || (ownerId is { } owner && (owner == UserId || TeamUserIds.Contains(owner)));
}
