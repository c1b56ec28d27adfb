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

    /// <summary>False for a read-only API token: every save is refused.</summary>
    public bool CanWrite { get; init; } = true;

    /// <summary>Signed in with a password someone else chose: the web app asks for a new one before anything else.</summary>
    public bool MustChangePassword { get; init; }

    public static Actor For(User user) => new(user.Id, user.Role, user.TeamId, user.Name);

    /// <summary>
    /// <paramref name="user"/> as an actor with the users they answer for (a manager: their team's and those of the
    /// teams they manage): what a signed-in request gets, and what work done on their behalf (a scheduled report) runs as.
    /// </summary>
    public static async Task<Actor> ForAsync(ReachDb db, User user, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> team = [];
        if (user.Role == UserRole.Manager)
            team = await db.Users.AsNoTracking()
                .Where(u => u.Id == user.Id || (u.TeamId != null && (u.TeamId == user.TeamId || db.Teams.Any(t => t.Id == u.TeamId && t.ManagerId == user.Id))))
                .Select(u => u.Id).ToListAsync(cancellationToken);
        return For(user) with { TeamUserIds = team };
    }

    public bool IsAdmin => Role == UserRole.Admin;

    /// <summary>Whether this actor answers for records owned by <paramref name="ownerId"/>: their own, or (managers) their teams'.</summary>
    public bool AnswersFor(Guid? ownerId) =>
        IsAdmin || (ownerId is { } owner && (owner == UserId || TeamUserIds.Contains(owner)));
}
