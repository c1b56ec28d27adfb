using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>The planner page and routing in the browser: a manager's what-if, a saved and activated version, routed lists.</summary>
public abstract partial class WebAppTests
{
    [Fact]
    public async Task AManagerRaisesAPriceSeesTheDeadZoneSavesAndActivatesItAndFiltersAccountsByChannel()
    {
        await InBrowserAsync("planner", async page =>
        {
            await SignInAsync(page, "daniel@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Planner" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Planner");
            var small = page.Locator("section[aria-label='Segments'] tr[data-row='small']");
            await Assertions.Expect(small).ToContainTextAsync("self-service");
            await SnapshotAsync(page, "planner");

            // A marker on the window survives only if the page is not reloaded.
            await page.EvaluateAsync("() => window.stillHere = true");
            await page.GetByLabel("ACV of small").FillAsync("4000");
            await Assertions.Expect(small).ToContainTextAsync("gap");
            await Assertions.Expect(small).ToContainTextAsync("raise price to 5,000 EUR (inside)");
            await Assertions.Expect(page.Locator("section.warnings")).ToContainTextAsync("small (ACV 4,000 EUR) is in a dead zone");
            await Assertions.Expect(page.Locator("#plan-yaml")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("acv: 4000"));
            Assert.True(await page.EvaluateAsync<bool>("() => window.stillHere === true"));
            await SnapshotAsync(page, "planner-dead-zone");

            // Month by month: the dead zone's share is never sold, so the target is not reached; one click on a
            // recommendation puts its scenario beside the plan, differences highlighted, and into the YAML.
            await Assertions.Expect(page.Locator("[data-time-to-target]")).ToContainTextAsync("not within the horizon");
            await Assertions.Expect(page.Locator("svg[data-chart='cumulative-arr']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("svg[data-chart='reps-by-month']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("svg[data-chart='tornado']")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "small: raise price to 5,000 EUR (inside)" }).ClickAsync();
            var scenario = page.Locator("section[aria-label='Scenario: raise_price:small']");
            await Assertions.Expect(scenario.Locator("tr[data-row='target share in dead zones']")).ToHaveClassAsync("flagged");
            await Assertions.Expect(page.Locator("#plan-yaml")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("raise_price:small"));
            await SnapshotAsync(page, "planner-scenario");

            await page.GetByLabel("Version name").FillAsync("Small teams priced up");
            await page.GetByLabel("Activate it").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save as a version" }).ClickAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("made it the active plan");
            await Assertions.Expect(page.Locator("tr[data-version='Small teams priced up']")).ToContainTextAsync("active since");

            await page.GotoAsync("/Accounts");
            await page.GetByLabel("Routed to").SelectOptionAsync("inside");
            await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
            var routes = page.Locator("table tbody tr td:last-child");
            await Assertions.Expect(routes.First).ToContainTextAsync("mid-market inside");
            foreach (var route in await routes.AllInnerTextsAsync())
                Assert.Contains("inside", route, StringComparison.Ordinal);
            await SnapshotAsync(page, "accounts-by-channel");

            await page.GotoAsync("/Accounts?deadZone=true");
            await Assertions.Expect(routes.First).ToContainTextAsync("dead zone");
            foreach (var route in await routes.AllInnerTextsAsync())
                Assert.Contains("small self-service", route, StringComparison.Ordinal);
        });

        await using var db = server.OpenDb();
        var active = await db.PlanVersions.SingleAsync(v => v.IsActive);
        Assert.Equal("Small teams priced up", active.Name);
        Assert.Equal("daniel@reach.demo", (await db.Users.SingleAsync(u => u.Id == active.AuthorId)).Email);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityId == active.Id));
        var smallAccount = await db.Accounts.FirstAsync(a => a.ExpectedAcv == null && a.Employees >= 1 && a.Employees <= 49);
        Assert.True(smallAccount.DeadZone);
        Assert.Equal("push_to_self_service", smallAccount.RouteAction);
    }

    [Fact]
    public async Task AManagerAddsAPartnerChannelThatTakesASegmentOutOfTheDeadZone()
    {
        await InBrowserAsync("planner-partner", async page =>
        {
            await SignInAsync(page, "daniel@reach.demo");
            await page.GotoAsync("/Planner");
            var small = page.Locator("section[aria-label='Segments'] tr[data-row='small']");
            await page.GetByLabel("ACV of small").FillAsync("4000");
            await Assertions.Expect(small).ToContainTextAsync("gap");

            // A partner takes a commission and its own win rate and cycle; the rep fields do not apply to it.
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a channel" }).ClickAsync();
            await page.GetByLabel("Name of the new channel").FillAsync("resellers");
            await page.GetByLabel("Kind of the new channel").SelectOptionAsync("partner");
            await Assertions.Expect(page.GetByLabel("Rep cost / year of the new channel")).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByLabel("Commission of the new channel", new() { Exact = true })).ToBeEnabledAsync();
            await page.GetByLabel("Commission of the new channel", new() { Exact = true }).FillAsync("0.2");
            await page.GetByLabel("Win rate of the new channel").FillAsync("0.25");
            await page.GetByLabel("Cycle days of the new channel").FillAsync("30");
            await page.GetByLabel("Min ACV of the new channel").FillAsync("1000");
            await page.GetByLabel("Max ACV of the new channel").FillAsync("5000");

            await Assertions.Expect(small).ToContainTextAsync("resellers");
            await Assertions.Expect(small).Not.ToContainTextAsync("gap");
            await Assertions.Expect(page.Locator("#plan-yaml")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("kind: partner"));
            await SnapshotAsync(page, "planner-partner");
        });
    }

    [Fact]
    public async Task ARepSeesOnAnAccountPageWhyItWasRoutedAndCannotSaveAPlan()
    {
        Guid id;
        int employees;
        await using (var db = server.OpenDb())
        {
            var account = await db.Accounts.Where(a => a.ExpectedAcv == null && a.Employees >= 500).OrderBy(a => a.Name).FirstAsync();
            (id, employees) = (account.Id, account.Employees!.Value);
        }

        await InBrowserAsync("route-reason", async page =>
        {
            await SignInAsync(page, "claire@reach.demo");
            await page.GotoAsync($"/Accounts/{id}");
            await Assertions.Expect(page.Locator(".route")).ToContainTextAsync($"{employees} employees → segment enterprise (500–) → field; ACV 80,000 EUR");
            await SnapshotAsync(page, "account-route");

            await page.GotoAsync("/Planner");
            await Assertions.Expect(page.GetByText("Managers and admins save and activate versions.")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save as a version" }).CountAsync());
        });
    }
}
