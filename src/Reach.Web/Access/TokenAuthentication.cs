using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Access;

/// <summary>
/// `Authorization: Bearer reach_…` on /api/v1: the secret's hash names a token, which must be
/// unexpired, unrevoked, and made under its user's current security stamp, with the user active.
/// </summary>
public sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ReachDb db, ReadCache cache, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string ScopeClaim = "reach:scope";
    public const string TokenClaim = "reach:token";

    /// <summary>Where the handler leaves the actor of an accepted token for <see cref="ReachAccess.UseReachAccess"/> (http.Items).</summary>
    public static readonly object ActorKey = new();

    /// <summary>A token with its user and the actor it acts as, as read (and kept by <see cref="ReadCache"/>): never changed once made.</summary>
    sealed record Grant(ApiToken Token, User User, Actor Actor);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var hash = ApiToken.HashOf(header["Bearer ".Length..].Trim());
        var found = await cache.GetOrLoadAsync("token:" + hash, () => LoadAsync(hash, Context.RequestAborted));
        var now = clock.GetUtcNow().UtcDateTime;
        if (found is null)
            return AuthenticateResult.Fail("The token is not known.");
        if (found.Token.RevokedAt is not null)
            return AuthenticateResult.Fail("The token was revoked.");
        if (now >= found.Token.ExpiresAt)
            return AuthenticateResult.Fail($"The token expired at {found.Token.ExpiresAt:yyyy-MM-dd HH:mm}Z.");
        if (!found.Token.IsValidFor(found.User, now))
            return AuthenticateResult.Fail("The token's user was disabled or changed their password since the token was made.");

        // Last use is a hint for the owner, not a record; once a minute is enough and skips the audit trail.
        if (found.Token.LastUsedAt is null || now - found.Token.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiTokens.Where(t => t.Id == found.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);

        Context.Items[ActorKey] = found.Actor;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, found.User.Id.ToString()),
            new Claim(ClaimTypes.Name, found.User.Name),
            new Claim(ScopeClaim, found.Token.Scope.ToString()),
            new Claim(TokenClaim, found.Token.Id.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    async Task<Grant?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.Hash == hash)
            .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return null;
        var actor = await Actor.ForAsync(db, found.User, cancellationToken);
        return new Grant(found.Token, found.User, actor with { CanWrite = found.Token.Scope != TokenScope.Read, MustChangePassword = found.User.PasswordIsTemporary });
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var reason = result.Failure?.Message ?? "Send a personal API token as `Authorization: Bearer reach_…`; create one with `reach token create` or POST /api/v1/auth/tokens.";
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Results.Problem(statusCode: 401, title: "Sign in first.", detail: reason).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(statusCode: 403, title: "You may not do this.", detail: "Your role does not allow this call.").ExecuteAsync(Context);
}
