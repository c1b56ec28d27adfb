using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Pages.Contacts;

/// <summary>A contact: who they are in the account's cast, their deals, and their touches against the rule of seven.</summary>
public sealed class DetailModel(ReachDb db) : RecordPage(db)
{
    /// <summary>Touches a prospect needs before they know and trust you (seed 004).</summary>
    public const int RuleOfSeven = 7;

    public Contact Contact { get; private set; } = null!;
    public List<Deal> Deals { get; private set; } = [];
    public List<Activity> Touches { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (await LogAsync(Contact.AccountId, id, null, null, cancellationToken))
            await LoadAsync(id, cancellationToken);
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var contact = await Db.Contacts.AsNoTracking().Include(c => c.Account).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
            return false;
        Contact = contact;
        Deals = await Db.Deals.AsNoTracking().Include(d => d.Stage).Where(d => d.PrimaryContactId == id).OrderByDescending(d => d.CreatedAt).ToListAsync(cancellationToken);
        Touches = await Db.Activities.AsNoTracking().Where(a => a.ContactId == id && a.Type != ActivityType.Task).OrderByDescending(a => a.OccurredAt).Take(100).ToListAsync(cancellationToken);
        return true;
    }
}
