using System.ComponentModel.DataAnnotations;
using Reach.Data;

namespace Reach.Products;

public sealed record ProductInput : IRecordInput<Product, ProductInput>
{
    [Required, StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    [StringLength(64)] public string? Sku { get; init; }
    [StringLength(2000)] public string? Description { get; init; }
    [Required, Range(typeof(decimal), "0", "1000000000000")] public decimal? ListPrice { get; init; }
    [Required, CurrencyCode]
    public string? Currency { get; init; }
    public bool? IsActive { get; init; }

    public static ProductInput From(Product p) => new()
    {
        Name = p.Name,
        Sku = p.Sku,
        Description = p.Description,
        ListPrice = p.ListPrice,
        Currency = p.Currency,
        IsActive = p.IsActive,
    };

    public Product ToNew()
    {
        var product = new Product { Name = Name!, Currency = Currency! };
        ApplyTo(product);
        return product;
    }

    public void ApplyTo(Product p)
    {
        p.Name = Name!.Trim();
        p.Sku = Sku;
        p.Description = Description;
        p.ListPrice = ListPrice!.Value;
        p.Currency = Currency!;
        p.IsActive = IsActive ?? true;
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) => Task.CompletedTask;
}
