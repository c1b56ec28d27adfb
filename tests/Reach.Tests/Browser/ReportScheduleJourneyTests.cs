using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Activities;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A demo rep's day: My day lists their next touches (a sequence step and a task, not a colleague's), each linking to
/// its record; and the rep schedules a weekly report e-mail from the Reports page, with a bad recipient refused first.
/// </summary>
public abstract class ReportScheduleJourneyTests(ReachServer server)
{
    sealed record Seeded(Guid ContactId, string ContactName, string TaskSubject, string SequenceName, string HiddenContactName);

    // Tom's sequence step due within the hour and a task on the next business day; A colleague's step, which Tom must not see.
    async Task<Seeded> SeedTouchesAsync()
    {
        await using var db = server.OpenDb();
        var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
        var tomsContact = await db.Contacts.Where(c => c.OwnerId == tom.Id && c.AccountId != null).OrderBy(c => c.Id).FirstAsync();
        var danielsContact = await db.Contacts.Where(c => c.OwnerId != null && c.OwnerId != tom.Id).OrderBy(c => c.Id).FirstAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var now = server.Clock.UtcNow;
        Guid Enrol(Guid owner, Guid contactId, string name)
        {
            var step = new SequenceStep { Position = 1, Kind = StepKind.Call, Body = "Call about the board meeting." };
            var sequence = new Sequence { Name = name, OwnerId = owner, TimeZone = "UTC", WindowStartHour = 0, WindowEndHour = 24, Steps = [step] };
            db.Sequences.Add(sequence);
            db.Enrolments.Add(new Enrolment
            {
                SequenceId = sequence.Id,
                ContactId = contactId,
                OwnerId = owner,
                Steps = [new EnrolmentStep { SequenceStepId = step.Id, Position = 1, Kind = StepKind.Call, DueAt = now.AddHours(1) }],
            });
            return sequence.Id;
        }
        Enrol(tom.Id, tomsContact.Id, "Board push " + suffix);
        Enrol(danielsContact.OwnerId!.Value, danielsContact.Id, "A colleague's push " + suffix);
        var nextBusinessDay = now.Date.AddDays(1);
        while (nextBusinessDay.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            nextBusinessDay = nextBusinessDay.AddDays(1);
        var subject = "Send the pricing one-pager " + suffix;
        db.Activities.Add(new Activity
        {
            Type = ActivityType.Task,
            Subject = subject,
            OccurredAt = now,
            DueAt = nextBusinessDay.AddHours(12),
            ContactId = tomsContact.Id,
            AccountId = tomsContact.AccountId,
            OwnerId = tom.Id,
        });
        await db.SaveChangesAsync();
        return new Seeded(tomsContact.Id, tomsContact.FullName, subject, "Board push " + suffix, danielsContact.FullName);
    }

    [Fact]
    public async Task MyDayListsTheNextTouchesAndARepSchedulesAWeeklyReportEmail()
    {
        _ = server.Http;
        var seeded = await SeedTouchesAsync();

        await Journey.RunAsync(server, "report-schedule-journey", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");

            var next = page.Locator("#next-touches");
            await Assertions.Expect(next).ToContainTextAsync($"{seeded.SequenceName}, step 1 (becomes a task)");
            await Assertions.Expect(next).ToContainTextAsync(seeded.TaskSubject);
            await Assertions.Expect(next).Not.ToContainTextAsync("A colleague's push");
            Assert.Equal(2, await next.Locator("li").Filter(new() { HasText = seeded.ContactName }).CountAsync());
            await Journey.SnapshotAsync(page, "my-day-next-touches");
            await next.Locator("li").Filter(new() { HasText = seeded.TaskSubject }).GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForURLAsync($"**/Contacts/{seeded.ContactId}");

            // The Reports page links to the report e-mails; a rep may choose only their own numbers.
            await page.GotoAsync("/Reports");
            await page.GetByRole(AriaRole.Link, new() { Name = "schedule report e-mails" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Report e-mails");
            Assert.Equal(["My numbers"], await page.Locator("#schedule-scope option").AllInnerTextsAsync());
            await page.GetByLabel("Report", new() { Exact = true }).SelectOptionAsync("Weekly");
            await page.GetByLabel("Recipients").FillAsync("board@investor.example, nope");
            await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
            await Assertions.Expect(page.Locator("#schedule-recipients-error")).ToContainTextAsync("'nope' is not an e-mail address");
            await page.GetByLabel("Recipients").FillAsync("board@investor.example, ceo@investor.example");
            await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Weekly report scheduled." })).ToBeVisibleAsync();
            var row = page.Locator("tr").Filter(new() { HasText = "board@investor.example, ceo@investor.example" });
            await Assertions.Expect(row).ToContainTextAsync("Tom Becker");
            await Assertions.Expect(row).ToContainTextAsync("Mon ");
            await Assertions.Expect(row).ToContainTextAsync("never");
            await Journey.SnapshotAsync(page, "report-schedules");
            await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
            await Assertions.Expect(page.Locator("tr").Filter(new() { HasText = "ceo@investor.example" })).ToContainTextAsync("paused");
        });

        await using var db = server.OpenDb();
        var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
        var schedule = await db.ReportSchedules.SingleAsync(s => s.OwnerId == tom.Id);
        Assert.Equal((Reach.Metrics.Reports.ReportKind.Weekly, tom.Id, true), (schedule.Kind, schedule.RepId!.Value, schedule.Paused));
    }
}

public sealed class ReportScheduleJourneyOnSqliteTests(SqliteBrowserServer server) : ReportScheduleJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class ReportScheduleJourneyOnPostgresTests(PostgresBrowserServer server) : ReportScheduleJourneyTests(server), IClassFixture<PostgresBrowserServer>;
