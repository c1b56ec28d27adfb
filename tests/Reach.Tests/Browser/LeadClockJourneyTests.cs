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
}

public sealed class LeadClockJourneyOnSqliteTests(SqliteBrowserServer server) : LeadClockJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class LeadClockJourneyOnPostgresTests(PostgresBrowserServer server) : LeadClockJourneyTests(server), IClassFixture<PostgresBrowserServer>;
