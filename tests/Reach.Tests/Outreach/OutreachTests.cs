using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Reach.Activities;
using Reach.Data;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Outreach;

/// <summary>
/// Sequences against real mail servers (aiosmtpd delivering into Dovecot, on 127.0.0.1) and each
/// database provider. Time is a <see cref="ManualClock"/>: the sender's passes are run by the test.
/// </summary>
public abstract class OutreachTests(ReachServer server)
{
    sealed record Rep(HttpClient Http, Guid UserId, string Address);

    async Task<Rep> NewRepAsync(MailServers mail, int? smtpPort = null)
    {
        var (user, token) = await server.AddUserAsync(UserRole.Rep, "Claire Rep");
        var http = server.NewClient(token);
        var address = $"rep-{Guid.NewGuid():N}@seller.example";
        var saved = await http.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = "Claire Rep",
            fromAddress = address,
            smtpHost = mail.SmtpHost,
            smtpPort = smtpPort ?? mail.SmtpPort,
            smtpSecurity = "none",
            imapHost = mail.ImapHost,
            imapPort = mail.ImapPort,
            imapSecurity = "none",
            imapUser = mail.User,
            imapPassword = mail.Password,
            dailyLimit = 50,
        }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        return new Rep(http, user.Id, address);
    }

    static async Task<JsonObject> PostAsync(HttpClient http, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await http.PostAsync(url, Json.Body(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    static async Task<(Guid Id, string Email)> NewContactAsync(HttpClient http, string first = "John", string domain = "buyer.example")
    {
        var email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@{domain}";
        var account = await PostAsync(http, "/api/v1/accounts", new { name = "Buyer " + Guid.NewGuid().ToString("N")[..6] }, HttpStatusCode.Created);
        var contact = await PostAsync(http, "/api/v1/contacts", new { firstName = first, lastName = "Prospect", email, accountId = account.Id() }, HttpStatusCode.Created);
        return (contact.Id(), email);
    }

    // All day, every weekday, in UTC: the tests move the clock by business days only.
    static object ThreeSteps(string name) => new
    {
        name,
        timeZone = "UTC",
        windowStartHour = 0,
        windowEndHour = 24,
        steps = new object[]
        {
            new { kind = "email", delayDays = 0, subject = "Quick question, {{contact.first_name}}", body = "Hi {{contact.first_name}}, have 5 mins to chat this week about {{account.name}}? Board meeting coming up. Thx.\n{{sender.name}}" },
            new { kind = "email", delayDays = 2, forwardsPrevious = true, body = SequenceInput.DefaultFollowUp },
            new { kind = "email", delayDays = 3, subject = "Last one, {{contact.first_name}}", body = "Hi {{contact.first_name}}, closing the loop. Thx." },
        },
    };

    async Task<OutreachRun> PassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new OutreachSender(db, server.Services.GetRequiredService<MailClient>(), clock).RunOnceAsync(default);
    }

    async Task<List<EnrolmentStep>> StepsAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        var enrolment = await db.Enrolments.Include(e => e.Steps).SingleAsync(e => e.ContactId == contactId);
        return [.. enrolment.Steps.OrderBy(s => s.Position)];
    }

    async Task<Enrolment> EnrolmentAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        return await db.Enrolments.SingleAsync(e => e.ContactId == contactId);
    }

    static ManualClock ClockAt(DateTime dueAt) => new(new DateTimeOffset(DateTime.SpecifyKind(dueAt, DateTimeKind.Utc)));

    [Fact]
    public async Task AThreeStepSequenceSendsTheFollowUpAfterItsDelayAndStopsOnAReply()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);
        var (contactId, email) = await NewContactAsync(rep.Http);
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", ThreeSteps("Board meeting"), HttpStatusCode.Created);
        var enrolled = await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { contactId } });
        Assert.Equal(1, (int)enrolled["enrolled"]!);

        var clock = ClockAt((await StepsAsync(contactId))[0].DueAt);
        var first = await PassAsync(clock);
        Assert.Equal(1, first.Sent);
        var steps = await StepsAsync(contactId);
        Assert.Equal(StepStatus.Sent, steps[0].Status);
        Assert.NotNull(steps[0].MessageId);
        var received = await mail.ReceivedByAsync(email);
        var opener = Assert.Single(received);
        Assert.Equal(steps[0].MessageId, opener.MessageId);
        Assert.StartsWith("Quick question, John", opener.Subject, StringComparison.Ordinal);
        Assert.Contains("Hi John, have 5 mins", opener.TextBody, StringComparison.Ordinal);
        Assert.Contains("Claire Rep", opener.TextBody, StringComparison.Ordinal);

        // The follow-up waits its two business days.
        var followUpDue = steps[1].DueAt;
        Assert.True(followUpDue >= clock.Now.UtcDateTime.AddDays(2), $"follow-up due {followUpDue:o}, sent {clock.Now:o}");
        clock.Now = new DateTimeOffset(followUpDue).AddMinutes(-1);
        Assert.Equal(0, (await PassAsync(clock)).Sent);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await PassAsync(clock)).Sent);

        steps = await StepsAsync(contactId);
        received = await mail.ReceivedByAsync(email);
        Assert.Equal(2, received.Count);
        var followUp = Assert.Single(received, m => m.MessageId == steps[1].MessageId);
        Assert.Equal("Fwd: " + opener.Subject, followUp.Subject);
        Assert.StartsWith("Hi John, hope all is well. Following up on the below. Thx.", followUp.TextBody, StringComparison.Ordinal);
        Assert.Contains("Hi John, have 5 mins", followUp.TextBody, StringComparison.Ordinal);
        Assert.Equal(opener.MessageId, followUp.InReplyTo);

        // John answers the follow-up: the sequence stops before its third step.
        var reply = new MimeMessage { Subject = "Re: " + followUp.Subject, InReplyTo = followUp.MessageId, Date = clock.Now.AddMinutes(5) };
        reply.From.Add(new MailboxAddress("John Prospect", email));
        reply.To.Add(new MailboxAddress("Claire Rep", rep.Address));
        reply.References.Add(opener.MessageId!);
        reply.References.Add(followUp.MessageId!);
        reply.Body = new TextPart("plain") { Text = "Sure, Thursday 10am works." };
        await mail.DeliverAsync(reply);
        var replied = await PassAsync(clock);
        Assert.Equal(1, replied.RepliesFound);

        var enrolment = await EnrolmentAsync(contactId);
        Assert.Equal(EnrolmentStatus.Stopped, enrolment.Status);
        Assert.Equal(StopReason.Replied, enrolment.StopReason);
        steps = await StepsAsync(contactId);
        Assert.Equal(StepStatus.Cancelled, steps[2].Status);
        clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, (await PassAsync(clock)).Sent);
        Assert.Equal(2, (await mail.ReceivedByAsync(email)).Count);

        // Both emails and the reply are touches on the contact.
        await using var db = server.OpenDb();
        var touches = await db.Activities.Where(a => a.ContactId == contactId && a.Type == ActivityType.Email).OrderBy(a => a.OccurredAt).ToListAsync();
        Assert.Equal([Direction.Outbound, Direction.Outbound, Direction.Inbound], touches.Select(t => t.Direction).ToArray());
        Assert.Equal("Sure, Thursday 10am works.", touches[2].Body?.Trim());
        Assert.All(touches, t => Assert.Equal(rep.UserId, t.OwnerId));
    }

    [Fact]
    public async Task AnSmtpServerStoppedMidRunAndRestartedLosesAndDuplicatesNothing()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        using var smtp = mail.StartOwnSmtp();
        var rep = await NewRepAsync(mail, smtp.Port);
        var contacts = new List<(Guid Id, string Email)>();
        for (var i = 0; i < 3; i++)
            contacts.Add(await NewContactAsync(rep.Http, "Ann" + i));
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", ThreeSteps("Outage"), HttpStatusCode.Created);
        await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = contacts.Select(c => c.Id).ToArray() });

        var clock = ClockAt((await StepsAsync(contacts[2].Id))[0].DueAt);
        Assert.Equal(3, (await PassAsync(clock)).Sent);

        // The server goes down before the follow-ups are due: every one of them fails visibly and waits.
        smtp.Stop();
        clock.Now = new DateTimeOffset((await StepsAsync(contacts[0].Id))[1].DueAt).AddDays(1);
        var down = await PassAsync(clock);
        Assert.Equal((0, 3), (down.Sent, down.Failed));
        var waiting = await StepsAsync(contacts[0].Id);
        Assert.Equal(StepStatus.Retrying, waiting[1].Status);
        Assert.Contains("cannot connect", waiting[1].LastError, StringComparison.Ordinal);
        Assert.NotNull(waiting[1].MessageId);
        Assert.True(waiting[1].NextAttemptAt > clock.Now.UtcDateTime);

        // Still down at the next attempt: the wait grows.
        clock.Now = new DateTimeOffset(waiting[1].NextAttemptAt!.Value);
        Assert.Equal(3, (await PassAsync(clock)).Failed);
        var again = await StepsAsync(contacts[0].Id);
        Assert.Equal(2, again[1].Attempts);
        Assert.True(again[1].NextAttemptAt - clock.Now.UtcDateTime > waiting[1].NextAttemptAt - waiting[1].DueAt.AddDays(1) - TimeSpan.FromSeconds(1));

        // Back up: the queue resumes and each follow-up goes out once, with the Message-ID recorded before the outage.
        smtp.Start();
        clock.Now = new DateTimeOffset(again[1].NextAttemptAt!.Value);
        Assert.Equal(3, (await PassAsync(clock)).Sent);
        Assert.Equal(0, (await PassAsync(clock)).Sent);
        foreach (var (id, email) in contacts)
        {
            var steps = await StepsAsync(id);
            Assert.Equal([StepStatus.Sent, StepStatus.Sent, StepStatus.Scheduled], steps.Select(s => s.Status).ToArray());
            var received = await mail.ReceivedByAsync(email);
            Assert.Equal(2, received.Count);
            Assert.Equal(steps.Take(2).Select(s => s.MessageId).Order().ToArray(), received.Select(m => m.MessageId).Order().ToArray());
            Assert.Null(steps[1].LastError);
        }
    }

    [Fact]
    public async Task AnAddressTheServerRefusesStopsTheEnrolmentAsBounced()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);
        var (contactId, _) = await NewContactAsync(rep.Http, "Nobody", "refused.example");
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", ThreeSteps("Bounce"), HttpStatusCode.Created);
        await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { contactId } });

        var run = await PassAsync(ClockAt((await StepsAsync(contactId))[0].DueAt));

        Assert.Equal(1, run.Failed);
        var enrolment = await EnrolmentAsync(contactId);
        Assert.Equal((EnrolmentStatus.Stopped, StopReason.Bounced), (enrolment.Status, enrolment.StopReason));
        var steps = await StepsAsync(contactId);
        Assert.Equal(StepStatus.Failed, steps[0].Status);
        Assert.Contains("550", steps[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMailboxPasswordIsStoredEncryptedAndNeverReturned()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);

        var read = await (await rep.Http.GetAsync("/api/v1/mail-account")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(mail.Password, read, StringComparison.Ordinal);
        Assert.Contains("\"hasImapPassword\":true", read, StringComparison.Ordinal);
        await using (var db = server.OpenDb())
        {
            var stored = await db.MailAccounts.SingleAsync(a => a.UserId == rep.UserId);
            Assert.DoesNotContain(mail.Password, stored.ImapPasswordProtected, StringComparison.Ordinal);
            Assert.Equal(mail.Password, server.Services.GetRequiredService<MailSecrets>().Unprotect(stored.ImapPasswordProtected));
        }

        var test = await PostAsync(rep.Http, "/api/v1/mail-account/test", new { });
        Assert.True((bool)test["ok"]!, (string?)test["message"]);
        Assert.Contains("IMAP", (string)test["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMailboxFullOfOlderMailFindsAReplyInThePassAfterTheSend()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        // Mail that arrived before Reach was connected: more than one poll's worth, none of it an answer.
        var older = Enumerable.Range(0, 600).Select(i =>
        {
            var message = new MimeMessage { Subject = $"Newsletter {i}", Body = new TextPart("plain") { Text = "News." } };
            message.From.Add(new MailboxAddress("News", $"news{i}@elsewhere.example"));
            message.To.Add(new MailboxAddress("Claire Rep", "claire@seller.example"));
            return message;
        });
        await mail.DeliverAsync(older, server.Clock.GetUtcNow().AddHours(-2));
        var rep = await NewRepAsync(mail);
        var (contactId, email) = await NewContactAsync(rep.Http);
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", ThreeSteps("Older mail"), HttpStatusCode.Created);
        await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { contactId } });
        var clock = ClockAt((await StepsAsync(contactId))[0].DueAt);
        Assert.Equal(1, (await PassAsync(clock)).Sent);

        var opener = Assert.Single(await mail.ReceivedByAsync(email));
        var reply = new MimeMessage { Subject = "Re: " + opener.Subject, InReplyTo = opener.MessageId, Date = clock.Now.AddMinutes(5) };
        reply.From.Add(new MailboxAddress("John Prospect", email));
        reply.To.Add(new MailboxAddress("Claire Rep", rep.Address));
        reply.Body = new TextPart("plain") { Text = "Not now, thanks." };
        await mail.DeliverAsync(reply);
        Assert.Equal(1, (await PassAsync(clock)).RepliesFound);
        Assert.Equal(EnrolmentStatus.Stopped, (await EnrolmentAsync(contactId)).Status);
    }

    [Fact]
    public async Task AnUnknownMergeFieldIsRefusedNamingTheStepAndTheField()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Field Rep");
        var response = await server.NewClient(token).PostAsync("/api/v1/sequences", Json.Body(new
        {
            name = "Typo",
            steps = new object[] { new { kind = "email", subject = "Hi", body = "Hi {{contact.firstname}}" } },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        var message = (string)problem["errors"]!["steps[0].body"]![0]!;
        Assert.Contains("{{contact.firstname}}", message, StringComparison.Ordinal);
        Assert.Contains("{{contact.first_name}}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepNeitherSeesNorEnrolsIntoAnotherRepsSequence()
    {
        var (_, ownerToken) = await server.AddUserAsync(UserRole.Rep, "Owner Rep");
        var (_, otherToken) = await server.AddUserAsync(UserRole.Rep, "Other Rep");
        var owner = server.NewClient(ownerToken);
        var other = server.NewClient(otherToken);
        var sequence = await PostAsync(owner, "/api/v1/sequences", ThreeSteps("Mine"), HttpStatusCode.Created);
        var (contactId, _) = await NewContactAsync(other);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/sequences/{sequence.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/sequences/{sequence.Id()}/enrolments", Json.Body(new { contactIds = new[] { contactId } }))).StatusCode);
        // Nor may the owner enrol a contact they cannot see.
        var result = await PostAsync(owner, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { contactId } });
        Assert.Equal(0, (int)result["enrolled"]!);
        Assert.Contains("no contact with this id that you can see", (string)result["skipped"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PausingAnEnrolmentHoldsItsStepsUntilResumedAndABookedMeetingStopsIt()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Pause Rep");
        var http = server.NewClient(token);
        var (contactId, _) = await NewContactAsync(http);
        var sequence = await PostAsync(http, "/api/v1/sequences", ThreeSteps("Pause"), HttpStatusCode.Created);
        await PostAsync(http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { contactId } });
        var enrolmentId = (await EnrolmentAsync(contactId)).Id;

        var paused = await PostAsync(http, $"/api/v1/enrolments/{enrolmentId}", new { action = "pause" });
        Assert.Equal("paused", (string)paused["status"]!);
        var clock = ClockAt((await StepsAsync(contactId))[0].DueAt);
        Assert.Equal(0, (await PassAsync(clock)).Sent + (await PassAsync(clock)).Failed);
        Assert.Equal(StepStatus.Scheduled, (await StepsAsync(contactId))[0].Status);
        await PostAsync(http, $"/api/v1/enrolments/{enrolmentId}", new { action = "resume" });

        // A meeting logged on the contact stops the sequence: the meeting was the point.
        await PostAsync(http, "/api/v1/activities", new { type = "meeting", subject = "Intro call", contactId }, HttpStatusCode.Created);
        var run = await PassAsync(clock);
        Assert.Equal(1, run.Stopped);
        var enrolment = await EnrolmentAsync(contactId);
        Assert.Equal((EnrolmentStatus.Stopped, StopReason.MeetingBooked), (enrolment.Status, enrolment.StopReason));
    }
}

public sealed class OutreachOnSqliteTests(MailSqliteServer server) : OutreachTests(server), IClassFixture<MailSqliteServer>;

public sealed class OutreachOnPostgresTests(MailPostgresServer server) : OutreachTests(server), IClassFixture<MailPostgresServer>;
