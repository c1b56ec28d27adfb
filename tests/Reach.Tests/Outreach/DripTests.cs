using System.CommandLine;
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
/// Drip tracks against real mail servers (aiosmtpd into Dovecot, on 127.0.0.1) and each database provider.
/// Time is a <see cref="ManualClock"/>; every test pauses its tracks at the end so the next one's passes see only its own.
/// </summary>
public abstract class DripTests(ReachServer server)
{
    sealed record Rep(HttpClient Http, Guid UserId, string Address);

    async Task<Rep> NewRepAsync(MailServers mail, int? smtpPort = null)
    {
        var (user, token) = await server.AddUserAsync(UserRole.Rep, "Dana Drip");
        var http = server.NewClient(token);
        var address = $"drip-{Guid.NewGuid():N}@seller.example";
        var saved = await http.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = "Dana Drip",
            fromAddress = address,
            smtpHost = mail.SmtpHost,
            smtpPort = smtpPort ?? mail.SmtpPort,
            smtpSecurity = "none",
            imapHost = mail.ImapHost,
            imapPort = mail.ImapPort,
            imapSecurity = "none",
            imapUser = mail.User,
            imapPassword = mail.Password,
            dailyLimit = 100,
        }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        return new Rep(http, user.Id, address);
    }

    static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        var response = await http.SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : Json.Body(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    static async Task<JsonObject> PostAsync(HttpClient http, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        (await SendAsync(http, HttpMethod.Post, url, body, expected)).AsObject();

    static async Task<(Guid Id, string Email)> NewContactAsync(HttpClient http, string first, string tier = "B")
    {
        var email = $"{first.ToLowerInvariant()}-{Guid.NewGuid():N}@buyer.example";
        var account = await PostAsync(http, "/api/v1/accounts", new { name = "Buyer " + Guid.NewGuid().ToString("N")[..6], tier }, HttpStatusCode.Created);
        var contact = await PostAsync(http, "/api/v1/contacts", new { firstName = first, lastName = "Reader", email, accountId = account.Id() }, HttpStatusCode.Created);
        return (contact.Id(), email);
    }

    // All day, every weekday, in UTC: the tests move the clock by business days only.
    static Dictionary<string, object?> Track(string name, object audience, int every = 3, int gap = 1) => new Dictionary<string, object?>
    {
        ["name"] = name,
        ["every"] = every,
        ["unit"] = "businessDays",
        ["minimumGapDays"] = gap,
        ["timeZone"] = "UTC",
        ["windowStartHour"] = 0,
        ["windowEndHour"] = 24,
        ["pieces"] = new object[]
        {
            new { subject = "What 40 teams learned, {{contact.first_name}}", body = "Hi {{contact.first_name}}, teams like {{account.name}} that review pipeline weekly close 20% more. Thought it worth sharing.\n{{sender.name}}" },
            new { subject = "The quarter-end pattern", body = "Hi {{contact.first_name}}, most slipped deals slip in the last two weeks of a quarter. The fix is a mutual plan agreed early." },
        },
    }.Concat(audience.GetType().GetProperties().Select(p => KeyValuePair.Create(p.Name, p.GetValue(audience)))).ToDictionary();

    async Task<OutreachRun> PassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new OutreachSender(db, server.Services.GetRequiredService<MailClient>(), clock).RunOnceAsync(default);
    }

    async Task<List<DripSend>> SendsAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        return await db.DripSends.Where(s => s.ContactId == contactId).OrderBy(s => s.Position).ToListAsync();
    }

    // A weekday noon: the windows are all day, but business-day cadences skip weekends.
    static ManualClock Monday() => new(new DateTimeOffset(2030, 1, 7, 12, 0, 0, TimeSpan.Zero));

    static async Task PauseAsync(HttpClient http, JsonObject track) => await PostAsync(http, $"/api/v1/drips/{track.Id()}/pause", new { });

    [Fact]
    public async Task ATrackSendsTheFirstPieceToItsAudienceAndTheSecondAfterTheCadence()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);
        var ann = await NewContactAsync(rep.Http, "Ann");
        var bob = await NewContactAsync(rep.Http, "Bob");
        var name = "Insights " + Guid.NewGuid().ToString("N")[..6];
        var track = await PostAsync(rep.Http, "/api/v1/drips", Track(name, new { contactIds = new[] { ann.Id, bob.Id } }), HttpStatusCode.Created);
        var preview = (await SendAsync(rep.Http, HttpMethod.Get, $"/api/v1/drips/{track.Id()}/audience", null, HttpStatusCode.OK)).AsObject();
        Assert.Equal(2, (int)preview["count"]!);

        var clock = Monday();
        var first = await PassAsync(clock);
        Assert.True(first.DripsSent >= 2, $"{first}");
        foreach (var (id, email) in new[] { ann, bob })
        {
            var sends = await SendsAsync(id);
            var sent = Assert.Single(sends);
            Assert.Equal((1, StepStatus.Sent), (sent.Position, sent.Status));
            var received = Assert.Single(await mail.ReceivedByAsync(email));
            Assert.Equal(sent.MessageId, received.MessageId);
            Assert.StartsWith("What 40 teams learned, ", received.Subject, StringComparison.Ordinal);
            Assert.Contains("review pipeline weekly", received.TextBody, StringComparison.Ordinal);
            Assert.Contains("Dana Drip", received.TextBody, StringComparison.Ordinal);
        }

        // The next pass queues piece 2, which waits its three business days: Monday → Thursday.
        await PassAsync(clock);
        Assert.Single(await mail.ReceivedByAsync(ann.Email));
        var piece2 = (await SendsAsync(ann.Id))[1];
        Assert.Equal((2, StepStatus.Scheduled), (piece2.Position, piece2.Status));
        Assert.Equal(clock.Now.UtcDateTime.AddDays(3), piece2.DueAt);
        clock.Now = new DateTimeOffset(piece2.DueAt).AddMinutes(-1);
        await PassAsync(clock);
        Assert.Single(await mail.ReceivedByAsync(ann.Email));
        clock.Advance(TimeSpan.FromMinutes(1));
        await PassAsync(clock);
        var annReceived = await mail.ReceivedByAsync(ann.Email);
        Assert.Equal(2, annReceived.Count);
        Assert.Contains(annReceived, m => m.Subject == "The quarter-end pattern");
        Assert.Equal(2, (await mail.ReceivedByAsync(bob.Email)).Count);

        // The library is done: later passes send nothing more.
        clock.Advance(TimeSpan.FromDays(30));
        await PassAsync(clock);
        Assert.Equal(2, (await mail.ReceivedByAsync(ann.Email)).Count);

        // Each piece is an email touch on the contact, owned by the track's owner.
        await using (var db = server.OpenDb())
        {
            var touches = await db.Activities.Where(a => a.ContactId == ann.Id && a.Type == ActivityType.Email).ToListAsync();
            Assert.Equal(2, touches.Count);
            Assert.All(touches, t => Assert.Equal((Direction.Outbound, rep.UserId), (t.Direction, t.OwnerId)));
        }
        var log = (await SendAsync(rep.Http, HttpMethod.Get, $"/api/v1/drips/{track.Id()}/sends", null, HttpStatusCode.OK)).AsArray();
        Assert.Equal(4, log.Count);
        Assert.All(log, s => Assert.Equal("sent", (string)s!["status"]!));

        // The CLI's status shows the track: 2 pieces, 4 sent, none waiting or failed.
        using var stdout = new StringWriter();
        var exit = await new RootCommand { Reach.Cli.Commands.OutreachCommand.Create() }
            .Parse(["outreach", "status", server.Database!.Provider == DatabaseProvider.Sqlite ? "--db" : "--postgres", server.Database.Location])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = new StringWriter() });
        Assert.Equal(0, exit);
        var line = Assert.Single(stdout.ToString().Split('\n'), l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.Equal([name.Split(' ')[0], name.Split(' ')[1], "2", "4", "0", "0"], line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        await PauseAsync(rep.Http, track);
    }

    [Fact]
    public async Task TheMinimumGapHoldsBackAContactWhoJustGotASequenceEmail()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);
        var busy = await NewContactAsync(rep.Http, "Busy");
        var quiet = await NewContactAsync(rep.Http, "Quiet");
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", new
        {
            name = "Gap sequence",
            timeZone = "UTC",
            windowStartHour = 0,
            windowEndHour = 24,
            steps = new object[] { new { kind = "email", delayDays = 0, subject = "Quick question", body = "Hi {{contact.first_name}}, have 5 mins this week? Board meeting coming up. Thx." } },
        }, HttpStatusCode.Created);
        await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { busy.Id } });
        var clock = Monday();
        await using (var db = server.OpenDb())
        {
            // Enrolled "now" by the server's clock: the step is due at once, whatever the test clock says.
            var step = await db.EnrolmentSteps.SingleAsync(s => db.Enrolments.Any(e => e.Id == s.EnrolmentId && e.ContactId == busy.Id));
            step.DueAt = clock.Now.UtcDateTime;
            await db.SaveChangesAsync();
        }
        Assert.True((await PassAsync(clock)).Sent >= 1);
        Assert.Single(await mail.ReceivedByAsync(busy.Email));

        var track = await PostAsync(rep.Http, "/api/v1/drips", Track("Gap " + Guid.NewGuid().ToString("N")[..6], new { contactIds = new[] { busy.Id, quiet.Id } }, gap: 3), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromHours(2));
        await PassAsync(clock);

        // Quiet gets piece 1 now; Busy waits until three days after the sequence email, and says why.
        Assert.Single(await mail.ReceivedByAsync(quiet.Email));
        Assert.Single(await mail.ReceivedByAsync(busy.Email));
        var held = Assert.Single(await SendsAsync(busy.Id));
        Assert.Equal(StepStatus.Scheduled, held.Status);
        Assert.Equal(Monday().Now.UtcDateTime.AddDays(3), held.DueAt);
        Assert.Contains("3 days between emails", held.LastError, StringComparison.Ordinal);

        clock.Now = new DateTimeOffset(held.DueAt).AddMinutes(-1);
        await PassAsync(clock);
        Assert.Single(await mail.ReceivedByAsync(busy.Email));
        clock.Advance(TimeSpan.FromMinutes(1));
        await PassAsync(clock);
        var received = await mail.ReceivedByAsync(busy.Email);
        Assert.Equal(2, received.Count);
        Assert.Contains(received, m => m.Subject?.StartsWith("What 40 teams learned", StringComparison.Ordinal) == true);
        await PauseAsync(rep.Http, track);
    }

    [Fact]
    public async Task AnUnsubscribedContactGetsNothingAndAnUnsubscribeReplyStopsTheRest()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        var rep = await NewRepAsync(mail);
        var gone = await NewContactAsync(rep.Http, "Gone");
        var reader = await NewContactAsync(rep.Http, "Reader");
        var deleted = await NewContactAsync(rep.Http, "Deleted");

        // Gone unsubscribed from a sequence before the track began.
        var sequence = await PostAsync(rep.Http, "/api/v1/sequences", new
        {
            name = "Earlier",
            steps = new object[] { new { kind = "email", delayDays = 5, subject = "Hi", body = "Hi {{contact.first_name}}, have 5 mins? Thx." } },
        }, HttpStatusCode.Created);
        await PostAsync(rep.Http, $"/api/v1/sequences/{sequence.Id()}/enrolments", new { contactIds = new[] { gone.Id } });
        var enrolment = (await SendAsync(rep.Http, HttpMethod.Get, $"/api/v1/sequences/{sequence.Id()}/enrolments", null, HttpStatusCode.OK)).AsArray().Single()!.AsObject();
        await PostAsync(rep.Http, $"/api/v1/enrolments/{enrolment.Id()}", new { action = "stop", reason = "unsubscribed" });

        var track = await PostAsync(rep.Http, "/api/v1/drips", Track("Unsub " + Guid.NewGuid().ToString("N")[..6], new { contactIds = new[] { gone.Id, reader.Id, deleted.Id } }), HttpStatusCode.Created);
        var preview = (await SendAsync(rep.Http, HttpMethod.Get, $"/api/v1/drips/{track.Id()}/audience", null, HttpStatusCode.OK)).AsObject();
        Assert.Equal(2, (int)preview["count"]!);
        var clock = Monday();
        await PassAsync(clock);
        Assert.Empty(await mail.ReceivedByAsync(gone.Email));
        Assert.Empty(await SendsAsync(gone.Id));
        var first = Assert.Single(await mail.ReceivedByAsync(reader.Email));
        Assert.Single(await mail.ReceivedByAsync(deleted.Email));

        // Reader answers piece 1 "unsubscribe"; Deleted is deleted: neither gets piece 2.
        var reply = new MimeMessage { Subject = "Re: " + first.Subject, InReplyTo = first.MessageId, Date = clock.Now.AddMinutes(5) };
        reply.From.Add(new MailboxAddress("Reader", reader.Email));
        reply.To.Add(new MailboxAddress("Dana Drip", rep.Address));
        reply.Body = new TextPart("plain") { Text = "Please unsubscribe me." };
        await mail.DeliverAsync(reply);
        Assert.Equal(HttpStatusCode.NoContent, (await rep.Http.DeleteAsync($"/api/v1/contacts/{deleted.Id}")).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True((await PassAsync(clock)).RepliesFound >= 1);
        clock.Advance(TimeSpan.FromDays(14));
        await PassAsync(clock);
        await PassAsync(clock);

        Assert.Single(await mail.ReceivedByAsync(reader.Email));
        Assert.Single(await mail.ReceivedByAsync(deleted.Email));
        Assert.Empty(await mail.ReceivedByAsync(gone.Email));
        var readerSends = await SendsAsync(reader.Id);
        Assert.DoesNotContain(readerSends, s => s.Status == StepStatus.Sent && s.Position == 2);
        Assert.DoesNotContain(await SendsAsync(deleted.Id), s => s.Status == StepStatus.Sent && s.Position == 2);
        await using (var db = server.OpenDb())
            Assert.True(await db.Activities.AnyAsync(a => a.ContactId == reader.Id && a.Direction == Direction.Inbound && a.Outcome == "unsubscribed"));
        preview = (await SendAsync(rep.Http, HttpMethod.Get, $"/api/v1/drips/{track.Id()}/audience", null, HttpStatusCode.OK)).AsObject();
        Assert.Equal(0, (int)preview["count"]!);
        await PauseAsync(rep.Http, track);
    }

    [Fact]
    public async Task AnSmtpOutageAndAPassKilledMidSendLoseAndDuplicateNothing()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        using var smtp = mail.StartOwnSmtp();
        var rep = await NewRepAsync(mail, smtp.Port);
        var contacts = new List<(Guid Id, string Email)>();
        for (var i = 0; i < 3; i++)
            contacts.Add(await NewContactAsync(rep.Http, "Outage" + i));
        var track = await PostAsync(rep.Http, "/api/v1/drips", Track("Outage " + Guid.NewGuid().ToString("N")[..6], new { contactIds = contacts.Select(c => c.Id).ToArray() }), HttpStatusCode.Created);

        // SMTP down: every piece fails visibly, keeps its Message-ID, and waits with a growing backoff.
        smtp.Stop();
        var clock = Monday();
        var down = await PassAsync(clock);
        Assert.Equal((0, 3), (down.DripsSent, down.DripsFailed));
        var waiting = Assert.Single(await SendsAsync(contacts[0].Id));
        Assert.Equal(StepStatus.Retrying, waiting.Status);
        Assert.Contains("cannot connect", waiting.LastError, StringComparison.Ordinal);
        Assert.NotNull(waiting.MessageId);
        Assert.True(waiting.NextAttemptAt > clock.Now.UtcDateTime);

        // A pass killed while handing contact 1's piece to SMTP leaves it claimed (Sending, lease running).
        await using (var db = server.OpenDb())
        {
            var claimed = await db.DripSends.SingleAsync(s => s.ContactId == contacts[1].Id);
            (claimed.Status, claimed.NextAttemptAt) = (StepStatus.Sending, clock.Now.UtcDateTime + OutreachSender.Lease);
            await db.SaveChangesAsync();
        }

        smtp.Start();
        clock.Now = new DateTimeOffset(waiting.NextAttemptAt!.Value);
        await PassAsync(clock);
        // The claimed one waits for its lease; the others go out.
        Assert.Single(await mail.ReceivedByAsync(contacts[0].Email));
        Assert.Empty(await mail.ReceivedByAsync(contacts[1].Email));
        clock.Advance(OutreachSender.Lease);
        await PassAsync(clock);
        await PassAsync(clock);
        foreach (var (id, email) in contacts)
        {
            var sends = await SendsAsync(id);
            Assert.Equal([StepStatus.Sent, StepStatus.Scheduled], sends.Select(s => s.Status).ToArray());
            var received = Assert.Single(await mail.ReceivedByAsync(email));
            Assert.Equal(sends[0].MessageId, received.MessageId);
            Assert.Null(sends[0].LastError);
        }
        await PauseAsync(rep.Http, track);
    }

    [Fact]
    public async Task ARepNeitherSeesNorChangesAnotherRepsTrackNorListsTheirContacts()
    {
        var (_, ownerToken) = await server.AddUserAsync(UserRole.Rep, "Owner Rep");
        var (_, otherToken) = await server.AddUserAsync(UserRole.Rep, "Other Rep");
        var owner = server.NewClient(ownerToken);
        var other = server.NewClient(otherToken);
        var mine = await NewContactAsync(owner, "Mine");
        var theirs = await NewContactAsync(other, "Theirs");
        var track = await PostAsync(owner, "/api/v1/drips", Track("Private", new { contactIds = new[] { mine.Id } }), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/drips/{track.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsync($"/api/v1/drips/{track.Id()}", Json.Body(Track("Taken", new { contactIds = new[] { theirs.Id } })))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/drips/{track.Id()}/pause", Json.Body(new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/drips/{track.Id()}/sends")).StatusCode);
        var list = (await SendAsync(other, HttpMethod.Get, "/api/v1/drips", null, HttpStatusCode.OK)).AsArray();
        Assert.DoesNotContain(list, t => (string)t!["id"]! == track.Id().ToString());
        Assert.Contains((await SendAsync(server.Http, HttpMethod.Get, "/api/v1/drips", null, HttpStatusCode.OK)).AsArray(), t => (string)t!["id"]! == track.Id().ToString());

        // Nor may the owner list a contact they cannot see.
        var response = await owner.PutAsync($"/api/v1/drips/{track.Id()}", Json.Body(Track("Private", new { contactIds = new[] { mine.Id, theirs.Id } })));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(theirs.Id.ToString(), (string)(await response.ReadObjectAsync())["errors"]!["contactIds"]![0]!, StringComparison.Ordinal);

        // A segment reaches only the contacts the owner may see: tier C accounts of both reps, the owner's alone counted.
        await NewContactAsync(owner, "Segment", "C");
        await NewContactAsync(other, "Hidden", "C");
        var segment = await PostAsync(owner, "/api/v1/drips", Track("Tier C", new { audienceTier = "C" }), HttpStatusCode.Created);
        var preview = (await SendAsync(owner, HttpMethod.Get, $"/api/v1/drips/{segment.Id()}/audience", null, HttpStatusCode.OK)).AsObject();
        Assert.Equal(1, (int)preview["count"]!);
        Assert.Equal("Segment Reader", (string)preview["sample"]![0]!);
        await PauseAsync(owner, track);
        await PauseAsync(owner, segment);
    }

    [Fact]
    public async Task APieceThatAsksSomethingIsRefusedNamingThePiece()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Asking Rep");
        var response = await server.NewClient(token).PostAsync("/api/v1/drips", Json.Body(new
        {
            name = "Asks",
            pieces = new object[]
            {
                new { subject = "A pattern", body = "Teams that review pipeline weekly close 20% more." },
                new { subject = "Chat?", body = "Can you hop on a call this week?" },
            },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.False(errors.ContainsKey("pieces[0].body"));
        Assert.Contains("Piece 2 asks something", (string)errors["pieces[1].body"]![0]!, StringComparison.Ordinal);
    }
}

public sealed class DripOnSqliteTests(MailSqliteServer server) : DripTests(server), IClassFixture<MailSqliteServer>;

public sealed class DripOnPostgresTests(MailPostgresServer server) : DripTests(server), IClassFixture<MailPostgresServer>;
