using Microsoft.Playwright;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>A rep writes the week; their manager reads it beside the figures, promotes the insight and sees the checklist, in a real browser.</summary>
public abstract class WeeklyLogJourneyTests(ReachServer server)
{
    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task ARepWritesTheWeekAndTheManagerPromotesTheInsight()
    {
        await Journey.RunAsync(server, "weekly-log-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "lena@reach.demo", "/Playbook/Week");
            var mine = page.GetByRole(AriaRole.Form, new() { Name = "Your week" });
            await mine.GetByLabel("What worked").FillAsync("");
            await mine.GetByLabel("What didn't").FillAsync("");
            await mine.GetByLabel("Insight worth keeping").FillAsync("   ");
            await mine.GetByRole(AriaRole.Button, new() { Name = "Save my week" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the log has nothing in it");

            await mine.GetByLabel("What worked").FillAsync("Calling before nine");
            await mine.GetByLabel("What didn't").FillAsync("Long first e-mails");
            await mine.GetByLabel("Insight worth keeping").FillAsync("Lead with the payback month, not the feature list");
            await mine.GetByRole(AriaRole.Button, new() { Name = "Save my week" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is saved");
            await Assertions.Expect(mine.GetByLabel("Insight worth keeping")).ToHaveValueAsync("Lead with the payback month, not the feature list");
            // A rep sees their own week, not the team's, and promotes nothing.
            await Assertions.Expect(page.GetByTestId("team-week")).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("E-mail")).ToBeVisibleAsync();
            await Journey.SignInAsync(page, "sofia@reach.demo", "/Playbook/Week");
            var lena = page.GetByTestId("team-week").GetByRole(AriaRole.Row, new() { Name = "Lena Fischer" });
            await Assertions.Expect(lena).ToContainTextAsync("Calling before nine");
            await Assertions.Expect(lena).ToContainTextAsync("Lead with the payback month");
            await lena.GetByLabel("Into the playbook as").SelectOptionAsync(new SelectOptionValue { Label = "Difficult Q&A" });
            await lena.GetByLabel("Title (the insight's first line when left empty)").FillAsync("Why now? The payback month");
            await lena.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Promoted into the playbook as “Why now? The payback month”.");
            await Assertions.Expect(lena.GetByRole(AriaRole.Link, new() { Name = "Why now? The payback month" })).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "weekly-log-" + Provider);

            await page.GotoAsync("/Playbook");
            await page.GetByRole(AriaRole.Link, new() { Name = "start-selling checklist" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start-selling checklist" })).ToBeVisibleAsync();
            var insights = page.Locator("tr[data-item=insights]");
            await Assertions.Expect(insights).ToContainTextAsync("Done");
            await Assertions.Expect(insights).ToContainTextAsync("promoted into the playbook");
            await Assertions.Expect(page.Locator("tr[data-item=weekly_results]")).ToContainTextAsync("Done");
            await Journey.SnapshotAsync(page, "checklist-" + Provider);
        });
    }
}

public sealed class WeeklyLogJourneyOnSqliteTests(SqliteBrowserServer server) : WeeklyLogJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class WeeklyLogJourneyOnPostgresTests(PostgresBrowserServer server) : WeeklyLogJourneyTests(server), IClassFixture<PostgresBrowserServer>;
