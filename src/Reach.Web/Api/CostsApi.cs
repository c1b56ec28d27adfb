using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Web.Api;

/// <summary><c>/api/v1/costs</c>: what each channel cost per period, the numerator of CAC; managers and admins only.</summary>
public static class CostsApi
{
    static readonly SortKeys<ChannelCost> Sorts = new SortKeys<ChannelCost>("periodStart")
        .Add("periodStart", c => c.PeriodStart).Add("createdAt", c => c.CreatedAt);

    public static void MapCostsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/costs").WithTags("Costs").RequireAuthorization(Access.ReachAccess.ManagerPolicy);
        group.MapGet("/", List);
        RecordEndpoints<ChannelCost, ChannelCostInput>.MapRecord(group);
    }

    /// <summary>Filters: <c>channel</c>, <c>from</c>/<c>to</c> (costs whose period overlaps those dates).</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var costs = db.ChannelCosts.AsNoTracking();
        if (query.Enum<Channel>("channel") is { } channel)
            costs = costs.Where(c => c.Channel == channel);
        if (query.Date("from") is { } from)
            costs = costs.Where(c => c.PeriodEnd > from);
        if (query.Date("to") is { } to)
            costs = costs.Where(c => c.PeriodStart <= to);
        costs = Ranges.Filter(query, costs);
        return TypedResults.Ok(await query.PageAsync(costs, Sorts, cancellationToken));
    }
}
