using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Expansion;
using Reach.Web.Access;

namespace Reach.Web.Api;

public static class DealsApi
{
    static readonly SortKeys<Deal> Sorts = new SortKeys<Deal>("-createdAt")
        .Add("createdAt", d => d.CreatedAt).Add("updatedAt", d => d.UpdatedAt).Add("name", d => d.Name)
        .Add("amount", d => (double)d.Amount).Add("expectedClose", d => d.ExpectedClose).Add("closedAt", d => d.ClosedAt)
        .Add("stageEnteredAt", d => d.StageEnteredAt);

    public static void MapDealsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deals").WithTags("Deals");
        // Every deal answered says whether it is far out of scale with what was won before (the guardrail, one rule).
        RecordEndpoints<Deal, DealInput>.Annotate = AnnotateAsync;
        group.MapGet("/", List);
        RecordEndpoints<Deal, DealInput>.MapRecord(group);
        RecordEndpoints<Deal, DealInput>.MapShares(group);
        group.MapGet("/{id:guid}/history", History);
        group.MapDealContactsApi();
        group.MapDealLineItemsApi();
    }

    /// <summary>
    /// Sets each open deal's size guardrail. The guardrail is a workspace fact (the settings, today's rates, the largest
    /// win per segment over every owner's deals: the same for every reader), so it is kept in the read cache until the
    /// next commit to the workspace, and per day for the rates: a list or a first read does not aggregate every won deal again.
    /// </summary>
    static async Task AnnotateAsync(ReachDb db, IReadOnlyCollection<Deal> deals, HttpContext http, CancellationToken cancellationToken)
    {
        if (deals.Count == 0 || deals.All(d => d.Status != DealStatus.Open))
            return;
        var cache = http.RequestServices.GetRequiredService<ReadCache>();
        var guardrail = await cache.GetOrLoadAsync($"deal-size-guardrail:{db.UtcNow:yyyy-MM-dd}",
            async () => await DealSizeGuardrail.LoadAsync(db, cancellationToken));
        await guardrail!.AnnotateAsync(db, deals, cancellationToken);
    }

    sealed record StageName(Guid Id, string Name);

    public static async Task<IResult> List(HttpRequest request, ReachDb db, ReadCache cache, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        // q (the deal's or its account's name) and owner, as the list pages filter them.
        var deals = (await query.FilterAsync(db, routed: false, cancellationToken)).Apply(db.Deals.AsNoTracking());
        if (query.Text("stage") is { } stage)
        {
            // A stage by id, or by name across pipelines ("Proposal" in inside and field sales alike).
            if (Guid.TryParse(stage, out var stageId))
                deals = deals.Where(d => d.StageId == stageId);
            else
            {
                // Stages are few: matched here by name (kept in the read cache until the next commit), the deals are then
                // found by their stage ids (indexed).
                var stages = (await cache.GetOrLoadAsync("deal-stage-names", async () =>
                    await db.Stages.AsNoTracking().Select(s => new StageName(s.Id, s.Name)).ToListAsync(cancellationToken)))!;
                var ids = stages.Where(s => s.Name.Equals(stage, StringComparison.OrdinalIgnoreCase)).Select(s => s.Id).ToList();
                if (ids.Count == 0)
                    throw new InputException("stage", $"No pipeline has a stage named '{stage}'; stages: {string.Join(", ", stages.Select(s => s.Name).Distinct().Order())}.");
                // One parameter (EF.Parameter), so the SQL is built once rather than on every call for its list of ids.
                deals = deals.Where(d => EF.Parameter(ids).Contains(d.StageId));
            }
        }
        if (query.Id("pipeline") is { } pipeline)
            deals = deals.Where(d => d.PipelineId == pipeline);
        if (query.Enum<Channel>("channel") is { } channel)
            deals = deals.Where(d => d.Channel == channel);
        if (query.Enum<DealStatus>("status") is { } status)
            deals = deals.Where(d => d.Status == status);
        if (query.Enum<DealKind>("kind") is { } kind)
            deals = deals.Where(d => d.Kind == kind);
        if (query.Enum<ForecastCategory>("forecastCategory") is { } category)
            deals = deals.Where(d => d.ForecastCategory == category);
        if (query.Id("account") is { } account)
            deals = deals.Where(d => d.AccountId == account);
        if (query.Date("expectedCloseFrom") is { } closeFrom)
            deals = deals.Where(d => d.ExpectedClose >= closeFrom);
        if (query.Date("expectedCloseTo") is { } closeTo)
            deals = deals.Where(d => d.ExpectedClose <= closeTo);
        if (query.Time("closedFrom") is { } closedFrom)
            deals = deals.Where(d => d.ClosedAt >= closedFrom);
        if (query.Until("closedTo") is { } closedTo)
            deals = deals.Where(d => d.ClosedAt < closedTo);
        deals = Ranges.Filter(query, deals);
        // The page and its open deals' segments (the guardrail) are two queries on one connection: taken from the pool once.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var page = await query.PageAsync(deals, Sorts, cancellationToken);
            await AnnotateAsync(db, [.. page.Items], request.HttpContext, cancellationToken);
            return TypedResults.Ok(page);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<IResult> History(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await RecordEndpoints<Deal, DealInput>.FindAsync(db, id, cancellationToken);
        var history = await db.DealStageChanges.AsNoTracking().Where(c => c.DealId == id).OrderBy(c => c.At).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(history);
    }
}
