using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;

namespace Reach.Lists;

/// <summary>
/// The filters of every list: search text, owner, channel, tier, status and the active plan's route. The API's list
/// endpoints, the list pages and their export button all apply them here, so <c>?q=acme</c> finds the same records in
/// each, and an export holds exactly the records the list shows (without the page's row cap), never more than the user
/// may see (the query filters of <see cref="ReachDb"/> still apply).
/// </summary>
public sealed record ListFilter
{
    /// <summary>
    /// Text searched ignoring case: an account's name or domain; a contact's or lead's name or e-mail (and a lead's
    /// company); a deal's name or its account's name; an activity's subject.
    /// </summary>
    public string? Q { get; init; }

    /// <summary>The owner's id; <see cref="OwnerIdAsync"/> reads it from an id or an e-mail.</summary>
    public Guid? OwnerId { get; init; }

    public Channel? Channel { get; init; }
    public Tier? Tier { get; init; }
    public DealStatus? DealStatus { get; init; }
    public LeadStatus? LeadStatus { get; init; }
    /// <summary>The active plan's route of accounts and leads: segment, routed channel, dead zone.</summary>
    public string? Segment { get; init; }
    public string? RoutedChannel { get; init; }
    public bool? DeadZone { get; init; }

    /// <summary>Only these records (the rows ticked on a list), when given: an export of a selection reads just them.</summary>
    public Guid[]? Ids { get; init; }

    string? Text => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim().ToLowerInvariant();

    public IQueryable<Account> Apply(IQueryable<Account> accounts)
    {
        accounts = Only(accounts);
        if (Text is { } q)
            accounts = accounts.Where(a => a.Name.ToLower().Contains(q) || (a.Domain != null && a.Domain.Contains(q)));
        accounts = ByOwner(accounts);
        if (Channel is { } channel)
            accounts = accounts.Where(a => a.Channel == channel);
        if (Tier is { } tier)
            accounts = accounts.Where(a => a.Tier == tier);
        return ByRoute(accounts);
    }

    public IQueryable<Contact> Apply(IQueryable<Contact> contacts) =>
        ByOwner(Text is { } q
            ? Only(contacts).Where(c => c.FirstName.ToLower().Contains(q) || (c.LastName != null && c.LastName.ToLower().Contains(q)) || (c.Email != null && c.Email.ToLower().Contains(q)))
            : Only(contacts));

    public IQueryable<Lead> Apply(IQueryable<Lead> leads)
    {
        leads = Only(leads);
        if (Text is { } q)
            leads = leads.Where(l => l.FirstName.ToLower().Contains(q) || (l.LastName != null && l.LastName.ToLower().Contains(q))
                || (l.Email != null && l.Email.ToLower().Contains(q)) || (l.Company != null && l.Company.ToLower().Contains(q)));
        if (LeadStatus is { } status)
            leads = leads.Where(l => l.Status == status);
        return ByRoute(ByOwner(leads));
    }

    public IQueryable<Deal> Apply(IQueryable<Deal> deals)
    {
        deals = Only(deals);
        if (DealStatus is { } status)
            deals = deals.Where(d => d.Status == status);
        if (Text is { } q)
            deals = deals.Where(d => d.Name.ToLower().Contains(q) || d.Account!.Name.ToLower().Contains(q));
        if (Channel is { } channel)
            deals = deals.Where(d => d.Channel == channel);
        return ByOwner(deals);
    }

    IQueryable<T> Only<T>(IQueryable<T> records) where T : Record =>
        Ids is { } ids ? records.Where(r => ids.Contains(r.Id)) : records;

    /// <summary>The route filter (segment, routed channel, dead zone), the one copy every list and the board use.</summary>
    public IQueryable<T> ByRoute<T>(IQueryable<T> records) where T : class, Reach.Routing.IRouted
    {
        if (!string.IsNullOrWhiteSpace(Segment))
            records = records.Where(r => r.Segment == Segment);
        if (!string.IsNullOrWhiteSpace(RoutedChannel))
            records = records.Where(r => r.RoutedChannel == RoutedChannel);
        if (DeadZone is { } dead)
            records = records.Where(r => r.DeadZone == dead);
        return records;
    }

    public IQueryable<Activity> Apply(IQueryable<Activity> activities) =>
        ByOwner(Text is { } q ? Only(activities).Where(a => a.Subject.ToLower().Contains(q)) : Only(activities));

    IQueryable<T> ByOwner<T>(IQueryable<T> records) where T : Record =>
        OwnerId is { } owner ? records.Where(r => r.OwnerId == owner) : records;

    /// <summary>
    /// The owner filter as people write it, the same in the API, the pages and the CLI: a user's id or e-mail (any case).
    /// Null when <paramref name="owner"/> is empty; an <see cref="InputException"/> on the field "owner" when nobody has it.
    /// </summary>
    public static async Task<Guid?> OwnerIdAsync(ReachDb db, string? owner, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(owner))
            return null;
        owner = owner.Trim();
        if (Guid.TryParse(owner, out var id))
            return id;
        var normalized = owner.ToUpperInvariant();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InputException("owner", $"No user has the e-mail '{owner}'; give a user's e-mail or id.");
    }
}
