using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Products;

/// <summary>An item of the price list; deals carry line items priced from it.</summary>
public class Product : Record
{
    public required string Name { get; set; }
    public string? Sku { get; set; }
    public string? Description { get; set; }

    /// <summary>Annual list price per unit.</summary>
    public decimal ListPrice { get; set; }
    public required string Currency { get; set; }
    public bool IsActive { get; set; } = true;
}

sealed class ProductMapping : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.Property(p => p.Name).HasMaxLength(200);
        product.Property(p => p.Sku).HasMaxLength(64);
        product.Property(p => p.Description).HasMaxLength(2000);
        product.Property(p => p.ListPrice).HasPrecision(18, 2);
        product.Property(p => p.Currency).HasMaxLength(3);
        product.HasIndex(p => p.Sku).IsUnique();
    }
}
