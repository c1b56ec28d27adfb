using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Api;

/// <summary>A deal's line items; when there are any they make its amount (<see cref="Deal.Reprice"/>).</summary>
public static class DealLineItemsApi
{
    public static void MapDealLineItemsApi(this RouteGroupBuilder deals)
    {
        var group = deals.MapGroup("/{id:guid}/line-items").WithTags("Deals");
        group.MapGet("/", List).Produces<DealLines>().ProducesProblem(404);
        group.MapPost("/", Add).Produces<DealLines>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<DealLineItemInput>("The product, quantity, unit price (the product's list price when left out) and discount (0–1).");
        group.MapPatch("/{itemId:guid}", Update).Produces<DealLines>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<DealLineItemInput>("A JSON merge patch of the line: the fields to change.");
        group.MapDelete("/{itemId:guid}", Remove).Produces<DealLines>().ProducesProblem(403).ProducesProblem(404);
    }

    static async Task<Deal> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Deals.Include(d => d.LineItems).FirstOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw ApiException.NotFound("deal", id);

    public static async Task<IResult> List(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(DealLines.Of(await FindAsync(db, id, cancellationToken)));

    public static async Task<IResult> Add(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<DealLineItemInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var deal = await FindAsync(db, id, cancellationToken);
        var item = new DealLineItem();
        await input.ApplyAsync(db, deal, item, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/deals/{id}/line-items/{item.Id}", DealLines.Of(deal));
    }

    public static async Task<IResult> Update(Guid id, Guid itemId, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var options = JsonBody.Options(http);
        var patch = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var deal = await FindAsync(db, id, cancellationToken);
        var item = deal.LineItems.FirstOrDefault(i => i.Id == itemId) ?? throw ApiException.NotFound("line item of this deal", itemId);
        var merged = (JsonObject)JsonSerializer.SerializeToNode(DealLineItemInput.From(item), options)!;
        JsonBody.Merge(merged, patch);
        await JsonBody.Deserialize<DealLineItemInput>(merged, options).ApplyAsync(db, deal, item, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DealLines.Of(deal));
    }

    public static async Task<IResult> Remove(Guid id, Guid itemId, ReachDb db, CancellationToken cancellationToken)
    {
        var deal = await FindAsync(db, id, cancellationToken);
        var item = deal.LineItems.FirstOrDefault(i => i.Id == itemId) ?? throw ApiException.NotFound("line item of this deal", itemId);
        DealLineItemInput.Remove(deal, item);
        db.DealLineItems.Remove(item);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DealLines.Of(deal));
    }
}

/// <summary>A deal's line items with the amount they make.</summary>
public sealed record DealLines(IReadOnlyList<DealLineItem> Items, decimal Amount, string Currency, long Version)
{
    public static DealLines Of(Deal deal) => new([.. deal.LineItems.OrderBy(i => i.Id)], deal.Amount, deal.Currency, deal.Version);
}
