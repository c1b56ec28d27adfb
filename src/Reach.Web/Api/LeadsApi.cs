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
        // q, owner and the active plan's routes (docs/planner.md "Routing"), as the list pages filter them.
        var leads = (await query.FilterAsync(db, routed: true, cancellationToken)).Apply(db.Leads.AsNoTracking());
        if (query.Enum<LeadStatus>("status") is { } status)
            leads = leads.Where(l => l.Status == status);
        if (query.Enum<LeadSource>("source") is { } source)
            leads = leads.Where(l => l.Source == source);
        if (query.Time("receivedFrom") is { } from)
            leads = leads.Where(l => l.ReceivedAt >= from);
        if (query.Until("receivedTo") is { } to)
            leads = leads.Where(l => l.ReceivedAt < to);
        leads = Ranges.Filter(query, leads);
        return TypedResults.Ok(await query.PageAsync(leads, Sorts, cancellationToken));
    }
}
