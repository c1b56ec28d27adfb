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
    enum Outcome : byte { Won, Lost, Open }

    // Days from the last entry into the stage to the close (or to asOf for a deal still open, censored), and how
    // many of them the deal spent in the stage itself.
    // Weight is 1, or the deal's Bayesian-bootstrap weight when the model is one draw of its own uncertainty.
    readonly record struct Observation(double Duration, double Dwell, Outcome Outcome, double Weight);

    sealed class Sample
    {
        readonly List<Observation> pending = [];

        public Observation[] Sorted { get; private set; } = [];
        public int Won { get; private set; }
        public int Lost { get; private set; }

        public void Add(Observation observation) => pending.Add(observation);

        public void Seal()
        {
            // By duration; at ties wins and losses come before censoring, the usual convention.
            Sorted = [.. pending.OrderBy(o => o.Duration).ThenBy(o => o.Outcome == Outcome.Open ? 1 : 0)];
            Won = pending.Count(o => o.Outcome == Outcome.Won);
            Lost = pending.Count(o => o.Outcome == Outcome.Lost);
        }
    }

    // What one sample says past an age: P(won) among the deals that resolve, how many resolved, and when the wins came.
    readonly record struct Incidence(double WinRate, int Resolved, int WonCount, RemainingDays? Timing);

    static readonly Sample Empty = new();

    readonly IReadOnlyDictionary<Guid, ForecastStage> stages;
    readonly Dictionary<Guid, Sample> byStage = [];
    readonly Dictionary<(Guid, DealKind), Sample> byKind = [];
    readonly Dictionary<(Guid, DealKind, int), DealOdds> cache = [];

    public Smoothing Smoothing { get; }
    public DateTime AsOf { get; }

    /// <summary>Closed deals the model learnt from.</summary>
    public int ClosedDeals { get; private set; }

    StageOdds(IReadOnlyDictionary<Guid, ForecastStage> stages, Smoothing smoothing, DateTime asOf)
    {
        this.stages = stages;
        Smoothing = smoothing;
        AsOf = asOf;
    }

    /// <summary>
    /// Fits the model on the history known at <paramref name="asOf"/>. With <paramref name="resample"/>, every deal
    /// weighs an Exp(1) draw seeded by it (the Bayesian bootstrap): one plausible model among those the same
    /// history could have come from, so that the simulation carries the uncertainty of the rates and timings
    /// themselves, which every deal of a stage shares (docs/forecasting.md).
    /// </summary>
    public static StageOdds Fit(ForecastHistory history, DateTime asOf, Smoothing smoothing, ulong? resample = null)
    {
        var model = new StageOdds(history.Stages, smoothing, asOf);
        for (var index = 0; index < history.Deals.Count; index++)
        {
            var deal = history.Deals[index];
            var weight = resample is { } stream ? -Math.Log(1 - BookingSimulation.Uniform(stream, (ulong)index)) : 1;
            if (history.StateAt(deal, asOf) is not { } state)
                continue;
            // A deal still open has survived every stage it entered until asOf without closing: a censored duration,
            // without which only the quick deals of a young workspace would be seen.
            var end = state.IsOpen ? asOf : state.EnteredAt;
            if (!state.IsOpen)
                model.ClosedDeals++;
            var outcome = state.IsOpen ? Outcome.Open : state.IsWon ? Outcome.Won : Outcome.Lost;
            foreach (var (stageId, enteredAt, leftAt) in ForecastHistory.Visits(deal, end, history.Stages))
            {
                var observation = new Observation((end - enteredAt).TotalDays, (leftAt - enteredAt).TotalDays, outcome, weight);
                model.SampleOf(stageId).Add(observation);
                model.SampleOf(stageId, deal.Kind).Add(observation);
            }
        }
        foreach (var sample in model.byStage.Values.Concat(model.byKind.Values))
            sample.Seal();
        return model;
    }

    Sample SampleOf(Guid stageId)
    {
        if (!byStage.TryGetValue(stageId, out var sample))
            byStage[stageId] = sample = new Sample();
        return sample;
    }

    Sample SampleOf(Guid stageId, DealKind kind)
    {
        if (!byKind.TryGetValue((stageId, kind), out var sample))
            byKind[(stageId, kind)] = sample = new Sample();
        return sample;
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

        var pooled = Estimate(byStage.GetValueOrDefault(stageId) ?? Empty, days);
        // Beta–binomial shrinkage, level by level: the stage toward the team's prior, the kind toward the stage.
        var stageRate = Shrink(pooled.WinRate, pooled.Resolved, stage.Prior, Smoothing.PriorStrength);
        var rate = stageRate;
        var timing = pooled.Timing;
        if (Smoothing.ByKind)
        {
            var own = Estimate(byKind.GetValueOrDefault((stageId, kind)) ?? Empty, days);
            rate = Shrink(own.WinRate, own.Resolved, stageRate, Smoothing.ShrinkStrength);
            if (own.Timing is not null && timing is not null)
            {
                // The kind's own timing weighs n / (n + k), the stage's the rest: shrinkage for a distribution.
                var weight = own.WonCount / (own.WonCount + Smoothing.ShrinkStrength);
                timing = RemainingDays.Mix([(own.Timing, weight), (timing, 1 - weight)]);
            }
        }
        // Older than every deal won from here: history cannot say more than "as if the stage started now".
        timing ??= Estimate(byStage.GetValueOrDefault(stageId) ?? Empty, 0).Timing;
        return cache[(stageId, kind, days)] = new DealOdds(rate, timing);
    }

    /// <summary>
    /// The Aalen–Johansen estimate of winning and losing among the deals that sat in the stage longer than
    /// <paramref name="ageDays"/>, with deals still open censored: each win or loss takes its share of those at risk.
    /// </summary>
    static Incidence Estimate(Sample sample, double ageDays)
    {
        var atRisk = 0.0;
        var resolved = 0;
        foreach (var o in sample.Sorted)
        {
            if (o.Dwell > ageDays || ageDays <= 0)
            {
                atRisk += o.Weight;
                resolved += o.Outcome == Outcome.Open ? 0 : 1;
            }
        }
        double survival = 1, won = 0, lost = 0;
        var wins = new List<(double Day, double Weight)>();
        foreach (var o in sample.Sorted)
        {
            if (o.Dwell <= ageDays && ageDays > 0)
                continue;
            if (o.Outcome != Outcome.Open)
            {
                var share = atRisk <= 0 ? 0 : survival * o.Weight / atRisk;
                survival -= share;
                if (o.Outcome == Outcome.Won)
                {
                    won += share;
                    wins.Add((Math.Max(0, o.Duration - ageDays), share));
                }
                else
                {
                    lost += share;
                }
            }
            atRisk -= o.Weight;
        }
        // Mass still unresolved after the last event is shared like the resolved mass.
        var rate = won + lost > 0 ? won / (won + lost) : double.NaN;
        return new Incidence(rate, resolved, wins.Count, wins.Count == 0 ? null : RemainingDays.Weighted(wins));
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
                var sample = byStage.GetValueOrDefault(s.Id) ?? Empty;
                var estimate = Estimate(sample, 0);
                var rate = Shrink(estimate.WinRate, estimate.Resolved, s.Prior, Smoothing.PriorStrength);
                var days = estimate.Timing;
                return new StageHistory(s, sample.Won + sample.Lost, sample.Won, rate,
                    days?.Quantile(0.1), days?.Quantile(0.5), days?.Quantile(0.9));
            }),
    ];
}
