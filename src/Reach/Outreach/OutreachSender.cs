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
            .Where(QueuedEmail.DueBy<EnrolmentStep>(now))
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
            return await RetryAsync(step, NoMailbox(owner.Name), now);
        if (await HoldBackAsync(step, account, zone, sequence.WindowStartHour, sequence.WindowEndHour, now, cancellationToken) is { } held)
            return held;

        var previous = template.ForwardsPrevious
            ? enrolment.Steps.Where(s => s.Position < step.Position && s.Kind == StepKind.Email && s.Status == StepStatus.Sent).MaxBy(s => s.Position)
            : null;
        // The Message-ID and the text are fixed before the first attempt and stored: every retry, and a
        // pass after a crash, sends the very same message, and a reply to it finds this step.
        if (step.MessageId is null)
        {
            step.AssignMessageId(account.FromAddress);
            step.Subject = Truncate(template.ForwardsPrevious && string.IsNullOrWhiteSpace(template.Subject) && previous is not null
                ? "Fwd: " + previous.Subject
                : MergeFields.Render(template.Subject, values), 300);
            var body = MergeFields.Render(template.Body, values);
            if (previous is not null)
                body += $"\n\n---------- Forwarded message ---------\nFrom: {account.FromName} <{account.FromAddress}>\nDate: {previous.DoneAt:ddd, d MMM yyyy 'at' HH:mm} UTC\nSubject: {previous.Subject}\nTo: {contact.FullName} <{contact.Email}>\n\n{previous.Body}";
            step.Body = Truncate(body, 20000);
        }
        step.Claim(now + Lease);
        await db.SaveChangesAsync(cancellationToken);

        var message = MessageOf(step, account, contact, now);
        if (previous?.MessageId is { } earlier)
        {
            message.InReplyTo = earlier;
            foreach (var reference in enrolment.Steps.Where(s => s.Position < step.Position && s.MessageId != null && s.Status == StepStatus.Sent).OrderBy(s => s.Position))
                message.References.Add(reference.MessageId!);
        }
        if (await DeliverAsync(step, account, message, contact, () => enrolment.Stop(StopReason.Bounced, now), now, cancellationToken) is { } undelivered)
            return undelivered;

        RecordSent(step, contact, enrolment.OwnerId, now);
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

    static string NoMailbox(string owner) => $"{owner} has no mailbox connected: connect one under Settings → Mail.";

    async Task<StepStatus> RetryAsync(QueuedEmail email, string error, DateTime now)
    {
        email.Status = StepStatus.Retrying;
        email.LastError = Truncate($"Attempt {Math.Max(1, email.Attempts)} failed: {error}", 1000);
        email.NextAttemptAt = now + Backoff(email.Attempts);
        await db.SaveChangesAsync(CancellationToken.None);
        return StepStatus.Retrying;
    }

    // Outside the send window, or the mailbox's daily limit reached: the email waits (saved) and the pass says
    // Scheduled; null when it may go now.
    async Task<StepStatus?> HoldBackAsync(QueuedEmail email, MailAccount account, TimeZoneInfo zone, int windowStartHour, int windowEndHour, DateTime now, CancellationToken cancellationToken)
    {
        var open = SendWindow.NextOpen(now, zone, windowStartHour, windowEndHour);
        if (open > now && email.Status == StepStatus.Scheduled)
        {
            email.DueAt = open;
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Scheduled;
        }
        var dayStart = now.Date;
        if (await SentTodayAsync(account.UserId, dayStart, cancellationToken) >= account.DailyLimit)
        {
            email.DueAt = SendWindow.NextOpen(dayStart.AddDays(1), zone, windowStartHour, windowEndHour);
            email.LastError = $"The mailbox's daily limit of {account.DailyLimit} emails is reached; sends on the next day.";
            if (email.Status != StepStatus.Scheduled)
                (email.Status, email.NextAttemptAt) = (StepStatus.Retrying, email.DueAt);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Scheduled;
        }
        return null;
    }

    // Called once the Message-ID is assigned and the contact is known to have an address.
    static MimeMessage MessageOf(QueuedEmail email, MailAccount account, Contact contact, DateTime now)
    {
        var message = new MimeMessage { MessageId = email.MessageId!, Subject = email.Subject ?? "", Date = new DateTimeOffset(now) };
        message.From.Add(new MailboxAddress(account.FromName, account.FromAddress));
        message.To.Add(new MailboxAddress(contact.FullName, contact.Email!));
        message.Body = new TextPart("plain") { Text = email.Body ?? "" };
        return message;
    }

    // Hands the message to SMTP: null once it is out. An address the server refuses for good fails the email (then
    // whatever else a bounce ends, saved together); any other error is tried again later.
    async Task<StepStatus?> DeliverAsync(QueuedEmail email, MailAccount account, MimeMessage message, Contact contact, Action bounced, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            await mail.SendAsync(account, message, cancellationToken);
            return null;
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500 && refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
        {
            (email.Status, email.LastError, email.NextAttemptAt) = (StepStatus.Failed, Truncate($"{contact.Email}: {MailClient.Describe(refused)}", 1000), null);
            bounced();
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Failed;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return await RetryAsync(email, MailClient.Describe(error), now);
        }
    }

    // The email is out: an outbound email touch on the contact, and the email marked sent.
    void RecordSent(QueuedEmail email, Contact contact, Guid? ownerId, DateTime now)
    {
        var activity = new Activity
        {
            Type = ActivityType.Email,
            Direction = Direction.Outbound,
            Subject = email.Subject ?? "(no subject)",
            Body = email.Body,
            OccurredAt = now,
            CompletedAt = now,
            ContactId = contact.Id,
            AccountId = contact.AccountId,
            OwnerId = ownerId,
            ExternalSource = "smtp",
            ExternalId = ExternalId(email.MessageId!),
        };
        db.Activities.Add(activity);
        email.MarkSent(now, activity.Id);
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
