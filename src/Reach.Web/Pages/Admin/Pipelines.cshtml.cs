using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Pipelines;

namespace Reach.Web.Pages.Admin;

/// <summary>Pipelines and their stages, through <see cref="PipelineEditor"/> as the API: add, rename, reorder, probability, exit criteria, usual days, delete a stage (moving its deals to a stage of the same outcome), delete a pipeline (only an empty one).</summary>
public sealed class PipelinesModel(ReachDb db) : AdminPage(db)
{
    public List<Pipeline> Pipelines { get; private set; } = [];

    /// <summary>Deals (deleted ones too) in each stage, for the delete confirmation; read by admins only.</summary>
    public Dictionary<Guid, int> DealsIn { get; private set; } = [];

    /// <summary>Deals (deleted ones too) in each pipeline: a pipeline is deleted only when it holds none.</summary>
    public Dictionary<Guid, int> DealsInPipeline { get; private set; } = [];

    [BindProperty] public StageForm NewStage { get; set; } = new();

    /// <summary>The pipeline the failed new-stage form belonged to, so its values come back there.</summary>
    public Guid? NewStageFor { get; private set; }

    public sealed class StageForm
    {
        public string? Name { get; set; }
        public decimal? Percent { get; set; }
        public int? UsualDays { get; set; }
        public string? ExitCriteria { get; set; }
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(string? name, Channel? channel, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var pipeline = await PipelineEditor.CreateAsync(Db, new PipelineInput { Name = name, Channel = channel }, cancellationToken);
        return $"The pipeline {pipeline.Name} is created with a Won and a Lost stage; add its open stages below.";
    }, () => LoadAsync(cancellationToken), "new.");

    public Task<IActionResult> OnPostRenameAsync(Guid id, string? name, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var pipeline = await FindAsync(id, cancellationToken);
        await PipelineEditor.RenameAsync(Db, pipeline, name, cancellationToken);
        return $"The pipeline is renamed {pipeline.Name}.";
    }, () => LoadAsync(cancellationToken), $"pipeline-{id}.");

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var pipeline = await FindAsync(id, cancellationToken);
        await PipelineEditor.DeleteAsync(Db, pipeline, cancellationToken);
        return $"The pipeline {pipeline.Name} is deleted with its stages.";
    }, () => LoadAsync(cancellationToken), $"pipeline-{id}.");

    public Task<IActionResult> OnPostAddStageAsync(Guid id, CancellationToken cancellationToken)
    {
        NewStageFor = id;
        return ChangeAsync(async () =>
        {
            var pipeline = await FindAsync(id, cancellationToken);
            var stage = await PipelineEditor.AddStageAsync(Db, pipeline, new StageInput
            {
                Name = NewStage.Name,
                Probability = NewStage.Percent / 100m,
                UsualDaysInStage = NewStage.UsualDays,
                ExitCriteria = Blank(NewStage.ExitCriteria),
            }, cancellationToken);
            return $"The stage {stage.Name} is added to {pipeline.Name}.";
        }, () => LoadAsync(cancellationToken), $"pipeline-{id}.");
    }

    public Task<IActionResult> OnPostStageAsync(Guid id, Guid stageId, string? name, decimal? percent, int? usualDays, string? exitCriteria, CancellationToken cancellationToken) =>
        ChangeAsync(async () =>
        {
            var (pipeline, stage) = await FindStageAsync(id, stageId, cancellationToken);
            await PipelineEditor.UpdateStageAsync(Db, pipeline, stage, new StageInput
            {
                Name = name,
                Probability = percent / 100m,
                UsualDaysInStage = usualDays,
                ExitCriteria = Blank(exitCriteria),
                Outcome = stage.Outcome,
            }, cancellationToken);
            return $"The stage {stage.Name} is saved.";
        }, () => LoadAsync(cancellationToken), $"stage-{stageId}.");

    public Task<IActionResult> OnPostMoveAsync(Guid id, Guid stageId, int by, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var (pipeline, stage) = await FindStageAsync(id, stageId, cancellationToken);
        await PipelineEditor.UpdateStageAsync(Db, pipeline, stage, new StageInput
        {
            Name = stage.Name,
            Probability = stage.Probability,
            UsualDaysInStage = stage.UsualDaysInStage,
            ExitCriteria = stage.ExitCriteria,
            Outcome = stage.Outcome,
            Position = Math.Max(1, stage.Position + Math.Sign(by)),
        }, cancellationToken);
        return $"The stage {stage.Name} is moved {(by < 0 ? "up" : "down")}.";
    }, () => LoadAsync(cancellationToken), $"stage-{stageId}.");

    public Task<IActionResult> OnPostDeleteStageAsync(Guid id, Guid stageId, Guid? moveTo, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var (pipeline, stage) = await FindStageAsync(id, stageId, cancellationToken);
        await PipelineEditor.DeleteStageAsync(Db, pipeline, stage, moveTo, cancellationToken);
        return $"The stage {stage.Name} is deleted.";
    }, () => LoadAsync(cancellationToken), $"stage-{stageId}.");

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    async Task<Pipeline> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Db.Pipelines.Include(p => p.Stages).FirstOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw new InputException("pipeline", "This pipeline no longer exists.");

    async Task<(Pipeline, Stage)> FindStageAsync(Guid id, Guid stageId, CancellationToken cancellationToken)
    {
        var pipeline = await FindAsync(id, cancellationToken);
        return (pipeline, pipeline.Stages.FirstOrDefault(s => s.Id == stageId) ?? throw new InputException("stage", "This stage no longer exists."));
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Pipelines = await Db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderBy(p => p.Channel).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        if (CanChange)
        {
            DealsIn = await Db.Deals.IgnoreQueryFilters().GroupBy(d => d.StageId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
            DealsInPipeline = await Db.Deals.IgnoreQueryFilters().GroupBy(d => d.PipelineId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        }
    }
}
