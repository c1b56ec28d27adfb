using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Api;

namespace Reach.Web.Pages.Admin;

/// <summary>Teams: create, rename, set the manager and channel, add and move members, remove an empty team.</summary>
public sealed class TeamsModel(ReachDb db, UserDirectory directory, TimeProvider clock) : AdminPage(db)
{
    public List<TeamView> Teams { get; private set; } = [];
    public List<User> Users { get; private set; } = [];

    [BindProperty] public NewTeamForm New { get; set; } = new();

    public sealed class NewTeamForm
    {
        public string? Name { get; set; }
        public Channel? Channel { get; set; }
        public Guid? ManagerId { get; set; }
    }

    /// <summary>Users who may manage a team: managers and admins.</summary>
    public IEnumerable<User> Managers => Users.Where(u => u.Role != UserRole.Rep && u.IsActive);

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var team = await TeamEditor.CreateAsync(Db, new TeamInput { Name = New.Name, Channel = New.Channel, ManagerId = New.ManagerId }, cancellationToken);
        return $"The team {team.Name} is created.";
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostChangeAsync(Guid id, string? name, Channel? channel, Guid? managerId, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var team = await FindAsync(id, cancellationToken);
        // The form always sends channel and manager: an empty one clears it.
        team.Channel = channel;
        await TeamEditor.ChangeAsync(Db, team, new TeamInput { Name = name ?? "", ManagerId = managerId ?? Guid.Empty }, cancellationToken);
        return $"The team {team.Name} is saved.";
    }, () => LoadAsync(cancellationToken), $"team-{id}.");

    public Task<IActionResult> OnPostMemberAsync(Guid id, Guid? userId, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var team = await FindAsync(id, cancellationToken);
        var user = await Db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new InputException("member", "Choose a user to add.");
        await directory.ChangeAsync(user, new UserChanges { Team = team.Name }, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return $"{user.Name} is in the team {team.Name} now.";
    }, () => LoadAsync(cancellationToken), $"team-{id}.");

    public Task<IActionResult> OnPostRemoveMemberAsync(Guid id, Guid userId, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var user = await Db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TeamId == id, cancellationToken) ?? throw new InputException("member", "This user is not in the team any more.");
        await directory.ChangeAsync(user, new UserChanges { Team = "" }, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return $"{user.Name} is in no team now.";
    }, () => LoadAsync(cancellationToken), $"team-{id}.");

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var team = await FindAsync(id, cancellationToken);
        await TeamEditor.RemoveAsync(Db, team, cancellationToken);
        return $"The team {team.Name} is removed.";
    }, () => LoadAsync(cancellationToken), $"team-{id}.");

    async Task<Team> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Db.Teams.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new InputException("team", "This team no longer exists.");

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Teams = await TeamsApi.ViewsAsync(Db, cancellationToken);
        Users = await Db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(cancellationToken);
    }
}
