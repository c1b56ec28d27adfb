using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Pipelines;
using Reach.Web.Access;

namespace Reach.Web.Api;

public static class PipelinesApi
{
    public static void MapPipelinesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/pipelines").WithTags("Pipelines");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        // Settings: a rep or manager is refused before anything is read (a stage's count of deals, say).
        var admin = group.MapGroup("").RequireAuthorization(ReachAccess.AdminPolicy);
        admin.MapPost("/", Create);
        admin.MapPatch("/{id:guid}", Rename);
        admin.MapDelete("/{id:guid}", Delete);
        admin.MapPost("/{id:guid}/stages", AddStage);
        admin.MapPatch("/{id:guid}/stages/{stageId:guid}", UpdateStage);
        admin.MapDelete("/{id:guid}/stages/{stageId:guid}", DeleteStage);
    }

    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(new Page<PipelineView>((await Load(db).OrderBy(p => p.Channel).ThenBy(p => p.Name).ToListAsync(cancellationToken))
            .Select(PipelineView.Of).ToList(), null));

    public static async Task<IResult> Get(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(PipelineView.Of(await FindAsync(db, id, cancellationToken)));

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<PipelineInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var pipeline = await PipelineEditor.CreateAsync(db, input, cancellationToken);
        return TypedResults.Created($"/api/v1/pipelines/{pipeline.Id}", PipelineView.Of(pipeline));
    }

    /// <summary>Renames the pipeline; its channel is fixed once deals flow through it.</summary>
    public static async Task<IResult> Rename(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var pipeline = await FindAsync(db, id, cancellationToken);
        var patch = JsonBody.Deserialize<PipelineRename>(body, JsonBody.Options(http));
        InputRules.Validate(patch);
        await PipelineEditor.RenameAsync(db, pipeline, patch.Name, cancellationToken);
        return TypedResults.Ok(PipelineView.Of(pipeline));
    }

    /// <summary>Deletes an empty pipeline with its stages; one that holds deals is refused with their counts (400).</summary>
    public static async Task<IResult> Delete(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await PipelineEditor.DeleteAsync(db, await FindAsync(db, id, cancellationToken), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> AddStage(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<StageInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var pipeline = await FindAsync(db, id, cancellationToken);
        var stage = await PipelineEditor.AddStageAsync(db, pipeline, input, cancellationToken);
        return TypedResults.Created($"/api/v1/pipelines/{id}/stages/{stage.Id}", stage);
    }

    public static async Task<IResult> UpdateStage(Guid id, Guid stageId, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var pipeline = await FindAsync(db, id, cancellationToken);
        var stage = pipeline.Stages.FirstOrDefault(s => s.Id == stageId) ?? throw ApiException.NotFound("stage in this pipeline", stageId);
        var options = JsonBody.Options(http);
        var current = (System.Text.Json.Nodes.JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(
            new StageInput { Name = stage.Name, Probability = stage.Probability, ExitCriteria = stage.ExitCriteria, Outcome = stage.Outcome, Position = stage.Position, UsualDaysInStage = stage.UsualDaysInStage }, options)!;
        JsonBody.Merge(current, body);
        await PipelineEditor.UpdateStageAsync(db, pipeline, stage, JsonBody.Deserialize<StageInput>(current, options), cancellationToken);
        return TypedResults.Ok(stage);
    }

    /// <summary>Deletes a stage; <c>?moveTo=</c> names the stage its deals move to (without it, a stage with deals stays).</summary>
    public static async Task<IResult> DeleteStage(Guid id, Guid stageId, HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var moveTo = new ListQuery(request.Query).Id("moveTo");
        var pipeline = await FindAsync(db, id, cancellationToken);
        var stage = pipeline.Stages.FirstOrDefault(s => s.Id == stageId) ?? throw ApiException.NotFound("stage in this pipeline", stageId);
        await PipelineEditor.DeleteStageAsync(db, pipeline, stage, moveTo, cancellationToken);
        return TypedResults.NoContent();
    }

    static IQueryable<Pipeline> Load(ReachDb db) => db.Pipelines.Include(p => p.Stages);

    static async Task<Pipeline> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await Load(db).FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw ApiException.NotFound("pipeline", id);

    public sealed record PipelineRename
    {
        [System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.StringLength(100, MinimumLength = 1)]
        public string? Name { get; init; }
    }

    public sealed record PipelineView(Guid Id, string Name, Channel Channel, IReadOnlyList<Stage> Stages)
    {
        public static PipelineView Of(Pipeline p) => new(p.Id, p.Name, p.Channel, p.Stages.OrderBy(s => s.Position).ToList());
    }
}
