namespace Reach.Forecasting;

/// <summary>
/// The odds an oversized open deal was given, from the history of deals that were oversized too (by the same rule, on
/// their last open day): <see cref="Won"/> of <see cref="Deals"/> such deals won, their rate shrunk toward the
/// workspace's (<see cref="SimilarWinRate"/>, against <see cref="WorkspaceWinRate"/> over all closed deals), and the
/// stage's odds scaled by the ratio of the two: <see cref="WinProbability"/> in place of <see cref="StageWinProbability"/>.
/// </summary>
public sealed record SimilarDealOdds(
    int Deals,
    int Won,
    double SimilarWinRate,
    double WorkspaceWinRate,
    double StageWinProbability,
    double WinProbability,
    string Text);
