using Reach.Data;
using Reach.Metrics;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// <c>GET /api/v1/metrics</c>: ad-hoc figures of the catalogue, blended and by channel, with the previous period and the
/// target; <c>/metrics/deals</c> lists the deals behind a figure; <c>/metrics/catalogue</c> the metrics and formulas.
/// </summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/metrics").WithTags("Metrics");
        group.MapGet("/", Get).ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/deals", Deals).ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/catalogue", () => TypedResults.Ok(MetricCatalogue.All.Select(MetricInfo.Of).ToList()));
    }


    /// <summary>
    /// Query: <c>metric</c> (ids, comma-separated; default all), <c>period</c> (2027-Q1, 2027-03, 2027-W05) or <c>from</c> and
    /// <c>to</c> (dates, both included), <c>channel</c>, <c>team</c>, <c>rep</c>, <c>tier</c>, <c>segment</c> (the plan's), <c>product</c>.
    /// </summary>
    public static async Task<IResult> Get(HttpContext http, ReachDb db, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var query = new ListQuery(http.Request.Query);
        var now = clock.GetUtcNow().UtcDateTime;
        var metrics = ReadMetrics(query);
        var cuts = await ReadCutsAsync(http, db, query, now, cancellationToken);
        query.RejectUnknown();
        var results = await MetricService.ComputeAsync(db, metrics, cuts, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cancellationToken);
        return TypedResults.Ok(new { results });
    }

    /// <summary>The deals behind a deal-based metric's figure (same query as <c>/metrics</c>, one metric).</summary>
    public static async Task<IResult> Deals(HttpContext http, ReachDb db, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var query = new ListQuery(http.Request.Query);
        var now = clock.GetUtcNow().UtcDateTime;
        var id = query.Text("metric") ?? throw new InputException("metric", "Name the metric whose deals to list.");
        var metric = MetricCatalogue.Find(id) ?? throw UnknownMetric(id);
        if (!metric.DealBased)
            throw new InputException("metric", $"'{metric.Id}' is not made of deals (it counts leads or touches).");
        var cuts = await ReadCutsAsync(http, db, query, now, cancellationToken);
        query.RejectUnknown();
        var facts = await MetricFacts.LoadDetailedAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cuts, cancellationToken);
        var items = MetricService.DealsBehind(facts, metric, cuts, now).Select(d => new
        {
            d.Id,
            d.Name,
            Channel = MetricService.ChannelName(d.Channel),
            d.Kind,
            d.Status,
            d.Amount,
            d.Currency,
            // Converted as the figure converts it: at creation for pipeline created, today for open pipeline, else at the close.
            Converted = facts.Converter.Convert(d.Amount, d.Currency, metric.Id is "pipeline_created" or "opportunities_created" ? d.CreatedAt
                : d.Status == Reach.Deals.DealStatus.Open ? now : d.ClosedAt ?? d.CreatedAt),
            d.CreatedAt,
            d.ClosedAt,
            d.ExpectedClose,
            d.OwnerId,
        }).ToList();
        return TypedResults.Ok(new { metric = metric.Id, currency = facts.Converter.Currency, items });
    }

    static InputException UnknownMetric(string id) =>
        new("metric", $"'{id}' is not a metric; metrics: {string.Join(", ", MetricCatalogue.All.Select(m => m.Id))}.");

    static List<MetricDefinition> ReadMetrics(ListQuery query) => query.Text("metric") is { } ids
        ? [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => MetricCatalogue.Find(id) ?? throw UnknownMetric(id))]
        : [.. MetricCatalogue.All];

    static async Task<MetricQuery> ReadCutsAsync(HttpContext http, ReachDb db, ListQuery query, DateTime now, CancellationToken cancellationToken)
    {
        var period = ReadPeriod(query, now);
        var scope = await MetricScope.ResolveAsync(db, ReachAccess.RequireActor(http), query.Text("rep"), query.Text("team"), cancellationToken);
        return new MetricQuery(period)
        {
            Channel = query.Enum<Channel>("channel"),
            Tier = query.Enum<Tier>("tier"),
            Segment = await MetricSegments.ReadAsync(db, query.Text("segment"), cancellationToken),
            ProductId = query.Id("product"),
            RepId = scope.RepId,
            TeamId = scope.TeamId,
        };
    }

    static Period ReadPeriod(ListQuery query, DateTime now)
    {
        var label = query.Text("period");
        var (from, to) = (query.Date("from"), query.Date("to"));
        if (label is not null)
        {
            if (from is not null || to is not null)
                throw new InputException("period", "Give a period or from and to, not both.");
            return Period.Parse(label) ?? throw new InputException("period", $"'{label}' is not a period: expected 2027-Q1, 2027-03, 2027-W05 or 2027-01-01..2027-02-01.");
        }
        if (from is null && to is null)
            return Period.Containing(now, PeriodKind.Month);
        if (from is null || to is null)
            throw new InputException(from is null ? "from" : "to", "A custom range needs both from and to (dates, both included).");
        if (to < from)
            throw new InputException("to", "must not be before from.");
        return CustomRange(from.Value, to.Value);
    }

    /// <summary>The custom range from <paramref name="from"/> to <paramref name="to"/>, both days included, within <see cref="Period.RangeError"/>'s bounds.</summary>
    public static Period CustomRange(DateOnly from, DateOnly to)
    {
        var end = to.Year > Period.LastYear ? to : to.AddDays(1);
        if (Period.RangeError(from, end) is { } error)
            throw new InputException("to", error);
        return Period.Range(from, end);
    }
}
