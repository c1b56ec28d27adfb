using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Access;

/// <summary>
/// Adding, disabling and resetting users, invites and personal API tokens: the operations the
/// CLI (`reach user …`, `reach token …`), the API and the web pages share.
/// </summary>
public sealed class UserDirectory(UserManager<User> users, ReachDb db)
{
    /// <summary>How long an invite or reset link works.</summary>
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);

    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromDays(90);

    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(366);

    public Task<User?> FindAsync(string email, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == users.NormalizeEmail(email), cancellationToken);

    public async Task<User> MustFindAsync(string email, CancellationToken cancellationToken) =>
        await FindAsync(email, cancellationToken) ?? throw new InputException("email", $"No user has the e-mail {email}.");

    /// <summary>Adds a user without a password; the returned invite token lets them choose one.</summary>
    public async Task<(User User, string InviteToken)> AddAsync(NewUser input, CancellationToken cancellationToken)
    {
        var user = await CreateAsync(input, cancellationToken);
        return (user, await users.GeneratePasswordResetTokenAsync(user));
    }

    async Task<User> CreateAsync(NewUser input, CancellationToken cancellationToken)
    {
        InputRules.Validate(input);
        if (await FindAsync(input.Email!, cancellationToken) is not null)
            throw new InputException("email", $"A user with the e-mail {input.Email} exists already.");
        Guid? teamId = null;
        if (input.Team is { Length: > 0 } teamName)
            teamId = (await db.Teams.FirstOrDefaultAsync(t => t.Name == teamName, cancellationToken))?.Id
                ?? throw new InputException("team", $"No team is named '{teamName}'; teams: {string.Join(", ", await db.Teams.Select(t => t.Name).ToListAsync(cancellationToken))}.");
        var user = Invited(input, teamId);
        Check(await users.CreateAsync(user), "email");
        return user;
    }

    /// <summary>
    /// A new user without a password, as every way in makes one (`reach user add|import`, the API, `reach import --as users`):
    /// checked by <see cref="NewUser"/>'s rules, signing in with their e-mail once they chose a password through an invite link.
    /// A person a file names without an e-mail (a manager known by name) gets a login no one can receive mail at.
    /// </summary>
    public static User Invited(NewUser input, Guid? teamId = null)
    {
        var email = input.Email?.Trim();
        var name = input.Name!.Trim();
        var login = email ?? new string([.. name.ToLowerInvariant().Where(char.IsLetterOrDigit)]) + "@imported.invalid";
        return new User
        {
            Name = name,
            Email = email,
            NormalizedEmail = email?.ToUpperInvariant(),
            UserName = login,
            NormalizedUserName = login.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            Role = input.Role ?? UserRole.Rep,
            TeamId = teamId,
            Channel = input.Channel,
        };
    }

    /// <summary>
    /// Changes a user as an admin does (name, role, team by name — empty for none —, channel, enabled); every change is
    /// in the audit trail. An admin neither disables nor demotes themselves: another admin does.
    /// </summary>
    /// <summary>Marks the acting user away (or back): while away, no lead is assigned to them (<see cref="Leads.LeadAssignment"/>).</summary>
    public async Task<User> SetAwayAsync(bool away, CancellationToken cancellationToken)
    {
        var id = db.Actor?.UserId ?? throw new AccessDeniedException("Only a signed-in user marks themselves away.");
        var user = await db.Users.FirstAsync(u => u.Id == id, cancellationToken);
        user.Away = away;
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public async Task<User> ChangeAsync(User user, UserChanges changes, DateTime now, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, "Only an admin adds, changes or removes users.");
        InputRules.Validate(changes);
        var self = db.Actor?.UserId == user.Id;
        if (changes.Name is not null)
            user.Name = changes.Name.Trim();
        if (changes.Role is { } role && role != user.Role)
        {
            if (self)
                throw new InputException("role", "You cannot change your own role; ask another admin.");
            user.Role = role;
        }
        if (changes.Channel is not null)
            user.Channel = changes.Channel;
        if (changes.Away is { } away)
            user.Away = away;
        if (changes.Team is not null)
            user.TeamId = changes.Team.Trim().Length == 0 ? null : (await TeamEditor.MustFindAsync(db, changes.Team, cancellationToken)).Id;
        if (changes.Active is { } active && active != user.IsActive)
        {
            if (!active && self)
                throw new InputException("active", "You cannot disable yourself; ask another admin.");
            await SetActiveAsync(user, active, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Adds many users at once in one transaction, for `reach user import` and the Import page: teams named in the
    /// rows are created when missing, a row's manager becomes the manager of the row's team (when it has none), and a
    /// user whose e-mail exists already is left as they are, so running the same rows again changes nothing. Every row
    /// is checked before anything is written; any error leaves the workspace unchanged.
    /// </summary>
    public async Task<UserImport> ImportUsersAsync(IReadOnlyList<UserImportRow> rows, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, "Only an admin adds, changes or removes users.");
        var errors = new Dictionary<string, string[]>();
        void Error(int row, string field, string message) => errors[$"rows[{row}].{field}"] = [message];
        var existing = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.NormalizedEmail ?? "", cancellationToken);
        var teams = await db.Teams.ToListAsync(cancellationToken);
        var inFile = new Dictionary<string, UserImportRow>();
        foreach (var (row, i) in rows.Select((r, i) => (r, i + 1)))
        {
            if (!InputRules.ValidateItem(new NewUser { Email = row.Email, Name = row.Name, Role = row.Role, Channel = row.Channel }, $"rows[{i}]", errors))
                continue;
            if (!inFile.TryAdd(users.NormalizeEmail(row.Email!.Trim()), row))
                Error(i, "email", $"{row.Email} is in the file twice.");
            if (row.Manager is { Length: > 0 } && row.Team is not { Length: > 0 })
                Error(i, "manager", "A manager manages a team: give the row's team too.");
        }
        UserRole? RoleOf(string email)
        {
            var key = users.NormalizeEmail(email.Trim());
            return existing.TryGetValue(key, out var stored) ? stored.Role : inFile.TryGetValue(key, out var row) ? row.Role ?? UserRole.Rep : null;
        }
        var managers = new Dictionary<string, (string Email, int Row)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, i) in rows.Select((r, i) => (r, i + 1)).Where(x => x.r.Manager is { Length: > 0 } && x.r.Team is { Length: > 0 }))
        {
            var team = row.Team!.Trim();
            switch (RoleOf(row.Manager!))
            {
                case null:
                    Error(i, "manager", $"{row.Manager} is neither a user nor in the file.");
                    continue;
                case UserRole.Rep:
                    Error(i, "manager", $"{row.Manager} is a rep; a team's manager is a manager or an admin.");
                    continue;
            }
            if (managers.TryGetValue(team, out var other) && !string.Equals(other.Email, row.Manager!.Trim(), StringComparison.OrdinalIgnoreCase))
                Error(i, "manager", $"Row {other.Row} gives the team '{team}' the manager {other.Email}.");
            else
                managers[team] = (row.Manager!.Trim(), i);
            var stored = teams.FirstOrDefault(t => string.Equals(t.Name, team, StringComparison.OrdinalIgnoreCase));
            if (stored?.ManagerId is { } current && existing.Values.FirstOrDefault(u => u.Id == current) is { } manager
                && !string.Equals(manager.Email, row.Manager!.Trim(), StringComparison.OrdinalIgnoreCase))
                Error(i, "manager", $"The team '{stored.Name}' is managed by {manager.Email} already; change its manager on the Teams page.");
        }
        if (errors.Count > 0)
            throw new InputException(errors);

        var imported = new List<ImportedUser>();
        var teamsCreated = new List<string>();
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            foreach (var name in rows.Where(r => r.Team is { Length: > 0 }).Select(r => r.Team!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (teams.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
                    continue;
                var team = new Team { Name = name };
                db.Teams.Add(team);
                teams.Add(team);
                teamsCreated.Add(name);
            }
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (row, i) in rows.Select((r, i) => (r, i + 1)))
            {
                if (existing.TryGetValue(users.NormalizeEmail(row.Email!.Trim()), out var stored))
                {
                    imported.Add(new ImportedUser(i, stored, null));
                    continue;
                }
                var teamName = row.Team is { Length: > 0 } t ? teams.First(x => string.Equals(x.Name, t.Trim(), StringComparison.OrdinalIgnoreCase)).Name : null;
                var user = await CreateAsync(new NewUser { Email = row.Email!.Trim(), Name = row.Name, Role = row.Role, Team = teamName, Channel = row.Channel }, cancellationToken);
                imported.Add(new ImportedUser(i, user, ""));
            }
            foreach (var (teamName, (email, _)) in managers)
            {
                var team = teams.First(t => string.Equals(t.Name, teamName, StringComparison.OrdinalIgnoreCase));
                team.ManagerId ??= (await FindAsync(email, cancellationToken))!.Id;
            }
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        // After the commit: a first invite token may create the data protection key, which is stored on a connection of its own.
        for (var i = 0; i < imported.Count; i++)
        {
            if (imported[i].InviteToken is not null)
                imported[i] = imported[i] with { InviteToken = await users.GeneratePasswordResetTokenAsync(imported[i].User) };
        }
        return new UserImport(imported, teamsCreated);
    }

    /// <summary>The first admin of an empty workspace, with a random temporary password to print once.</summary>
    public async Task<(User User, string Password)?> EnsureFirstAdminAsync(string email, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
            return null;
        var password = RandomPassword();
        var admin = new User { Name = "Admin", Email = email, UserName = email, Role = UserRole.Admin, EmailConfirmed = true, PasswordIsTemporary = true };
        Check(await users.CreateAsync(admin, password), "password");
        return (admin, password);
    }

    /// <summary>Sets the password chosen through an invite or reset link; the link works once.</summary>
    public async Task AcceptInviteAsync(Guid userId, string token, string password, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || !user.IsActive)
            throw new InputException("token", "This link is not valid (any more); ask an admin for a new one.");
        var result = await users.ResetPasswordAsync(user, token, password);
        if (result.Errors.Any(e => e.Code == "InvalidToken"))
            throw new InputException("token", "This link is not valid (any more); ask an admin for a new one.");
        Check(result, "password");
        user.EmailConfirmed = true;
        user.PasswordIsTemporary = false;
        Check(await users.UpdateAsync(user), "password");
    }

    public async Task ChangePasswordAsync(User user, string current, string next)
    {
        var result = await users.ChangePasswordAsync(user, current, next);
        if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            throw new InputException("currentPassword", "The current password is not right.");
        Check(result, "newPassword");
        user.PasswordIsTemporary = false;
        Check(await users.UpdateAsync(user), "newPassword");
    }

    /// <summary>Removes the password, which signs the user out everywhere, and returns a token for a reset link.</summary>
    public async Task<string> ResetPasswordAsync(User user)
    {
        if (await users.HasPasswordAsync(user))
            Check(await users.RemovePasswordAsync(user), "password");
        return await users.GeneratePasswordResetTokenAsync(user);
    }

    /// <summary>Disabling ends every session and token of the user at once: their security stamp changes.</summary>
    public async Task SetActiveAsync(User user, bool active, DateTime now)
    {
        user.IsActive = active;
        user.DisabledAt = active ? null : now;
        Check(await users.UpdateAsync(user), "active");
        Check(await users.UpdateSecurityStampAsync(user), "active");
    }

    public async Task<(string Secret, ApiToken Token)> IssueTokenAsync(User user, string name, TokenScope scope, int? days, DateTime now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new InputException("name", "Name the token (1 to 100 characters), e.g. after the script that uses it.");
        var lifetime = days is { } d ? TimeSpan.FromDays(d) : DefaultTokenLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > MaxTokenLifetime)
            throw new InputException("expiresInDays", $"A token lives from 1 to {MaxTokenLifetime.Days} days.");
        var issued = ApiToken.Issue(user, name.Trim(), scope, now, lifetime);
        db.ApiTokens.Add(issued.Token);
        await db.SaveChangesAsync(cancellationToken);
        return issued;
    }

    public static string InviteLink(string baseUrl, User user, string token) =>
        $"{baseUrl.TrimEnd('/')}/invite?user={user.Id}&token={Uri.EscapeDataString(token)}";

    /// <summary>Four groups of five letters and digits from a cryptographic source: about 100 bits.</summary>
    public static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var groups = Enumerable.Range(0, 4).Select(_ => new string(RandomNumberGenerator.GetItems<char>(alphabet, 5)));
        return string.Join('-', groups);
    }

    static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
            throw new InputException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

/// <summary>A user an admin adds; they choose their password through the invite link.</summary>
public sealed record NewUser
{
    [Required, EmailAddress, StringLength(256)]
    public string? Email { get; init; }

    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    public UserRole? Role { get; init; }
    public string? Team { get; init; }
    public Channel? Channel { get; init; }
}

/// <summary>An admin's change of a user: only the fields given change; Team is a team's name, empty for none.</summary>
public sealed record UserChanges
{
    [StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    public UserRole? Role { get; init; }
    public string? Team { get; init; }
    public Channel? Channel { get; init; }
    public bool? Active { get; init; }

    /// <summary>Away: new leads are not assigned to them (a user sets it for themselves too, <see cref="UserDirectory.SetAwayAsync"/>).</summary>
    public bool? Away { get; init; }
}

/// <summary>
/// One user of an import (see <see cref="UserDirectory.ImportUsersAsync"/>): e-mail and name required; role (rep when
/// empty), team by name (created when missing), the e-mail of the team's manager, and the channel a rep sells through.
/// </summary>
public sealed record UserImportRow(string? Email, string? Name, UserRole? Role = null, string? Team = null, string? Manager = null, Channel? Channel = null);

/// <summary>What an import did: each row's user (with an invite token when added, null when they existed) and the teams it created.</summary>
public sealed record UserImport(IReadOnlyList<ImportedUser> Users, IReadOnlyList<string> TeamsCreated)
{
    public int Added => Users.Count(u => u.InviteToken is not null);
}

/// <summary>A row's user: <see cref="InviteToken"/> is null when they existed already and were left unchanged.</summary>
public sealed record ImportedUser(int Row, User User, string? InviteToken);
