using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Reach.Activities;
using Reach.Data;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Reach.Web;
using Xunit;

namespace Reach.Tests.Outreach;

/// <summary>
/// The mailbox's SMTP and IMAP servers unreachable (nothing listens on their port of 127.0.0.1), then back: what the rep
/// sees, what the sender does and does not record, and that the background worker carries on through it.
/// </summary>
public abstract partial class MailServerDownTests(ReachServer server)
{
    const string Password = "violet tractor under the lamp";

    static async Task<JsonObject> SendAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    async Task<OutreachRun> PassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new OutreachSender(db, server.Services.GetRequiredService<MailClient>(), clock).RunOnceAsync(default);
    }

    async Task<HttpClient> SignedInAsync(string email)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/sign-in")).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("email", email), new("password", Password)]);
        var response = await browser.PostAsync("/sign-in", form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task WithTheMailServerDownNothingIsMarkedSentTheWorkerCarriesOnAndTheSendGoesOutOnceWhenItIsBack()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        using var smtp = new TcpGate(mail.SmtpHost, mail.SmtpPort);
        using var imap = new TcpGate(mail.ImapHost, mail.ImapPort);
        var (user, token) = await server.AddUserAsync(UserRole.Rep, "Dora Rep", password: Password);
        var rep = server.NewClient(token);
        await SendAsync(rep.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = "Dora Rep",
            fromAddress = $"dora-{Guid.NewGuid():N}@seller.example",
            smtpHost = "127.0.0.1",
            smtpPort = smtp.Port,
            smtpSecurity = "none",
            imapHost = "127.0.0.1",
            imapPort = imap.Port,
            imapSecurity = "none",
            imapUser = mail.User,
            imapPassword = mail.Password,
            dailyLimit = 50,
        })), HttpStatusCode.OK);
        var email = $"ola-{Guid.NewGuid():N}@buyer.example";
        var contact = await SendAsync(rep.PostAsync("/api/v1/contacts", Json.Body(new { firstName = "Ola", lastName = "Prospect", email })), HttpStatusCode.Created);
        var sequence = await SendAsync(rep.PostAsync("/api/v1/sequences", Json.Body(new
        {
            name = "Outage " + Guid.NewGuid().ToString("N")[..6],
            timeZone = "UTC",
            windowStartHour = 0,
            windowEndHour = 24,
            steps = new object[] { new { kind = "email", delayDays = 0, subject = "Hello {{contact.first_name}}", body = "Hi {{contact.first_name}}, a quick one." } },
        })), HttpStatusCode.Created);
        await SendAsync(rep.PostAsync($"/api/v1/sequences/{sequence.Id()}/enrolments", Json.Body(new { contactIds = new[] { contact.Id() } })), HttpStatusCode.OK);
        await using (var db = server.OpenDb())
            Assert.Equal(1, await db.EnrolmentSteps.CountAsync(s => db.Enrolments.Any(e => e.Id == s.EnrolmentId && e.ContactId == contact.Id())));

        // Both servers go down.
        smtp.Close();
        imap.Close();

        // The real background worker, on its one-second timer: every pass fails to read the mailbox, and it carries on.
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reach:Outreach:Enabled"] = "true",
            ["Reach:Outreach:IntervalSeconds"] = "1",
        }).Build();
        using (var worker = new OutreachWorker(server.Services.GetRequiredService<IServiceScopeFactory>(), settings, TimeProvider.System, NullLogger<OutreachWorker>.Instance))
        {
            await worker.StartAsync(TestContext.Current.CancellationToken);
            var polls = new HashSet<DateTime>();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                while (polls.Count < 3)
                {
                    Assert.False(timeout.IsCancellationRequested, "The worker stopped polling while the mail server was down.");
                    await using var db = server.OpenDb();
                    var account = await db.MailAccounts.AsNoTracking().SingleAsync(a => a.UserId == user.Id);
                    if (account.LastPolledAt is { } polled && account.LastPollError is not null)
                        polls.Add(polled);
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                }
            }
            Assert.False(worker.ExecuteTask!.IsCompleted, "The background worker ended while the mail server was down.");
            await worker.StopAsync(TestContext.Current.CancellationToken);
        }

        // A pass when the step is due: it is retried later, visibly, and nothing claims it went out.
        var due = await StepAsync(contact.Id());
        var clock = new ManualClock(new DateTimeOffset(DateTime.SpecifyKind(due.DueAt, DateTimeKind.Utc)).AddHours(1));
        if (clock.Now < server.Clock.GetUtcNow())
            clock.Now = server.Clock.GetUtcNow().AddHours(1);
        var down = await PassAsync(clock);
        Assert.Equal((0, 1), (down.Sent, down.Failed));
        var waiting = await StepAsync(contact.Id());
        Assert.Equal(StepStatus.Retrying, waiting.Status);
        Assert.True(waiting.NextAttemptAt > clock.Now.UtcDateTime, "A failed send must wait before it is tried again.");

        var step = JsonNode.Parse(await rep.GetStringAsync($"/api/v1/sequences/{sequence.Id()}/enrolments"))![0]!["steps"]![0]!;
        Assert.Equal("retrying", (string)step["status"]!);
        Assert.Contains("cannot connect", (string)step["lastError"]!, StringComparison.Ordinal);
        var mailbox = await SendAsync(rep.GetAsync("/api/v1/mail-account"), HttpStatusCode.OK);
        Assert.StartsWith("Reading replies failed", (string)mailbox["lastPollError"]!, StringComparison.Ordinal);
        var page = await (await SignedInAsync(user.Email!)).GetStringAsync("/Settings/Mail");
        Assert.Contains("role=\"alert\">Reading replies failed", page, StringComparison.Ordinal);
        await using (var db = server.OpenDb())
            Assert.False(await db.Activities.AnyAsync(a => a.ContactId == contact.Id() && a.Type == ActivityType.Email), "An email not sent was recorded as a touch.");
        Assert.Empty(await mail.ReceivedByAsync(email));

        // The servers are back: the next due pass sends it, once, and the mailbox reads again.
        smtp.Open();
        imap.Open();
        clock.Now = new DateTimeOffset(DateTime.SpecifyKind(waiting.NextAttemptAt!.Value, DateTimeKind.Utc));
        Assert.Equal(1, (await PassAsync(clock)).Sent);
        Assert.Equal(0, (await PassAsync(clock)).Sent);
        var sent = await StepAsync(contact.Id());
        Assert.Equal(StepStatus.Sent, sent.Status);
        Assert.Null(sent.LastError);
        var received = Assert.Single(await mail.ReceivedByAsync(email));
        Assert.Equal(sent.MessageId, received.MessageId);
        mailbox = await SendAsync(rep.GetAsync("/api/v1/mail-account"), HttpStatusCode.OK);
        Assert.Null(mailbox["lastPollError"]);
        Assert.DoesNotContain("role=\"alert\"", await (await SignedInAsync(user.Email!)).GetStringAsync("/Settings/Mail"), StringComparison.Ordinal);
    }

    async Task<EnrolmentStep> StepAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        var enrolment = await db.Enrolments.Include(e => e.Steps).SingleAsync(e => e.ContactId == contactId);
        return enrolment.Steps.Single();
    }
}

public sealed class MailServerDownOnSqliteTests(MailSqliteServer server) : MailServerDownTests(server), IClassFixture<MailSqliteServer>;

public sealed class MailServerDownOnPostgresTests(MailPostgresServer server) : MailServerDownTests(server), IClassFixture<MailPostgresServer>;
