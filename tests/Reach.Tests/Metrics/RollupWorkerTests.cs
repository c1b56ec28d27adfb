using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reach.Web;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>The rollup worker (and the other background workers) as the web app runs them: they start with the server and stop with it, quietly.</summary>
public sealed class RollupWorkerTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-rollup-worker-").FullName;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StoppingTheServerWhileTheWorkerWaitsLogsNoError(bool stoppedFirst)
    {
        var logs = new KeptLogs();
        var app = ReachApp.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Reach:Db"] = Path.Combine(directory, $"reach-{stoppedFirst}.db"),
            ["Reach:KeyCertificate"] = Path.Combine(directory, "keys.pfx"),
            ["Reach:Outreach:Enabled"] = "false",
            ["Reach:ReportMail:Enabled"] = "false",
            // Long enough that the worker is waiting for its next pass when the server stops.
            ["Reach:Rollups:IntervalSeconds"] = "3600",
        }, builder => builder.Logging.AddProvider(logs));
        await ReachApp.PrepareAsync(app);
        await app.StartAsync();
        // The first pass has run (an empty workspace builds its rollups at once); the worker now waits on its timer.
        while (!logs.Entries.Any(e => e.Category == typeof(RollupWorker).FullName && e.Message.StartsWith("Metric rollups built", StringComparison.Ordinal)))
            await Task.Delay(50, TestContext.Current.CancellationToken);

        // The CLI's serve stops the host then disposes it; a host disposed without a stop cancels its workers too.
        if (stoppedFirst)
            await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();

        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Error}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    sealed record Entry(LogLevel Level, string Category, string Message, Exception? Error);

    /// <summary>Every log entry of the server, kept for the test to read.</summary>
    sealed class KeptLogs : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        sealed class Logger(KeptLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
        }
    }
}
