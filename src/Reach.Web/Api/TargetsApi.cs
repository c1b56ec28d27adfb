using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/targets</c>: managers set their teams' and reps' targets, admins any (AccessRules); reps read their own
/// and their team's, and the workspace's (ReachDb's access filter).
/// </summary>
public static class TargetsApi
{
    static readonly SortKeys<Target> Sorts = new SortKeys<Target>("periodStart")
        .Add("periodStart", t => t.PeriodStart).Add("metric", t => t.Metric).Add("createdAt", t => t.CreatedAt);

    public static void MapTargetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/targets").WithTags("Targets");
        group.MapGet("/", List);
        RecordEndpoints<Target, TargetInput>.MapRecord(group);
    }

    /// <summary>Filters: <c>metric</c>, <c>team</c> (id), <c>user</c> (id), <c>channel</c>, <c>from</c>/<c>to</c> (targets whose period overlaps those dates).</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var targets = db.Targets.AsNoTracking();
        if (query.Text("metric") is { } metric)
            targets = targets.Where(t => t.Metric == metric);
        if (query.Id("team") is { } team)
            targets = targets.Where(t => t.TeamId == team);
        if (query.Id("user") is { } user)
            targets = targets.Where(t => t.UserId == user);
        if (query.Enum<Channel>("channel") is { } channel)
            targets = targets.Where(t => t.Channel == channel);
        targets = Ranges.Overlapping(query, targets, t => t.PeriodStart, t => t.PeriodEnd);
        targets = Ranges.Filter(query, targets);
        return TypedResults.Ok(await query.PageAsync(targets, Sorts, cancellationToken));
    }
}
