using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Pages;

/// <summary>Global search: accounts by name or domain, contacts by name or e-mail, leads by name, e-mail or company, deals by name — only what the user may see.</summary>
public sealed class SearchModel(ReachDb db) : PageModel
{
    public string Q { get; private set; } = "";
    public List<Account> Accounts { get; private set; } = [];
    public List<Contact> Contacts { get; private set; } = [];
    public List<Deal> Deals { get; private set; } = [];
    public List<Reach.Leads.Lead> Leads { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Q = q?.Trim() ?? "";
        if (Q.Length == 0)
            return;
        var text = Q.ToLowerInvariant();
        Accounts = await db.Accounts.AsNoTracking().Where(a => a.Name.ToLower().Contains(text) || (a.Domain != null && a.Domain.Contains(text))).OrderBy(a => a.Name).Take(10).ToListAsync(cancellationToken);
        Contacts = await db.Contacts.AsNoTracking().Include(c => c.Account)
            .Where(c => c.FirstName.ToLower().Contains(text) || (c.LastName != null && c.LastName.ToLower().Contains(text)) || (c.Email != null && c.Email.ToLower().Contains(text)))
            .OrderBy(c => c.LastName).Take(10).ToListAsync(cancellationToken);
        Leads = await new Reach.Lists.ListFilter { Q = Q }.Apply(db.Leads.AsNoTracking()).OrderByDescending(l => l.ReceivedAt).Take(10).ToListAsync(cancellationToken);
        Deals = await db.Deals.AsNoTracking().Include(d => d.Account).Where(d => d.Name.ToLower().Contains(text)).OrderByDescending(d => d.CreatedAt).Take(10).ToListAsync(cancellationToken);
    }
}
