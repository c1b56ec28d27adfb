using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Data;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// The workspace as a CLI command sees it: the web host's services (same Identity settings, same
/// key ring), built but not listening, with the database migrated and the operator as actor.
/// </summary>
public sealed class Workspace : IAsyncDisposable
{
    readonly WebApplication app;
    readonly AsyncServiceScope scope;

    Workspace(WebApplication app)
    {
        this.app = app;
        scope = app.Services.CreateAsyncScope();
        Db.Actor = Actor.Operator;
    }

    public ReachDb Db => scope.ServiceProvider.GetRequiredService<ReachDb>();

    public UserDirectory Users => scope.ServiceProvider.GetRequiredService<UserDirectory>();

    /// <summary>The host's services in this command's scope (the outreach sender, say).</summary>
    public IServiceProvider Services => scope.ServiceProvider;

    public TimeProvider Clock => app.Services.GetRequiredService<TimeProvider>();

    /// <summary>Where links to the web app point: Reach:PublicUrl, else the default address.</summary>
    public string PublicUrl => app.Configuration["Reach:PublicUrl"] is { Length: > 0 } url ? url : ReachApp.DefaultUrl;

    public static async Task<Workspace> OpenAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        overrides.TryAdd("Logging:LogLevel:Default", "Warning");
        var app = ReachApp.Build([], overrides);
        await ReachApp.PrepareAsync(app, cancellationToken);
        return new Workspace(app);
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        await app.DisposeAsync();
    }
}
