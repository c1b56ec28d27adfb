using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/exchange-rates</c>: what one unit of a currency is worth in the workspace currency (Reach:Currency), from
/// a day on. Everyone reads them (every figure is converted with them); only admins change them (AccessRules).
/// </summary>
public static class ExchangeRatesApi
{
    static readonly SortKeys<ExchangeRate> Sorts = new SortKeys<ExchangeRate>("validFrom")
        .Add("validFrom", r => r.ValidFrom).Add("currency", r => r.Currency).Add("createdAt", r => r.CreatedAt);

    public static void MapExchangeRatesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/exchange-rates").WithTags("Exchange rates");
        group.MapGet("/", List);
        RecordEndpoints<ExchangeRate, ExchangeRateInput>.MapRecord(group);
    }

    /// <summary>Filters: <c>currency</c>.</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var rates = db.ExchangeRates.AsNoTracking();
        if (query.Text("currency") is { } currency)
            rates = rates.Where(r => r.Currency == currency.ToUpperInvariant());
        rates = Ranges.Filter(query, rates);
        return TypedResults.Ok(await query.PageAsync(rates, Sorts, cancellationToken));
    }
}
