using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>
/// Who a drip track writes to, in one place for the preview, the scheduler and the check before each send:
/// the segment's or the list's contacts that the track's owner may see, with an email address, and not
/// suppressed (<see cref="Reachable"/>).
/// </summary>
public static class DripAudience
{
    /// <summary>The users whose contacts the owner may write to (with unowned ones); null for an admin, who sees all.</summary>
    public static async Task<List<Guid>?> OwnersVisibleToAsync(ReachDb db, Guid? ownerId, CancellationToken cancellationToken)
    {
        var owner = ownerId is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == ownerId, cancellationToken);
        if (owner is null || !owner.IsActive)
            return [];
        return owner.Role switch
        {
            UserRole.Admin => null,
            // The same team as the access filters give a manager: their team and the teams they manage.
            UserRole.Manager => [.. (await Actor.ForAsync(db, owner, cancellationToken)).TeamUserIds],
            _ => [owner.Id],
        };
    }

    public static IQueryable<Contact> Query(ReachDb db, DripTrack track, List<Guid>? visibleOwners)
    {
        var contacts = db.Contacts.AsNoTracking();
        if (visibleOwners is not null)
            contacts = contacts.Where(c => c.OwnerId == null || visibleOwners.Contains(c.OwnerId.Value));
        if (track.BySegment)
        {
            var (tier, channel, segment) = (track.AudienceTier, track.AudienceChannel, string.IsNullOrWhiteSpace(track.AudienceSegment) ? null : track.AudienceSegment);
            contacts = contacts.Where(c => db.Accounts.Any(a => a.Id == c.AccountId
                && (tier == null || a.Tier == tier) && (channel == null || a.Channel == channel) && (segment == null || a.Segment == segment)));
        }
        else
        {
            var trackId = track.Id;
            contacts = contacts.Where(c => db.Set<DripMember>().Any(m => m.TrackId == trackId && m.ContactId == c.Id));
        }
        return Reachable(db, contacts);
    }

    /// <summary>
    /// Contacts outreach may still write to: with an email address, never bounced (a sequence step or a drip
    /// piece refused or reported undeliverable) and never asked to unsubscribe (answering a sequence or a drip).
    /// </summary>
    public static IQueryable<Contact> Reachable(ReachDb db, IQueryable<Contact> contacts) =>
        contacts.Where(c => c.Email != null && c.Email != ""
            && !db.Enrolments.Any(e => e.ContactId == c.Id && (e.StopReason == StopReason.Unsubscribed || e.StopReason == StopReason.Bounced))
            && !db.Set<DripSend>().Any(s => s.ContactId == c.Id && s.Status == StepStatus.Failed)
            && !db.Activities.Any(a => a.ContactId == c.Id && a.Direction == Direction.Inbound && a.Outcome == "unsubscribed"));

    /// <summary>When the contact last got an outreach email (any sequence, any drip), other than <paramref name="except"/>.</summary>
    public static async Task<DateTime?> LastOutreachEmailAsync(ReachDb db, Guid contactId, Guid? except, CancellationToken cancellationToken)
    {
        var sequence = await db.EnrolmentSteps.Where(s => s.Status == StepStatus.Sent && s.Kind == StepKind.Email
                && db.Enrolments.Any(e => e.Id == s.EnrolmentId && e.ContactId == contactId))
            .MaxAsync(s => s.DoneAt, cancellationToken);
        var drip = await db.Set<DripSend>().Where(s => s.ContactId == contactId && s.Status == StepStatus.Sent && s.Id != except)
            .MaxAsync(s => s.DoneAt, cancellationToken);
        return sequence > drip || drip is null ? sequence : drip;
    }
}
