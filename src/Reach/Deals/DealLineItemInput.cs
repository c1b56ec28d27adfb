using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Deals;

/// <summary>
/// A line of a deal: product, quantity, unit price (in the deal's currency; the product's list price when left out and
/// the currencies match) and discount. Adding, changing or removing one reprices the deal (<see cref="Deal.Reprice"/>).
/// </summary>
public sealed record DealLineItemInput
{
    [Required] public Guid? ProductId { get; init; }
    [Range(typeof(decimal), "0.0001", "100000000")] public decimal? Quantity { get; init; }
    [Range(typeof(decimal), "0", "1000000000000")] public decimal? UnitPrice { get; init; }

    /// <summary>Fraction off the unit price, 0–1 (0.15 is 15% off).</summary>
    [Range(typeof(decimal), "0", "1")] public decimal? Discount { get; init; }

    public static DealLineItemInput From(DealLineItem item) =>
        new() { ProductId = item.ProductId, Quantity = item.Quantity, UnitPrice = item.UnitPrice, Discount = item.Discount };

    /// <summary>
    /// Writes the input onto <paramref name="item"/> (a new one is added to the deal) and reprices the deal, whose line
    /// items must be loaded.
    /// </summary>
    public async Task ApplyAsync(ReachDb db, Deal deal, DealLineItem item, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == ProductId, cancellationToken)
            ?? throw new InputException("productId", $"No product has the id {ProductId}.");
        var isNew = !deal.LineItems.Contains(item);
        if (isNew && !product.IsActive)
            throw new InputException("productId", $"The product '{product.Name}' is no longer sold; choose an active one.");
        var price = UnitPrice;
        if (price is null)
        {
            if (!string.Equals(product.Currency, deal.Currency, StringComparison.Ordinal))
                throw new InputException("unitPrice", $"'{product.Name}' is priced in {product.Currency} and the deal in {deal.Currency}: give the unit price in {deal.Currency}.");
            price = product.ListPrice;
        }
        item.DealId = deal.Id;
        item.ProductId = product.Id;
        item.Quantity = Quantity ?? 1;
        item.UnitPrice = price.Value;
        item.Discount = Discount ?? 0;
        if (isNew)
            deal.LineItems.Add(item);
        deal.Reprice();
    }

    /// <summary>Removes a line and reprices the deal; the amount of its last line stays when none is left.</summary>
    public static void Remove(Deal deal, DealLineItem item)
    {
        deal.LineItems.Remove(item);
        deal.Reprice();
    }
}
