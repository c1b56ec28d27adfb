using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Lists;

namespace Reach.Web.Pages.Accounts;

public sealed class IndexModel(ReachDb db) : PageModel
{
    public List<Account> Accounts { get; private set; } = [];
    public string? Q { get; private set; }
    public Channel? Channel { get; private set; }
    public Tier? Tier { get; private set; }
    public RouteFilter Route { get; private set; } = null!;
    public BulkBar Bulk { get; private set; } = null!;

    public async Task OnGetAsync(string? q, Channel? channel, Tier? tier, CancellationToken cancellationToken)
    {
        (Q, Channel, Tier) = (q, channel, tier);
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        var accounts = new ListFilter { Q = q, Channel = channel, Tier = tier, Segment = Route.Segment, RoutedChannel = Route.Channel, DeadZone = Route.DeadZone }
            .Apply(db.Accounts.AsNoTracking());
        Accounts = await accounts.OrderBy(a => a.Name).Take(200).ToListAsync(cancellationToken);
        Bulk = new BulkBar("account", await RecordChanges.OwnerChoicesAsync(db, Reach.Web.Access.ReachAccess.RequireActor(HttpContext), cancellationToken));
    }

    public string ExportLink(string format) => ExportLinks.For("accounts", format, ("q", Q), ("channel", Channel?.ToString()), ("tier", Tier?.ToString()),
        ("segment", Route.Segment), ("routedChannel", Route.Channel), ("deadZone", Route.DeadZone?.ToString()));
}
