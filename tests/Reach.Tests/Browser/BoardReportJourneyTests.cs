using Microsoft.Playwright;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// The Velocity team's manager opens the team's quarterly report from the Reports page: a per-rep table, new /
/// expansion / renewal apart, coverage read in words or as a figure, channels named for people, how fast leads were
/// answered (on the cover and per rep); Tom opens his own.
/// </summary>
public abstract class BoardReportJourneyTests(ReachServer server)
{
    [Fact]
    public async Task AManagerOpensTheTeamsQuarterlyReportWithARowPerRep()
    {
        _ = server.Http;
        await Journey.RunAsync(server, "board-report-journey", async page =>
        {
            await Journey.SignInAsync(page, "sofia@reach.demo", "/Reports");
            await page.Locator("#kind").SelectOptionAsync("quarterly");
            await page.Locator("#scope").SelectOptionAsync(new SelectOptionValue { Label = "My team (Velocity)" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();

            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Quarterly report");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Velocity");
            var byRep = page.Locator("h2", new() { HasText = "By rep" });
            await Assertions.Expect(byRep).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("table").Filter(new() { HasText = "Tom Becker" }).First).ToBeVisibleAsync();
            var perRep = page.Locator("table").Filter(new() { HasText = "Tom Becker" }).Filter(new() { HasText = "win rate, new business" });
            await Assertions.Expect(perRep.Locator("th", new() { HasText = "speed to first touch" })).ToBeVisibleAsync();
            await Assertions.Expect(perRep.Locator("th", new() { HasText = "leads touched within target" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#lead-response .card", new() { HasText = "Speed to first touch" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("h2", new() { HasText = "New, expansion and renewal" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("h2", new() { HasText = "Renewals won" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".legend")).ToContainTextAsync("Self-service");
            var body = await page.Locator("body").InnerTextAsync();
            Assert.DoesNotContain("self_service", body, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\d{2,3},\d{3}\.\d%", body);
            await Journey.SnapshotAsync(page, "velocity-quarterly-report");
        });

        await Journey.RunAsync(server, "board-report-rep", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo", "/Reports");
            await page.Locator("#kind").SelectOptionAsync("quarterly");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tom Becker");
            await Assertions.Expect(page.Locator(".card", new() { HasText = "Pipeline coverage" }).First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("h2", new() { HasText = "By rep" })).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#lead-response .card", new() { HasText = "Speed to first touch" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#lead-response .card", new() { HasText = "Leads touched within target" })).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "tom-quarterly-report");
        });
    }
}

public sealed class BoardReportJourneyOnSqliteTests(SqliteBrowserServer server) : BoardReportJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class BoardReportJourneyOnPostgresTests(PostgresBrowserServer server) : BoardReportJourneyTests(server), IClassFixture<PostgresBrowserServer>;
