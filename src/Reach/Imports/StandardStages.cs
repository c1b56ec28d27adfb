using Reach.Pipelines;

namespace Reach.Imports;

/// <summary>
/// The stages other CRMs start a workspace with (HubSpot's default pipeline, Salesforce's standard opportunity stages,
/// Pipedrive's default pipeline, and the Prospecting/Engaging of exports shaped like Maven's), with what they mean:
/// won, lost, or open with the vendor's default probability. A deal naming one of them needs no --create-stages:
/// a closed one goes to the pipeline's won or lost stage, an open one to a stage of that name, created in funnel
/// order (by probability) when the pipeline lacks it.
/// </summary>
public static class StandardStages
{
    /// <summary>A known stage: its outcome and, for open stages, the vendor's default probability (0–1).</summary>
    public sealed record Known(string Name, StageOutcome Outcome, decimal Probability);

    static readonly Known[] All =
    [
        // HubSpot, "Sales Pipeline" (labels and internal ids squash to the same key for the closed ones).
        new("Appointment Scheduled", StageOutcome.Open, 0.20m),
        new("Qualified to Buy", StageOutcome.Open, 0.40m),
        new("Presentation Scheduled", StageOutcome.Open, 0.60m),
        new("Decision Maker Bought-In", StageOutcome.Open, 0.80m),
        new("Contract Sent", StageOutcome.Open, 0.90m),
        // Salesforce standard opportunity stages, and the ones orgs commonly rename them to.
        new("Prospecting", StageOutcome.Open, 0.10m),
        new("Discovery", StageOutcome.Open, 0.10m),
        new("Qualification", StageOutcome.Open, 0.11m),
        new("Needs Analysis", StageOutcome.Open, 0.20m),
        new("Value Proposition", StageOutcome.Open, 0.50m),
        new("Id. Decision Makers", StageOutcome.Open, 0.60m),
        new("Perception Analysis", StageOutcome.Open, 0.70m),
        new("Proposal/Price Quote", StageOutcome.Open, 0.75m),
        new("Proposal/Quote", StageOutcome.Open, 0.75m),
        new("Negotiation/Review", StageOutcome.Open, 0.90m),
        new("Negotiation", StageOutcome.Open, 0.90m),
        // Pipedrive's default pipeline.
        new("Qualified", StageOutcome.Open, 0.10m),
        new("Contact Made", StageOutcome.Open, 0.30m),
        new("Demo Scheduled", StageOutcome.Open, 0.45m),
        new("Proposal Made", StageOutcome.Open, 0.65m),
        new("Negotiations Started", StageOutcome.Open, 0.85m),
        // Spreadsheet trackers (Maven's CRM set).
        new("Engaging", StageOutcome.Open, 0.30m),
        // Closed, in every vendor's spelling.
        new("Closed Won", StageOutcome.Won, 1m),
        new("Won", StageOutcome.Won, 1m),
        new("Deal Won", StageOutcome.Won, 1m),
        new("Closed Lost", StageOutcome.Lost, 0m),
        new("Lost", StageOutcome.Lost, 0m),
        new("Deal Lost", StageOutcome.Lost, 0m),
    ];

    static readonly Dictionary<string, Known> BySquashedName = All.ToDictionary(s => CellParser.Squash(s.Name));

    /// <summary>The known stage of that name (compared ignoring case and punctuation), or null.</summary>
    public static Known? Find(string name) => BySquashedName.GetValueOrDefault(CellParser.Squash(name));

    /// <summary>
    /// Where a new open stage of <paramref name="probability"/> goes among a pipeline's stages: after the open stages
    /// that are as likely or less likely to win, so that stages created from several files keep the funnel's order.
    /// </summary>
    public static int PositionFor(IEnumerable<Stage> stages, decimal probability)
    {
        var open = stages.Where(s => s.Outcome == StageOutcome.Open).OrderBy(s => s.Position).ToList();
        var before = open.TakeWhile(s => s.Probability <= probability).LastOrDefault();
        return before is null ? (open.FirstOrDefault()?.Position ?? 1) : before.Position + 1;
    }
}
