using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Products;

namespace Reach.Web.Api;

public static class ProductsApi
{
    static readonly SortKeys<Product> Sorts = new SortKeys<Product>("name")
        .Add("name", p => p.Name).Add("sku", p => p.Sku).Add("createdAt", p => p.CreatedAt);

    public static void MapProductsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/products").WithTags("Products");
        group.MapGet("/", List);
        RecordEndpoints<Product, ProductInput>.MapRecord(group);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var products = db.Products.AsNoTracking();
        if (query.Text("q") is { } q)
        {
            var text = q.ToLowerInvariant();
            products = products.Where(p => p.Name.ToLower().Contains(text) || (p.Sku != null && p.Sku.ToLower().Contains(text)));
        }
        if (query.Text("active") is { } active)
        {
            if (!bool.TryParse(active, out var isActive))
                throw new InputException("active", $"'{active}' is not valid: expected true or false.");
            products = products.Where(p => p.IsActive == isActive);
        }
        products = Ranges.Filter(query, products);
        return TypedResults.Ok(await query.PageAsync(products, Sorts, cancellationToken));
    }
}
