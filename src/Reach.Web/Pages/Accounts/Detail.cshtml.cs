using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Pages.Accounts;

/// <summary>An account: firmographics, its cast of characters, its deals and one timeline of every activity and change.</summary>
public sealed class DetailModel(ReachDb db) : RecordPage(db)
{
    public Account Account { get; private set; } = null!;
    public List<Contact> Contacts { get; private set; } = [];
    public List<Deal> Deals { get; private set; } = [];
    public Reach.Expansion.AccountStory? Story { get; private set; }

    /// <summary>Its product usage: active users, growth, share of employees, score, the threshold (Reach.Usage); none in the trash.</summary>
    public Api.UsageApi.AccountUsageView? Usage { get; private set; }
    public List<(DateTime At, string Kind, string Text, string? Author, string? Notes)> Timeline { get; private set; } = [];
    public string? OwnerName { get; private set; }

    /// <summary>Touches that happened, per contact of the cast, against the rule of seven.</summary>
    public Dictionary<Guid, int> TouchCounts { get; private set; } = [];

    // A deleted account still opens, read-only, with its undo; nothing is posted to it until it is restored.
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken, evenTrashed: true) ? Page() : NotFound();

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (await LogAsync(id, null, null, null, cancellationToken))
            await LoadAsync(id, cancellationToken);
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool evenTrashed = false)
    {
        var accounts = evenTrashed ? Db.Accounts.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]) : Db.Accounts;
        var account = await accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
            return false;
        Account = account;
        Contacts = await Db.Contacts.AsNoTracking().Where(c => c.AccountId == id).OrderBy(c => c.Role).ThenBy(c => c.LastName).ToListAsync(cancellationToken);
        Deals = await Db.Deals.AsNoTracking().Include(d => d.Stage).Where(d => d.AccountId == id).OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        await Reach.Expansion.DealSizeGuardrail.AnnotateWithAsync(Db, Deals, cancellationToken);
        // A trashed account's deals are in the trash with it: it tells no story and counts no usage until restored.
        if (account.DeletedAt is null)
        {
            Story = await Reach.Expansion.LandAndExpand.StoryAsync(Db, id, Db.UtcNow, cancellationToken);
            Usage = await Api.UsageApi.AccountViewAsync(Db, id, cancellationToken);
        }
        var activities = await Db.Activities.AsNoTracking().Where(a => a.AccountId == id).OrderByDescending(a => a.OccurredAt).Take(100)
            .Where(a => a.DueAt == null || a.CompletedAt != null).Select(a => new { a.OccurredAt, a.Type, a.Subject, a.Body, a.OwnerId }).ToListAsync(cancellationToken);
        var contactIds = Contacts.Select(c => c.Id).ToList();
        TouchCounts = await Db.Activities.AsNoTracking().Where(a => a.ContactId != null && contactIds.Contains(a.ContactId.Value)).Held(Db.UtcNow)
            .GroupBy(a => a.ContactId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        Guid[] related = [id, .. Contacts.Select(c => c.Id), .. Deals.Select(d => d.Id)];
        var changes = await Db.AuditEntries.AsNoTracking().Where(e => related.Contains(e.EntityId)).OrderByDescending(e => e.Id).Take(100).ToListAsync(cancellationToken);
        var text = await AuditText.LoadAsync(Db, cancellationToken);
        var authorIds = activities.Where(a => a.OwnerId != null).Select(a => a.OwnerId!.Value).Distinct().ToList();
        var authors = await Db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        Timeline = [.. activities.Select(a => (a.OccurredAt, a.Type.ToString(), a.Subject, (string?)(a.OwnerId is { } o ? authors.GetValueOrDefault(o) ?? "someone" : "someone"), a.Body))
            .Concat(changes.Select(e => (e.At, "Change", $"{SubjectOf(e.EntityId, account.Name)}: {text.Sentence(e)}", (string?)null, (string?)null)))
            .OrderByDescending(t => t.Item1).Take(100)];
        OwnerChoices = await RecordChanges.OwnerChoicesAsync(Db, Actor, cancellationToken);
        OwnerName = account.OwnerId is { } owner ? await Db.Users.Where(u => u.Id == owner).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) : null;
        return true;
    }

    // Which of the account's records a change is about, as a reader names it (the sentence says "it").
    string SubjectOf(Guid id, string accountName) =>
        Deals.FirstOrDefault(d => d.Id == id) is { } deal ? $"Deal {deal.Name}"
        : Contacts.FirstOrDefault(c => c.Id == id) is { } contact ? $"Contact {contact.FullName}"
        : accountName;
}
