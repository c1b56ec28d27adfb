using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Planning;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/plans</c>: the workspace's saved plan versions. Everyone signed in reads them; managers and admins save
/// and activate (AccessRules). Activating re-routes every account and lead by the plan.
/// </summary>
public static class PlansApi
{
    public static void MapPlansApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/plans").WithTags("Plan");
        group.MapGet("/", List).Produces<List<PlanVersionSummary>>();
        group.MapPost("/", Create).Produces<PlanVersion>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithJsonBody<NewPlanVersion>("The version's name, the plan as YAML (or JSON) text, and whether to activate it now.");
        group.MapGet("/active", Active).Produces<PlanVersion>().ProducesProblem(404);
        group.MapGet("/{id:guid}", Get).Produces<PlanVersion>().ProducesProblem(404);
        group.MapPost("/{id:guid}/activate", Activate).Produces<Activation>().ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary>Every version, newest first, without its text.</summary>
    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.PlanVersions.AsNoTracking().OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            .Select(v => new PlanVersionSummary(v.Id, v.Name, v.AuthorName, v.CreatedAt, v.IsActive, v.ActivatedAt))
            .ToListAsync(cancellationToken));

    public static async Task<IResult> Get(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FindAsync(db, id, cancellationToken));

    public static async Task<IResult> Active(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.PlanVersions.AsNoTracking().FirstOrDefaultAsync(v => v.IsActive, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, "No plan is active; activate a saved version first."));

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<NewPlanVersion>(http, cancellationToken);
        var version = await PlanVersions.SaveAsync(db, input.Name, input.Yaml, input.Activate ?? false, cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/plans/{version.Id}", version);
    }

    public static async Task<IResult> Activate(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        var version = await db.PlanVersions.FirstOrDefaultAsync(v => v.Id == id, cancellationToken) ?? throw ApiException.NotFound("plan version", id);
        var routed = await PlanVersions.ActivateAsync(db, version, cancellationToken);
        return TypedResults.Ok(new Activation(version.Id, version.Name, version.ActivatedAt!.Value, routed));
    }

    static async Task<PlanVersion> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.PlanVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken) ?? throw ApiException.NotFound("plan version", id);
}

public sealed record NewPlanVersion
{
    [System.ComponentModel.DataAnnotations.Required] public string? Name { get; init; }
    [System.ComponentModel.DataAnnotations.Required] public string? Yaml { get; init; }
    public bool? Activate { get; init; }
}

public sealed record PlanVersionSummary(Guid Id, string Name, string? AuthorName, DateTime CreatedAt, bool IsActive, DateTime? ActivatedAt);

/// <summary>The version now active and how many account and lead rows its routes were written to.</summary>
public sealed record Activation(Guid Id, string Name, DateTime ActivatedAt, int RoutedRows);
