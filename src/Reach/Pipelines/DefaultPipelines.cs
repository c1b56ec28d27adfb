using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Pipelines;

/// <summary>
/// The pipelines a new workspace starts with, one per channel: a process to follow from day one
/// (seed 002: "a process lets a small team reach a wide audience"), edited to taste afterwards.
/// </summary>
public static class DefaultPipelines
{
    public static IReadOnlyList<Pipeline> Create() =>
    [
        Build("Self-service", Channel.SelfService,
            ("Trial", 0.20m, "Signed up and activated: created a first project."),
            ("Checkout", 0.60m, "Entered payment details or asked for an invoice.")),
        Build("Inside sales", Channel.Inside,
            ("Qualified", 0.10m, "Budget, need and timing confirmed with the champion."),
            ("Discovery", 0.25m, "Pain, current process and decision makers known."),
            ("Demo", 0.40m, "Demo held with the champion and at least one user."),
            ("Proposal", 0.60m, "Proposal sent with price and start date."),
            ("Negotiation", 0.80m, "Economic buyer agreed terms; order form sent.")),
        Build("Field sales", Channel.Field,
            ("Qualified", 0.05m, "Strategic fit and an executive sponsor identified."),
            ("Discovery", 0.15m, "Cast of characters mapped: champion, economic buyer, blockers."),
            ("Solution", 0.30m, "Solution workshop held; requirements written down."),
            ("Pilot", 0.50m, "Pilot running with success criteria agreed in writing."),
            ("Proposal", 0.65m, "Commercial proposal with business case sent."),
            ("Procurement", 0.85m, "Legal, security and procurement review under way.")),
    ];

    /// <summary>Adds the default pipelines when the workspace has none.</summary>
    public static async Task EnsureAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        if (await db.Pipelines.AnyAsync(cancellationToken))
            return;
        db.Pipelines.AddRange(Create());
        await db.SaveChangesAsync(cancellationToken);
    }

    static Pipeline Build(string name, Channel channel, params (string Name, decimal Probability, string Exit)[] open)
    {
        var pipeline = new Pipeline { Name = name, Channel = channel };
        var position = 0;
        foreach (var (stageName, probability, exit) in open)
            pipeline.Stages.Add(new Stage { PipelineId = pipeline.Id, Name = stageName, Position = ++position, Probability = probability, ExitCriteria = exit });
        pipeline.Stages.Add(new Stage { PipelineId = pipeline.Id, Name = "Won", Position = ++position, Probability = 1m, Outcome = StageOutcome.Won });
        pipeline.Stages.Add(new Stage { PipelineId = pipeline.Id, Name = "Lost", Position = ++position, Probability = 0m, Outcome = StageOutcome.Lost });
        return pipeline;
    }
}
