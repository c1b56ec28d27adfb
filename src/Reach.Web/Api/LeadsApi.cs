using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Leads;

namespace Reach.Web.Api;

public static class LeadsApi
{
    static readonly SortKeys<Lead> Sorts = new SortKeys<Lead>("-receivedAt")
        .Add("receivedAt", l => l.ReceivedAt).Add("lastName", l => l.LastName).Add("company", l => l.Company)
        .Add("createdAt", l => l.CreatedAt).Add("updatedAt", l => l.UpdatedAt);

    public static void MapLeadsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/leads").WithTags("Leads");
        group.MapGet("/", List);
        RecordEndpoints<Lead, LeadInput>.MapRecord(group);
        RecordEndpoints<Lead, LeadInput>.MapShares(group);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var leads = db.Leads.AsNoTracking();
        if (query.Text("q") is { } q)
        {
            var text = q.ToLowerInvariant();
            leads = leads.Where(l => l.FirstName.ToLower().Contains(text) || (l.LastName != null && l.LastName.ToLower().Contains(text))
                || (l.Email != null && l.Email.Contains(text)) || (l.Company != null && l.Company.ToLower().Contains(text)));
        }
        if (query.Id("owner") is { } owner)
            leads = leads.Where(l => l.OwnerId == owner);
        if (query.Enum<LeadStatus>("status") is { } status)
            leads = leads.Where(l => l.Status == status);
        if (query.Enum<LeadSource>("source") is { } source)
            leads = leads.Where(l => l.Source == source);
        if (query.Time("receivedFrom") is { } from)
            leads = leads.Where(l => l.ReceivedAt >= from);
        if (query.Time("receivedTo") is { } to)
            leads = leads.Where(l => l.ReceivedAt < to);
        // The active plan's routes (docs/planner.md "Routing").
        if (query.Text("segment") is { } segment)
            leads = leads.Where(r => r.Segment == segment);
        if (query.Text("routedChannel") is { } routedChannel)
            leads = leads.Where(r => r.RoutedChannel == routedChannel);
        if (query.Bool("deadZone") is { } deadZone)
            leads = leads.Where(r => r.DeadZone == deadZone);
        leads = Ranges.Filter(query, leads);
        return TypedResults.Ok(await query.PageAsync(leads, Sorts, cancellationToken));
    }
}
