using Microsoft.Playwright;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// b2e2b in a real browser on the demo: a manager opens the usage view, sees the accounts whose teams crossed the
/// threshold with their expansion deals, and follows one to its account page, which shows the usage and the evidence.
/// </summary>
public abstract class UsageJourneyTests(ReachServer server)
{
    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task AManagerSeesTheAccountsThatCrossedTheThresholdAndTheirUsage()
    {
        await Journey.RunAsync(server, "usage-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "sofia@reach.demo", "/Expansion/Usage");
            var crossed = page.Locator("#crossed-accounts tbody tr");
            await Assertions.Expect(crossed.First).ToBeVisibleAsync();
            Assert.InRange(await crossed.CountAsync(), 4, 10);
            await Assertions.Expect(crossed.First.GetByRole(AriaRole.Link, new() { Name = "open the deal" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#candidate-accounts")).ToContainTextAsync("northwind-labs.io");
            await Journey.SnapshotAsync(page, "usage-crossed-" + Provider);

            await crossed.First.Locator("td").First.GetByRole(AriaRole.Link).ClickAsync();
            var usage = page.Locator("[data-account-usage]");
            await Assertions.Expect(usage.Locator("[data-threshold]")).ToContainTextAsync("threshold crossed");
            await Assertions.Expect(usage.Locator("[data-wau]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
            await Assertions.Expect(usage.Locator("[data-score-parts] li")).ToHaveCountAsync(4);
            await Assertions.Expect(usage.Locator("[data-evidence]")).ToContainTextAsync("Rule met:");
            await Journey.SnapshotAsync(page, "usage-account-" + Provider);
        });
    }
}

public sealed class UsageJourneyOnSqliteTests(SqliteBrowserServer server) : UsageJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class UsageJourneyOnPostgresTests(PostgresBrowserServer server) : UsageJourneyTests(server), IClassFixture<PostgresBrowserServer>;
