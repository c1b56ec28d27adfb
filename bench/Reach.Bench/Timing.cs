using System.Diagnostics;

namespace Reach.Bench;

/// <summary>How a benchmark times a piece of work: warm-up runs first, then the median of the timed runs.</summary>
static class Timing
{
    public static async Task<double> MedianMillisecondsAsync(Func<Task> run, int warmUps, int runs)
    {
        for (var i = 0; i < warmUps; i++)
            await run();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(runs / 2);
    }
}
