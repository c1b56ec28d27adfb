using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Reach.Data;
using Reach.Leads;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>A waiting lead's clock on the rep's day, and its escalation on their manager's, in a real browser.</summary>
public abstract class LeadClockJourneyTests(ReachServer server)
{
    [Fact]
    public async Task TheRepSeesTheLeadsClockOverdueAndTheirManagerSeesItEscalated()
    {
        Guid tom;
        await using (var db = server.OpenDb())
            tom = await db.Users.Where(u => u.Email == "tom@reach.demo").Select(u => u.Id).SingleAsync();
        // The oldest waiting lead of the workspace, so it heads both lists whatever the demo holds.
        var created = await server.Http.PostAsync("/api/v1/leads", Json.Body(new { firstName = "Clocked", lastName = "Visitor", company = "Waiting GmbH", ownerId = tom, receivedAt = "2000-01-02T09:00:00Z" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using (var scope = server.Services.CreateAsyncScope())
            await LeadEscalation.RunOnceAsync(scope.ServiceProvider.GetRequiredService<ReachDb>(), null, default);

        await Journey.RunAsync(server, "lead-clock", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");
            var lead = page.Locator("#waiting-leads li").Filter(new() { HasText = "Clocked Visitor" });
            await Assertions.Expect(lead.Locator(".badge.late")).ToContainTextAsync("overdue: waiting");
            await Journey.SnapshotAsync(page, "lead-clock-rep");
        });
        await Journey.RunAsync(server, "lead-escalated", async page =>
        {
            await Journey.SignInAsync(page, "sofia@reach.demo");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overdue leads of my team" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#overdue-leads li").Filter(new() { HasText = "Clocked Visitor" })).ToContainTextAsync("Tom Becker");
            await Journey.SnapshotAsync(page, "lead-escalated-manager");
        });
    }

    // A lead answered in time: its clock on the rep's day until the rep logs a call on it, then its first touch in the
    // rep's speed to first touch, on the dashboard's drill-down (within its target) and on the cover of the rep's report.
    [Fact]
    public async Task ALeadTheRepCallsWithinItsTargetCountsInTheirSpeedToFirstTouch()
    {
        Guid tom;
        await using (var db = server.OpenDb())
            tom = await db.Users.Where(u => u.Email == "tom@reach.demo").Select(u => u.Id).SingleAsync();
        var received = server.Clock.UtcNow.AddMinutes(-10);
        var created = await server.Http.PostAsync("/api/v1/leads", Json.Body(new { firstName = "Prompt", lastName = "Answer", company = "Quick Reply AG", ownerId = tom, receivedAt = received }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadObjectAsync()).Id();

        await Journey.RunAsync(server, "lead-answered", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");
            var waiting = page.Locator("#waiting-leads li").Filter(new() { HasText = "Prompt Answer" });
            await Assertions.Expect(waiting.Locator(".lead-clock")).ToContainTextAsync("waiting 10 min of");
            await Assertions.Expect(waiting.Locator(".badge.late")).ToHaveCountAsync(0);

            await waiting.GetByRole(AriaRole.Link, new() { Name = "Prompt Answer" }).ClickAsync();
            var log = page.GetByRole(AriaRole.Region, new() { Name = "Log an activity" });
            await log.GetByLabel("Type").SelectOptionAsync("Call");
            await log.GetByLabel("Subject").FillAsync("First call");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();
            await Assertions.Expect(page.GetByText("First call").First).ToBeVisibleAsync();

            // Touched: off the waiting list, and in the week's speed to first touch, within its target.
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("#waiting-leads li").Filter(new() { HasText = "Prompt Answer" })).ToHaveCountAsync(0);
            await page.GotoAsync("/Dashboard?kind=week");
            await Assertions.Expect(page.Locator("th", new() { HasText = "Speed to first touch" })).ToBeVisibleAsync();
            await page.Locator("[data-figure='first_touch_within_target-all']").ClickAsync();
            var row = page.Locator("#behind tr").Filter(new() { HasText = "Prompt Answer" });
            await Assertions.Expect(row.Locator("td.within")).ToContainTextAsync("yes");
            await Journey.SnapshotAsync(page, "lead-answered-drill-down");

            await page.GotoAsync("/Reports");
            await page.Locator("#kind").SelectOptionAsync("weekly");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tom Becker");
            var response = page.Locator("#lead-response");
            await Assertions.Expect(response.Locator(".card", new() { HasText = "Speed to first touch" })).ToBeVisibleAsync();
            await Assertions.Expect(response.Locator(".card", new() { HasText = "Leads touched within target" }).Locator("b")).ToContainTextAsync("%");
            await Journey.SnapshotAsync(page, "lead-answered-report");
        });
        await using (var db = server.OpenDb())
            Assert.NotNull(await db.Activities.Where(a => a.LeadId == id && a.Type == Reach.Activities.ActivityType.Call).Select(a => (DateTime?)a.OccurredAt).FirstOrDefaultAsync());
    }

}

public sealed class LeadClockJourneyOnSqliteTests(SqliteBrowserServer server) : LeadClockJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class LeadClockJourneyOnPostgresTests(PostgresBrowserServer server) : LeadClockJourneyTests(server), IClassFixture<PostgresBrowserServer>;
