using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Products;

namespace Reach.Web.Pages.Admin;

/// <summary>The price list, through <see cref="ProductInput"/> as the API: new, edit, deactivate, delete and restore.</summary>
public sealed class ProductsModel(ReachDb db) : AdminPage(db)
{
    public List<Product> Products { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    [BindProperty] public ProductForm New { get; set; } = new();

    public sealed class ProductForm
    {
        public string? Name { get; set; }
        public string? Sku { get; set; }
        public decimal? ListPrice { get; set; }
        public string? Currency { get; set; }
        public string? Description { get; set; }
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var input = new ProductInput { Name = New.Name, Sku = Blank(New.Sku), ListPrice = New.ListPrice, Currency = Blank(New.Currency)?.ToUpperInvariant(), Description = Blank(New.Description), IsActive = true };
        InputRules.Validate(input);
        var product = input.ToNew();
        await ((IRecordInput<Product, ProductInput>)input).ApplyAsync(Db, product, cancellationToken);
        Db.Products.Add(product);
        await Db.SaveChangesAsync(cancellationToken);
        return $"{product.Name} is added to the price list.";
    }, () => LoadAsync(cancellationToken));

    public Task<IActionResult> OnPostSaveAsync(Guid id, string? name, string? sku, decimal? listPrice, string? currency, bool active, CancellationToken cancellationToken) =>
        ChangeAsync(async () =>
        {
            var product = await FindAsync(id, cancellationToken);
            var input = ProductInput.From(product) with { Name = name, Sku = Blank(sku), ListPrice = listPrice, Currency = Blank(currency)?.ToUpperInvariant(), IsActive = active };
            InputRules.Validate(input);
            await ((IRecordInput<Product, ProductInput>)input).ApplyAsync(Db, product, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
            return $"{product.Name} is saved{(active ? "" : " (inactive: new line items cannot pick it)")}.";
        }, () => LoadAsync(cancellationToken), $"product-{id}.");

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var product = await FindAsync(id, cancellationToken);
        await SoftDelete.DeleteAsync(Db, product, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        return $"{product.Name} is deleted; restore it from the list below.";
    }, () => LoadAsync(cancellationToken), $"product-{id}.");

    public Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var product = await FindAsync(id, cancellationToken);
        await ((IRecordInput<Product, ProductInput>)ProductInput.From(product)).CheckRestoreAsync(Db, product, cancellationToken);
        await SoftDelete.RestoreAsync(Db, product, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        return $"{product.Name} is restored.";
    }, () => LoadAsync(cancellationToken), $"product-{id}.");

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    async Task<Product> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Db.Products.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new InputException("product", "This product no longer exists.");

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Products = await Db.Products.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AsNoTracking()
            .OrderBy(p => p.DeletedAt != null).ThenBy(p => !p.IsActive).ThenBy(p => p.Name).ToListAsync(cancellationToken);
        Currency = await WorkspaceSettings.CurrencyAsync(Db, cancellationToken);
        New.Currency ??= Currency;
    }
}
