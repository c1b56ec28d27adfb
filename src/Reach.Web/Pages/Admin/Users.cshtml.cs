using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Pages.Admin;

/// <summary>Users: invite (a one-time link to choose a password), change role, team and channel, disable and enable, new link.</summary>
public sealed class UsersModel(ReachDb db, UserDirectory directory, TimeProvider clock) : AdminPage(db)
{
    public List<User> Users { get; private set; } = [];
    public List<Team> Teams { get; private set; } = [];

    [BindProperty] public InviteForm Invite { get; set; } = new();

    /// <summary>The link of the user just invited (or reset), shown once after the redirect.</summary>
    [TempData] public string? InviteLink { get; set; }

    public sealed class InviteForm
    {
        public string? Email { get; set; }
        public string? Name { get; set; }
        public UserRole Role { get; set; } = UserRole.Rep;
        public string? Team { get; set; }
        public Channel? Channel { get; set; }
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var (user, token) = await directory.AddAsync(new NewUser { Email = Invite.Email, Name = Invite.Name, Role = Invite.Role, Team = Invite.Team, Channel = Invite.Channel }, cancellationToken);
        InviteLink = UserDirectory.InviteLink(BaseUrl, user, token);
        return $"{user.Name} is invited. Send them this link; it works once, for {UserDirectory.InviteLifetime.Days} days.";
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostChangeAsync(Guid id, UserRole role, string? team, Channel? channel, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var user = await FindAsync(id, cancellationToken);
        // The form always sends the channel, and an empty one (None) clears it, which a null in UserChanges would not.
        user.Channel = channel;
        await directory.ChangeAsync(user, new UserChanges { Role = role, Team = team ?? "" }, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return $"{user.Name} saved.";
    }, () => LoadAsync(cancellationToken), $"user-{id}.");

    public Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var user = await FindAsync(id, cancellationToken);
        await directory.ChangeAsync(user, new UserChanges { Active = active }, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return active ? $"{user.Name} is enabled; they sign in anew." : $"{user.Name} is disabled: their sessions and tokens stopped working.";
    }, () => LoadAsync(cancellationToken), $"user-{id}.");

    public Task<IActionResult> OnPostResetAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var user = await FindAsync(id, cancellationToken);
        var token = await directory.ResetPasswordAsync(user);
        InviteLink = UserDirectory.InviteLink(BaseUrl, user, token);
        return $"{user.Name} is signed out everywhere. Send them this link to choose a new password.";
    }, () => LoadAsync(cancellationToken), $"user-{id}.");

    string BaseUrl => $"{Request.Scheme}://{Request.Host}{Request.PathBase}";

    async Task<User> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw new InputException("user", "This user no longer exists.");

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await Db.Users.AsNoTracking().Include(u => u.Team).OrderBy(u => !u.IsActive).ThenBy(u => u.Name).ToListAsync(cancellationToken);
        Teams = await Db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }
}
