using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A manager creates a drip track in the browser: a piece with an ask is refused with the coach beside it,
/// the list audience is previewed, the track resumed and sent, and the piece arrives on the real mail servers.
/// </summary>
public abstract class DripJourneyTests(ReachServer server)
{
    [Fact]
    public async Task AManagerCreatesATrackForADemoContactAndThePieceArrives()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        Guid contactId;
        string contactName, contactEmail;
        await using (var db = server.OpenDb())
        {
            var daniel = await db.Users.SingleAsync(u => u.Email == "daniel@reach.demo");
            var team = await db.Users.Where(u => u.TeamId == daniel.TeamId).Select(u => (Guid?)u.Id).ToListAsync();
            var contact = await db.Contacts.Where(c => c.Email != null && team.Contains(c.OwnerId)).OrderByDescending(c => c.Email).FirstAsync();
            (contactId, contactName, contactEmail) = (contact.Id, contact.FullName, contact.Email!);
        }
        var name = "Insights " + Guid.NewGuid().ToString("N")[..6];

        await Journey.RunAsync(server, "drip-journey", async page =>
        {
            await Journey.SignInAsync(page, "daniel@reach.demo");
            await page.GotoAsync("/Settings/Mail");
            await page.GetByLabel("E-mail address").FillAsync("daniel@seller.example");
            await page.Locator("#smtp-host").FillAsync(mail.SmtpHost);
            await page.Locator("#smtp-port").FillAsync(mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#smtp-security").SelectOptionAsync("None");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the mailbox" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Mailbox saved." })).ToBeVisibleAsync();

            // From the Sequences page to the Drips page, and a new track: created paused.
            await page.GetByRole(AriaRole.Link, new() { Name = "Sequences", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "drip track" }).ClickAsync();
            await page.GetByLabel("Name").FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
            await Assertions.Expect(page.Locator("h1 .badge")).ToHaveTextAsync("paused");

            // The list audience, sendable all day, and a piece that asks: refused, the coach beside it.
            await page.Locator("#drip-tier").SelectOptionAsync("");
            await page.Locator("#drip-list").FillAsync(contactEmail);
            await page.Locator("#drip-start").FillAsync("0");
            await page.Locator("#drip-end").FillAsync("24");
            await page.Locator("#piece-0-body").FillAsync("Hi {{contact.first_name}}, can you hop on a call this week?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the drip track" }).ClickAsync();
            await Assertions.Expect(page.Locator("#piece-0-body-error")).ToContainTextAsync("asks something");
            await Assertions.Expect(page.Locator(".coach-panel").First).ToBeVisibleAsync();
            await page.Locator("#piece-0-body").FillAsync("Hi {{contact.first_name}}, teams like {{account.name}} that review pipeline weekly close 20% more. Thought it worth sharing.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the drip track" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Drip track saved." })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#audience-count")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("#drip-list")).ToHaveValueAsync(contactEmail);

            // Resume it and run the sender from the page.
            await page.GetByRole(AriaRole.Button, new() { Name = "Resume the track" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1 .badge")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send due pieces now" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sender ran" })).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "drip-track");

            DripSend send;
            await using (var db = server.OpenDb())
                send = await db.DripSends.SingleAsync(s => s.ContactId == contactId && db.DripTracks.Any(t => t.Id == s.TrackId && t.Name == name));
            // The server's clock is a Wednesday noon UTC, a weekday in every zone: the piece goes out at once.
            Assert.Equal(StepStatus.Sent, send.Status);
            await Assertions.Expect(page.Locator("tr.drip-send", new() { HasText = contactName })).ToHaveAttributeAsync("data-status", "sent");
            var email = Assert.Single(await mail.ReceivedByAsync(contactEmail), m => m.MessageId == send.MessageId);
            Assert.Equal("daniel@seller.example", email.From.Mailboxes.Single().Address);
            Assert.Contains("review pipeline weekly", email.TextBody, StringComparison.Ordinal);

            // Listed on the Drips page with what it sent.
            await page.GetByRole(AriaRole.Link, new() { Name = "Drips", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("tr", new() { HasText = name })).ToContainTextAsync("1");
            await Journey.SnapshotAsync(page, "drip-list");
        });
    }
}

public sealed class DripJourneyOnSqliteTests(SqliteBrowserServer server) : DripJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class DripJourneyOnPostgresTests(PostgresBrowserServer server) : DripJourneyTests(server), IClassFixture<PostgresBrowserServer>;
