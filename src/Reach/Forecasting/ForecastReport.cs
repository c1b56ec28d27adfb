using Reach.Data;

namespace Reach.Forecasting;

/// <summary>
/// The bookings forecast of the current and next period (docs/forecasting.md has the JSON shape). Amounts are in
/// <see cref="Currency"/>; deals in other currencies are left out and counted in <see cref="Notes"/>.
/// </summary>
public sealed record ForecastReport(
    DateTime AsOf,
    PeriodKind PeriodKind,
    string Currency,
    int Trials,
    ulong Seed,
    Smoothing Smoothing,
    int ClosedDeals,
    int OpenDeals,
    IReadOnlyList<PeriodForecast> Periods,
    IReadOnlyList<DealOutlook> FlaggedDeals,
    IReadOnlyList<StageHistory> Stages,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The forecast's own backtest on this workspace (<see cref="Forecasting.TrackRecord"/>); the P10 and P90 above are
    /// already scaled by its calibration factors. Null for a forecast made without it (the backtest's own replays).
    /// </summary>
    public ForecastTrackRecord? TrackRecord { get; init; }

    /// <summary>
    /// The open deals the deal-size guardrail flags (<see cref="OversizedOdds"/>, the rule of
    /// <see cref="Expansion.DealSizeGuardrail"/>): far bigger than anything won in their segment, each with the odds it was
    /// given from similar deals in place of its stage's (<see cref="DealOutlook.SimilarDeals"/>), largest ratio first.
    /// </summary>
    public IReadOnlyList<DealOutlook> OversizedDeals { get; init; } = [];
}

public sealed record PeriodForecast(
    string Label,
    DateOnly Start,
    DateOnly End,
    Bookings Total,
    IReadOnlyList<Bookings> Channels,
    IReadOnlyList<Bookings> Teams,
    IReadOnlyList<Bookings> Reps);

/// <summary>
/// One group's bookings in a period. <see cref="ClosedWon"/> is already booked; <see cref="Expected"/> and the
/// percentiles include it, the open pipeline and business not yet in the pipeline. <see cref="RepCall"/> is what the
/// reps entered, beside the model.
/// </summary>
public sealed record Bookings(
    string Name,
    Guid? Id,
    Channel? Channel,
    decimal ClosedWon,
    decimal Expected,
    decimal ExpectedFromPipeline,
    decimal ExpectedNewBusiness,
    decimal P10,
    decimal P50,
    decimal P90,
    RepCall RepCall);

/// <summary>Open deals whose expected close falls in the period, summed by the forecast category their rep chose.</summary>
public sealed record RepCall(decimal Commit, decimal BestCase, decimal Pipeline, decimal Omitted);

public enum DealFlag
{
    /// <summary>The expected close date is already in the past: the deal's record is stale.</summary>
    CloseDatePassed,

    /// <summary>The expected close date is earlier than 90% of the deals won from this stage took (its P10).</summary>
    CycleUnderestimated,
}

/// <summary>
/// An open deal's outlook from history: the chance it is won, the chance it is won within the period, the likely
/// (median) close date if won and the earliest plausible one (the P10 of the days remaining).
/// </summary>
public sealed record DealOutlook(
    Guid Id,
    string Name,
    Channel Channel,
    string Stage,
    Guid? OwnerId,
    decimal Amount,
    string Currency,
    DateOnly? ExpectedClose,
    double DaysInStage,
    double WinProbability,
    double CloseInPeriodProbability,
    DateOnly? LikelyClose,
    DateOnly? EarliestPlausibleClose,
    IReadOnlyList<DealFlag> Flags)
{
    /// <summary>Why the deal-size guardrail flags the deal (its figures and text), or null.</summary>
    public Expansion.OversizedDeal? Oversized { get; init; }

    /// <summary>For an oversized deal, where <see cref="WinProbability"/> came from: similar deals in place of the stage's odds.</summary>
    public SimilarDealOdds? SimilarDeals { get; init; }
}
