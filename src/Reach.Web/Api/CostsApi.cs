using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Web.Api;

/// <summary>The active plan's assumed costs for the months without costs (<c>GET /api/v1/costs/plan</c>); <c>Plan</c> null without an active plan.</summary>
public sealed record PlannedCosts(string? Plan, IReadOnlyList<MonthCost> Costs);

/// <summary>
/// <c>/api/v1/costs</c>: what each channel cost per period, the numerator of CAC; managers and admins only. Costs come
/// one by one, from a CSV (<c>POST /costs/import</c>: month, channel, amount, currency, note) or from the active plan's
/// assumed spend (<c>GET</c>/<c>POST /costs/plan</c>), all through <see cref="CostImport"/>.
/// </summary>
public static class CostsApi
{
    const long MaxUploadBytes = 1 << 20;

    /// <summary>
    /// <c>POST /api/v1/costs/import?currency=</c>: a CSV as the body (text/csv) or the first file of a form. Every row is
    /// entered or none; a month and channel entered already is replaced. 400 names the row, column and value.
    /// </summary>
    public static async Task<IResult> Import(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var currency = query.Text("currency")?.ToUpperInvariant() ?? await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        query.RejectUnknown();
        if (request.ContentLength > MaxUploadBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is {request.ContentLength} bytes; the limit is {MaxUploadBytes}.");
        string text;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = (form.Files.Count > 0 ? form.Files[0] : null)
                ?? throw new ApiException(StatusCodes.Status400BadRequest, "The form holds no file: send the CSV as a file field.", "file");
            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        else if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                 && type.MediaType.Value is "text/csv" or "text/plain" or "application/csv")
        {
            using var reader = new StreamReader(request.Body);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        else
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Send the CSV as the body (Content-Type: text/csv) or as a file in multipart/form-data.");
        }
        if (text.Length > MaxUploadBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the limit of {MaxUploadBytes} bytes.");
        var costs = CostImport.Read(new StringReader(text), currency);
        return TypedResults.Ok(await CostImport.SaveAsync(db, costs, cancellationToken));
    }

    /// <summary><c>GET /api/v1/costs/plan?from=2026-10&amp;to=2026-12</c>: the active plan's assumed costs for the months and channels without costs.</summary>
    public static async Task<IResult> Planned(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var (from, to) = MonthsOf(request);
        var (plan, costs) = await CostImport.PlannedAsync(db, from, to, cancellationToken);
        return TypedResults.Ok(new PlannedCosts(plan, costs));
    }

    /// <summary><c>POST /api/v1/costs/plan?from=&amp;to=</c>: enters those assumed costs (each noted as the plan's), a starting point for CAC.</summary>
    public static async Task<IResult> EnterPlanned(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var (from, to) = MonthsOf(request);
        var (plan, costs) = await CostImport.PlannedAsync(db, from, to, cancellationToken);
        if (plan is null)
            throw new InputException("plan", "No plan is active: activate one on the Planner (or with reach plan activate) to start from its assumed costs.");
        return TypedResults.Ok(await CostImport.SaveAsync(db, costs, cancellationToken));
    }

    static (DateOnly? From, DateOnly? To) MonthsOf(HttpRequest request)
    {
        var query = new ListQuery(request.Query);
        DateOnly? Month(string field) => query.Text(field) is { } text
            ? CostImport.MonthOf(text) ?? throw new InputException(field, $"'{text}' is not a month: expected 2026-10.")
            : null;
        var (from, to) = (Month("from"), Month("to"));
        query.RejectUnknown();
        return (from, to);
    }

    static readonly SortKeys<ChannelCost> Sorts = new SortKeys<ChannelCost>("periodStart")
        .Add("periodStart", c => c.PeriodStart).Add("createdAt", c => c.CreatedAt);

    public static void MapCostsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/costs").WithTags("Costs").RequireAuthorization(Access.ReachAccess.ManagerPolicy);
        group.MapGet("/", List);
        group.MapPost("/import", Import).Produces<CostImportResult>().ProducesValidationProblem().ProducesProblem(415);
        group.MapGet("/plan", Planned).Produces<PlannedCosts>();
        group.MapPost("/plan", EnterPlanned).Produces<CostImportResult>().ProducesValidationProblem();
        RecordEndpoints<ChannelCost, ChannelCostInput>.MapRecord(group);
    }

    /// <summary>Filters: <c>channel</c>, <c>from</c>/<c>to</c> (costs whose period overlaps those dates).</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var costs = db.ChannelCosts.AsNoTracking();
        if (query.Enum<Channel>("channel") is { } channel)
            costs = costs.Where(c => c.Channel == channel);
        costs = Ranges.Overlapping(query, costs, c => c.PeriodStart, c => c.PeriodEnd);
        costs = Ranges.Filter(query, costs);
        return TypedResults.Ok(await query.PageAsync(costs, Sorts, cancellationToken));
    }
}
