using System.Diagnostics;
using System.Globalization;

namespace Reach.Bench;

/// <summary>A command run as a new process under <c>/usr/bin/time</c>: its wall clock and its CPU time (user + system).</summary>
static class TimedProcess
{
    /// <summary>Runs <paramref name="command"/> (program and arguments); seconds. A non-zero exit is an error with what it said.</summary>
    public static async Task<(double Wall, double Cpu)> RunAsync(IReadOnlyList<string> command)
    {
        var times = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])["-f", "%U %S", "-o", times, .. command])
                start.ArgumentList.Add(argument);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var said = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var wall = watch.Elapsed.TotalSeconds;
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{string.Join(' ', command)} exited {process.ExitCode}: {await errors}{await said}");
            var cpu = (await File.ReadAllTextAsync(times)).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
                .Sum(t => double.Parse(t, CultureInfo.InvariantCulture));
            return (wall, cpu);
        }
        finally
        {
            File.Delete(times);
        }
    }
}
