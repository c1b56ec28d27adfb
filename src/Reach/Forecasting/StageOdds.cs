using Reach.Deals;
using Reach.Pipelines;

namespace Reach.Forecasting;

/// <summary>
/// How hard the model leans on the less specific level when data is thin (docs/forecasting.md): a stage's win
/// rate starts from the team's own stage probability, worth <see cref="PriorStrength"/> closed deals; a deal kind's
/// rate and remaining days lean on the whole stage's, worth <see cref="ShrinkStrength"/> deals.
/// </summary>
public sealed record Smoothing(double PriorStrength, double ShrinkStrength, bool ByKind)
{
    /// <summary>The setting the backtest on the demo workspace chose (docs/forecasting.md).</summary>
    public static readonly Smoothing Default = new(PriorStrength: 1, ShrinkStrength: 10, ByKind: true);
}

/// <summary>What history says about an open deal: its chance of being won and, if won, the days until then.</summary>
public sealed record DealOdds(double WinProbability, RemainingDays? Remaining);

/// <summary>A stage's history, for display: closed deals that went through it and what became of them.</summary>
public sealed record StageHistory(ForecastStage Stage, int Closed, int Won, double WinProbability, double? RemainingP10, double? RemainingP50, double? RemainingP90);

/// <summary>
/// Per stage (stages belong to one pipeline, so to one channel) and per deal kind within it: the share of closed
/// deals that were won after entering the stage, and how many days after their last entry they closed. Fitted only
/// on deals closed before <c>asOf</c>, with durations measured from each deal's last entry into the stage.
/// </summary>
public sealed class StageOdds
{
    // The history at one instant laid out by stage and by stage and kind, without weights: what a refit shares.
    sealed class Samples
    {
        public Dictionary<Guid, StageSample> ByStage { get; } = [];
        public Dictionary<(Guid, DealKind), StageSample> ByKind { get; } = [];
        public int ClosedDeals { get; set; }
        public int Deals { get; init; }

        public StageSample Of(Guid stageId)
        {
            if (!ByStage.TryGetValue(stageId, out var sample))
                ByStage[stageId] = sample = new StageSample();
            return sample;
        }

        public StageSample Of(Guid stageId, DealKind kind)
        {
            if (!ByKind.TryGetValue((stageId, kind), out var sample))
                ByKind[(stageId, kind)] = sample = new StageSample();
            return sample;
        }

        public void Seal()
        {
            foreach (var sample in ByStage.Values.Concat(ByKind.Values))
                sample.Seal();
            // A kind alone in its stage has the stage's observations in the same order: one sample, estimated once.
            foreach (var (key, sample) in ByKind.ToList())
            {
                var stage = ByStage[key.Item1];
                if (stage.Count == sample.Count)
                    ByKind[key] = stage;
            }
        }
    }

    static readonly StageSample Empty = NewEmpty();

    readonly IReadOnlyDictionary<Guid, ForecastStage> stages;
    readonly Samples samples;
    // Each deal's weight by its position in the history: null for the fitted model (every deal weighs 1), else the
    // deal's Bayesian-bootstrap draw.
    readonly double[]? weights;
    readonly Dictionary<StageSample, StageSample.Estimates> estimates = [];
    readonly Dictionary<(Guid, DealKind, int), DealOdds> cache = [];

    public Smoothing Smoothing { get; }
    public DateTime AsOf { get; }

    /// <summary>Closed deals the model learnt from.</summary>
    public int ClosedDeals => samples.ClosedDeals;

    StageOdds(IReadOnlyDictionary<Guid, ForecastStage> stages, Samples samples, double[]? weights, Smoothing smoothing, DateTime asOf)
    {
        this.stages = stages;
        this.samples = samples;
        this.weights = weights;
        Smoothing = smoothing;
        AsOf = asOf;
    }

    static StageSample NewEmpty()
    {
        var empty = new StageSample();
        empty.Seal();
        return empty;
    }

    /// <summary>
    /// Fits the model on the history known at <paramref name="asOf"/>. With <paramref name="resample"/>, every deal
    /// weighs an Exp(1) draw seeded by it (the Bayesian bootstrap): one plausible model among those the same
    /// history could have come from, so that the simulation carries the uncertainty of the rates and timings
    /// themselves, which every deal of a stage shares (docs/forecasting.md). <see cref="Refit"/> draws more of them
    /// from the same history without reading it again.
    /// </summary>
    public static StageOdds Fit(ForecastHistory history, DateTime asOf, Smoothing smoothing, ulong? resample = null)
    {
        var samples = new Samples { Deals = history.Deals.Count };
        for (var index = 0; index < history.Deals.Count; index++)
        {
            var deal = history.Deals[index];
            if (history.StateAt(deal, asOf) is not { } state)
                continue;
            // A deal still open has survived every stage it entered until asOf without closing: a censored duration,
            // without which only the quick deals of a young workspace would be seen.
            var end = state.IsOpen ? asOf : state.EnteredAt;
            if (!state.IsOpen)
                samples.ClosedDeals++;
            var outcome = state.IsOpen ? ObservationOutcome.Open : state.IsWon ? ObservationOutcome.Won : ObservationOutcome.Lost;
            foreach (var (stageId, enteredAt, leftAt) in ForecastHistory.Visits(deal, end, history.Stages))
            {
                var observation = new StageObservation((end - enteredAt).TotalDays, (leftAt - enteredAt).TotalDays, outcome, index);
                samples.Of(stageId).Add(observation);
                samples.Of(stageId, deal.Kind).Add(observation);
            }
        }
        samples.Seal();
        return new StageOdds(history.Stages, samples, resample is { } stream ? BootstrapWeights(stream, samples.Deals) : null, smoothing, asOf);
    }

    /// <summary>
    /// The same history at the same instant refitted with Bayesian-bootstrap weights drawn from <paramref name="resample"/>:
    /// the model <c>Fit(history, AsOf, Smoothing, resample)</c> returns, sharing this one's sorted history.
    /// </summary>
    public StageOdds Refit(ulong resample) => new(stages, samples, BootstrapWeights(resample, samples.Deals), Smoothing, AsOf);

    // Exp(1) by the deal's position in the history, so a seeded refit is reproducible.
    static double[] BootstrapWeights(ulong stream, int deals)
    {
        var weights = new double[deals];
        for (var index = 0; index < deals; index++)
            weights[index] = -Math.Log(1 - BookingSimulation.Uniform(stream, (ulong)index));
        return weights;
    }

    /// <summary>
    /// The odds of a deal of <paramref name="kind"/> that has sat in <paramref name="stageId"/> for
    /// <paramref name="ageDays"/> (counted in whole days): only history that lasted longer from the stage's entry counts.
    /// </summary>
    public DealOdds Odds(Guid stageId, DealKind kind, double ageDays)
    {
        var stage = stages[stageId];
        if (stage.Outcome != StageOutcome.Open)
            throw new ArgumentException($"Stage '{stage.Name}' is not open.", nameof(stageId));
        var days = Math.Max(0, (int)Math.Floor(ageDays));
        if (cache.TryGetValue((stageId, kind, days), out var cached))
            return cached;

        var pooled = Estimate(samples.ByStage.GetValueOrDefault(stageId), days);
        // Beta–binomial shrinkage, level by level: the stage toward the team's prior, the kind toward the stage.
        var stageRate = Shrink(pooled.WinRate, pooled.Resolved, stage.Prior, Smoothing.PriorStrength);
        var rate = stageRate;
        var timing = pooled.Timing;
        if (Smoothing.ByKind)
        {
            var own = Estimate(samples.ByKind.GetValueOrDefault((stageId, kind)), days);
            rate = Shrink(own.WinRate, own.Resolved, stageRate, Smoothing.ShrinkStrength);
            // A kind alone in its stage has the stage's timing (a mixture of a distribution with itself is itself).
            if (own.Timing is not null && timing is not null && own.Timing != timing)
            {
                // The kind's own timing weighs n / (n + k), the stage's the rest: shrinkage for a distribution.
                var weight = own.WonCount / (own.WonCount + Smoothing.ShrinkStrength);
                timing = RemainingDays.Mix([(own.Timing, weight), (timing, 1 - weight)]);
            }
        }
        // Older than every deal won from here: history cannot say more than "as if the stage started now".
        timing ??= Estimate(samples.ByStage.GetValueOrDefault(stageId), 0).Timing;
        return cache[(stageId, kind, days)] = new DealOdds(rate, timing);
    }

    /// <summary>
    /// The Aalen–Johansen estimate of winning and losing among the deals that sat in the stage longer than
    /// <paramref name="days"/>, with deals still open censored: each win or loss takes its share of those at risk.
    /// All ages of a sample come from one sweep under this fit's weights (<see cref="StageSample.Estimate"/>).
    /// </summary>
    Incidence Estimate(StageSample? sample, int days)
    {
        if (sample is null)
            return Incidence.None;
        if (!estimates.TryGetValue(sample, out var sweep))
            estimates[sample] = sweep = sample.Estimate(weights);
        return sweep.At(days);
    }

    static double Shrink(double rate, int resolved, double prior, double strength) =>
        resolved + strength == 0 || double.IsNaN(rate) ? prior : ((resolved * rate) + (strength * prior)) / (resolved + strength);

    /// <summary>Every open stage with the history behind it, in pipeline order.</summary>
    public IReadOnlyList<StageHistory> Describe() =>
    [
        .. stages.Values
            .Where(s => s.Outcome == StageOutcome.Open)
            .OrderBy(s => s.Channel).ThenBy(s => s.Pipeline, StringComparer.Ordinal).ThenBy(s => s.Position)
            .Select(s =>
            {
                var sample = samples.ByStage.GetValueOrDefault(s.Id) ?? Empty;
                var estimate = Estimate(sample, 0);
                var rate = Shrink(estimate.WinRate, estimate.Resolved, s.Prior, Smoothing.PriorStrength);
                var days = estimate.Timing;
                return new StageHistory(s, sample.Won + sample.Lost, sample.Won, rate,
                    days?.Quantile(0.1), days?.Quantile(0.5), days?.Quantile(0.9));
            }),
    ];
}
