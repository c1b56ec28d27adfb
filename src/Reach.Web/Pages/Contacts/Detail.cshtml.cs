using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Outreach;

namespace Reach.Web.Pages.Contacts;

/// <summary>A contact: who they are in the account's cast, their deals, and their touches against the rule of seven.</summary>
public sealed class DetailModel(ReachDb db, OutreachService outreach) : RecordPage(db)
{
    public const int RuleOfSeven = Reach.Activities.Touches.RuleOfSeven;

    public Contact Contact { get; private set; } = null!;
    public List<Deal> Deals { get; private set; } = [];
    public List<Activity> Touches { get; private set; } = [];
    public Dictionary<Guid, string> Authors { get; private set; } = [];
    public int TouchCount { get; private set; }
    public List<(Enrolment Enrolment, string Sequence)> Enrolments { get; private set; } = [];
    public List<(Guid Id, string Name)> Sequences { get; private set; } = [];

    // A deleted contact still opens, read-only, with its undo; nothing is posted to it until it is restored.
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken, evenTrashed: true) ? Page() : NotFound();

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (await LogAsync(Contact.AccountId, id, null, null, cancellationToken))
            await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>Enrols this one contact in a sequence.</summary>
    public async Task<IActionResult> OnPostEnrolAsync(Guid id, Guid sequenceId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var sequence = await outreach.FindAsync(sequenceId, cancellationToken);
        if (sequence is null)
            Errors["sequenceId"] = "Choose one of your sequences.";
        else if (await SaveAsync(async () =>
        {
            var result = await outreach.EnrolAsync(sequence, [id], cancellationToken);
            if (result.Enrolled == 0)
                throw new InputException("sequenceId", string.Join(" ", result.Skipped));
        }))
        {
            return Reload($"Enrolled in {sequence.Name}.");
        }
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool evenTrashed = false)
    {
        var contacts = evenTrashed ? Db.Contacts.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]) : Db.Contacts;
        var contact = await contacts.AsNoTracking().Include(c => c.Account).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
            return false;
        Contact = contact;
        Deals = await Db.Deals.AsNoTracking().Include(d => d.Stage).Where(d => d.PrimaryContactId == id).OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        var touches = Db.Activities.AsNoTracking().Where(a => a.ContactId == id).Held(Db.UtcNow);
        TouchCount = await touches.CountAsync(cancellationToken);
        Touches = await touches.OrderByDescending(a => a.OccurredAt).Take(100).ToListAsync(cancellationToken);
        Authors = await Timeline.AuthorsAsync(Db, Touches, cancellationToken);
        OwnerChoices = await RecordChanges.OwnerChoicesAsync(Db, Actor, cancellationToken);
        Enrolments = [.. (await Db.Enrolments.AsNoTracking().Where(e => e.ContactId == id).OrderByDescending(e => e.CreatedAt)
            .Select(e => new { Enrolment = e, Sequence = Db.Sequences.Where(s => s.Id == e.SequenceId).Select(s => s.Name).FirstOrDefault() }).Take(20).ToListAsync(cancellationToken))
            .Select(x => (x.Enrolment, x.Sequence ?? "—"))];
        Sequences = [.. (await Db.Sequences.AsNoTracking().Where(s => !s.Paused).OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).Take(200).ToListAsync(cancellationToken)).Select(s => (s.Id, s.Name))];
        return true;
    }
}
