using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Api;

/// <summary>The workspace's lost reasons: read by everyone (the board and deal page choose from them), changed by admins (AccessRules).</summary>
public static class LostReasonsApi
{
    public static void MapLostReasonsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lost-reasons").WithTags("Lost reasons");
        group.MapGet("/", List).Produces<Page<LostReason>>();
        group.MapPost("/", Create).Produces<LostReason>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithJsonBody<LostReasonInput>("The reason's name, its place in the list and whether it is offered.");
        group.MapPatch("/{id:guid}", Update).Produces<LostReason>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<LostReasonInput>("The fields to change.");
        group.MapDelete("/{id:guid}", Delete).Produces(204).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var reasons = db.LostReasons.AsNoTracking();
        if (query.Text("active") is { } active)
        {
            if (!bool.TryParse(active, out var isActive))
                throw new InputException("active", $"'{active}' is not valid: expected true or false.");
            reasons = reasons.Where(r => r.IsActive == isActive);
        }
        return TypedResults.Ok(new Page<LostReason>(await reasons.OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(cancellationToken), null));
    }

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<LostReasonInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var reason = new LostReason { Name = "" };
        await input.ApplyAsync(db, reason, cancellationToken);
        db.LostReasons.Add(reason);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/lost-reasons/{reason.Id}", reason);
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var options = JsonBody.Options(http);
        var patch = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var reason = await FindAsync(db, id, cancellationToken);
        var merged = (System.Text.Json.Nodes.JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(LostReasonInput.From(reason), options)!;
        JsonBody.Merge(merged, patch);
        await JsonBody.Deserialize<LostReasonInput>(merged, options).ApplyAsync(db, reason, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(reason);
    }

    /// <summary>Removes the reason from the list; deals lost for it keep it, as text.</summary>
    public static async Task<IResult> Delete(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        db.LostReasons.Remove(await FindAsync(db, id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<LostReason> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw ApiException.NotFound("lost reason", id);
}
