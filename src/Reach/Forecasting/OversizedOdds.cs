using System.Globalization;
using Reach.Expansion;

namespace Reach.Forecasting;

/// <summary>
/// The deal-size guardrail inside the forecast (docs/forecasting.md, "Oversized deals"). An open deal more than k × the
/// largest deal won in its segment before the as-of instant (in the workspace, when its segment had none) is
/// oversized (<see cref="DealSizeGuardrail.Compare"/>, the guardrail's own rule); its win probability is its stage's
/// scaled by how deals oversized the same way fared against all deals: the similar deals are the closed ones that the
/// rule flagged on their last open day (the wins before their close), their rate shrunk toward the workspace's by a
/// Beta prior worth <see cref="PriorStrength"/> deals. Fitted once per as-of instant and currency; the forecast, its
/// model draws, the backtest and the track record all go through it.
/// </summary>
public sealed class OversizedOdds
{
    /// <summary>How many closed deals the prior on the similar deals' win rate weighs; it is centred on the workspace's rate.</summary>
    public const double PriorStrength = 5;

    readonly Dictionary<Guid, OversizedDeal> open = [];

    OversizedOdds()
    {
    }

    /// <summary>Closed deals (in the forecast's currency) the workspace's win rate comes from, and how many of them were won.</summary>
    public int ClosedDeals { get; private set; }

    public int WonDeals { get; private set; }

    /// <summary>Closed deals the rule flagged on their last open day, and how many of them were won.</summary>
    public int SimilarDeals { get; private set; }

    public int SimilarWon { get; private set; }

    /// <summary>
    /// Measures the deals of <paramref name="history"/> in <paramref name="currency"/> against the wins before each:
    /// open ones at <paramref name="asOf"/>, closed ones at their close.
    /// </summary>
    public static OversizedOdds Fit(ForecastHistory history, DateTime asOf, string currency)
    {
        var odds = new OversizedOdds();
        var largest = new LargestWins(history.Wins, currency);
        foreach (var deal in history.Deals)
        {
            if (!string.Equals(deal.Currency, currency, StringComparison.OrdinalIgnoreCase) || history.StateAt(deal, asOf) is not { } state)
                continue;
            if (state.IsOpen)
            {
                // Wins up to and including the as-of instant count, as they do for the guardrail now.
                if (largest.Check(deal, asOf, history.DealSizeFactor, currency, includeInstant: true) is { } oversized)
                    odds.open[deal.Id] = oversized;
                continue;
            }
            odds.ClosedDeals++;
            odds.WonDeals += state.IsWon ? 1 : 0;
            // Its last open day: the wins before its close (its own win is not one of them).
            if (largest.Check(deal, state.EnteredAt, history.DealSizeFactor, currency, includeInstant: false) is not null)
            {
                odds.SimilarDeals++;
                odds.SimilarWon += state.IsWon ? 1 : 0;
            }
        }
        return odds;
    }

    /// <summary>Why an open deal is oversized at the as-of instant, or null.</summary>
    public OversizedDeal? Check(ForecastDeal deal) => open.GetValueOrDefault(deal.Id);

    /// <summary>How many open deals are oversized.</summary>
    public int OpenOversized => open.Count;

    /// <summary>
    /// The odds an oversized deal gets in place of its stage's: p = p(stage) × r(similar) / r(workspace), at most 1, where
    /// r(workspace) = won / closed and r(similar) = (won similar + k × r(workspace)) / (similar + k). With no similar
    /// deal the ratio is 1 and the stage's odds stand; with no closed or no won deal there is nothing to compare with.
    /// </summary>
    public SimilarDealOdds Odds(double stageWinProbability)
    {
        var ci = CultureInfo.InvariantCulture;
        var stage = stageWinProbability.ToString("P0", ci);
        if (WonDeals == 0)
            return new SimilarDealOdds(SimilarDeals, SimilarWon, double.NaN, double.NaN, stageWinProbability, stageWinProbability,
                $"no deal won yet to compare with: the stage's {stage}");
        var workspace = (double)WonDeals / ClosedDeals;
        var similar = (SimilarWon + (PriorStrength * workspace)) / (SimilarDeals + PriorStrength);
        var probability = Math.Min(1, stageWinProbability * similar / workspace);
        var text = SimilarDeals == 0
            ? $"no deal this far out of scale has closed yet: the stage's {stage}"
            : $"{SimilarWon} of {SimilarDeals} similar deal{(SimilarDeals == 1 ? "" : "s")} won: {probability.ToString("P0", ci)} instead of the stage's {stage}";
        return new SimilarDealOdds(SimilarDeals, SimilarWon, similar, workspace, stageWinProbability, probability, text);
    }

    // The largest win per segment and in the whole workspace as of any instant: the wins in order with a running maximum,
    // so an instant is one binary search.
    sealed class LargestWins
    {
        readonly Running overall = new();
        readonly Dictionary<string, Running> bySegment = new(StringComparer.Ordinal);

        public LargestWins(IReadOnlyList<ForecastWin> wins, string currency)
        {
            foreach (var win in wins)
            {
                if (!string.Equals(win.Currency, currency, StringComparison.OrdinalIgnoreCase) || win.Amount <= 0)
                    continue;
                overall.Add(win.WonAt, win.Amount);
                if (win.Segment is { Length: > 0 } segment)
                {
                    if (!bySegment.TryGetValue(segment, out var running))
                        bySegment[segment] = running = new Running();
                    running.Add(win.WonAt, win.Amount);
                }
            }
        }

        public OversizedDeal? Check(ForecastDeal deal, DateTime at, decimal factor, string currency, bool includeInstant)
        {
            var inSegment = deal.Segment is { Length: > 0 } segment && bySegment.TryGetValue(segment, out var running) ? running.Before(at, includeInstant) : null;
            return DealSizeGuardrail.Compare(deal.Amount, deal.Segment, inSegment, overall.Before(at, includeInstant), factor, currency);
        }

        sealed class Running
        {
            readonly List<DateTime> at = [];
            readonly List<decimal> largest = [];

            // Wins arrive in order of winning.
            public void Add(DateTime wonAt, decimal amount)
            {
                at.Add(wonAt);
                largest.Add(largest.Count == 0 ? amount : Math.Max(largest[^1], amount));
            }

            public decimal? Before(DateTime instant, bool includeInstant)
            {
                // The number of wins before the instant (or at it): the first index past them.
                int lo = 0, hi = at.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    if (at[mid] < instant || (includeInstant && at[mid] == instant))
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                return lo == 0 ? null : largest[lo - 1];
            }
        }
    }
}
