using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reach.Access;
using Reach.Data;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// The workspace as a CLI command sees it: the workspace's services without the web host (same Identity settings, same
/// key ring, so a link printed here opens in the web app), the database made ready, and the operator as actor.
/// </summary>
/// <remarks>
/// The actor rule of the CLI: every command acts as <see cref="Actor.Operator"/> (an admin, "operator" in the audit
/// trail), imports included: whoever can run `reach` on the machine can read the database file anyway. A command that
/// acts for a user (`report schedule add`) switches to that user explicitly, so their rights are checked.
/// </remarks>
public sealed class Workspace : IAsyncDisposable
{
    readonly ServiceProvider services;
    readonly AsyncServiceScope scope;

    Workspace(ServiceProvider services, IConfiguration configuration, Database database)
    {
        this.services = services;
        scope = services.CreateAsyncScope();
        Configuration = configuration;
        Database = database;
        Db = scope.ServiceProvider.GetRequiredService<ReachDb>();
        Db.Actor = Actor.Operator;
    }

    public IConfiguration Configuration { get; }

    public Database Database { get; }

    public ReachDb Db { get; }

    public UserDirectory Users => scope.ServiceProvider.GetRequiredService<UserDirectory>();

    /// <summary>The workspace's services in this command's scope (the outreach sender, say).</summary>
    public IServiceProvider Services => scope.ServiceProvider;

    public TimeProvider Clock => services.GetRequiredService<TimeProvider>();

    /// <summary>Where links to the web app point: Reach:PublicUrl, else the default address.</summary>
    public string PublicUrl => Configuration["Reach:PublicUrl"] is { Length: > 0 } url ? url : ReachApp.DefaultUrl;

    /// <summary>
    /// Opens the workspace <paramref name="configuration"/> names. A workspace whose schema is current is used as it is
    /// (no migration lock, no start-up checks: a CLI command answers at once); one that is new or behind is made ready
    /// as the web host makes it at start. With <paramref name="mustExist"/>, a SQLite file that does not exist is refused
    /// rather than made an empty workspace (commands that only read).
    /// </summary>
    public static Task<Workspace> OpenAsync(IConfiguration configuration, TimeProvider? clock = null, bool mustExist = false, CancellationToken cancellationToken = default) =>
        OpenAsync(configuration, ReachApp.DatabaseFrom(configuration), clock, mustExist, cancellationToken);

    /// <summary>Opens <paramref name="database"/> with the rest of <paramref name="configuration"/> (its key certificate, mail settings).</summary>
    public static async Task<Workspace> OpenAsync(IConfiguration configuration, Database database, TimeProvider? clock = null, bool mustExist = false, CancellationToken cancellationToken = default)
    {
        if (mustExist && database.Provider == DatabaseProvider.Sqlite && !File.Exists(database.Location))
            throw new InputException("db", $"no such database: {database.Location} (the demo's is reach-demo.db: add --db reach-demo.db).");
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkspace(configuration, database, clock ?? TimeProvider.System);
        var provider = services.BuildServiceProvider();
        var workspace = new Workspace(provider, configuration, database);
        try
        {
            if (!(database.Provider == DatabaseProvider.Sqlite && !File.Exists(database.Location))
                && !(await workspace.Db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
                return workspace;
            await ReachApp.PrepareAsync(database, workspace.Db, configuration, cancellationToken);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        await services.DisposeAsync();
    }
}
