using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>The caller's own personal API tokens: list, create (the secret is in the answer, once), revoke.</summary>
public static class TokensApi
{
    public static void MapTokensApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Access");
        group.MapGet("/", List).Produces<List<TokenView>>();
        group.MapPost("/", Create).WithJsonBody<NewToken>("Name, scope (read or read_write) and lifetime in days (default 90).")
            .Produces<AuthApi.IssuedToken>(201).ProducesValidationProblem();
        group.MapDelete("/{id:guid}", Revoke).Produces(204).ProducesProblem(404);
    }

    public sealed record NewToken
    {
        [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
        public TokenScope? Scope { get; init; }
        public int? ExpiresInDays { get; init; }
    }

    public sealed record TokenView(Guid Id, string Name, TokenScope Scope, string Hint, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
    {
        public static TokenView Of(ApiToken t) => new(t.Id, t.Name, t.Scope, t.Hint + "…", t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
    }

    public static async Task<IResult> List(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == actor.UserId).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(tokens.Select(TokenView.Of).ToList());
    }

    public static async Task<IResult> Create(HttpContext http, ReachDb db, UserDirectory directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<NewToken>(http, cancellationToken);
        var actor = ReachAccess.RequireActor(http);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == actor.UserId, cancellationToken);
        var (secret, token) = await directory.IssueTokenAsync(user, input.Name!, input.Scope ?? TokenScope.ReadWrite, input.ExpiresInDays, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new AuthApi.IssuedToken(token.Id, token.Name, token.Scope, token.ExpiresAt, secret));
    }

    public static async Task<IResult> Revoke(Guid id, HttpContext http, ReachDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == actor.UserId, cancellationToken)
            ?? throw ApiException.NotFound("token of yours", id);
        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
