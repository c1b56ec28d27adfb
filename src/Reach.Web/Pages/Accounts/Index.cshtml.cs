using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Web.Pages.Accounts;

public sealed class IndexModel(ReachDb db) : PageModel
{
    public List<Account> Accounts { get; private set; } = [];
    public string? Q { get; private set; }
    public Channel? Channel { get; private set; }
    public Tier? Tier { get; private set; }
    public RouteFilter Route { get; private set; } = null!;

    public async Task OnGetAsync(string? q, Channel? channel, Tier? tier, CancellationToken cancellationToken)
    {
        (Q, Channel, Tier) = (q, channel, tier);
        var accounts = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
            accounts = accounts.Where(a => a.Name.ToLower().Contains(q.ToLower()) || (a.Domain != null && a.Domain.Contains(q.ToLower())));
        if (channel is not null)
            accounts = accounts.Where(a => a.Channel == channel);
        if (tier is not null)
            accounts = accounts.Where(a => a.Tier == tier);
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        accounts = Route.Apply(accounts);
        Accounts = await accounts.OrderBy(a => a.Name).Take(200).ToListAsync(cancellationToken);
    }
}
