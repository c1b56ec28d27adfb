using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Reach.Access;
using Reach.Data;
using Reach.Outreach;

namespace Reach.Metrics.Reports;

/// <summary>What one pass of the report mailer did.</summary>
public sealed record ReportMailRun(int Sent, int Failed);

/// <summary>What a mailed report needs beside the workspace settings: where Chromium is (to print the PDF).</summary>
public sealed record ReportMailSettings(string? Chromium);

/// <summary>
/// Sends scheduled reports. A period's report goes out at <see cref="SendHourUtc"/>:00 UTC on the first day after it
/// closes (Monday morning for last week, the 1st for last month or quarter), from the owner's connected mailbox: a
/// summary in the body and the board-ready PDF attached, computed with the owner's rights. Each (schedule, period) is
/// claimed in <see cref="ReportDelivery"/> before SMTP, so passes that overlap or follow a restart send it once.
/// </summary>
public sealed class ReportMailer(ReachDb db, MailClient mail, TimeProvider clock, ReportMailSettings settings)
{
    /// <summary>Reports leave at 07:00 UTC: after the period has closed everywhere in Europe, before the working day.</summary>
    public const int SendHourUtc = 7;

    /// <summary>How long a claimed send may take; after it a crashed pass's send is tried again.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    // One pass at a time per process: the worker's timer and a CLI or API "run" must not claim the same send.
    static readonly SemaphoreSlim OnePass = new(1, 1);

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The last period of <paramref name="kind"/> whose send time has come at <paramref name="now"/>.</summary>
    public static Period DuePeriod(ReportKind kind, DateTime now) =>
        Period.Containing(now.AddHours(-SendHourUtc), Report.PeriodKindOf(kind)).Previous();

    /// <summary>When the report of <paramref name="period"/> is sent.</summary>
    public static DateTime SendTime(Period period) => period.EndsAt.AddHours(SendHourUtc);

    /// <summary>When a schedule next sends, for the lists: the current period's send time.</summary>
    public static DateTime NextSendTime(ReportKind kind, DateTime now) => SendTime(DuePeriod(kind, now).Next());

    static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));

    public async Task<ReportMailRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        await OnePass.WaitAsync(cancellationToken);
        try
        {
            var now = Now;
            var schedules = await db.ReportSchedules.AsNoTracking().Where(s => !s.Paused && s.OwnerId != null)
                .OrderBy(s => s.CreatedAt).Select(s => new { s.Id, s.Kind, s.CreatedAt }).ToListAsync(cancellationToken);
            int sent = 0, failed = 0;
            foreach (var due in schedules)
            {
                var period = DuePeriod(due.Kind, now);
                // A schedule reports on periods that close after it was made, not on the past.
                if (SendTime(period) <= due.CreatedAt)
                    continue;
                db.ChangeTracker.Clear();
                switch (await DeliverAsync(due.Id, period, now, cancellationToken))
                {
                    case true: sent++; break;
                    case false: failed++; break;
                    default: break;
                }
            }
            db.ChangeTracker.Clear();
            return new ReportMailRun(sent, failed);
        }
        finally
        {
            OnePass.Release();
        }
    }

    // True when sent, false when it failed (to be retried), null when there was nothing to do.
    async Task<bool?> DeliverAsync(Guid scheduleId, Period period, DateTime now, CancellationToken cancellationToken)
    {
        var schedule = await db.ReportSchedules.SingleAsync(s => s.Id == scheduleId, cancellationToken);
        var delivery = await db.ReportDeliveries.SingleOrDefaultAsync(d => d.ScheduleId == scheduleId && d.Period == period.Label, cancellationToken);
        if (delivery is { Status: DeliveryStatus.Sent } || delivery is { NextAttemptAt: { } next } && next > now)
            return null;
        try
        {
            if (delivery is null)
            {
                delivery = new ReportDelivery { ScheduleId = scheduleId, Period = period.Label, MessageId = $"{Guid.CreateVersion7():N}.report@reach", CreatedAt = now };
                db.ReportDeliveries.Add(delivery);
            }
            (delivery.Status, delivery.NextAttemptAt) = (DeliveryStatus.Sending, now + Lease);
            delivery.Attempts++;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another pass claimed this send first (the unique (schedule, period) row, or the attempt count moved).
            return null;
        }

        try
        {
            await SendAsync(schedule, period, delivery.MessageId, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var message = Truncate($"{period.Label}: attempt {delivery.Attempts} failed: {Describe(error)}", 1000);
            (delivery.Status, delivery.LastError, delivery.NextAttemptAt) = (DeliveryStatus.Retrying, message, now + Backoff(delivery.Attempts));
            schedule.LastError = message;
            await db.SaveChangesAsync(CancellationToken.None);
            return false;
        }
        (delivery.Status, delivery.SentAt, delivery.NextAttemptAt, delivery.LastError) = (DeliveryStatus.Sent, now, null, null);
        (schedule.LastPeriod, schedule.LastSentAt, schedule.LastError) = (period.Label, now, null);
        // The mail is out: this save must not be cancelled half-way by a stopping host.
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Builds the schedule's report for <paramref name="period"/> as its owner would see it and mails it from the owner's
    /// mailbox. Throws with the reason (no mailbox, rights lost, Chromium missing, SMTP refused).
    /// </summary>
    public async Task SendAsync(ReportSchedule schedule, Period period, string messageId, CancellationToken cancellationToken)
    {
        var now = Now;
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == schedule.OwnerId, cancellationToken);
        if (owner is not { IsActive: true })
            throw new ReportMailException("The schedule's owner is disabled; their reports are no longer sent.");
        var account = await db.MailAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.UserId == owner.Id, cancellationToken)
            ?? throw new ReportMailException($"{owner.Name} has no mailbox connected: connect one under Settings → Mail.");

        // The report is read with the owner's rights, never the server's: the access filters and the scope check are theirs.
        var asked = db.Actor;
        Report report;
        try
        {
            var actor = await Actor.ForAsync(db, owner, cancellationToken);
            db.Actor = actor;
            var scope = await MetricScope.ResolveAsync(db, actor, schedule.RepId?.ToString(), schedule.TeamId?.ToString(), cancellationToken);
            report = await Report.BuildAsync(db, schedule.Kind, period, scope, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cancellationToken);
        }
        finally
        {
            db.Actor = asked;
        }

        var pdfPath = Path.Combine(Path.GetTempPath(), $"reach-mail-{Guid.NewGuid():N}.pdf");
        byte[] pdf;
        try
        {
            await ReportPrinter.PrintAsync(ReportHtmlPage.Render(report), pdfPath, settings.Chromium, cancellationToken);
            pdf = await File.ReadAllBytesAsync(pdfPath, cancellationToken);
        }
        finally
        {
            File.Delete(pdfPath);
        }

        var message = new MimeMessage { MessageId = messageId, Subject = $"Reach {report.Title}", Date = new DateTimeOffset(now) };
        message.From.Add(new MailboxAddress(account.FromName, account.FromAddress));
        foreach (var recipient in schedule.RecipientList)
            message.To.Add(MailboxAddress.Parse(recipient));
        var body = new BodyBuilder { HtmlBody = SummaryHtml(report), TextBody = SummaryText(report) };
        body.Attachments.Add($"reach-{schedule.Kind.ToString().ToLowerInvariant()}-{period.Label}.pdf", pdf, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        await mail.SendAsync(account, message, cancellationToken);
    }

    /// <summary>The e-mail's body: the headline figures against the previous period and target; the rest is in the PDF.</summary>
    public static string SummaryHtml(Report report)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"font:600 18px sans-serif\">{E(report.Title)}</h2>\n")
            .Append(CultureInfo.InvariantCulture, $"<p style=\"font:14px sans-serif\">{report.Period.Start:yyyy-MM-dd} to {report.Period.End.AddDays(-1):yyyy-MM-dd}, compared with {E(report.PreviousPeriod.Name)}; amounts in {E(report.Currency)}.</p>\n")
            .Append("<table style=\"font:14px sans-serif;border-collapse:collapse\">\n<tr><th align=\"left\">metric</th><th align=\"right\">this period</th><th align=\"right\">previous</th><th align=\"right\">target</th><th align=\"left\">by channel</th></tr>\n");
        foreach (var result in report.Headline)
        {
            var unit = result.Metric.Unit;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(result.Metric.Name)}</td><td align=\"right\"><b>{E(ReportHtmlPage.Shown(unit, result.Total))}</b></td>")
                .Append(CultureInfo.InvariantCulture, $"<td align=\"right\">{E(ReportHtmlPage.Format(unit, result.Total.Previous))}</td><td align=\"right\">{E(ReportHtmlPage.Format(unit, result.Total.Target))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(" · ", result.Channels.Select(c => $"{Labels.Channel(c.Channel)} {ReportHtmlPage.Shown(unit, c)}")))}</td></tr>\n");
        }
        html.Append("</table>\n");
        if (report.Wins.Count > 0)
            html.Append("<p style=\"font:14px sans-serif\">Largest wins: ")
                .Append(E(string.Join("; ", report.Wins.Take(3).Select(d => $"{d.Name} ({ReportHtmlPage.Format(MetricUnit.Money, d.Converted)} {report.Currency})"))))
                .Append("</p>\n");
        html.Append("<p style=\"font:14px sans-serif\">Every metric by channel, the charts and the notable wins and losses are in the attached PDF.</p>\n");
        return html.ToString();
    }

    static string SummaryText(Report report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report.Title}\n{report.Period.Start:yyyy-MM-dd} to {report.Period.End.AddDays(-1):yyyy-MM-dd}, compared with {report.PreviousPeriod.Name}; amounts in {report.Currency}.\n\n");
        foreach (var result in report.Headline)
            text.Append(CultureInfo.InvariantCulture, $"{result.Metric.Name}: {ReportHtmlPage.Shown(result.Metric.Unit, result.Total)} (previous {ReportHtmlPage.Format(result.Metric.Unit, result.Total.Previous)}, target {ReportHtmlPage.Format(result.Metric.Unit, result.Total.Target)})\n");
        text.Append("\nThe full report is attached as a PDF.\n");
        return text.ToString();
    }

    /// <summary>A send's failure in words for the schedule's status line.</summary>
    public static string Describe(Exception error) => error switch
    {
        ReportMailException or ReportPrintException or AccessDeniedException or InputException => error.Message,
        _ => MailClient.Describe(error),
    };

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>A scheduled report cannot be sent; the message says why and what to do.</summary>
public sealed class ReportMailException(string message) : Exception(message);
