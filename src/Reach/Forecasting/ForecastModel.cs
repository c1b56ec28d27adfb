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
    public static readonly Smoothing Default = new(PriorStrength: 5, ShrinkStrength: 10, ByKind: true);
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
public sealed class ForecastModel
{
    // Durations in days from stage entry to close, sorted, of won and of lost deals.
    sealed class Sample
    {
        public List<double> WonDays { get; } = [];
        public List<double> LostDays { get; } = [];
        public double[] Won { get; private set; } = [];
        public double[] Lost { get; private set; } = [];

        public void Seal()
        {
            Won = [.. WonDays.Order()];
            Lost = [.. LostDays.Order()];
        }
    }

    static readonly Sample Empty = new();

    readonly IReadOnlyDictionary<Guid, ForecastStage> stages;
    readonly Dictionary<Guid, Sample> byStage = [];
    readonly Dictionary<(Guid, DealKind), Sample> byKind = [];

    public Smoothing Smoothing { get; }
    public DateTime AsOf { get; }

    /// <summary>Closed deals the model learnt from.</summary>
    public int ClosedDeals { get; private set; }

    ForecastModel(IReadOnlyDictionary<Guid, ForecastStage> stages, Smoothing smoothing, DateTime asOf)
    {
        this.stages = stages;
        Smoothing = smoothing;
        AsOf = asOf;
    }

    public static ForecastModel Fit(ForecastHistory history, DateTime asOf, Smoothing smoothing)
    {
        var model = new ForecastModel(history.Stages, smoothing, asOf);
        foreach (var deal in history.Deals)
        {
            if (history.StateAt(deal, asOf) is not { IsOpen: false } state || state.EnteredAt >= asOf)
                continue;
            model.ClosedDeals++;
            foreach (var (stageId, enteredAt) in ForecastHistory.LastEntries(deal, state.EnteredAt, history.Stages))
            {
                var days = (state.EnteredAt - enteredAt).TotalDays;
                foreach (var sample in new[] { model.SampleOf(stageId), model.SampleOf(stageId, deal.Kind) })
                    (state.IsWon ? sample.WonDays : sample.LostDays).Add(days);
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
    /// <paramref name="ageDays"/>: only history that lasted at least that long from the stage's entry counts.
    /// </summary>
    public DealOdds Odds(Guid stageId, DealKind kind, double ageDays)
    {
        var stage = stages[stageId];
        if (stage.Outcome != StageOutcome.Open)
            throw new ArgumentException($"Stage '{stage.Name}' is not open.", nameof(stageId));
        var pooled = byStage.GetValueOrDefault(stageId) ?? Empty;
        var own = Smoothing.ByKind ? byKind.GetValueOrDefault((stageId, kind)) ?? Empty : pooled;

        // Beta–binomial shrinkage, level by level: the stage toward the team's prior, the kind toward the stage.
        var (pooledWon, pooledClosed) = Survivors(pooled, ageDays);
        var stageRate = Shrink(pooledWon, pooledClosed, stage.Prior, Smoothing.PriorStrength);
        var (ownWon, ownClosed) = Survivors(own, ageDays);
        var rate = Smoothing.ByKind ? Shrink(ownWon, ownClosed, stageRate, Smoothing.ShrinkStrength) : stageRate;

        return new DealOdds(rate, Remaining(pooled, own, ageDays));
    }

    RemainingDays? Remaining(Sample pooled, Sample own, double ageDays)
    {
        var pooledTail = Tail(pooled.Won, ageDays);
        if (pooledTail.Length == 0)
            // Older than every deal won from here: history cannot say more than "as if the stage started now".
            return pooled.Won.Length == 0 ? null : RemainingDays.From(pooled.Won);
        if (!Smoothing.ByKind)
            return RemainingDays.From(pooledTail);
        var ownTail = Tail(own.Won, ageDays);
        // The kind's own durations weigh n / (n + k), the stage's the rest: shrinkage for a distribution.
        var ownWeight = ownTail.Length / (ownTail.Length + Smoothing.ShrinkStrength);
        return RemainingDays.Mix([(ownTail, ownWeight), (pooledTail, 1 - ownWeight)]);
    }

    // Days still to go for the durations longer than the age already spent in the stage.
    static double[] Tail(double[] sorted, double ageDays)
    {
        var start = FirstAbove(sorted, ageDays);
        var tail = new double[sorted.Length - start];
        for (var i = 0; i < tail.Length; i++)
            tail[i] = sorted[start + i] - ageDays;
        return tail;
    }

    static (int Won, int Closed) Survivors(Sample sample, double ageDays)
    {
        var won = sample.Won.Length - FirstAbove(sample.Won, ageDays);
        var lost = sample.Lost.Length - FirstAbove(sample.Lost, ageDays);
        return (won, won + lost);
    }

    static double Shrink(int won, int closed, double prior, double strength) =>
        closed + strength == 0 ? prior : (won + (strength * prior)) / (closed + strength);

    // The first index whose value is above ageDays; an age of 0 keeps every duration, same-day closes included.
    static int FirstAbove(double[] sorted, double ageDays)
    {
        if (ageDays <= 0)
            return 0;
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= ageDays)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>Every open stage with the history behind it, in pipeline order.</summary>
    public IReadOnlyList<StageHistory> Describe() =>
    [
        .. stages.Values
            .Where(s => s.Outcome == StageOutcome.Open)
            .OrderBy(s => s.Channel).ThenBy(s => s.Pipeline, StringComparer.Ordinal).ThenBy(s => s.Position)
            .Select(s =>
            {
                var sample = byStage.GetValueOrDefault(s.Id) ?? Empty;
                var rate = Shrink(sample.Won.Length, sample.Won.Length + sample.Lost.Length, s.Prior, Smoothing.PriorStrength);
                var days = sample.Won.Length == 0 ? null : RemainingDays.From(sample.Won);
                return new StageHistory(s, sample.Won.Length + sample.Lost.Length, sample.Won.Length, rate,
                    days?.Quantile(0.1), days?.Quantile(0.5), days?.Quantile(0.9));
            }),
    ];
}
