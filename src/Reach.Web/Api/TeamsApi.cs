using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>A team with its manager's name and how many users are in it.</summary>
public sealed record TeamView(Guid Id, string Name, Channel? Channel, Guid? ManagerId, string? Manager, int Members);

/// <summary><c>/api/v1/teams</c>: everyone signed in reads the teams; only admins create, change and remove them.</summary>
public static class TeamsApi
{
    public static void MapTeamsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("Access");
        group.MapGet("/", List).Produces<List<TeamView>>();
        group.MapGet("/{id:guid}", Get).Produces<TeamView>().ProducesProblem(404);
        var admin = group.MapGroup("").RequireAuthorization(ReachAccess.AdminPolicy);
        admin.MapPost("/", Create).WithJsonBody<TeamInput>("Name (required), channel and managerId.").Produces<TeamView>(201).ProducesValidationProblem();
        admin.MapPatch("/{id:guid}", Change).WithJsonBody<TeamInput>("The fields to change; managerId 00000000-0000-0000-0000-000000000000 removes the manager.")
            .Produces<TeamView>().ProducesValidationProblem().ProducesProblem(404);
        admin.MapDelete("/{id:guid}", Remove).Produces(204).ProducesValidationProblem().ProducesProblem(404);
    }

    /// <summary>The teams by name, with their managers and member counts (one query).</summary>
    public static async Task<List<TeamView>> ViewsAsync(ReachDb db, CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamView(t.Id, t.Name, t.Channel, t.ManagerId,
                db.Users.Where(u => u.Id == t.ManagerId).Select(u => u.Name).FirstOrDefault(),
                db.Users.Count(u => u.TeamId == t.Id)))
            .ToListAsync(cancellationToken);

    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken) => TypedResults.Ok(await ViewsAsync(db, cancellationToken));

    public static async Task<IResult> Get(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(db, id, cancellationToken));

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<TeamInput>(http, cancellationToken);
        var team = await TeamEditor.CreateAsync(db, input, cancellationToken);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", await ViewAsync(db, team.Id, cancellationToken));
    }

    public static async Task<IResult> Change(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<TeamInput>(http, cancellationToken);
        var team = await FindAsync(db, id, cancellationToken);
        await TeamEditor.ChangeAsync(db, team, input, cancellationToken);
        return TypedResults.Ok(await ViewAsync(db, id, cancellationToken));
    }

    public static async Task<IResult> Remove(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await TeamEditor.RemoveAsync(db, await FindAsync(db, id, cancellationToken), cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<Team> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Teams.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw ApiException.NotFound("team", id);

    static async Task<TeamView> ViewAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        (await ViewsAsync(db, cancellationToken)).FirstOrDefault(t => t.Id == id) ?? throw ApiException.NotFound("team", id);
}
