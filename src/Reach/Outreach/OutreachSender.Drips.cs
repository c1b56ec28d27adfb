using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Reach.Outreach;

// Drip tracks in the sender's pass: each active track's audience gets its next piece queued (one open
// piece per contact and track), then the due pieces go out through the same claim → SMTP → touch steps as sequence emails.
public sealed partial class OutreachSender
{
    /// <summary>The most contacts one track queues pieces for in one pass; the rest follow in the next passes.</summary>
    public const int DripAudienceBatch = 2000;

    async Task<int> ScheduleDripsAsync(CancellationToken cancellationToken)
    {
        var trackIds = await db.Set<DripTrack>().Where(t => !t.Paused && t.OwnerId != null).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
        var scheduled = 0;
        foreach (var trackId in trackIds)
        {
            db.ChangeTracker.Clear();
            var now = Now;
            var track = await db.Set<DripTrack>().AsNoTracking().Include(t => t.Pieces).SingleAsync(t => t.Id == trackId, cancellationToken);
            if (track.Pieces.Count == 0)
                continue;
            var owners = await DripAudience.OwnersVisibleToAsync(db, track.OwnerId, cancellationToken);
            // Contacts with a piece queued or under way wait for it; the others are due their next piece.
            var waiting = db.Set<DripSend>().Where(s => s.TrackId == trackId
                && (s.Status == StepStatus.Scheduled || s.Status == StepStatus.Sending || s.Status == StepStatus.Retrying));
            var audience = await DripAudience.Query(db, track, owners)
                .Where(c => !waiting.Any(s => s.ContactId == c.Id))
                .OrderBy(c => c.Id).Take(DripAudienceBatch)
                .Select(c => new
                {
                    c.Id,
                    c.TimeZone,
                    Last = db.Set<DripSend>().Where(s => s.TrackId == trackId && s.ContactId == c.Id).OrderByDescending(s => s.Position)
                        .Select(s => new { s.Id, s.Position, s.Status, s.DoneAt }).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var pieces = track.Pieces.OrderBy(p => p.Position).ToList();
            foreach (var contact in audience)
            {
                var zone = SendWindow.ZoneFor(contact.TimeZone, track.TimeZone);
                // Cancelled while the contact was out of the audience: back in, the same piece is due again, not skipped.
                if (contact.Last is { Status: StepStatus.Cancelled } cancelled)
                {
                    var again = await db.Set<DripSend>().SingleAsync(s => s.Id == cancelled.Id, cancellationToken);
                    (again.Status, again.DueAt, again.DoneAt, again.LastError, again.OwnerId) =
                        (StepStatus.Scheduled, SendWindow.NextOpen(now, zone, track.WindowStartHour, track.WindowEndHour), null, null, track.OwnerId);
                    scheduled++;
                    continue;
                }
                var next = pieces.FirstOrDefault(p => p.Position > (contact.Last?.Position ?? 0));
                if (next is null)
                    continue;
                var due = contact.Last?.DoneAt is { } previous
                    ? SendWindow.Due(previous, track.CadenceBusinessDays, zone, track.WindowStartHour, track.WindowEndHour)
                    : SendWindow.NextOpen(now, zone, track.WindowStartHour, track.WindowEndHour);
                db.Add(new DripSend { TrackId = trackId, ContactId = contact.Id, PieceId = next.Id, Position = next.Position, OwnerId = track.OwnerId, DueAt = due });
                scheduled++;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return scheduled;
    }

    async Task<(int Sent, int Failed)> SendDueDripsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var due = await db.Set<DripSend>()
            .Where(QueuedEmail.DueBy<DripSend>(now))
            .Where(s => db.Set<DripTrack>().Any(t => t.Id == s.TrackId && !t.Paused))
            .OrderBy(s => s.DueAt).Take(BatchSize).Select(s => s.Id).ToListAsync(cancellationToken);
        int sent = 0, failed = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            switch (await SendDripAsync(id, cancellationToken))
            {
                case StepStatus.Sent: sent++; break;
                case StepStatus.Retrying or StepStatus.Failed: failed++; break;
                default: break;
            }
        }
        db.ChangeTracker.Clear();
        return (sent, failed);
    }

    async Task<StepStatus> SendDripAsync(Guid sendId, CancellationToken cancellationToken)
    {
        var now = Now;
        var send = await db.Set<DripSend>().SingleAsync(s => s.Id == sendId, cancellationToken);
        var track = await db.Set<DripTrack>().IgnoreQueryFilters().Include(t => t.Pieces).SingleAsync(t => t.Id == send.TrackId, cancellationToken);
        var piece = track.Pieces.Single(p => p.Id == send.PieceId);
        var contact = await db.Contacts.IgnoreQueryFilters().Include(c => c.Account).SingleAsync(c => c.Id == send.ContactId, cancellationToken);

        // Not yet handed to SMTP: the contact must still be in the audience (not deleted, unsubscribed, bounced
        // or taken off the list), and the track still there. Once the Message-ID is fixed the piece may be out, so it is finished.
        if (send.MessageId is null)
        {
            var owners = await DripAudience.OwnersVisibleToAsync(db, send.OwnerId, cancellationToken);
            if (track.DeletedAt is not null || !await DripAudience.Query(db, track, owners).AnyAsync(c => c.Id == contact.Id, cancellationToken))
            {
                (send.Status, send.LastError, send.DoneAt) = (StepStatus.Cancelled, "The contact left the audience (deleted, unsubscribed, bounced or taken off the list).", now);
                await db.SaveChangesAsync(cancellationToken);
                return StepStatus.Cancelled;
            }
            // The minimum gap counts every outreach email the contact got, sequences' and other drips'.
            if (await DripAudience.LastOutreachEmailAsync(db, contact.Id, send.Id, cancellationToken) is { } last && last.AddDays(track.MinimumGapDays) > now)
            {
                var zone = SendWindow.ZoneFor(contact.TimeZone, track.TimeZone);
                send.DueAt = SendWindow.NextOpen(last.AddDays(track.MinimumGapDays), zone, track.WindowStartHour, track.WindowEndHour);
                send.LastError = $"Held back: {contact.FullName} got an outreach email on {last:yyyy-MM-dd HH:mm} UTC and the track keeps {track.MinimumGapDays} days between emails.";
                (send.Status, send.NextAttemptAt) = (StepStatus.Scheduled, null);
                await db.SaveChangesAsync(cancellationToken);
                return StepStatus.Scheduled;
            }
        }

        if (string.IsNullOrEmpty(contact.Email))
        {
            (send.Status, send.LastError, send.NextAttemptAt, send.DoneAt) = (StepStatus.Cancelled, "The contact has no email address any more.", null, now);
            await db.SaveChangesAsync(cancellationToken);
            return StepStatus.Cancelled;
        }
        var owner = await db.Users.SingleAsync(u => u.Id == send.OwnerId, cancellationToken);
        var account = await db.Set<MailAccount>().FirstOrDefaultAsync(a => a.UserId == send.OwnerId, cancellationToken);
        if (account is null)
            return await RetryAsync(send, NoMailbox(owner.Name), now);
        var windowZone = SendWindow.ZoneFor(contact.TimeZone, track.TimeZone);
        if (await HoldBackAsync(send, account, windowZone, track.WindowStartHour, track.WindowEndHour, now, cancellationToken) is { } held)
            return held;

        // Fixed before the first attempt, as for sequence steps: every retry sends the very same message.
        if (send.MessageId is null)
        {
            var values = await ValuesAsync(contact, owner.Name, account.FromAddress, cancellationToken);
            send.AssignMessageId(account.FromAddress);
            send.Subject = Truncate(MergeFields.Render(piece.Subject, values), 300);
            send.Body = Truncate(MergeFields.Render(piece.Body, values), 20000);
        }
        send.Claim(now + Lease);
        send.LastError = null;
        await db.SaveChangesAsync(cancellationToken);

        // A drip has no enrolment to stop: the refused piece is simply done.
        if (await DeliverAsync(send, account, MessageOf(send, account, contact, now), contact, () => send.DoneAt = now, now, cancellationToken) is { } undelivered)
            return undelivered;

        RecordSent(send, contact, send.OwnerId, now);
        // The email is out: this save must not be cancelled half-way by a stopping host.
        await db.SaveChangesAsync(CancellationToken.None);
        return StepStatus.Sent;
    }

    // An answer to a drip piece: an inbound touch on the contact; "unsubscribe" in it also stops the
    // contact's sequences, and a bounce marks the piece failed — both keep every later drip away.
    async Task<(bool Reply, bool Stopped)> ReadDripAnswerAsync(MailAccount account, MimeMessage message, List<string> ids, bool isBounce, CancellationToken cancellationToken)
    {
        var send = await db.Set<DripSend>().Where(s => s.MessageId != null && ids.Contains(s.MessageId) && s.OwnerId == account.UserId)
            .OrderByDescending(s => s.Position).FirstOrDefaultAsync(cancellationToken);
        if (send is null)
            return (false, false);
        if (isBounce)
        {
            (send.Status, send.LastError) = (StepStatus.Failed, "Bounced: the receiving server reported the email undeliverable.");
            return (false, false);
        }
        var unsubscribes = AsksToUnsubscribe(message);
        var stopped = 0;
        if (unsubscribes)
            foreach (var enrolment in await db.Set<Enrolment>().Include(e => e.Steps)
                .Where(e => e.ContactId == send.ContactId && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Paused)).ToListAsync(cancellationToken))
            {
                enrolment.Stop(StopReason.Unsubscribed, Now);
                stopped++;
            }
        await RecordAnswerAsync(account, message, send.ContactId, send.OwnerId, unsubscribes, cancellationToken);
        return (true, stopped > 0);
    }
}
