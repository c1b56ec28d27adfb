using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Reach.Access;

namespace Reach.Web.Access;

/// <summary>
/// The one check of an e-mail and password, for the web sign-in and <c>POST /api/v1/auth/tokens</c>. It gives an
/// attacker nothing to tell users apart by: an unknown e-mail, a disabled user, a user without a password yet, a
/// wrong password and a refused address get the same answer after the same work (a password hash is always
/// checked, against a dummy when there is no user). See docs/access.md, "Sign-in failures".
/// </summary>
public sealed class PasswordSignIn(SignInManager<User> signIn, UserDirectory directory, IPasswordHasher<User> hasher, SignInFailures failures)
{
    /// <summary>The answer to every failed sign-in, whatever the reason.</summary>
    public const string Refused = "The e-mail or the password is not right. After 5 failures from one address, "
        + "that e-mail cannot sign in from there for 15 minutes.";

    static readonly User Nobody = new() { Name = "nobody" };
    static string? dummyHash;

    /// <summary>The user whose e-mail and password these are, or null (say <see cref="Refused"/>).</summary>
    public async Task<User?> CheckAsync(string? email, string? password, IPAddress? address, CancellationToken cancellationToken)
    {
        var key = SignInFailures.KeyOf(email, address);
        if (failures.IsRefused(key))
            return null;
        var user = string.IsNullOrWhiteSpace(email) ? null : await directory.FindAsync(email, cancellationToken);
        var succeeded = false;
        if (user is { IsActive: true, PasswordHash: not null } && !string.IsNullOrEmpty(password))
            succeeded = (await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded;
        else
            // As long as checking a real password: no answer comes sooner for an e-mail that has none.
            hasher.VerifyHashedPassword(Nobody, dummyHash ??= hasher.HashPassword(Nobody, UserDirectory.RandomPassword()), password ?? "");
        if (!succeeded)
        {
            failures.Fail(key);
            return null;
        }
        failures.Clear(key);
        return user;
    }
}

/// <summary>
/// Failed sign-ins per e-mail and client address, in memory: 5 failures within 15 minutes refuse that e-mail from
/// that address for 15 minutes. An attacker locks out only themselves, never the user (who signs in from elsewhere);
/// spraying many e-mails from one address runs into <see cref="Security.SignInRateLimit"/>.
/// </summary>
public sealed class SignInFailures(TimeProvider clock)
{
    public const int Limit = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    const int PruneAbove = 10_000;

    readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> failures = new();

    public static string KeyOf(string? email, IPAddress? address) =>
        $"{(email ?? "").Trim().ToUpperInvariant()}|{address?.MapToIPv6()}";

    public bool IsRefused(string key) =>
        failures.TryGetValue(key, out var entry) && entry.Count >= Limit && clock.GetUtcNow() - entry.Since < Window;

    public void Fail(string key)
    {
        var now = clock.GetUtcNow();
        if (failures.Count > PruneAbove)
            foreach (var (stale, _) in failures.Where(f => now - f.Value.Since >= Window))
                failures.TryRemove(stale, out _);
        // Counted from the first failure of a window; the fifth starts the 15 minutes of refusal.
        failures.AddOrUpdate(key, _ => (1, now), (_, entry) =>
        {
            if (now - entry.Since >= Window)
                return (1, now);
            var count = entry.Count + 1;
            return (count, count == Limit ? now : entry.Since);
        });
    }

    public void Clear(string key) => failures.TryRemove(key, out _);
}
