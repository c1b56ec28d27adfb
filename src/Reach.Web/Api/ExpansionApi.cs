using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Expansion;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/expansion</c>: start small, then grow (docs/api.md, "Expansion"). The deals far out of scale with what was
/// won before, for managers (a rep reads the same flag on each of their deals).
/// </summary>
public static class ExpansionApi
{
    public static void MapExpansionApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/expansion").WithTags("Expansion");
        group.MapGet("/oversized-deals", OversizedDeals).RequireAuthorization(ReachAccess.ManagerPolicy).Produces<OversizedDealsView>();
        group.MapGet("/land-and-expand", LandAndExpandReport).Produces<LandAndExpandReport>().ProducesValidationProblem();
        group.MapGet("/accounts/{id:guid}", AccountStory).Produces<AccountStory>().ProducesProblem(404);
    }

    /// <summary>Query: <c>cohort</c> (a quarter of land, 2025-Q3) adds that cohort's accounts (the drill-down).</summary>
    public static async Task<IResult> LandAndExpandReport(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var cohort = query.Text("cohort");
        query.RejectUnknown();
        return TypedResults.Ok(await LandAndExpand.ReportAsync(db, db.UtcNow, cohort, cancellationToken));
    }

    /// <summary>An account's land-and-expand story: its land, expansions and renewals, ARR by month and now.</summary>
    public static async Task<IResult> AccountStory(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            throw ApiException.NotFound("account", id);
        return TypedResults.Ok(await LandAndExpand.StoryAsync(db, id, db.UtcNow, cancellationToken));
    }

    /// <summary>The guardrail's k and the open deals it flags among those the caller may see, largest ratio first.</summary>
    public sealed record OversizedDealsView(decimal Factor, string Currency, decimal? LargestWon, IReadOnlyList<DealSizeGuardrail.Flagged> Items);

    public static async Task<IResult> OversizedDeals(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        new ListQuery(request.Query).RejectUnknown();
        var guardrail = await DealSizeGuardrail.LoadAsync(db, cancellationToken);
        return TypedResults.Ok(new OversizedDealsView(guardrail.Factor, guardrail.Currency, guardrail.LargestWon,
            await guardrail.OpenOversizedAsync(db, cancellationToken)));
    }
}
