using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>
/// The deleted records the user may see, newest first, each restored from here; an admin empties the trash (a hard
/// delete, recorded in the audit trail) after a confirmation. A record something live still points at stays, and is said.
/// </summary>
public sealed class TrashModel(ReachDb db) : RecordPage(db)
{
    public List<(string Kind, Record Record)> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var deleted = new List<(string, Record)>();
        async Task Add<T>(IQueryable<T> set, string kind) where T : Record =>
            deleted.AddRange((await set.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AsNoTracking().Where(r => r.DeletedAt != null)
                .OrderByDescending(r => r.DeletedAt).Take(200).ToListAsync(cancellationToken)).Select(r => (kind, (Record)r)));
        await Add(Db.Accounts, "account");
        await Add(Db.Contacts, "contact");
        await Add(Db.Leads, "lead");
        await Add(Db.Deals, "deal");
        await Add(Db.Activities, "activity");
        Items = [.. deleted.OrderByDescending(d => d.Item2.DeletedAt).Take(300)];
    }

    /// <summary>Hard-deletes what is in the trash, children before parents; what a live record still refers to is kept.</summary>
    public async Task<IActionResult> OnPostEmptyAsync(CancellationToken cancellationToken)
    {
        if (!Actor.IsAdmin)
        {
            TempData[Flash.Error] = "Only an admin empties the trash.";
            return Redirect("/Trash");
        }
        var deleted = ReachDb.SoftDeleteFilter;
        var activities = await Db.Activities.IgnoreQueryFilters([deleted]).Where(a => a.DeletedAt != null).ToListAsync(cancellationToken);
        Db.RemoveRange(activities);
        var gone = activities.Select(a => a.Id).ToHashSet();
        // Live activities and enrolments keep what they point at.
        var liveActivities = Db.Activities.IgnoreQueryFilters([deleted]).Where(a => a.DeletedAt == null);
        var deals = await Db.Deals.IgnoreQueryFilters([deleted]).Where(d => d.DeletedAt != null && !liveActivities.Any(a => a.DealId == d.Id)).ToListAsync(cancellationToken);
        var dealIds = deals.Select(d => d.Id).ToList();
        Db.RemoveRange(await Db.DealStageChanges.Where(c => dealIds.Contains(c.DealId)).ToListAsync(cancellationToken));
        Db.RemoveRange(await Db.DealLineItems.Where(i => dealIds.Contains(i.DealId)).ToListAsync(cancellationToken));
        Db.RemoveRange(deals);
        var liveDeals = Db.Deals.IgnoreQueryFilters([deleted]).Where(d => d.DeletedAt == null);
        var contacts = await Db.Contacts.IgnoreQueryFilters([deleted]).Where(c => c.DeletedAt != null
            && !liveActivities.Any(a => a.ContactId == c.Id) && !liveDeals.Any(d => d.PrimaryContactId == c.Id)
            && !Db.Enrolments.Any(e => e.ContactId == c.Id) && !Db.DripSends.Any(s => s.ContactId == c.Id)).ToListAsync(cancellationToken);
        Db.RemoveRange(contacts);
        var leads = await Db.Leads.IgnoreQueryFilters([deleted]).Where(l => l.DeletedAt != null && !liveActivities.Any(a => a.LeadId == l.Id)).ToListAsync(cancellationToken);
        Db.RemoveRange(leads);
        var liveContacts = Db.Contacts.IgnoreQueryFilters([deleted]).Where(c => c.DeletedAt == null);
        var accounts = await Db.Accounts.IgnoreQueryFilters([deleted]).Where(a => a.DeletedAt != null
            && !liveActivities.Any(x => x.AccountId == a.Id) && !liveDeals.Any(d => d.AccountId == a.Id) && !liveContacts.Any(c => c.AccountId == a.Id)).ToListAsync(cancellationToken);
        Db.RemoveRange(accounts);
        try
        {
            await Db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            TempData[Flash.Error] = "The trash could not be emptied: something still refers to a record in it. Restore or delete that first.";
            return Redirect("/Trash");
        }
        var count = activities.Count + deals.Count + contacts.Count + leads.Count + accounts.Count;
        TempData[Flash.Notice] = $"The trash is emptied: {count} records deleted for good.";
        return Redirect("/Trash");
    }
}
