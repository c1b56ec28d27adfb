using System.Diagnostics;

namespace Reach.Tests.Infrastructure;

/// <summary>
/// The clock of a test server (<see cref="ReachServer.Clock"/>): it starts at a fixed instant whatever the day the tests
/// run, and runs on from there only by the time the tests take, so records made one after another are stamped in that
/// order. No test then depends on the day it runs (the demo's data, a weekday send window, "this month").
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>Wednesday 25 November 2026, noon UTC: a weekday in every time zone (UTC−12 to UTC+14), mid-month and mid-quarter.</summary>
    public static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    readonly long started = Stopwatch.GetTimestamp();
    TimeSpan jumped;

    public override DateTimeOffset GetUtcNow() => start + jumped + Stopwatch.GetElapsedTime(started);

    /// <summary>
    /// Moves the clock on by <paramref name="by"/> (from the Wednesday to the Friday, say), for a test whose class has a
    /// server of its own: every other test of that server sees the new day too.
    /// </summary>
    public void Jump(TimeSpan by) => jumped += by;

    /// <summary>Now, as the server's records are stamped (UTC).</summary>
    public DateTime UtcNow => GetUtcNow().UtcDateTime;
}
