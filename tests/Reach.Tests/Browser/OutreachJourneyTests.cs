using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A manager builds a sequence in the browser, enrols a demo contact from the contact's page, runs
/// the sender and sees the email on the real SMTP/IMAP servers and the step's status on the page.
/// </summary>
public abstract class OutreachJourneyTests(ReachServer server)
{
    [Fact]
    public async Task AManagerBuildsASequenceEnrolsADemoContactAndTheEmailArrives()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        Guid contactId;
        string contactName;
        await using (var db = server.OpenDb())
        {
            var daniel = await db.Users.SingleAsync(u => u.Email == "daniel@reach.demo");
            var team = await db.Users.Where(u => u.TeamId == daniel.TeamId).Select(u => (Guid?)u.Id).ToListAsync();
            var contact = await db.Contacts.Where(c => c.Email != null && team.Contains(c.OwnerId)).OrderBy(c => c.Email).FirstAsync();
            (contactId, contactName) = (contact.Id, contact.FullName);
        }
        var name = "Board meeting " + Guid.NewGuid().ToString("N")[..6];

        await Journey.RunAsync(server, "outreach-journey", async page =>
        {
            await Journey.SignInAsync(page, "daniel@reach.demo");

            // Connect the mailbox and test it.
            await page.GetByRole(AriaRole.Link, new() { Name = "Mail", Exact = true }).ClickAsync();
            await page.GetByLabel("E-mail address").FillAsync("daniel@seller.example");
            await page.Locator("#smtp-host").FillAsync(mail.SmtpHost);
            await page.Locator("#smtp-port").FillAsync(mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#smtp-security").SelectOptionAsync("None");
            await page.Locator("#imap-host").FillAsync(mail.ImapHost);
            await page.Locator("#imap-port").FillAsync(mail.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#imap-security").SelectOptionAsync("None");
            await page.Locator("#imap-user").FillAsync(mail.User);
            await page.Locator("#imap-password").FillAsync(mail.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the mailbox" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Mailbox saved." })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Test the connection" }).ClickAsync();
            await Assertions.Expect(page.Locator("#test-result")).ToContainTextAsync("signed in");
            await Journey.SnapshotAsync(page, "outreach-mailbox");

            // Build the sequence: the starter steps, sendable all day, and a merge-field typo refused first.
            await page.GetByRole(AriaRole.Link, new() { Name = "Sequences", Exact = true }).ClickAsync();
            await page.GetByLabel("Name").FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
            await page.Locator("#seq-start").FillAsync("0");
            await page.Locator("#seq-end").FillAsync("24");
            await page.Locator("#step-0-body").FillAsync("Hi {{contact.firstname}}, have 5 mins to chat this week? Thx.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the sequence" }).ClickAsync();
            await Assertions.Expect(page.Locator("#step-0-body-error")).ToContainTextAsync("{{contact.firstname}}");
            await page.Locator("#step-0-body").FillAsync("Hi {{contact.first_name}}, have 5 mins to chat this week about {{account.name}}? Board meeting coming up, need to get on the same page on two quick things. Thx.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the sequence" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sequence saved." })).ToBeVisibleAsync();
            Assert.Equal(2, await page.Locator("fieldset.step").CountAsync() - 1);
            var sequenceUrl = page.Url;

            // Enrol a demo contact from their page.
            await page.GotoAsync($"/Contacts/{contactId}");
            await page.GetByLabel("Enrol in a sequence").SelectOptionAsync(new SelectOptionValue { Label = name });
            await page.GetByRole(AriaRole.Button, new() { Name = "Enrol", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByText($"Enrolled in {name}.")).ToBeVisibleAsync();

            // Run the sender from the sequence's page.
            await page.GotoAsync(sequenceUrl);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send due steps now" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sender ran" })).ToBeVisibleAsync();
            await Journey.SnapshotAsync(page, "outreach-sequence");

            EnrolmentStep first;
            await using (var db = server.OpenDb())
            {
                var enrolment = await db.Enrolments.Include(e => e.Steps).SingleAsync(e => e.ContactId == contactId && db.Sequences.Any(s => s.Id == e.SequenceId && s.Name == name));
                first = enrolment.Steps.Single(s => s.Position == 1);
            }
            // The server's clock is a Wednesday noon UTC, a weekday in every zone: the step goes out at once.
            Assert.Equal(StepStatus.Sent, first.Status);
            await Assertions.Expect(page.Locator("tr", new() { HasText = contactName }).Locator("[data-status=sent]")).ToContainTextAsync("sent");
            var received = await mail.ReceivedByAsync(await ContactEmailAsync(contactId));
            var email = Assert.Single(received, m => m.MessageId == first.MessageId);
            Assert.Equal("daniel@seller.example", email.From.Mailboxes.Single().Address);
            Assert.Contains("have 5 mins to chat this week about", email.TextBody, StringComparison.Ordinal);
        });
    }

    async Task<string> ContactEmailAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        return (await db.Contacts.SingleAsync(c => c.Id == contactId)).Email!;
    }
}

public sealed class OutreachJourneyOnSqliteTests(SqliteBrowserServer server) : OutreachJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class OutreachJourneyOnPostgresTests(PostgresBrowserServer server) : OutreachJourneyTests(server), IClassFixture<PostgresBrowserServer>;
