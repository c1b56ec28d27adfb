using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// Start small, then grow, in a real browser on the demo: a manager finds the oversized deal on the guardrail's list,
/// reads the flag on the deal page, the land-and-expand story on its account, and opens a cohort of the report.
/// </summary>
public abstract class ExpansionJourneyTests(ReachServer server)
{
    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task AManagerFollowsTheOversizedDealToItsAccountsStoryAndOpensACohort()
    {
        Guid dealId;
        string dealName;
        await using (var db = server.OpenDb())
        {
            var deal = await db.Deals.SingleAsync(d => d.Name.EndsWith("Company-wide licence"));
            (dealId, dealName) = (deal.Id, deal.Name);
        }

        await Journey.RunAsync(server, "expansion-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "admin@reach.demo", "/Expansion/Oversized");
            var row = page.Locator($"tr[data-deal='{dealId}']");
            await Assertions.Expect(row).ToContainTextAsync(new Regex(@"\d+\.\d× the largest deal won in "));
            await Journey.SnapshotAsync(page, "expansion-oversized-" + Provider);

            await row.GetByRole(AriaRole.Link, new() { Name = dealName }).ClickAsync();
            var flag = page.Locator("[data-oversized]");
            await Assertions.Expect(flag).ToContainTextAsync("Far out of scale");
            await Assertions.Expect(flag).ToContainTextAsync(new Regex(@"× the largest deal won in .+, €\d"));
            await Journey.SnapshotAsync(page, "expansion-deal-" + Provider);

            await page.Locator(".muted a[href^='/Accounts/']").First.ClickAsync();
            var story = page.Locator("[data-account-story]");
            await Assertions.Expect(story.GetByRole(AriaRole.Heading, new() { Name = "Land and expand" })).ToBeVisibleAsync();
            await Assertions.Expect(story.Locator("[data-arr]")).ToContainTextAsync("ARR €");
            await Assertions.Expect(story.Locator("li[data-role='land']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator(".oversized").First).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "expansion-account-" + Provider);

            await page.GetByRole(AriaRole.Link, new() { Name = "Expansion", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Land and expand", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("tr[data-group='all:All accounts']")).ToBeVisibleAsync();
            await page.Locator("table[data-cohorts] a").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-cohort-accounts] tbody tr").First).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "expansion-report-" + Provider);
        });
    }
}

public sealed class ExpansionJourneyOnSqliteTests(SqliteBrowserServer server) : ExpansionJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class ExpansionJourneyOnPostgresTests(PostgresBrowserServer server) : ExpansionJourneyTests(server), IClassFixture<PostgresBrowserServer>;
