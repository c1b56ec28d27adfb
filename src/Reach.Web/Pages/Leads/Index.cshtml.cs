using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Leads;
using Reach.Lists;

namespace Reach.Web.Pages.Leads;

/// <summary>Leads with their response-time clock; a qualified lead converts to account, contact and deal.</summary>
public sealed class IndexModel(ReachDb db) : RecordPage(db)
{
    public List<Lead> Leads { get; private set; } = [];
    public LeadStatus? Status { get; private set; }
    public DateTime Now { get; private set; }
    public RouteFilter Route { get; private set; } = null!;

    public async Task OnGetAsync(LeadStatus? status, CancellationToken cancellationToken) => await LoadAsync(status, cancellationToken);

    async Task LoadAsync(LeadStatus? status, CancellationToken cancellationToken)
    {
        Now = Db.UtcNow;
        Status = status;
        Route = await RouteFilter.ReadAsync(Db, Request.Query, cancellationToken);
        var leads = new ListFilter { LeadStatus = status, Segment = Route.Segment, RoutedChannel = Route.Channel, DeadZone = Route.DeadZone }
            .Apply(Db.Leads.AsNoTracking());
        Leads = await leads.OrderByDescending(l => l.ReceivedAt).Take(200).ToListAsync(cancellationToken);
        OwnerChoices = await RecordChanges.OwnerChoicesAsync(Db, Actor, cancellationToken);
    }

    public string ExportLink(string format) => ExportLinks.For("leads", format, ("status", Status?.ToString()),
        ("segment", Route.Segment), ("routedChannel", Route.Channel), ("deadZone", Route.DeadZone?.ToString()));
}
