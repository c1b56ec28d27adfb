using Reach.Data;

namespace Reach.Web;

/// <summary>While the server runs it holds the workspace's <see cref="WorkspaceLock"/>: <c>reach restore</c> refuses to replace it underneath.</summary>
public sealed class RunningWorkspace(Database database, ILogger<RunningWorkspace> log) : IHostedService, IDisposable
{
    WorkspaceLock? held;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        held = WorkspaceLock.TryTake(database);
        if (held is null && database.Provider == DatabaseProvider.Sqlite)
            log.LogWarning("Another process holds {Lock}: another Reach server runs on this workspace.", WorkspaceLock.PathOf(database));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        held?.Dispose();
        held = null;
    }
}
