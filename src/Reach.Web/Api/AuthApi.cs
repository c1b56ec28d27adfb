using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;
using Reach.Web.Security;

namespace Reach.Web.Api;

/// <summary>Getting in without a token (a token for a password, an invite accepted) and the caller's own account.</summary>
public static class AuthApi
{
    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Access").AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy);
        auth.MapPost("/tokens", IssueForPassword).WithJsonBody<PasswordTokenRequest>("E-mail, password and the token wanted.")
            .Produces<IssuedToken>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(429);
        auth.MapPost("/invite", AcceptInvite).WithJsonBody<InviteAcceptance>("The user and token of the invite link, and the password chosen.")
            .Produces(204).ProducesValidationProblem();

        var me = api.MapGroup("/me").WithTags("Access");
        me.MapGet("/", Me).Produces<UserView>();
        me.MapPost("/password", ChangePassword).WithJsonBody<PasswordChange>("The current and the new password.").Produces(204).ProducesValidationProblem();
        me.MapPut("/away", SetAway).WithJsonBody<AwayChange>("Whether you are away: no new lead is assigned to you while you are.").Produces<UserView>().ProducesValidationProblem();
    }

    public sealed record AwayChange
    {
        [Required] public bool? Away { get; init; }
    }

    public static async Task<IResult> SetAway(HttpContext http, UserDirectory directory, CancellationToken cancellationToken)
    {
        var change = await JsonBody.ReadAsync<AwayChange>(http, cancellationToken);
        return TypedResults.Ok(UserView.Of(await directory.SetAwayAsync(change.Away!.Value, cancellationToken)));
    }

    public sealed record PasswordTokenRequest
    {
        [Required] public string? Email { get; init; }
        [Required] public string? Password { get; init; }
        [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
        public TokenScope? Scope { get; init; }
        public int? ExpiresInDays { get; init; }
    }

    public sealed record InviteAcceptance
    {
        [Required] public Guid? UserId { get; init; }
        [Required] public string? Token { get; init; }
        [Required] public string? Password { get; init; }
    }

    public sealed record PasswordChange
    {
        [Required] public string? CurrentPassword { get; init; }
        [Required] public string? NewPassword { get; init; }
    }

    public sealed record IssuedToken(Guid Id, string Name, TokenScope Scope, DateTime ExpiresAt, string Token);

    /// <summary>Exchanges an e-mail and password for a personal token; failures count per e-mail and address (<see cref="SignInFailures"/>).</summary>
    public static async Task<IResult> IssueForPassword(HttpContext http, PasswordSignIn passwords, UserDirectory directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<PasswordTokenRequest>(http, cancellationToken);
        var user = await passwords.CheckAsync(request.Email, request.Password, http.Connection.RemoteIpAddress, cancellationToken);
        if (user is null)
            return Results.Problem(statusCode: 401, title: "Sign in first.", detail: PasswordSignIn.Refused);
        if (user.PasswordIsTemporary)
            throw new AccessDeniedException("This password is temporary: sign in on the web page and choose your own first.", "password");
        var (secret, token) = await directory.IssueTokenAsync(user, request.Name!, request.Scope ?? TokenScope.ReadWrite, request.ExpiresInDays, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new IssuedToken(token.Id, token.Name, token.Scope, token.ExpiresAt, secret));
    }

    public static async Task<IResult> AcceptInvite(HttpContext http, UserDirectory directory, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<InviteAcceptance>(http, cancellationToken);
        await directory.AcceptInviteAsync(request.UserId!.Value, request.Token!, request.Password!, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Me(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        var user = await db.Users.AsNoTracking().Include(u => u.Team).FirstAsync(u => u.Id == actor.UserId, cancellationToken);
        return TypedResults.Ok(UserView.Of(user));
    }

    /// <summary>Changing the password ends every other session and every token, this one included.</summary>
    public static async Task<IResult> ChangePassword(HttpContext http, ReachDb db, UserDirectory directory, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<PasswordChange>(http, cancellationToken);
        var actor = ReachAccess.RequireActor(http);
        var user = await db.Users.FirstAsync(u => u.Id == actor.UserId, cancellationToken);
        await directory.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        return TypedResults.NoContent();
    }
}
