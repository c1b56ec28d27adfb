using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reach.Forecasting;

/// <summary>
/// One open deal reduced to what a trial needs: a single uniform draw <c>u</c> books it in the current period when
/// <c>u &lt; InCurrent</c>, in the next when <c>InCurrent ≤ u &lt; ByNextEnd</c>. Both are P(won) × P(closed by the
/// period's end | won), read off the deal's remaining-days distribution once, before the trials.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SimulatedDeal(double Amount, double InCurrent, double ByNextEnd, int Cell);

/// <summary>
/// What deals of one group (a channel) share within a trial: a standard normal shock <c>z</c> per group and trial,
/// and each deal's draw is <c>Φ(√ρ·z + √(1−ρ)·ε)</c> with its own ε, so deals slip, stall or close together while
/// each keeps its own probabilities (a one-factor Gaussian copula, as credit models use for defaults that come in
/// waves). <see cref="Correlation"/> ρ = 0 makes deals independent.
/// </summary>
/// <param name="Correlation">ρ, from 0 up to, not including, 1.</param>
/// <param name="GroupOfCell">The group of each cell; groups are numbered from 0.</param>
public sealed record CommonShock(double Correlation, int[] GroupOfCell)
{
    public static readonly CommonShock None = new(0, []);
}

/// <summary>
/// The Monte Carlo of bookings: every trial draws every deal once and adds its amount to its cell (a channel and
/// rep pair) for the period it closes in, then adds one draw of not-yet-created business. Trials are independent
/// and each has its own generator seeded from (seed, trial), so the result is the same on any number of threads.
/// </summary>
public static class BookingSimulation
{
    public const int Periods = 2;

    /// <summary>
    /// Bookings per trial, cell and period, laid out as <c>[trial][cell][period]</c>.
    /// <paramref name="newBusiness"/> holds alternative outcomes (each <c>[cell][period]</c>) of deals not yet created,
    /// one drawn per trial; it may be empty.
    /// </summary>
    public static double[] Run(SimulatedDeal[] deals, int cells, IReadOnlyList<double[]> newBusiness, int trials, ulong seed, bool parallel = true) =>
        Run([deals], cells, newBusiness, trials, seed, CommonShock.None, parallel);

    /// <summary>
    /// As <see cref="Run(SimulatedDeal[], int, IReadOnlyList{double[]}, int, ulong, bool)"/>, with the pipeline's
    /// probabilities under several plausible models (<paramref name="draws"/>, the same deals in the same order in
    /// each): trial <c>t</c> uses draw <c>t mod draws</c>, so every deal of a trial shares one model's rates; and
    /// with deals of a group sharing a <paramref name="shock"/>.
    /// </summary>
    public static double[] Run(IReadOnlyList<SimulatedDeal[]> draws, int cells, IReadOnlyList<double[]> newBusiness, int trials, ulong seed,
        CommonShock shock, bool parallel = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        ArgumentOutOfRangeException.ThrowIfZero(draws.Count);
        if (shock.Correlation is < 0 or >= 1 || double.IsNaN(shock.Correlation))
            throw new ArgumentOutOfRangeException(nameof(shock), shock.Correlation, "The correlation must be in [0, 1).");
        if (shock.Correlation > 0 && shock.GroupOfCell.Length < cells)
            throw new ArgumentException("Every cell needs a group.", nameof(shock));
        foreach (var deals in draws)
        {
            if (deals.Length != draws[0].Length)
                throw new ArgumentException("Every draw must hold the same deals.", nameof(draws));
            foreach (var deal in deals)
            {
                if ((uint)deal.Cell >= (uint)cells)
                    throw new ArgumentException($"A deal's cell {deal.Cell} is outside 0..{cells - 1}.", nameof(draws));
            }
        }
        var width = cells * Periods;
        var results = new double[(long)trials * width];
        var alternatives = newBusiness.ToArray();
        var models = draws.ToArray();
        var shared = shock.Correlation > 0 ? Thresholds.Of(models, shock) : null;

        // Trials grouped by the model they use: a chunk reads one model's probabilities over and over while they are
        // in the cache, instead of a different model's each trial. Each trial has its own generator and its own row of
        // results, so the order they run in changes nothing.
        var order = Enumerable.Range(0, trials).OrderBy(t => t % models.Length).ThenBy(t => t).ToArray();
        // Chunks of trials amortise the scheduling; 32 keeps both cores busy to the end on small runs.
        const int Chunk = 32;
        var chunks = (trials + Chunk - 1) / Chunk;
        void Trials(int from, int to)
        {
            if (shared is null)
                RunTrials(models, alternatives, results, width, order.AsSpan(from..to), seed);
            else
                RunSharedTrials(shared, alternatives, results, width, order.AsSpan(from..to), seed);
        }
        if (parallel)
            Parallel.For(0, chunks, c => Trials(c * Chunk, Math.Min(trials, (c + 1) * Chunk)));
        else
            Trials(0, trials);
        return results;
    }

    // The deals in normal space: deal i closes in the current period when its x < Current[i], by the next's end when
    // x < ByNextEnd[i], where x = √ρ·z(group) + √(1−ρ)·ε is standard normal.
    sealed class Thresholds
    {
        public required double[][] Current { get; init; }
        public required double[][] ByNextEnd { get; init; }
        public required double[] Amount { get; init; }
        public required int[] Slot { get; init; }
        public required int[] Group { get; init; }
        public required int Groups { get; init; }
        public required double Shared { get; init; }
        public required double Own { get; init; }

        public static Thresholds Of(SimulatedDeal[][] models, CommonShock shock)
        {
            var deals = models[0];
            // Two quantiles per deal and model (four million for a forecast's 20 refits of 100,000 deals): in parallel.
            var current = new double[models.Length][];
            var byNextEnd = new double[models.Length][];
            Parallel.For(0, models.Length, m =>
            {
                current[m] = [.. models[m].Select(d => Normal.Quantile(d.InCurrent))];
                byNextEnd[m] = [.. models[m].Select(d => Normal.Quantile(d.ByNextEnd))];
            });
            return new Thresholds
            {
                Current = current,
                ByNextEnd = byNextEnd,
                Amount = [.. deals.Select(d => d.Amount)],
                Slot = [.. deals.Select(d => d.Cell * Periods)],
                Group = [.. deals.Select(d => shock.GroupOfCell[d.Cell])],
                Groups = shock.GroupOfCell.Length == 0 ? 1 : shock.GroupOfCell.Max() + 1,
                Shared = Math.Sqrt(shock.Correlation),
                Own = Math.Sqrt(1 - shock.Correlation),
            };
        }
    }

    static void RunSharedTrials(Thresholds deals, double[][] alternatives, double[] results, int width, ReadOnlySpan<int> trials, ulong seed)
    {
        var shocks = new double[deals.Groups];
        var table = Normal.Table;
        foreach (var trial in trials)
        {
            var random = new Xoshiro(seed, (ulong)trial);
            var sums = results.AsSpan(trial * width, width);
            for (var g = 0; g < shocks.Length; g++)
                shocks[g] = deals.Shared * Normal.Quantile(random.NextDouble());
            var model = trial % deals.Current.Length;
            var current = deals.Current[model];
            var byNextEnd = deals.ByNextEnd[model];
            for (var i = 0; i < current.Length; i++)
            {
                var x = shocks[deals.Group[i]] + (deals.Own * table[random.NextBits(Normal.TableBits)]);
                if (x < byNextEnd[i])
                    sums[deals.Slot[i] + (x < current[i] ? 0 : 1)] += deals.Amount[i];
            }
            if (alternatives.Length > 0)
            {
                var drawn = alternatives[(int)(random.NextDouble() * alternatives.Length)];
                for (var j = 0; j < width; j++)
                    sums[j] += drawn[j];
            }
        }
    }

    /// <summary>The standard normal's quantile function, and a table of it for drawing ε fast.</summary>
    public static class Normal
    {
        public const int TableBits = 12;

        // Equiprobable points: the quantile at the middle of each of 4,096 slices; an ε drawn from it is normal to
        // within what 4,096 points resolve, far finer than the probabilities it is compared with.
        internal static readonly double[] Table = [.. Enumerable.Range(0, 1 << TableBits).Select(k => Quantile((k + 0.5) / (1 << TableBits)))];

        /// <summary>Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9); ±∞ at 0 and 1.</summary>
        public static double Quantile(double p)
        {
            if (p <= 0)
                return double.NegativeInfinity;
            if (p >= 1)
                return double.PositiveInfinity;
            const double Low = 0.02425;
            ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
            ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
            ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
            ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
            if (p < Low || p > 1 - Low)
            {
                var q = Math.Sqrt(-2 * Math.Log(p < Low ? p : 1 - p));
                var x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
                return p < Low ? x : -x;
            }
            var r = p - 0.5;
            var s = r * r;
            return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
        }
    }

    static void RunTrials(SimulatedDeal[][] models, double[][] alternatives, double[] results, int width, ReadOnlySpan<int> trials, ulong seed)
    {
        foreach (var trial in trials)
        {
            var random = new Xoshiro(seed, (ulong)trial);
            var sums = results.AsSpan(trial * width, width);
            var deals = models[trial % models.Length];
            ref var first = ref MemoryMarshal.GetArrayDataReference(deals);
            for (var i = 0; i < deals.Length; i++)
            {
                ref readonly var deal = ref Unsafe.Add(ref first, i);
                var u = random.NextDouble();
                if (u < deal.ByNextEnd)
                    sums[(deal.Cell * Periods) + (u < deal.InCurrent ? 0 : 1)] += deal.Amount;
            }
            if (alternatives.Length > 0)
            {
                var drawn = alternatives[(int)(random.NextDouble() * alternatives.Length)];
                for (var j = 0; j < width; j++)
                    sums[j] += drawn[j];
            }
        }
    }

    /// <summary>A uniform number in [0, 1) that depends only on (seed, stream): for draws outside the trials.</summary>
    public static double Uniform(ulong seed, ulong stream) => new Xoshiro(seed, stream).NextDouble();

    /// <summary>xoshiro256** seeded through SplitMix64 from (seed, stream): fast, and one stream per trial.</summary>
    struct Xoshiro
    {
        ulong s0, s1, s2, s3;

        public Xoshiro(ulong seed, ulong stream)
        {
            var x = seed ^ (stream * 0x9E3779B97F4A7C15UL);
            s0 = SplitMix(ref x);
            s1 = SplitMix(ref x);
            s2 = SplitMix(ref x);
            s3 = SplitMix(ref x);
        }

        static ulong SplitMix(ref ulong x)
        {
            var z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>The top <paramref name="bits"/> bits of the next number: an index into a table of 2^bits entries.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int NextBits(int bits) => (int)(Next() >> (64 - bits));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        ulong Next()
        {
            var result = ulong.RotateLeft(s1 * 5, 7) * 9;
            var t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = ulong.RotateLeft(s3, 45);
            return result;
        }
    }
}
