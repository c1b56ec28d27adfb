using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Reach.Access;
using Reach.Cli.Commands;
using Reach.Data;
using Reach.Demo;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright, against a server seeded with the demo workspace (its users
/// sign in with the demo password) as of the server's clock (<see cref="ReachServer.Clock"/>). Locally without Chromium the browser tests skip with the reason;
/// in CI (CI=true) a missing Chromium fails them.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? playwright;
    IBrowser? browser;
    string? skipReason;

    // Without the demo the workspace is a new one (default pipelines and settings, no records), for journeys that bring
    // their own data in.
    public async Task StartAsync(IServiceProvider services, bool demo = true)
    {
        if (demo)
        {
            var db = services.GetRequiredService<ReachDb>();
            // Seeded on the app's own clock (the server's fixed TestClock), so the demo's data is the same whatever the day.
            await DemoWorkspace.SeedAsync(db, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            var hash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, DemoCommand.DemoPassword);
            await db.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash));
        }

        if (!File.Exists(ChromiumPath))
        {
            if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
                throw new InvalidOperationException($"{ChromiumPath} is missing in CI: .ci/run must apt-get install chromium.");
            skipReason = $"Browser tests skipped: {ChromiumPath} is not installed (apt-get install chromium).";
            return;
        }
        playwright = await Playwright.CreateAsync();
        // Expect(…) waits 5 s by default: on two loaded cores a page's script can take longer to settle. The
        // assertions wait for the state they name, so a long limit only costs time when a test is failing.
        Assertions.SetDefaultExpectTimeout(30_000);
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    }

    /// <summary>A fresh browser context (its own cookies) on a page of the server; skips when there is no browser.</summary>
    public async Task<IPage> NewPageAsync(ReachServer server, ViewportSize? viewport = null)
    {
        _ = server.Http;
        if (skipReason is not null)
            Assert.Skip(skipReason);
        var context = await browser!.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString().TrimEnd('/'), ViewportSize = viewport ?? new ViewportSize { Width = 1360, Height = 900 } });
        // Generous: two cores run both providers' journeys and the rest of the suite at once; a slow first page is not a failure.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

public interface IBrowserServer
{
    BrowserHost Browser { get; }
}

public sealed class SqliteBrowserServer : SqliteServer, IBrowserServer
{
    public BrowserHost Browser { get; } = new();

    protected override Task SeedAsync(IServiceProvider services) => Browser.StartAsync(services);

    public override async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class PostgresBrowserServer : PostgresServer, IBrowserServer
{
    public BrowserHost Browser { get; } = new();

    protected override Task SeedAsync(IServiceProvider services) => Browser.StartAsync(services);

    public override async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A new workspace with no demo data (its users are added by the test, with the demo password), in a browser.</summary>
public sealed class SqliteEmptyBrowserServer : SqliteServer, IBrowserServer
{
    public BrowserHost Browser { get; } = new();

    protected override Task SeedAsync(IServiceProvider services) => Browser.StartAsync(services, demo: false);

    public override async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <inheritdoc cref="SqliteEmptyBrowserServer"/>
public sealed class PostgresEmptyBrowserServer : PostgresServer, IBrowserServer
{
    public BrowserHost Browser { get; } = new();

    protected override Task SeedAsync(IServiceProvider services) => Browser.StartAsync(services, demo: false);

    public override async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await base.DisposeAsync();
    }
}
