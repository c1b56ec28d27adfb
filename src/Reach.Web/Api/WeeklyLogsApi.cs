using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Api;

/// <summary>
/// The weekly results and insights log: each rep writes their week (what worked, what didn't, an insight); a manager
/// reads the team's beside the week's figures and promotes an insight into the playbook, which keeps the link.
/// </summary>
public static class WeeklyLogsApi
{
    public static void MapWeeklyLogsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/weekly-logs").WithTags("Playbook");
        group.MapGet("/", Week).Produces<TeamWeekView>().ProducesValidationProblem();
        group.MapPut("/mine", WriteMine).Produces<WeeklyLog>().ProducesValidationProblem().ProducesProblem(403)
            .WithJsonBody<WeeklyLogInput>("Your week: any day of it (this week when left out), what worked, what didn't and the insight.");
        group.MapGet("/{id:guid}", Get).Produces<WeeklyLog>().ProducesProblem(404);
        group.MapPost("/{id:guid}/promote", Promote).Produces<PlaybookItem>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<InsightPromotion>("What the insight becomes: a new item (kind, title, text, tags) or the itemId of an item to change (its text, or the insight added to it).");
    }

    /// <summary>The week of <c>week</c> (any day of it; this week when left out): each rep's log beside their figures.</summary>
    public static async Task<IResult> Week(HttpRequest request, ReachDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var day = new ListQuery(request.Query).Date("week") ?? DateOnly.FromDateTime(now);
        return TypedResults.Ok(await TeamWeek.BuildAsync(db, day, now, cancellationToken));
    }

    public static async Task<IResult> WriteMine(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<WeeklyLogInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        return TypedResults.Ok(await input.ApplyAsync(db, cancellationToken));
    }

    public static async Task<IResult> Get(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.WeeklyLogs.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw ApiException.NotFound("weekly log", id));

    public static async Task<IResult> Promote(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        Reach.Access.AccessRules.CheckPlaybookChange(db.Actor);
        var input = JsonBody.Deserialize<InsightPromotion>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var log = await db.WeeklyLogs.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw ApiException.NotFound("weekly log", id);
        var item = await input.ApplyAsync(db, log, cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/playbook/{item.Id}", item);
    }
}
