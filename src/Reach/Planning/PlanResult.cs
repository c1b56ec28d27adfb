using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reach.Planning;

public enum DeadZoneKind
{
    /// <summary>Some channel is eligible for the segment's ACV, none is profitable.</summary>
    Unprofitable,

    /// <summary>No channel is eligible: the ACV falls between the channels' ranges.</summary>
    Gap,
}

/// <summary>
/// What a recommendation does. The first four are a dead-zone segment's (PLANNER.md); the others come from a warning
/// about the plan as a whole and are offered only beside it (<see cref="PlanResult.Recommendations"/>).
/// </summary>
public enum RecommendationAction
{
    PushToSelfService,
    RaisePrice,
    ServiceCharge,
    ExtendChannel,

    /// <summary>A sales-led channel hiring more than <see cref="PlanReport.LargeHiringMonth"/> in a month: cap its hiring.</summary>
    LimitHiring,

    /// <summary>A segment needing more customers than it has accounts: plan its share on the accounts there are.</summary>
    FitMarket,

    /// <summary>A target not reached within the horizon: the shortest horizon that reaches it.</summary>
    ExtendHorizon,

    /// <summary>A partner channel whose partners cannot close its customers within the horizon: the partners it needs.</summary>
    AddPartners,
}

public enum SegmentFlag
{
    MarketTooSmall,
    InfeasibleInHorizon,
}

/// <summary>
/// What the planner says about a plan; <see cref="ToJson"/> gives the JSON of <c>reach plan --json</c> and
/// <c>/api/v1/plan</c>. Figures are unrounded; null means "does not apply" (e.g. reps for a self-service segment).
/// </summary>
public sealed record PlanResult(
    decimal LifetimeYears,
    IReadOnlyList<SegmentResult> Segments,
    IReadOnlyList<ChannelResult> Channels,
    decimal TargetShareInDeadZones)
{
    /// <summary>The plan month by month (docs/planner.md); always set by <see cref="Planner.Evaluate"/>.</summary>
    public PlanTimeline Timeline { get; init; } = null!;

    /// <summary>The plan's scenario beside it (<see cref="Planner.EvaluateInFull"/>); null when it has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScenarioResult? Scenario { get; init; }

    /// <summary>Reps, spend and time to target with each assumption ± the plan's change (<see cref="Planner.EvaluateInFull"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SensitivityResult? Sensitivity { get; init; }

    /// <summary>
    /// Every recommendation of the plan, the segments' included, each with the text that applies it as a scenario
    /// (<see cref="Planner.EvaluateInFull"/>; null from <see cref="Planner.Evaluate"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PlanRecommendation>? Recommendations { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower), new PlainDecimal() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>
/// One segment: its fit channel (null in a dead zone) and capacity. Capacity figures are null in a dead zone;
/// reps, opportunities, leads and lead budget are null for self-service and for a segment infeasible in the horizon;
/// budget (the acquisition budget) applies only to self-service.
/// </summary>
public sealed record SegmentResult(
    string Name,
    decimal Acv,
    decimal Ltv,
    IReadOnlyList<SegmentChannel> Channels,
    string? Fit,
    bool DeadZone,
    DeadZoneKind? DeadZoneKind,
    IReadOnlyList<Recommendation> Recommendations,
    decimal? CustomersNeeded,
    decimal? Reps,
    decimal? Opportunities,
    decimal? Leads,
    decimal? LeadBudget,
    decimal? Budget,
    IReadOnlyList<SegmentFlag> Flags);

/// <summary>A channel as seen by one segment; <c>LtvToCac</c> is null when CAC is 0 (unbounded, so profitable).</summary>
public sealed record SegmentChannel(string Name, bool Eligible, decimal Cac, decimal? LtvToCac, decimal PaybackMonths);

/// <summary>One recommended way out of a dead zone; what <see cref="Value"/> means depends on the action (PLANNER.md).</summary>
public sealed record Recommendation(RecommendationAction Action, string Channel, decimal? Value);

/// <summary>
/// A recommendation offered beside the plan: <c>Apply</c> is its scenario entry (<c>raise_price:single-store</c>,
/// <c>limit_hiring:inside</c>, <c>extend_horizon</c>); <c>Segment</c> and <c>Channel</c> are null where it names none.
/// </summary>
public sealed record PlanRecommendation(string Apply, RecommendationAction Action, string? Segment, string? Channel, decimal? Value);

/// <summary>A channel's totals over the segments it fits: sums, with reps rounded up to whole people.</summary>
public sealed record ChannelResult(
    string Name,
    ChannelKind Kind,
    decimal Cac,
    decimal CustomersNeeded,
    decimal RepsNeeded,
    decimal LeadsNeeded,
    decimal LeadBudget,
    decimal Budget)
{
    /// <summary>
    /// Partner channels with a capacity only: <c>ceil(12 × N / (deals_per_partner_per_year × m))</c>, the partners that
    /// close its segments' customers within its selling months (null otherwise).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? PartnersNeeded { get; init; }

    /// <summary>Whether the channel has fewer partners than <see cref="PartnersNeeded"/>: it cannot close its customers in time.</summary>
    public bool LacksPartners(PlanChannel channel) => channel.Partners < PartnersNeeded;
}
