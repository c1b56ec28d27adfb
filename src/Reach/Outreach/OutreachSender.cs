using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Outreach;

/// <summary>What one pass of the sender did.</summary>
public sealed record OutreachRun(int Sent, int TasksCreated, int Failed, int Postponed, int RepliesFound, int Stopped,
    int DripsScheduled = 0, int DripsSent = 0, int DripsFailed = 0);

/// <summary>
/// The background sender's one pass: reads replies (IMAP) and stops their enrolments, stops
/// enrolments whose contact booked a meeting, then sends the steps that are due from the durable
/// queue (<see cref="EnrolmentStep"/>). Runs as the server (no actor): what it sends was allowed when enrolled.
/// </summary>
public sealed partial class OutreachSender(ReachDb db, MailClient mail, TimeProvider clock)
{
    // One pass at a time per process: the worker's timer and a "run now" button must not pick the same row.
    static readonly SemaphoreSlim OnePass = new(1, 1);

    /// <summary>How long a step stays claimed while being handed to SMTP; after it, a crashed pass's step is taken again.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public const int BatchSize = 100;

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<OutreachRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        await OnePass.WaitAsync(cancellationToken);
        try
        {
            var (replies, stoppedByMail) = await PollRepliesAsync(cancellationToken);
            var stoppedByMeetings = await StopOnMeetingsAsync(cancellationToken);
            var (sent, tasks, failed, postponed) = await SendDueAsync(cancellationToken);
            var scheduled = await ScheduleDripsAsync(cancellationToken);
            var (dripsSent, dripsFailed) = await SendDueDripsAsync(cancellationToken);
            return new OutreachRun(sent, tasks, failed, postponed, replies, stoppedByMail + stoppedByMeetings, scheduled, dripsSent, dripsFailed);
        }
        finally
        {
            OnePass.Release();
        }
    }

    static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, attempts - 1))));

    async Task<(int Sent, int Tasks, int Failed, int Postponed)> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var due = await db.Set<EnrolmentStep>()
            .Where(s => (s.Status == StepStatus.Scheduled && s.DueAt <= now)
                || ((s.Status == StepStatus.Retrying || s.Status == StepStatus.Sending) && s.NextAttemptAt <= now))
            .Where(s => db.Set<Enrolment>().Any(e => e.Id == s.EnrolmentId && e.Status == EnrolmentStatus.Active
                && db.Set<Sequence>().Any(q => q.Id == e.SequenceId && !q.Paused)))
            .OrderBy(s => s.DueAt).Take(BatchSize).Select(s => s.Id).ToListAsync(cancellationToken);
        int sent = 0, tasks = 0, failed = 0, postponed = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            switch (await SendAsync(id, cancellationToken))
            {
                case StepStatus.Sent: sent++; break;
                case StepStatus.TaskCreated: tasks++; break;
                case StepStatus.Retrying or StepStatus.Failed: failed++; break;
                default: postponed++; break;
            }
        }
        db.ChangeTracker.Clear();
        return (sent, tasks, failed, postponed);
    }

    async Task<StepStatus> SendAsync(Guid stepId, CancellationToken cancellationToken)
    {
        var now = Now;
        var step = await db.Set<EnrolmentStep>().SingleAsync(s => s.Id == stepId, cancellationToken);
        var enrolment = await db.Set<Enrolment>().Include(e => e.Steps).SingleAsync(e => e.Id == step.EnrolmentId, cancellationToken);
        step = enrolment.Steps.Single(s => s.Id == stepId);
        var sequence = await db.Set<Sequence>().Include(s => s.Steps).SingleAsync(s => s.Id == enrolment.SequenceId, cancellationToken);
        var template = sequence.Steps.Single(s => s.Id == step.SequenceStepId);
        var contact = await db.Contacts.IgnoreQueryFilters().Include(c => c.Account).SingleAsync(c => c.Id == enrolment.ContactId, cancellationToken);
        if (contact.DeletedAt is not null)
        {
            enrolment.Stop(StopReason.Manual, now);
            step.LastError = "The contact was deleted.";
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Cancelled;
        }
        var zone = SendWindow.ZoneFor(contact.TimeZone, sequence.TimeZone);
        var owner = await db.Users.SingleAsync(u => u.Id == enrolment.OwnerId, cancellationToken);
        var account = await db.Set<MailAccount>().FirstOrDefaultAsync(a => a.UserId == enrolment.OwnerId, cancellationToken);
        var values = await ValuesAsync(contact, owner.Name, account?.FromAddress ?? owner.Email ?? "", cancellationToken);

        if (step.Kind != StepKind.Email)
        {
            var task = new Activity
            {
                Type = step.Kind == StepKind.Call ? ActivityType.Call : ActivityType.Social,
                Direction = Direction.Outbound,
                Subject = Truncate($"{(step.Kind == StepKind.Call ? "Call" : "Social touch")}: {contact.FullName} ({sequence.Name}, step {step.Position})", 300),
                Body = MergeFields.Render(template.Body, values),
                OccurredAt = step.DueAt,
                DueAt = step.DueAt,
                ContactId = contact.Id,
                AccountId = contact.AccountId,
                OwnerId = enrolment.OwnerId,
            };
            db.Activities.Add(task);
            (step.Status, step.DoneAt, step.ActivityId, step.Subject, step.Body) = (StepStatus.TaskCreated, now, task.Id, task.Subject, task.Body);
            ScheduleNext(enrolment, sequence, step, zone, now);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.TaskCreated;
        }

        if (string.IsNullOrEmpty(contact.Email))
        {
            (step.Status, step.LastError) = (StepStatus.Failed, "The contact has no email address.");
            enrolment.Stop(StopReason.Bounced, now);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Failed;
        }
        if (account is null)
            return await RetryAsync(step, $"{owner.Name} has no mailbox connected: connect one under Settings → Mail.", now, cancellationToken);
        var open = SendWindow.NextOpen(now, zone, sequence.WindowStartHour, sequence.WindowEndHour);
        if (open > now && step.Status == StepStatus.Scheduled)
        {
            step.DueAt = open;
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Scheduled;
        }
        var dayStart = now.Date;
        if (await SentTodayAsync(account.UserId, dayStart, cancellationToken) >= account.DailyLimit)
        {
            step.DueAt = SendWindow.NextOpen(dayStart.AddDays(1), zone, sequence.WindowStartHour, sequence.WindowEndHour);
            step.LastError = $"The mailbox's daily limit of {account.DailyLimit} emails is reached; sends on the next day.";
            if (step.Status != StepStatus.Scheduled)
                (step.Status, step.NextAttemptAt) = (StepStatus.Retrying, step.DueAt);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Scheduled;
        }

        var previous = template.ForwardsPrevious
            ? enrolment.Steps.Where(s => s.Position < step.Position && s.Kind == StepKind.Email && s.Status == StepStatus.Sent).MaxBy(s => s.Position)
            : null;
        // The Message-ID and the text are fixed before the first attempt and stored: every retry, and a
        // pass after a crash, sends the very same message, and a reply to it finds this step.
        if (step.MessageId is null)
        {
            var domain = account.FromAddress.Split('@').Last();
            step.MessageId = $"{step.Id:N}.reach@{domain}";
            step.Subject = Truncate(template.ForwardsPrevious && string.IsNullOrWhiteSpace(template.Subject) && previous is not null
                ? "Fwd: " + previous.Subject
                : MergeFields.Render(template.Subject, values), 300);
            var body = MergeFields.Render(template.Body, values);
            if (previous is not null)
                body += $"\n\n---------- Forwarded message ---------\nFrom: {account.FromName} <{account.FromAddress}>\nDate: {previous.DoneAt:ddd, d MMM yyyy 'at' HH:mm} UTC\nSubject: {previous.Subject}\nTo: {contact.FullName} <{contact.Email}>\n\n{previous.Body}";
            step.Body = Truncate(body, 20000);
        }
        step.Status = StepStatus.Sending;
        step.Attempts++;
        step.NextAttemptAt = now + Lease;
        await db.SaveChangesAsync(cancellationToken);

        var message = new MimeMessage { MessageId = step.MessageId, Subject = step.Subject ?? "", Date = new DateTimeOffset(now) };
        message.From.Add(new MailboxAddress(account.FromName, account.FromAddress));
        message.To.Add(new MailboxAddress(contact.FullName, contact.Email));
        if (previous?.MessageId is { } earlier)
        {
            message.InReplyTo = earlier;
            foreach (var reference in enrolment.Steps.Where(s => s.Position < step.Position && s.MessageId != null && s.Status == StepStatus.Sent).OrderBy(s => s.Position))
                message.References.Add(reference.MessageId!);
        }
        message.Body = new TextPart("plain") { Text = step.Body ?? "" };
        try
        {
            await mail.SendAsync(account, message, cancellationToken);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 && refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
        {
            (step.Status, step.LastError, step.NextAttemptAt) = (StepStatus.Failed, Truncate($"{contact.Email}: {MailClient.Describe(refused)}", 1000), null);
            enrolment.Stop(StopReason.Bounced, now);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Failed;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return await RetryAsync(step, MailClient.Describe(error), now, cancellationToken);
        }

        var activity = new Activity
        {
            Type = ActivityType.Email,
            Direction = Direction.Outbound,
            Subject = step.Subject ?? "(no subject)",
            Body = step.Body,
            OccurredAt = now,
            CompletedAt = now,
            ContactId = contact.Id,
            AccountId = contact.AccountId,
            OwnerId = enrolment.OwnerId,
            ExternalSource = "smtp",
            ExternalId = ExternalId(step.MessageId),
        };
        db.Activities.Add(activity);
        (step.Status, step.DoneAt, step.LastError, step.NextAttemptAt, step.ActivityId) = (StepStatus.Sent, now, null, null, activity.Id);
        ScheduleNext(enrolment, sequence, step, zone, now);
        // The email is out: this save must not be cancelled half-way by a stopping host.
        await db.SaveChangesAsync(CancellationToken.None);
        return StepStatus.Sent;
    }

    // The mailbox's daily limit counts everything it sent: sequence emails and drip pieces.
    async Task<int> SentTodayAsync(Guid userId, DateTime dayStart, CancellationToken cancellationToken) =>
        await db.Set<EnrolmentStep>().CountAsync(s => s.Status == StepStatus.Sent && s.DoneAt >= dayStart
            && db.Set<Enrolment>().Any(e => e.Id == s.EnrolmentId && e.OwnerId == userId), cancellationToken)
        + await db.Set<DripSend>().CountAsync(s => s.Status == StepStatus.Sent && s.DoneAt >= dayStart && s.OwnerId == userId, cancellationToken);

    async Task<StepStatus> RetryAsync(EnrolmentStep step, string error, DateTime now, CancellationToken cancellationToken)
    {
        step.Status = StepStatus.Retrying;
        step.LastError = Truncate($"Attempt {Math.Max(1, step.Attempts)} failed: {error}", 1000);
        step.NextAttemptAt = now + Backoff(step.Attempts);
        await db.SaveChangesAsync(CancellationToken.None);
        return StepStatus.Retrying;
    }

    static void ScheduleNext(Enrolment enrolment, Sequence sequence, EnrolmentStep done, TimeZoneInfo zone, DateTime now)
    {
        var next = sequence.Steps.Where(s => s.Position > done.Position).MinBy(s => s.Position);
        if (next is null)
        {
            enrolment.Status = EnrolmentStatus.Finished;
            return;
        }
        if (enrolment.Steps.Any(s => s.Position == next.Position))
            return;
        enrolment.Steps.Add(new EnrolmentStep
        {
            EnrolmentId = enrolment.Id,
            SequenceStepId = next.Id,
            Position = next.Position,
            Kind = next.Kind,
            DueAt = SendWindow.Due(now, next.DelayDays, zone, sequence.WindowStartHour, sequence.WindowEndHour),
        });
    }

    async Task<MergeValues> ValuesAsync(Contact contact, string senderName, string senderEmail, CancellationToken cancellationToken)
    {
        string? dealName = null;
        if (contact.AccountId is { } accountId)
            dealName = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter])
                .Where(d => d.AccountId == accountId && d.Status == DealStatus.Open)
                .OrderByDescending(d => d.PrimaryContactId == contact.Id).ThenByDescending(d => d.UpdatedAt)
                .Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        return new MergeValues(contact.FirstName, contact.LastName, contact.Email, contact.Title,
            contact.Account?.Name, contact.Account?.Domain, dealName, senderName, senderEmail);
    }

    async Task<int> StopOnMeetingsAsync(CancellationToken cancellationToken)
    {
        var booked = await db.Set<Enrolment>().Include(e => e.Steps)
            .Where(e => e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Paused)
            .Where(e => db.Activities.Any(a => a.ContactId == e.ContactId && a.Type == ActivityType.Meeting && a.CreatedAt >= e.CreatedAt))
            .OrderBy(e => e.CreatedAt).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var enrolment in booked)
            enrolment.Stop(StopReason.MeetingBooked, Now);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return booked.Count;
    }

    [GeneratedRegex(@"<([^<>\s@]+@[^<>\s]+)>")]
    private static partial Regex BracketedId();

    async Task<(int Replies, int Stopped)> PollRepliesAsync(CancellationToken cancellationToken)
    {
        int replies = 0, stopped = 0;
        var accounts = await db.Set<MailAccount>().Where(a => a.ImapHost != null).Select(a => a.Id).ToListAsync(cancellationToken);
        foreach (var accountId in accounts)
        {
            db.ChangeTracker.Clear();
            var account = await db.Set<MailAccount>().SingleAsync(a => a.Id == accountId, cancellationToken);
            MailboxBatch batch;
            try
            {
                batch = await mail.FetchNewAsync(account, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                (account.LastPollError, account.LastPolledAt) = (Truncate($"Reading replies failed: {MailClient.Describe(error)}", 1000), Now);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }
            foreach (var received in batch.Messages)
            {
                var (reply, stop) = await ReadAsync(account, received.Message, cancellationToken);
                replies += reply ? 1 : 0;
                stopped += stop ? 1 : 0;
                account.ImapLastUid = received.Uid;
            }
            (account.ImapUidValidity, account.ImapLastUid, account.LastPolledAt, account.LastPollError) = (batch.UidValidity, batch.ReadUpTo, Now, null);
            await db.SaveChangesAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return (replies, stopped);
    }

    // A message answering one of this mailbox's sequence emails: a reply (stops the enrolment and counts
    // as an inbound touch), an unsubscribe request, or a bounce (a delivery report quoting our Message-ID).
    async Task<(bool Reply, bool Stopped)> ReadAsync(MailAccount account, MimeMessage message, CancellationToken cancellationToken)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address?.ToLowerInvariant() ?? "";
        if (from == account.FromAddress)
            return (false, false);
        var isBounce = from.StartsWith("mailer-daemon@", StringComparison.Ordinal) || from.StartsWith("postmaster@", StringComparison.Ordinal)
            || message.Body is MultipartReport;
        var ids = new HashSet<string>(message.References, StringComparer.Ordinal);
        if (message.InReplyTo is { } inReplyTo)
            ids.Add(inReplyTo);
        if (isBounce)
            foreach (Match match in BracketedId().Matches(message.ToString()))
                ids.Add(match.Groups[1].Value);
        if (ids.Count == 0)
            return (false, false);
        var idList = ids.ToList();
        var step = await db.Set<EnrolmentStep>().Where(s => s.MessageId != null && idList.Contains(s.MessageId))
            .Where(s => db.Set<Enrolment>().Any(e => e.Id == s.EnrolmentId && e.OwnerId == account.UserId))
            .OrderByDescending(s => s.Position).FirstOrDefaultAsync(cancellationToken);
        if (step is null)
            return await ReadDripAnswerAsync(account, message, idList, isBounce, cancellationToken);
        var enrolment = await db.Set<Enrolment>().Include(e => e.Steps).SingleAsync(e => e.Id == step.EnrolmentId, cancellationToken);
        var reason = isBounce ? StopReason.Bounced : AsksToUnsubscribe(message) ? StopReason.Unsubscribed : StopReason.Replied;
        var wasRunning = enrolment.Status is EnrolmentStatus.Active or EnrolmentStatus.Paused;
        enrolment.Stop(reason, Now);
        if (isBounce)
        {
            step.Status = StepStatus.Failed;
            step.LastError = "Bounced: the receiving server reported the email undeliverable.";
            return (false, wasRunning);
        }
        await RecordAnswerAsync(account, message, enrolment.ContactId, enrolment.OwnerId, reason == StopReason.Unsubscribed, cancellationToken);
        return (true, wasRunning);
    }

    static bool AsksToUnsubscribe(MimeMessage message) =>
        (message.TextBody ?? message.HtmlBody ?? "").Contains("unsubscribe", StringComparison.OrdinalIgnoreCase)
        || message.Subject?.Contains("unsubscribe", StringComparison.OrdinalIgnoreCase) == true;

    // The answer as an inbound email touch on the contact, once per message whatever re-reads the mailbox.
    // An "unsubscribed" outcome is what keeps every later drip away (DripAudience.Reachable).
    async Task RecordAnswerAsync(MailAccount account, MimeMessage message, Guid contactId, Guid? ownerId, bool unsubscribes, CancellationToken cancellationToken)
    {
        var externalId = ExternalId(message.MessageId ?? $"imap-{account.Id:N}-{message.Date.UtcTicks}");
        if (await db.Activities.IgnoreQueryFilters().AnyAsync(a => a.ExternalSource == "imap" && a.ExternalId == externalId, cancellationToken))
            return;
        var contact = await db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Id == contactId, cancellationToken);
        db.Activities.Add(new Activity
        {
            Type = ActivityType.Email,
            Direction = Direction.Inbound,
            Subject = Truncate(string.IsNullOrWhiteSpace(message.Subject) ? "(no subject)" : message.Subject, 300),
            Body = Truncate(message.TextBody ?? message.HtmlBody ?? "", 20000),
            Outcome = unsubscribes ? "unsubscribed" : "replied",
            OccurredAt = message.Date == default ? Now : message.Date.UtcDateTime,
            CompletedAt = Now,
            ContactId = contact.Id,
            AccountId = contact.AccountId,
            OwnerId = ownerId,
            ExternalSource = "imap",
            ExternalId = externalId,
        });
    }

    // Activity external ids are at most 100 characters; a long Message-ID is kept as its hash.
    static string ExternalId(string messageId) =>
        messageId.Length <= 100 ? messageId : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
