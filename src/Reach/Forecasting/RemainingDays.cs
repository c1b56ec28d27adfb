namespace Reach.Forecasting;

/// <summary>
/// A weighted empirical distribution of the days left until a deal is won: sorted values with their cumulative
/// weights, so a probability or a quantile is one binary search.
/// </summary>
public sealed class RemainingDays
{
    readonly double[] values;
    readonly double[] cumulative;

    RemainingDays(double[] values, double[] cumulative)
    {
        this.values = values;
        this.cumulative = cumulative;
    }

    public int Count => values.Length;

    /// <summary>Equal weights over <paramref name="days"/>.</summary>
    public static RemainingDays From(IEnumerable<double> days)
    {
        var values = days.ToArray();
        return Weighted([.. values.Select(d => (d, 1.0 / values.Length))]);
    }

    /// <summary>A mixture of two distributions, the first weighing <c>weight</c>.</summary>
    public static RemainingDays Mix(IReadOnlyList<(RemainingDays Days, double Weight)> parts)
    {
        var pairs = new List<(double Day, double Weight)>(parts.Sum(p => p.Days.values.Length));
        // Each part is sorted already: merged in order, the result needs no sort (a forecast's refits mix thousands).
        var next = new int[parts.Count];
        while (true)
        {
            var pick = -1;
            for (var p = 0; p < parts.Count; p++)
            {
                if (next[p] < parts[p].Days.values.Length && (pick < 0 || parts[p].Days.values[next[p]] < parts[pick].Days.values[next[pick]]))
                    pick = p;
            }
            if (pick < 0)
                break;
            var (days, weight) = parts[pick];
            var i = next[pick]++;
            pairs.Add((days.values[i], weight * (days.cumulative[i] - (i == 0 ? 0 : days.cumulative[i - 1]))));
        }
        return Weighted(pairs);
    }

    /// <summary>Values with weights of any scale; they are normalised to sum to 1.</summary>
    public static RemainingDays Weighted(IReadOnlyList<(double Day, double Weight)> weighted)
    {
        // Most callers hand them over in order (the model reads them off a sorted sample): then nothing is copied or
        // sorted, which matters to a forecast's refits, each building hundreds of these.
        var count = 0;
        var total = 0.0;
        var sorted = true;
        var last = double.NegativeInfinity;
        foreach (var (day, weight) in weighted)
        {
            if (weight <= 0)
                continue;
            count++;
            total += weight;
            sorted &= day >= last;
            last = day;
        }
        IReadOnlyList<(double Day, double Weight)> pairs = weighted;
        if (!sorted || count < weighted.Count)
        {
            var kept = weighted.Where(p => p.Weight > 0).ToList();
            if (!sorted)
                kept.Sort((a, b) => a.Day.CompareTo(b.Day));
            pairs = kept;
        }
        var values = new double[count];
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            values[i] = pairs[i].Day;
            sum += pairs[i].Weight / total;
            cumulative[i] = sum;
        }
        // Rounding must not leave the last value short of certainty.
        if (cumulative.Length > 0)
            cumulative[^1] = 1;
        return new RemainingDays(values, cumulative);
    }

    /// <summary>P(days &lt; <paramref name="days"/>): the chance of being won before that many days from now.</summary>
    public double Below(double days)
    {
        // The number of values strictly below: the first index whose value is not below.
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (values[mid] < days)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo == 0 ? 0 : cumulative[lo - 1];
    }

    /// <summary>The smallest value whose cumulative weight reaches <paramref name="q"/> (0 &lt; q ≤ 1).</summary>
    public double Quantile(double q)
    {
        if (values.Length == 0)
            throw new InvalidOperationException("An empty distribution has no quantiles.");
        var index = Array.BinarySearch(cumulative, q - 1e-12);
        if (index < 0)
            index = ~index;
        return values[Math.Min(index, values.Length - 1)];
    }
}
