using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Pipelines;

public sealed record PipelineInput
{
    [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
    [Required] public Channel? Channel { get; init; }

    /// <summary>Open stages in order; a Won and a Lost stage are added when not given.</summary>
    public List<StageInput>? Stages { get; init; }
}

public sealed record StageInput
{
    [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
    [Range(typeof(decimal), "0", "1")] public decimal? Probability { get; init; }
    [StringLength(1000)] public string? ExitCriteria { get; init; }
    public StageOutcome? Outcome { get; init; }

    /// <summary>1-based place in the pipeline; the end of the open stages when not given.</summary>
    [Range(1, 100)] public int? Position { get; init; }

    /// <summary>How many days a deal usually spends in the stage; empty for no expectation.</summary>
    [Range(1, 3650)] public int? UsualDaysInStage { get; init; }
}

/// <summary>Creating pipelines and editing their stages: the rules the API, pages and CLI share.</summary>
public static class PipelineEditor
{
    const string Settings = "Pipelines and stages are settings: only an admin changes them.";

    public static async Task<Pipeline> CreateAsync(ReachDb db, PipelineInput input, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        InputRules.Validate(input);
        foreach (var (stage, i) in (input.Stages ?? []).Select((s, i) => (s, i)))
            Validate(stage, $"stages[{i}]");
        if (await db.Pipelines.AnyAsync(p => p.Name == input.Name, cancellationToken))
            throw new InputException("name", $"A pipeline named '{input.Name}' exists already.");
        var duplicate = (input.Stages ?? []).GroupBy(s => s.Name!.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InputException("stages", $"Two stages are named '{duplicate.Key}'.");

        var pipeline = new Pipeline { Name = input.Name!.Trim(), Channel = input.Channel!.Value };
        var stages = (input.Stages ?? []).ToList();
        if (!stages.Any(s => s.Outcome == StageOutcome.Won))
            stages.Add(new StageInput { Name = "Won", Probability = 1, Outcome = StageOutcome.Won });
        if (!stages.Any(s => s.Outcome == StageOutcome.Lost))
            stages.Add(new StageInput { Name = "Lost", Probability = 0, Outcome = StageOutcome.Lost });
        // Open stages first, then the closing ones, whatever order they were sent in.
        var position = 0;
        foreach (var stage in stages.OrderBy(s => s.Outcome is null or StageOutcome.Open ? 0 : 1))
            pipeline.Stages.Add(ToStage(pipeline.Id, stage, ++position));
        db.Pipelines.Add(pipeline);
        await db.SaveChangesAsync(cancellationToken);
        return pipeline;
    }

    public static async Task RenameAsync(ReachDb db, Pipeline pipeline, string? name, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
            throw new InputException("name", "Name the pipeline (1 to 100 characters).");
        name = name.Trim();
        if (await db.Pipelines.AnyAsync(p => p.Id != pipeline.Id && p.Name == name, cancellationToken))
            throw new InputException("name", $"A pipeline named '{name}' exists already.");
        pipeline.Name = name;
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<Stage> AddStageAsync(ReachDb db, Pipeline pipeline, StageInput input, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        Validate(input, "");
        if (pipeline.Stages.Any(s => string.Equals(s.Name, input.Name!.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw new InputException("name", $"The pipeline already has a stage named '{input.Name}'.");
        var open = pipeline.Stages.Where(s => s.Outcome == StageOutcome.Open).OrderBy(s => s.Position).ToList();
        var position = Math.Clamp(input.Position ?? open.Count + 1, 1, pipeline.Stages.Count + 1);
        foreach (var later in pipeline.Stages.Where(s => s.Position >= position))
            later.Position++;
        var stage = ToStage(pipeline.Id, input, position);
        pipeline.Stages.Add(stage);
        db.Stages.Add(stage);
        pipeline.UpdatedAt = db.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        return stage;
    }

    public static async Task UpdateStageAsync(ReachDb db, Pipeline pipeline, Stage stage, StageInput input, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        Validate(input, "");
        var name = input.Name!.Trim();
        if (pipeline.Stages.Any(s => s.Id != stage.Id && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new InputException("name", $"The pipeline already has a stage named '{name}'.");
        if (input.Outcome is { } outcome && outcome != stage.Outcome && await db.Deals.AnyAsync(d => d.StageId == stage.Id, cancellationToken))
            throw new InputException("outcome", "Deals sit in this stage; move them before changing whether it wins or loses.");
        stage.Name = name;
        stage.Probability = input.Probability ?? stage.Probability;
        stage.ExitCriteria = input.ExitCriteria;
        stage.UsualDaysInStage = input.UsualDaysInStage;
        stage.Outcome = input.Outcome ?? stage.Outcome;
        if (input.Position is { } position && position != stage.Position)
        {
            var ordered = pipeline.Stages.OrderBy(s => s.Position).Where(s => s.Id != stage.Id).ToList();
            ordered.Insert(Math.Clamp(position, 1, ordered.Count + 1) - 1, stage);
            for (var i = 0; i < ordered.Count; i++)
                ordered[i].Position = i + 1;
        }
        pipeline.UpdatedAt = db.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes a stage. Its deals (deleted ones too) move to <paramref name="moveTo"/>, a stage of the same pipeline and
    /// outcome, each move recorded in the deal's history; without one, a stage with deals is not deleted.
    /// </summary>
    public static async Task DeleteStageAsync(ReachDb db, Pipeline pipeline, Stage stage, Guid? moveTo, CancellationToken cancellationToken)
    {
        // Before the count below: a rep learns nothing about deals they may not read.
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        if (stage.Outcome != StageOutcome.Open && pipeline.Stages.Count(s => s.Outcome == stage.Outcome) == 1)
            throw new InputException("stageId", $"A pipeline needs a {stage.Outcome} stage; '{stage.Name}' is its only one.");
        var deals = await db.Deals.IgnoreQueryFilters().Where(d => d.StageId == stage.Id).ToListAsync(cancellationToken);
        if (deals.Count > 0)
        {
            if (moveTo is null)
                throw new InputException("moveTo", $"{deals.Count} deal(s) are in the stage '{stage.Name}'; choose a stage to move them to, or move them first.");
            var target = pipeline.Stages.FirstOrDefault(s => s.Id == moveTo && s.Id != stage.Id)
                ?? throw new InputException("moveTo", "Move the deals to another stage of the same pipeline.");
            if (target.Outcome != stage.Outcome)
                throw new InputException("moveTo", $"Move the deals to another {stage.Outcome.ToString().ToLowerInvariant()} stage: moving them to '{target.Name}' would {(target.Outcome == StageOutcome.Open ? "reopen" : "close")} them.");
            foreach (var deal in deals)
            {
                // A closed deal keeps when it closed (the metrics' facts); only its stage is another.
                var (closedAt, enteredAt) = (deal.ClosedAt, deal.StageEnteredAt);
                db.DealStageChanges.Add(deal.MoveTo(target, db.UtcNow, db.Actor?.UserId));
                if (stage.Outcome != StageOutcome.Open)
                    (deal.ClosedAt, deal.StageEnteredAt) = (closedAt, enteredAt);
            }
        }
        pipeline.Stages.Remove(stage);
        db.Stages.Remove(stage);
        var position = 0;
        foreach (var s in pipeline.Stages.OrderBy(s => s.Position))
            s.Position = ++position;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes a pipeline with its stages, only while no deal is in it (deleted ones included: the trash can bring them
    /// back). A pipeline with deals is refused, naming how many: open ones can be moved to another pipeline's stage (the
    /// deals list's bulk move), closed ones keep their history where it was, so such a pipeline stays. The workspace keeps
    /// at least one pipeline.
    /// </summary>
    public static async Task DeleteAsync(ReachDb db, Pipeline pipeline, CancellationToken cancellationToken)
    {
        // Before the counts below: a non-admin learns nothing about deals they may not read.
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        var deals = await db.Deals.IgnoreQueryFilters().Where(d => d.PipelineId == pipeline.Id)
            .GroupBy(d => new { Trashed = d.DeletedAt != null, d.Status }).Select(g => new { g.Key.Trashed, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        if (deals.Count > 0)
        {
            var open = deals.Where(d => !d.Trashed && d.Status == Deals.DealStatus.Open).Sum(d => d.Count);
            var closed = deals.Where(d => !d.Trashed && d.Status != Deals.DealStatus.Open).Sum(d => d.Count);
            var trashed = deals.Where(d => d.Trashed).Sum(d => d.Count);
            var parts = new[] { (open, "open"), (closed, "won or lost"), (trashed, "in the trash") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}");
            throw new InputException("pipeline", $"The pipeline '{pipeline.Name}' still holds {deals.Sum(d => d.Count)} deal(s) ({string.Join(", ", parts)}); it is deleted only when empty. "
                + "Move open deals to another pipeline's stage from the Deals list; closed deals keep their history, so a pipeline that has them stays.");
        }
        if (!await db.Pipelines.AnyAsync(p => p.Id != pipeline.Id, cancellationToken))
            throw new InputException("pipeline", $"'{pipeline.Name}' is the workspace's only pipeline; create another before deleting it.");
        db.Stages.RemoveRange(pipeline.Stages);
        db.Pipelines.Remove(pipeline);
        await db.SaveChangesAsync(cancellationToken);
    }

    static void Validate(StageInput stage, string prefix)
    {
        try
        {
            InputRules.Validate(stage);
        }
        catch (InputException e) when (prefix.Length > 0)
        {
            throw new InputException(e.Errors.ToDictionary(kv => $"{prefix}.{kv.Key}", kv => kv.Value));
        }
    }

    static Stage ToStage(Guid pipelineId, StageInput input, int position) => new()
    {
        PipelineId = pipelineId,
        Name = input.Name!.Trim(),
        Position = position,
        Probability = input.Probability ?? (input.Outcome == StageOutcome.Won ? 1 : 0),
        ExitCriteria = input.ExitCriteria,
        Outcome = input.Outcome ?? StageOutcome.Open,
        UsualDaysInStage = input.UsualDaysInStage,
    };
}
