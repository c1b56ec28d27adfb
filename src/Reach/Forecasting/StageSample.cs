namespace Reach.Forecasting;

internal enum ObservationOutcome : byte { Won, Lost, Open }

/// <summary>
/// Days from the last entry into the stage to the close (or to asOf for a deal still open, censored), how many of them
/// the deal spent in the stage itself, and the deal's position in the history (its bootstrap weight's stream).
/// </summary>
internal readonly record struct StageObservation(double Duration, double Dwell, ObservationOutcome Outcome, int Deal);

/// <summary>What one sample says past an age: P(won) among the deals that resolve, how many resolved, and when the wins came.</summary>
internal readonly record struct Incidence(double WinRate, int Resolved, int WonCount, RemainingDays? Timing)
{
    public static readonly Incidence None = new(double.NaN, 0, 0, null);
}

/// <summary>
/// The observations of one stage (or one stage and deal kind) at one instant, without weights: sorted once and shared
/// by the fitted model and every Bayesian-bootstrap refit of it, which only weigh the deals differently. Read-only once
/// sealed, so refits on several threads share it.
/// </summary>
internal sealed class StageSample
{
    readonly List<StageObservation> pending = [];

    /// <summary>By duration; at ties wins and losses come before censoring, the usual convention.</summary>
    public StageObservation[] Sorted { get; private set; } = [];

    public int Won { get; private set; }
    public int Lost { get; private set; }

    // For each observation (by sorted position), the oldest whole-day age it counts for: a deal that sat d days counts
    // for the ages below d, and every deal counts at age 0.
    int[] oldestAge = [];
    // Positions of the wins and losses, in sorted order, and each position's index among them (-1 for a deal still open).
    int[] events = [];
    int[] eventAt = [];
    // Positions in the order they stop counting as the age grows: by oldest age, then position.
    int[] leaving = [];
    // The last age a win or loss counts for: past it the sample says nothing.
    int lastEventAge = -1;
    // The ages where the observations that count change, ascending from 0 up to lastEventAge.
    int[] epochs = [];

    public int Count => Sorted.Length;

    public void Add(StageObservation observation) => pending.Add(observation);

    public void Seal()
    {
        Sorted = [.. pending.OrderBy(o => o.Duration).ThenBy(o => o.Outcome == ObservationOutcome.Open ? 1 : 0)];
        pending.Clear();
        Won = Sorted.Count(o => o.Outcome == ObservationOutcome.Won);
        Lost = Sorted.Count(o => o.Outcome == ObservationOutcome.Lost);
        oldestAge = [.. Sorted.Select(o => OldestAge(o.Dwell))];
        events = [.. Enumerable.Range(0, Sorted.Length).Where(i => Sorted[i].Outcome != ObservationOutcome.Open)];
        eventAt = new int[Sorted.Length];
        Array.Fill(eventAt, -1);
        for (var e = 0; e < events.Length; e++)
            eventAt[events[e]] = e;
        leaving = [.. Enumerable.Range(0, Sorted.Length).OrderBy(i => oldestAge[i]).ThenBy(i => i)];
        lastEventAge = events.Length == 0 ? -1 : events.Max(i => oldestAge[i]);
        epochs = [.. oldestAge.Where(a => a < lastEventAge).Select(a => a + 1).Prepend(0).Distinct().Order()];
    }

    // The largest whole day a below the dwell (dwell > a ⇔ ⌈dwell⌉ − 1 ≥ a), 0 at least: the oldest age it counts for.
    static int OldestAge(double dwell) => (int)Math.Clamp(Math.Ceiling(dwell) - 1, 0, int.MaxValue - 1);

    /// <summary>
    /// The Aalen–Johansen estimates at every age under <paramref name="weights"/> (by the deals' positions in the history;
    /// null weighs every deal 1), from one sweep over the ages: deals stop counting as the age passes their dwell, and a
    /// tree of the weights still counting gives the weight at risk at each win or loss (docs/forecasting.md, "Performance").
    /// </summary>
    public Estimates Estimate(double[]? weights) => new(this, weights);

    /// <summary>One sample's estimates under one set of weights. Not thread-safe: one fit's, used by one thread.</summary>
    internal sealed class Estimates
    {
        readonly StageSample sample;
        readonly double[] rate;
        readonly int[] resolved;
        // Per epoch, the share of each win that counts (in sorted order): the weights of the remaining-days distribution.
        readonly double[][] wonShares;
        readonly Dictionary<int, RemainingDays?> timings = [];

        public Estimates(StageSample sample, double[]? weights)
        {
            this.sample = sample;
            var epochs = sample.epochs;
            rate = new double[epochs.Length];
            resolved = new int[epochs.Length];
            wonShares = new double[epochs.Length][];
            if (epochs.Length == 0)
                return;

            var sorted = sample.Sorted;
            double Weight(int position) => weights is null ? 1 : weights[sorted[position].Deal];
            var atRisk = new SuffixSums(sorted.Length, Weight);
            // The wins and losses still counting, linked in sorted order.
            var events = sample.events;
            var eventAt = sample.eventAt;
            var next = new int[events.Length];
            var previous = new int[events.Length];
            for (var e = 0; e < events.Length; e++)
            {
                next[e] = e + 1 < events.Length ? e + 1 : -1;
                previous[e] = e - 1;
            }
            var first = events.Length > 0 ? 0 : -1;
            int counting = events.Length, wonCounting = sample.Won;

            var left = 0;
            for (var epoch = 0; epoch < epochs.Length; epoch++)
            {
                var age = epochs[epoch];
                while (left < sample.leaving.Length && sample.oldestAge[sample.leaving[left]] < age)
                {
                    var position = sample.leaving[left++];
                    atRisk.Remove(position, Weight(position));
                    if (eventAt[position] is var e and >= 0)
                    {
                        if (previous[e] >= 0)
                            next[previous[e]] = next[e];
                        else
                            first = next[e];
                        if (next[e] >= 0)
                            previous[next[e]] = previous[e];
                        counting--;
                        wonCounting -= sorted[position].Outcome == ObservationOutcome.Won ? 1 : 0;
                    }
                }

                // Each win or loss takes its share of the weight at risk at its time (itself and all that last longer).
                double survival = 1, won = 0, lost = 0;
                var shares = new double[wonCounting];
                var w = 0;
                for (var e = first; e >= 0; e = next[e])
                {
                    var position = events[e];
                    var risk = atRisk.From(position);
                    var share = risk <= 0 ? 0 : survival * Weight(position) / risk;
                    survival -= share;
                    if (sorted[position].Outcome == ObservationOutcome.Won)
                    {
                        won += share;
                        shares[w++] = share;
                    }
                    else
                    {
                        lost += share;
                    }
                }
                // Mass still unresolved after the last event is shared like the resolved mass.
                rate[epoch] = won + lost > 0 ? won / (won + lost) : double.NaN;
                resolved[epoch] = counting;
                wonShares[epoch] = shares;
            }
        }

        /// <summary>The estimate among the deals that sat in the stage longer than <paramref name="days"/> (all of them at 0).</summary>
        public Incidence At(int days)
        {
            // Past the last age a win or loss counts for (or no history at all): nothing to say.
            if (days > sample.lastEventAge)
                return Incidence.None;
            var epoch = Array.BinarySearch(sample.epochs, days);
            if (epoch < 0)
                epoch = ~epoch - 1;
            var shares = wonShares[epoch];
            if (!timings.TryGetValue(days, out var timing))
                timings[days] = timing = shares.Length == 0 ? null : Timing(days, shares);
            return new Incidence(rate[epoch], resolved[epoch], shares.Length, timing);
        }

        // The days from now to each win still counting, weighed by its share.
        RemainingDays Timing(int days, double[] shares)
        {
            var wins = new List<(double Day, double Weight)>(shares.Length);
            foreach (var position in sample.events)
            {
                var o = sample.Sorted[position];
                if (o.Outcome == ObservationOutcome.Won && sample.oldestAge[position] >= days)
                    wins.Add((Math.Max(0, o.Duration - days), shares[wins.Count]));
            }
            return RemainingDays.Weighted(wins);
        }
    }

    // Sums of the weights from a sorted position to the end, as observations stop counting: a Fenwick tree over the
    // positions reversed, so that a suffix is a prefix and no sum is a difference of two large ones.
    sealed class SuffixSums
    {
        readonly double[] tree;

        public SuffixSums(int count, Func<int, double> weight)
        {
            var n = count;
            tree = new double[n];
            for (var i = 0; i < n; i++)
                tree[i] += weight(n - 1 - i);
            for (var i = 0; i < n; i++)
            {
                var parent = i | (i + 1);
                if (parent < n)
                    tree[parent] += tree[i];
            }
        }

        public void Remove(int position, double weight)
        {
            for (var i = tree.Length - 1 - position; i < tree.Length; i |= i + 1)
                tree[i] -= weight;
        }

        public double From(int position)
        {
            var sum = 0.0;
            for (var i = tree.Length - 1 - position; i >= 0; i = (i & (i + 1)) - 1)
                sum += tree[i];
            return sum;
        }
    }
}
