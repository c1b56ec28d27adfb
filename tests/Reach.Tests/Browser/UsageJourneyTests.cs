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
            // Her team's expansion deals open from here; another team's crossing is listed with its owner, not a link she cannot follow.
            var openable = crossed.Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "open the deal" }) });
            await Assertions.Expect(openable.First).ToBeVisibleAsync();
            var others = crossed.Filter(new() { HasNot = page.GetByRole(AriaRole.Link, new() { Name = "open the deal" }) });
            for (var i = 0; i < await others.CountAsync(); i++)
                await Assertions.Expect(others.Nth(i)).ToContainTextAsync("'s deal");
            await Assertions.Expect(page.Locator("#candidate-accounts")).ToContainTextAsync("northwind-labs.io");
            await Journey.SnapshotAsync(page, "usage-crossed-" + Provider);

            await openable.First.Locator("td").First.GetByRole(AriaRole.Link).ClickAsync();
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
