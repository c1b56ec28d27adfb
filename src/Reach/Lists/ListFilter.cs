using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;

namespace Reach.Lists;

/// <summary>
/// The filters of the web app's lists: search text, channel, tier and status. The list pages and
/// their export button apply the same filter here, so an export holds exactly the records the list
/// shows (without the page's row cap), and never more than the user may see (the query filters of
/// <see cref="ReachDb"/> still apply).
/// </summary>
public sealed record ListFilter
{
    /// <summary>Text searched in names, domains and emails, ignoring case.</summary>
    public string? Q { get; init; }
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
        if (Channel is { } channel)
            accounts = accounts.Where(a => a.Channel == channel);
        if (Tier is { } tier)
            accounts = accounts.Where(a => a.Tier == tier);
        return ByRoute(accounts);
    }

    public IQueryable<Contact> Apply(IQueryable<Contact> contacts) =>
        Text is { } q
            ? Only(contacts).Where(c => c.FirstName.ToLower().Contains(q) || (c.LastName != null && c.LastName.ToLower().Contains(q)) || (c.Email != null && c.Email.ToLower().Contains(q)))
            : Only(contacts);

    public IQueryable<Lead> Apply(IQueryable<Lead> leads)
    {
        leads = Only(leads);
        if (Text is { } q)
            leads = leads.Where(l => l.FirstName.ToLower().Contains(q) || (l.LastName != null && l.LastName.ToLower().Contains(q))
                || (l.Email != null && l.Email.ToLower().Contains(q)) || (l.Company != null && l.Company.ToLower().Contains(q)));
        if (LeadStatus is { } status)
            leads = leads.Where(l => l.Status == status);
        return ByRoute(leads);
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
        return deals;
    }

    IQueryable<T> Only<T>(IQueryable<T> records) where T : Record =>
        Ids is { } ids ? records.Where(r => ids.Contains(r.Id)) : records;

    IQueryable<T> ByRoute<T>(IQueryable<T> records) where T : class, Reach.Routing.IRouted
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
        Text is { } q ? Only(activities).Where(a => a.Subject.ToLower().Contains(q)) : Only(activities);
}
