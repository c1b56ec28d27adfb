using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Web.Pages.Contacts;

public sealed class IndexModel(ReachDb db) : PageModel
{
    public List<Contact> Contacts { get; private set; } = [];
    public string? Q { get; private set; }

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Q = q;
        var contacts = db.Contacts.AsNoTracking().Include(c => c.Account).AsQueryable();
        if (!string.IsNullOrWhiteSpace(q))
            contacts = contacts.Where(c => c.FirstName.ToLower().Contains(q.ToLower()) || (c.LastName != null && c.LastName.ToLower().Contains(q.ToLower())) || (c.Email != null && c.Email.ToLower().Contains(q.ToLower())));
        Contacts = await contacts.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Take(200).ToListAsync(cancellationToken);
    }
}
