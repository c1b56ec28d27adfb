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
        InputRules.Validate(input);
        if (await FindAsync(input.Email!, cancellationToken) is not null)
            throw new InputException("email", $"A user with the e-mail {input.Email} exists already.");
        Guid? teamId = null;
        if (input.Team is { Length: > 0 } teamName)
            teamId = (await db.Teams.FirstOrDefaultAsync(t => t.Name == teamName, cancellationToken))?.Id
                ?? throw new InputException("team", $"No team is named '{teamName}'; teams: {string.Join(", ", await db.Teams.Select(t => t.Name).ToListAsync(cancellationToken))}.");
        var user = new User
        {
            Name = input.Name!.Trim(),
            Email = input.Email!.Trim(),
            UserName = input.Email!.Trim(),
            Role = input.Role ?? UserRole.Rep,
            TeamId = teamId,
            Channel = input.Channel,
        };
        Check(await users.CreateAsync(user), "email");
        return (user, await users.GeneratePasswordResetTokenAsync(user));
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
