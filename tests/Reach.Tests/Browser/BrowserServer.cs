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
/// A Reach server on a fresh SQLite file with the demo workspace (its users sign in with the demo
/// password), and Debian's Chromium driven by Playwright. Locally without Chromium the browser tests
/// skip with the reason; in CI (CI=true) a missing Chromium fails them.
/// </summary>
public sealed class BrowserServer : SqliteServer
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? playwright;

    public IBrowser? Browser { get; private set; }

    public string? BrowserSkipReason { get; private set; }

    protected override async Task SeedAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<ReachDb>();
        await DemoWorkspace.SeedAsync(db, DateTime.UtcNow);
        var hash = services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, DemoCommand.DemoPassword);
        await db.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash));

        if (!File.Exists(ChromiumPath))
        {
            if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
                throw new InvalidOperationException($"{ChromiumPath} is missing in CI: .ci/run must apt-get install chromium.");
            BrowserSkipReason = $"Browser tests skipped: {ChromiumPath} is not installed (apt-get install chromium).";
            return;
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    }

    /// <summary>A fresh browser context (its own cookies) on a page of the server; skips when there is no browser.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        _ = Http;
        if (BrowserSkipReason is not null)
            Assert.Skip(BrowserSkipReason);
        var context = await Browser!.NewContextAsync(new() { BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = viewport ?? new ViewportSize { Width = 1360, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }
}
