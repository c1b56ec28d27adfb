using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Data;
using Reach.Metrics.Reports;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>
/// Scheduled report e-mails against the real mail servers (aiosmtpd into Dovecot on 127.0.0.1), Chromium printing the
/// PDF, and each database provider. Time is a <see cref="ManualClock"/>: the test runs the mailer's passes itself.
/// </summary>
public abstract class ReportScheduleTests(ReachServer server)
{
    const string Chromium = "/usr/bin/chromium";
    static readonly string[] Board = ["board@investor.example"];
    static readonly string[] OneBad = ["board@investor.example", "not-an-address"];

    sealed record Sender(HttpClient Http, Guid UserId, string Name);

    async Task<Sender> NewSenderAsync(MailServers mail, UserRole role = UserRole.Rep, string? team = null, int? smtpPort = null)
    {
        var name = role == UserRole.Rep ? "Rita Rep" : "Mona Manager";
        var (user, token) = await server.AddUserAsync(role, name, team);
        var http = server.NewClient(token);
        var saved = await http.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = name,
            fromAddress = $"sender-{Guid.NewGuid():N}@seller.example",
            smtpHost = mail.SmtpHost,
            smtpPort = smtpPort ?? mail.SmtpPort,
            smtpSecurity = "none",
        }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        return new Sender(http, user.Id, name);
    }

    static async Task<JsonObject> PostAsync(HttpClient http, string url, object body, HttpStatusCode expected)
    {
        var response = await http.PostAsync(url, Json.Body(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    async Task<ReportMailRun> PassAsync(ManualClock clock)
    {
        await using var db = server.Database!.Open(clock);
        return await new ReportMailer(db, server.Services.GetRequiredService<MailClient>(), clock,
            server.Services.GetRequiredService<ReportMailSettings>()).RunOnceAsync(default);
    }

    // A pass covers every schedule on the server, and another test's schedule can fall due at the clock this test
    // sets (the weekly one, at next month's first morning): each sending test starts with none.
    async Task NoOtherSchedulesAsync()
    {
        await using var db = server.OpenDb();
        await db.ReportSchedules.ExecuteDeleteAsync();
    }

    static void RequireChromium()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
            Assert.Skip($"Report mail tests skipped: {Chromium} prints the PDF and is not installed (apt-get install chromium).");
    }

    // The first send time after the schedule was made (now): next Monday 07:00 UTC for a weekly report.
    static DateTime FirstWeeklySend(DateTime createdAt) => ReportMailer.NextSendTime(ReportKind.Weekly, createdAt);

    [Fact]
    public async Task AWeeklyScheduleSendsOnceAfterTheWeekClosesWithThePdfAttached()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        RequireChromium();
        await NoOtherSchedulesAsync();
        var rep = await NewSenderAsync(mail);
        var board = $"board-{Guid.NewGuid():N}@investor.example";
        var created = await PostAsync(rep.Http, "/api/v1/report-schedules", new { kind = "weekly", recipients = new[] { board } }, HttpStatusCode.Created);
        Assert.Equal(rep.Name, (string)created["scope"]!);
        await using (var db = server.OpenDb())
            Assert.Equal(db.Users.Single(u => u.Id == rep.UserId).Email, (string?)created["ownerEmail"]);
        var createdAt = DateTime.Parse((string)created["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var sendAt = FirstWeeklySend(createdAt);
        Assert.Equal(DayOfWeek.Monday, sendAt.DayOfWeek);
        Assert.Equal(ReportMailer.SendHourUtc, sendAt.Hour);

        // Before the week closes (and its morning comes), nothing goes.
        var clock = new ManualClock(new DateTimeOffset(sendAt.AddMinutes(-1), TimeSpan.Zero));
        Assert.Equal(0, (await PassAsync(clock)).Sent);
        Assert.Empty(await mail.ReceivedByAsync(board));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new ReportMailRun(1, 0), await PassAsync(clock));
        var week = ReportMailer.DuePeriod(ReportKind.Weekly, clock.Now.UtcDateTime);
        var message = Assert.Single(await mail.ReceivedByAsync(board));
        Assert.Contains($"Weekly report {week.Label}: {rep.Name}", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Bookings", message.HtmlBody ?? "", StringComparison.Ordinal);
        var pdf = Assert.IsType<MimeKit.MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.Equal($"reach-weekly-{week.Label}.pdf", pdf.FileName);
        using (var bytes = new MemoryStream())
        {
            await pdf.Content!.DecodeToAsync(bytes);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes.ToArray(), 0, 4), StringComparison.Ordinal);
        }

        // A re-run, and a pass later that day, send nothing more: the send is recorded per schedule and period.
        Assert.Equal(new ReportMailRun(0, 0), await PassAsync(clock));
        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(new ReportMailRun(0, 0), await PassAsync(clock));
        Assert.Single(await mail.ReceivedByAsync(board));
        var schedule = await (await rep.Http.GetAsync($"/api/v1/report-schedules/{created.Id()}")).ReadObjectAsync();
        Assert.Equal(week.Label, (string)schedule["lastPeriod"]!);
        Assert.Null(schedule["lastError"]);
    }

    [Fact]
    public async Task AnSmtpServerThatIsDownIsRetriedWithBackoffAndTheErrorShowsOnTheSchedule()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        RequireChromium();
        await NoOtherSchedulesAsync();
        using var smtp = mail.StartOwnSmtp();
        var rep = await NewSenderAsync(mail, smtpPort: smtp.Port);
        var board = $"board-{Guid.NewGuid():N}@investor.example";
        var created = await PostAsync(rep.Http, "/api/v1/report-schedules", new { kind = "monthly", recipients = new[] { board } }, HttpStatusCode.Created);
        var sendAt = ReportMailer.NextSendTime(ReportKind.Monthly, server.Clock.UtcNow);
        Assert.Equal(1, sendAt.Day);
        smtp.Stop();

        var clock = new ManualClock(new DateTimeOffset(sendAt.AddMinutes(1), TimeSpan.Zero));
        Assert.Equal(new ReportMailRun(0, 1), await PassAsync(clock));
        var schedule = await (await rep.Http.GetAsync($"/api/v1/report-schedules/{created.Id()}")).ReadObjectAsync();
        Assert.Contains("attempt 1 failed", (string)schedule["lastError"]!, StringComparison.Ordinal);
        Assert.Null(schedule["lastPeriod"]);

        // Within the backoff nothing is tried; after it, with the server back, the report goes once.
        smtp.Start();
        Assert.Equal(new ReportMailRun(0, 0), await PassAsync(clock));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new ReportMailRun(1, 0), await PassAsync(clock));
        Assert.Single(await mail.ReceivedByAsync(board));
        schedule = await (await rep.Http.GetAsync($"/api/v1/report-schedules/{created.Id()}")).ReadObjectAsync();
        Assert.Null(schedule["lastError"]);
    }

    [Fact]
    public async Task ARepCannotScheduleTheTeamsReportNorAnotherRepsButAManagerTheirTeams()
    {
        var team = "Schedulers " + Guid.NewGuid().ToString("N")[..6];
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rex Rep", team);
        var (other, _) = await server.AddUserAsync(UserRole.Rep, "Ola Other");
        var rep = server.NewClient(repToken);
        var teamAsked = await rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "monthly", team, recipients = Board }));
        Assert.Equal(HttpStatusCode.Forbidden, teamAsked.StatusCode);
        Assert.Contains("team", (string)(await teamAsked.ReadObjectAsync())["field"]!, StringComparison.Ordinal);
        var otherAsked = await rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "monthly", rep = other.Email, recipients = Board }));
        Assert.Equal(HttpStatusCode.Forbidden, otherAsked.StatusCode);

        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, "Max Manager", team);
        var manager = server.NewClient(managerToken);
        var created = await PostAsync(manager, "/api/v1/report-schedules", new { kind = "quarterly", team, recipients = Board }, HttpStatusCode.Created);
        Assert.Equal(team, (string)created["scope"]!);

        // Schedules are their owner's: the rep neither lists nor deletes the manager's.
        Assert.Empty((await (await rep.GetAsync("/api/v1/report-schedules")).Content.ReadFromJsonAsyncArray()));
        Assert.Equal(HttpStatusCode.NotFound, (await rep.DeleteAsync($"/api/v1/report-schedules/{created.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/v1/report-schedules/{created.Id()}")).StatusCode);
    }

    [Fact]
    public async Task BadRecipientsGetAClearErrorNamingTheAddress()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Bea Rep");
        var rep = server.NewClient(token);
        var bad = await rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "weekly", recipients = OneBad }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains("'not-an-address' is not an e-mail address", (string)errors["recipients"]![0]!, StringComparison.Ordinal);

        var none = await rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "weekly", recipients = Array.Empty<string>() }));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.NotNull((await none.ReadObjectAsync())["errors"]!["recipients"]);
        var kind = await rep.PostAsync("/api/v1/report-schedules", Json.Body(new { kind = "daily", recipients = Board }));
        Assert.Equal(HttpStatusCode.BadRequest, kind.StatusCode);
        Assert.Empty(await (await rep.GetAsync("/api/v1/report-schedules")).Content.ReadFromJsonAsyncArray());
    }
}

static class JsonArrays
{
    public static async Task<JsonArray> ReadFromJsonAsyncArray(this HttpContent content) => JsonNode.Parse(await content.ReadAsStringAsync())!.AsArray();
}

public sealed class ReportScheduleOnSqliteTests(SqliteServer server) : ReportScheduleTests(server), IClassFixture<SqliteServer>;

public sealed class ReportScheduleOnPostgresTests(PostgresServer server) : ReportScheduleTests(server), IClassFixture<PostgresServer>;
