using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Activities;
using Reach.Data;
using Reach.Metrics.Reports;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>
/// Each background job (outreach sends, scheduled report e-mails, metric rollups) run by a real `reach` process, killed
/// (SIGKILL) in the middle of its work, then run again: nothing is half-done, nothing is recorded that did not happen,
/// and the next run finishes the work once. The mail server is a <see cref="TcpGate"/> held mid-conversation, so the
/// kill lands exactly while a message is being handed over.
/// </summary>
public sealed class BackgroundJobKillTests(MailSqliteServer server) : IClassFixture<MailSqliteServer>
{
    internal static Process StartReach(string database, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reach.Cli.dll"));
        foreach (var arg in args.Concat([database.Contains("Host=", StringComparison.Ordinal) ? "--postgres" : "--db", database]))
            start.ArgumentList.Add(arg);
        // The test mail servers listen on 127.0.0.1, which a workspace refuses unless its operator allows it.
        start.Environment["Reach__Mail__AllowInternalHosts"] = "true";
        return Process.Start(start)!;
    }

    internal static async Task KillWhenAsync(Process child, Func<Task<bool>> midWay, string what) =>
        Assert.True(await KilledWhenAsync(child, midWay, what), $"`reach` finished its work before {what}.");

    /// <summary>
    /// Kills <paramref name="child"/> once <paramref name="midWay"/> holds. False when the child finished its work first
    /// (exit code 0, before the look or between the look and the kill): a fast run, or a poll slowed by a busy machine.
    /// </summary>
    internal static async Task<bool> KilledWhenAsync(Process child, Func<Task<bool>> midWay, string what)
    {
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        // Only a hung child reaches this: the wait is for a state, on a machine that may be slow.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        while (!await midWay())
        {
            if (child.HasExited)
            {
                Assert.True(child.ExitCode == 0, $"`reach` failed ({child.ExitCode}) before {what}: {await output} {await error}");
                return false;
            }
            Assert.False(timeout.IsCancellationRequested, $"`reach` never reached {what}.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        return child.ExitCode != 0;
    }

    async Task<(HttpClient Rep, Guid UserId)> SenderAsync(TcpGate smtp, string name)
    {
        var (user, token) = await server.AddUserAsync(UserRole.Rep, name);
        var rep = server.NewClient(token);
        var saved = await rep.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = name,
            fromAddress = $"sender-{Guid.NewGuid():N}@seller.example",
            smtpHost = "127.0.0.1",
            smtpPort = smtp.Port,
            smtpSecurity = "none",
            dailyLimit = 50,
        }));
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        return (rep, user.Id);
    }

    static async Task<JsonObject> CreatedAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task AnOutreachSendKilledMidHandOverIsNotMarkedSentAndTheNextRunSendsItOnce()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        using var smtp = new TcpGate(mail.SmtpHost, mail.SmtpPort);
        var (rep, _) = await SenderAsync(smtp, "Kim Rep");
        var email = $"kill-{Guid.NewGuid():N}@buyer.example";
        var contact = await CreatedAsync(rep.PostAsync("/api/v1/contacts", Json.Body(new { firstName = "Kai", lastName = "Prospect", email })));
        var sequence = await CreatedAsync(rep.PostAsync("/api/v1/sequences", Json.Body(new
        {
            name = "Killed " + Guid.NewGuid().ToString("N")[..6],
            timeZone = "UTC",
            windowStartHour = 0,
            windowEndHour = 24,
            steps = new object[] { new { kind = "email", delayDays = 0, subject = "Hello {{contact.first_name}}", body = "Hi {{contact.first_name}}." } },
        })));
        await CreatedAsync(rep.PostAsync($"/api/v1/sequences/{sequence.Id()}/enrolments", Json.Body(new { contactIds = new[] { contact.Id() } })));
        // Due now whatever the day: a step already being retried is past its send window's weekday check, so the
        // child (on the machine's clock) sends it on a Sunday too.
        await using (var db = server.OpenDb())
            await db.EnrolmentSteps.Where(s => db.Enrolments.Any(e => e.Id == s.EnrolmentId && e.ContactId == contact.Id()))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, StepStatus.Retrying).SetProperty(x => x.NextAttemptAt, server.Clock.UtcNow.AddMinutes(-1)));

        smtp.Hold();
        using (var child = StartReach(server.Database!.Location, "outreach", "run"))
            await KillWhenAsync(child, () => Task.FromResult(smtp.HeldConnections > 0), "handing the e-mail to the SMTP server");

        // Killed while the server held the message: claimed, not sent, and nothing says it was.
        var claimed = await StepAsync(contact.Id());
        Assert.Equal(StepStatus.Sending, claimed.Status);
        Assert.Null(claimed.DoneAt);
        await using (var db = server.OpenDb())
            Assert.False(await db.Activities.AnyAsync(a => a.ContactId == contact.Id() && a.Type == ActivityType.Email));
        Assert.Empty(await mail.ReceivedByAsync(email));

        // The claim lasts its lease (a real-time wait: the next pass runs on a clock at its end); then it goes, once.
        smtp.Open();
        var clock = new ManualClock(new DateTimeOffset(DateTime.SpecifyKind(claimed.NextAttemptAt!.Value, DateTimeKind.Utc)));
        Assert.Equal(1, (await OutreachPassAsync(clock)).Sent);
        Assert.Equal(0, (await OutreachPassAsync(clock)).Sent);
        var sent = await StepAsync(contact.Id());
        Assert.Equal(StepStatus.Sent, sent.Status);
        Assert.Equal(sent.MessageId, Assert.Single(await mail.ReceivedByAsync(email)).MessageId);
        await using (var db = server.OpenDb())
            Assert.Equal(1, await db.Activities.CountAsync(a => a.ContactId == contact.Id() && a.Type == ActivityType.Email));
    }

    [Fact]
    public async Task AReportMailKilledMidHandOverIsNotRecordedAsSentAndTheNextRunSendsItOnce()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        if (!File.Exists("/usr/bin/chromium") && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
            Assert.Skip("Report mail tests skipped: /usr/bin/chromium prints the PDF and is not installed (apt-get install chromium).");
        using var smtp = new TcpGate(mail.SmtpHost, mail.SmtpPort);
        var (rep, _) = await SenderAsync(smtp, "Rita Rep");
        var board = $"board-{Guid.NewGuid():N}@investor.example";
        var schedule = await CreatedAsync(rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "monthly", recipients = new[] { board } })));
        // Made two months ago: last month's report is due now.
        await using (var db = server.OpenDb())
            await db.ReportSchedules.Where(s => s.Id == schedule.Id()).ExecuteUpdateAsync(s => s.SetProperty(x => x.CreatedAt, server.Clock.UtcNow.AddDays(-62)));

        smtp.Hold();
        using (var child = StartReach(server.Database!.Location, "report", "schedule", "run"))
            await KillWhenAsync(child, () => Task.FromResult(smtp.HeldConnections > 0), "handing the report to the SMTP server");

        ReportDelivery claimed;
        await using (var db = server.OpenDb())
        {
            claimed = await db.ReportDeliveries.AsNoTracking().SingleAsync(d => d.ScheduleId == schedule.Id());
            Assert.Equal(DeliveryStatus.Sending, claimed.Status);
            Assert.Null(claimed.SentAt);
            Assert.Null((await db.ReportSchedules.AsNoTracking().SingleAsync(s => s.Id == schedule.Id())).LastPeriod);
        }
        Assert.Empty(await mail.ReceivedByAsync(board));

        smtp.Open();
        var clock = new ManualClock(new DateTimeOffset(DateTime.SpecifyKind(claimed.NextAttemptAt!.Value, DateTimeKind.Utc)));
        Assert.Equal(new ReportMailRun(1, 0), await ReportPassAsync(clock));
        Assert.Equal(new ReportMailRun(0, 0), await ReportPassAsync(clock));
        Assert.Equal(claimed.MessageId, Assert.Single(await mail.ReceivedByAsync(board)).MessageId);
        await using (var db = server.OpenDb())
        {
            var delivery = await db.ReportDeliveries.AsNoTracking().SingleAsync(d => d.ScheduleId == schedule.Id());
            Assert.Equal((DeliveryStatus.Sent, claimed.Period), (delivery.Status, delivery.Period));
            Assert.Equal(claimed.Period, (await db.ReportSchedules.AsNoTracking().SingleAsync(s => s.Id == schedule.Id())).LastPeriod);
        }
    }

    async Task<EnrolmentStep> StepAsync(Guid contactId)
    {
        await using var db = server.OpenDb();
        var enrolment = await db.Enrolments.AsNoTracking().Include(e => e.Steps).SingleAsync(e => e.ContactId == contactId);
        return enrolment.Steps.Single();
    }

    async Task<OutreachRun> OutreachPassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new OutreachSender(db, server.Services.GetRequiredService<MailClient>(), clock).RunOnceAsync(default);
    }

    async Task<ReportMailRun> ReportPassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new ReportMailer(db, server.Services.GetRequiredService<MailClient>(), clock, server.Services.GetRequiredService<ReportMailSettings>()).RunOnceAsync(default);
    }
}
