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
    public static double[] Run(SimulatedDeal[] deals, int cells, IReadOnlyList<double[]> newBusiness, int trials, ulong seed, bool parallel = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        foreach (var deal in deals)
        {
            if ((uint)deal.Cell >= (uint)cells)
                throw new ArgumentException($"A deal's cell {deal.Cell} is outside 0..{cells - 1}.", nameof(deals));
        }
        var width = cells * Periods;
        var results = new double[(long)trials * width];
        var alternatives = newBusiness.ToArray();

        // Chunks of trials amortise the scheduling; 32 keeps both cores busy to the end on small runs.
        const int Chunk = 32;
        var chunks = (trials + Chunk - 1) / Chunk;
        if (parallel)
            Parallel.For(0, chunks, c => RunTrials(deals, alternatives, results, width, c * Chunk, Math.Min(trials, (c + 1) * Chunk), seed));
        else
            RunTrials(deals, alternatives, results, width, 0, trials, seed);
        return results;
    }

    static void RunTrials(SimulatedDeal[] deals, double[][] alternatives, double[] results, int width, int from, int to, ulong seed)
    {
        for (var trial = from; trial < to; trial++)
        {
            var random = new Xoshiro(seed, (ulong)trial);
            var sums = results.AsSpan(trial * width, width);
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
        public double NextDouble()
        {
            var result = ulong.RotateLeft(s1 * 5, 7) * 9;
            var t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = ulong.RotateLeft(s3, 45);
            return (result >> 11) * (1.0 / (1UL << 53));
        }
    }
}
