using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>What an enrolment request did, contact by contact.</summary>
public sealed record EnrolResult(int Enrolled, IReadOnlyList<string> Skipped);

/// <summary>
/// The sequence operations the API, pages and CLI share: saving sequences, enrolling contacts, pausing
/// and stopping. Access is the context's (query filters for what the actor sees, AccessRules for what they save).
/// </summary>
public sealed class OutreachService(ReachDb db, MailSecrets secrets)
{
    public const int MaxEnrolAtOnce = 1000;

    public async Task<Sequence> CreateAsync(SequenceInput input, CancellationToken cancellationToken)
    {
        input.Validate();
        var sequence = new Sequence { Name = input.Name!.Trim(), OwnerId = db.Actor?.UserId };
        Apply(sequence, input);
        db.Add(sequence);
        await db.SaveChangesAsync(cancellationToken);
        return sequence;
    }

    public Task<Sequence?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Sequence>().Include(s => s.Steps).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    /// <summary>
    /// Rewrites the settings and steps. Steps keep their place (so enrolments already under way carry
    /// on with the new text); a step that some enrolment has already reached cannot be removed.
    /// </summary>
    public async Task<Sequence> UpdateAsync(Sequence sequence, SequenceInput input, CancellationToken cancellationToken)
    {
        input.Validate();
        var removed = sequence.Steps.Where(s => s.Position > input.Steps!.Count).Select(s => s.Id).ToList();
        if (removed.Count > 0 && await db.Set<EnrolmentStep>().AnyAsync(e => removed.Contains(e.SequenceStepId), cancellationToken))
            throw new InputException("steps", $"Enrolments have already reached step {input.Steps!.Count + 1}; a step that has run cannot be removed (pause the sequence and start a new one instead).");
        sequence.Name = input.Name!.Trim();
        Apply(sequence, input);
        await db.SaveChangesAsync(cancellationToken);
        return sequence;
    }

    void Apply(Sequence sequence, SequenceInput input)
    {
        sequence.TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        sequence.WindowStartHour = input.WindowStartHour ?? 9;
        sequence.WindowEndHour = input.WindowEndHour ?? 17;
        foreach (var gone in sequence.Steps.Where(s => s.Position > input.Steps!.Count).ToList())
        {
            sequence.Steps.Remove(gone);
            db.Remove(gone);
        }
        for (var i = 0; i < input.Steps!.Count; i++)
        {
            var given = input.Steps[i];
            var step = sequence.Steps.FirstOrDefault(s => s.Position == i + 1);
            if (step is null)
            {
                step = new SequenceStep { SequenceId = sequence.Id, Position = i + 1 };
                sequence.Steps.Add(step);
            }
            step.Kind = given.Kind!.Value;
            step.DelayDays = given.DelayDays ?? 0;
            step.Subject = string.IsNullOrWhiteSpace(given.Subject) ? null : given.Subject.Trim();
            step.Body = given.Body;
            step.ForwardsPrevious = given.ForwardsPrevious ?? false;
        }
    }

    public async Task SetPausedAsync(Sequence sequence, bool paused, CancellationToken cancellationToken)
    {
        sequence.Paused = paused;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Enrols each contact the actor can see; a contact without an email, or already going through this sequence, is skipped with the reason.</summary>
    public async Task<EnrolResult> EnrolAsync(Sequence sequence, IReadOnlyCollection<Guid> contactIds, CancellationToken cancellationToken)
    {
        if (contactIds.Count == 0)
            throw new InputException("contactIds", "Name at least one contact to enrol.");
        if (contactIds.Count > MaxEnrolAtOnce)
            throw new InputException("contactIds", $"At most {MaxEnrolAtOnce} contacts are enrolled at once; {contactIds.Count} were given.");
        var first = sequence.Steps.OrderBy(s => s.Position).FirstOrDefault()
            ?? throw new InputException("steps", "The sequence has no steps.");
        var ids = contactIds.Distinct().ToList();
        var contacts = await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var busy = await db.Set<Enrolment>()
            .Where(e => e.SequenceId == sequence.Id && ids.Contains(e.ContactId) && (e.Status == EnrolmentStatus.Active || e.Status == EnrolmentStatus.Paused))
            .Select(e => e.ContactId).ToListAsync(cancellationToken);
        var skipped = new List<string>();
        var now = db.UtcNow;
        var enrolled = 0;
        foreach (var id in ids)
        {
            var contact = contacts.FirstOrDefault(c => c.Id == id);
            if (contact is null)
                skipped.Add($"{id}: no contact with this id that you can see");
            else if (string.IsNullOrEmpty(contact.Email))
                skipped.Add($"{contact.FullName}: has no email address");
            else if (busy.Contains(id))
                skipped.Add($"{contact.FullName}: is already going through this sequence");
            else
            {
                var zone = SendWindow.ZoneFor(contact.TimeZone, sequence.TimeZone);
                var enrolment = new Enrolment { SequenceId = sequence.Id, ContactId = id, OwnerId = db.Actor?.UserId ?? sequence.OwnerId };
                enrolment.Steps.Add(new EnrolmentStep
                {
                    EnrolmentId = enrolment.Id,
                    SequenceStepId = first.Id,
                    Position = first.Position,
                    Kind = first.Kind,
                    DueAt = SendWindow.Due(now, first.DelayDays, zone, sequence.WindowStartHour, sequence.WindowEndHour),
                });
                db.Add(enrolment);
                enrolled++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new EnrolResult(enrolled, skipped);
    }

    /// <summary>
    /// The contacts list's filter, enrolled in one go: name, email, title or account name containing
    /// <paramref name="search"/>, and optionally one account's contacts.
    /// </summary>
    public async Task<EnrolResult> EnrolMatchingAsync(Sequence sequence, string? search, Guid? accountId, CancellationToken cancellationToken)
    {
        var contacts = Matching(db.Contacts, search, accountId);
        var ids = await contacts.OrderBy(c => c.Id).Select(c => c.Id).Take(MaxEnrolAtOnce + 1).ToListAsync(cancellationToken);
        if (ids.Count == 0)
            throw new InputException("search", $"No contact you can see matches '{search}'.");
        return await EnrolAsync(sequence, ids, cancellationToken);
    }

    public static IQueryable<Contact> Matching(IQueryable<Contact> contacts, string? search, Guid? accountId)
    {
        if (accountId is { } account)
            contacts = contacts.Where(c => c.AccountId == account);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim().ToLower();
            contacts = contacts.Where(c => c.FirstName.ToLower().Contains(text) || (c.LastName != null && c.LastName.ToLower().Contains(text))
                || (c.Email != null && c.Email.Contains(text)) || (c.Title != null && c.Title.ToLower().Contains(text))
                || (c.Account != null && c.Account.Name.ToLower().Contains(text)));
        }
        return contacts;
    }

    public Task<Enrolment?> FindEnrolmentAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Enrolment>().Include(e => e.Steps).FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    /// <summary>Pause (nothing is sent until resumed), resume, or stop (meeting booked, unsubscribed…) one enrolment.</summary>
    public async Task ChangeAsync(Enrolment enrolment, string action, StopReason? reason, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case "pause" when enrolment.Status == EnrolmentStatus.Active:
                enrolment.Status = EnrolmentStatus.Paused;
                break;
            case "resume" when enrolment.Status == EnrolmentStatus.Paused:
                enrolment.Status = EnrolmentStatus.Active;
                break;
            case "stop" when enrolment.Status is EnrolmentStatus.Active or EnrolmentStatus.Paused:
                enrolment.Stop(reason ?? StopReason.Manual, db.UtcNow);
                break;
            case "pause" or "resume" or "stop":
                throw new InputException("action", $"This enrolment is {enrolment.Status.ToString().ToLowerInvariant()}; it cannot {action}.");
            default:
                throw new InputException("action", $"'{action}' is not an action; use pause, resume or stop.");
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Connects (or changes) the actor's own mailbox.</summary>
    public async Task<MailAccount> SaveMailAccountAsync(Guid userId, MailAccountInput input, CancellationToken cancellationToken)
    {
        var account = await db.Set<MailAccount>().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        var isNew = account is null;
        account ??= new MailAccount { UserId = userId, FromName = "", FromAddress = "", SmtpHost = "", CreatedAt = db.UtcNow };
        var imapBefore = (account.ImapHost, account.ImapPort, account.ImapUser);
        input.ApplyTo(account, secrets);
        // Another mailbox: the place the poller stopped at means nothing there.
        if ((account.ImapHost, account.ImapPort, account.ImapUser) != imapBefore)
            (account.ImapUidValidity, account.ImapLastUid) = (0, 0);
        account.UpdatedAt = db.UtcNow;
        if (isNew)
            db.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
