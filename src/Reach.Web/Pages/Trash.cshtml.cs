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
    /// <summary>Rows on a page of the trash; a kind's older ones are on its next pages.</summary>
    public const int PageSize = 200;

    public List<(string Kind, Record Record)> Items { get; private set; } = [];

    /// <summary>How many deleted records of each kind the user may see.</summary>
    public Dictionary<string, int> Counts { get; private set; } = [];

    /// <summary>The kind shown (all kinds when null) and the page of it (1-based).</summary>
    public string? Kind { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int Total => Kind is null ? Counts.Values.Sum() : Counts.GetValueOrDefault(Kind);
    public bool HasOlder => PageNumber * PageSize < Total;

    // "p", not "page": Razor Pages keeps "page" for the page's own route value.
    public async Task OnGetAsync(string? kind, int? p, CancellationToken cancellationToken)
    {
        if (kind is not null && !RecordChanges.Kinds.Contains(kind))
            TempData[Flash.Error] = $"'{kind}' is not a kind of record; the trash shows every kind.";
        Kind = kind is not null && RecordChanges.Kinds.Contains(kind) ? kind : null;
        PageNumber = Math.Max(1, p ?? 1);
        var skip = (PageNumber - 1) * PageSize;
        var deleted = new List<(string, Record)>();
        // All kinds: the newest of each, merged; one kind: its page, newest first.
        async Task Add<T>(IQueryable<T> set, string name) where T : Record
        {
            var inTrash = set.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AsNoTracking().Where(r => r.DeletedAt != null);
            Counts[name] = await inTrash.CountAsync(cancellationToken);
            if (Kind is not null && Kind != name)
                return;
            deleted.AddRange((await inTrash.OrderByDescending(r => r.DeletedAt).ThenBy(r => r.Id).Skip(Kind is null ? 0 : skip).Take(Kind is null ? skip + PageSize : PageSize)
                .ToListAsync(cancellationToken)).Select(r => (name, (Record)r)));
        }
        await Add(Db.Accounts, "account");
        await Add(Db.Contacts, "contact");
        await Add(Db.Leads, "lead");
        await Add(Db.Deals, "deal");
        await Add(Db.Activities, "activity");
        Items = Kind is null
            ? [.. deleted.OrderByDescending(d => d.Item2.DeletedAt).Skip(skip).Take(PageSize)]
            : deleted;
    }

    public string PageLink(string? kind, int page) =>
        "/Trash" + (kind, page) switch
        {
            (null, 1) => "",
            (null, _) => $"?p={page}",
            (_, 1) => $"?kind={kind}",
            _ => $"?kind={kind}&p={page}",
        };

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
