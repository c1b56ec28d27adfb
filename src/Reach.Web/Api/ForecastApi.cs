using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Reach.Data;
using Reach.Forecasting;

namespace Reach.Web.Api;

/// <summary><c>GET /api/v1/forecast</c>: the Monte Carlo bookings forecast of this and the next period (docs/forecasting.md).</summary>
public static class ForecastApi
{
    // ListQuery knows the paging parameters of lists; a forecast is not paged.
    static readonly string[] Paging = ["limit", "cursor", "sort"];

    public static void MapForecastApi(this RouteGroupBuilder api)
    {
        api.MapGet("/forecast", Get)
            .WithTags("Forecast")
            .ProducesValidationProblem();
    }

    /// <summary>Query: <c>period</c> (month, quarter; default month), <c>trials</c> (1–100,000; default 10,000), <c>seed</c>, <c>currency</c>.</summary>
    public static async Task<Ok<ForecastReport>> Get(HttpContext http, ReachDb db, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var query = new ListQuery(http.Request.Query);
        var period = query.Enum<PeriodKind>("period") ?? PeriodKind.Month;
        if (period is not (PeriodKind.Month or PeriodKind.Quarter))
            throw new InputException("period", "A forecast is by month or quarter.");
        var trials = Whole(query, "trials", 1, 100_000) ?? 10_000;
        var seed = Whole(query, "seed", 0, long.MaxValue) ?? 42;
        var currency = query.Text("currency");
        if (currency is not null && !(currency.Length == 3 && currency.All(char.IsAsciiLetterUpper)))
            throw new InputException("currency", $"'{currency}' is not valid: expected an ISO 4217 code such as EUR.");
        if (Paging.FirstOrDefault(http.Request.Query.ContainsKey) is { } paging)
            throw new InputException(paging, $"The forecast is not a list; '{paging}' does not apply.");
        query.RejectUnknown();

        var options = new ForecastOptions
        {
            PeriodKind = period,
            Trials = (int)trials,
            Seed = (ulong)seed,
            Currency = currency,
            WorkspaceCurrency = await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken),
        };
        // The oversized deals (oversizedDeals) come with the forecast: their odds are part of it.
        return TypedResults.Ok(await Forecaster.ForecastAsync(db, clock.GetUtcNow().UtcDateTime, options, cancellationToken));
    }

    static long? Whole(ListQuery query, string name, long min, long max)
    {
        var text = query.Text(name);
        if (text is null)
            return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InputException(name, $"'{text}' is not valid: expected a whole number from {min:N0} to {max:N0}.");
    }
}
