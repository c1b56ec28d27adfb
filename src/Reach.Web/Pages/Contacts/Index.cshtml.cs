using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;
using Reach.Lists;

namespace Reach.Web.Pages.Contacts;

public sealed class IndexModel(ReachDb db) : PageModel
{
    public List<Contact> Contacts { get; private set; } = [];
    public string? Q { get; private set; }
    public BulkBar Bulk { get; private set; } = null!;

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Q = q;
        var contacts = new ListFilter { Q = q }.Apply(db.Contacts.AsNoTracking().Include(c => c.Account));
        Contacts = await contacts.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Take(200).ToListAsync(cancellationToken);
        var sequences = await db.Sequences.AsNoTracking().Where(s => !s.Paused).OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).Take(200).ToListAsync(cancellationToken);
        Bulk = new BulkBar("contact", await RecordChanges.OwnerChoicesAsync(db, Reach.Web.Access.ReachAccess.RequireActor(HttpContext), cancellationToken))
        {
            Sequences = [.. sequences.Select(s => (s.Id, s.Name))],
        };
    }

    public string ExportLink(string format) => ExportLinks.For("contacts", format, ("q", Q));
}
