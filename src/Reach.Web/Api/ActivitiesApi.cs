using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;

namespace Reach.Web.Api;

public static class ActivitiesApi
{
    static readonly SortKeys<Activity> Sorts = new SortKeys<Activity>("-occurredAt")
        .Add("occurredAt", a => a.OccurredAt).Add("dueAt", a => a.DueAt).Add("createdAt", a => a.CreatedAt);

    public static void MapActivitiesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/activities").WithTags("Activities");
        group.MapGet("/", List);
        RecordEndpoints<Activity, ActivityInput>.MapRecord(group);
        RecordEndpoints<Activity, ActivityInput>.MapShares(group);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        // q (the subject) and owner, as the list pages filter them.
        var activities = (await query.FilterAsync(db, routed: false, cancellationToken)).Apply(db.Activities.AsNoTracking());
        if (query.Enum<ActivityType>("type") is { } type)
            activities = activities.Where(a => a.Type == type);
        if (query.Enum<Direction>("direction") is { } direction)
            activities = activities.Where(a => a.Direction == direction);
        if (query.Id("account") is { } account)
            activities = activities.Where(a => a.AccountId == account);
        if (query.Id("contact") is { } contact)
            activities = activities.Where(a => a.ContactId == contact);
        if (query.Id("deal") is { } deal)
            activities = activities.Where(a => a.DealId == deal);
        if (query.Id("lead") is { } lead)
            activities = activities.Where(a => a.LeadId == lead);
        if (query.Time("occurredFrom") is { } from)
            activities = activities.Where(a => a.OccurredAt >= from);
        if (query.Until("occurredTo") is { } to)
            activities = activities.Where(a => a.OccurredAt < to);
        if (query.Time("dueBefore") is { } dueBefore)
            activities = activities.Where(a => a.DueAt < dueBefore && a.CompletedAt == null);
        activities = Ranges.Filter(query, activities);
        return TypedResults.Ok(await query.PageAsync(activities, Sorts, cancellationToken));
    }
}
