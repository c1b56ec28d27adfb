using Reach.Data;
using Reach.Metrics;
using Reach.Metrics.Reports;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// <c>GET /api/v1/reports/{weekly|monthly|quarterly}?period=&amp;rep=&amp;team=&amp;format=json|html|pdf|csv|xlsx</c>: the
/// same report as <c>reach report</c>. A rep gets their own only, a manager their teams' (403 otherwise).
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/{kind}", Get).WithTags("Reports").ProducesValidationProblem().ProducesProblem(403);
    }

    public static async Task<IResult> Get(string kind, HttpContext http, ReachDb db, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var reportKind = ListQuery.EnumValue<ReportKind>(kind) ?? throw new ApiException(StatusCodes.Status404NotFound, $"No report '{kind}': weekly, monthly or quarterly.");
        var query = new ListQuery(http.Request.Query);
        var now = clock.GetUtcNow().UtcDateTime;
        var period = Report.PeriodOf(reportKind, query.Text("period"), now);
        var format = query.Text("format")?.ToLowerInvariant() ?? "json";
        if (format is not ("json" or "html" or "pdf" or "csv" or "xlsx"))
            throw new InputException("format", $"'{format}' is not a report format: json, html, pdf, csv or xlsx.");
        var scope = await MetricScope.ResolveAsync(db, ReachAccess.RequireActor(http), query.Text("rep"), query.Text("team"), cancellationToken);
        query.RejectUnknown();

        var report = await Report.BuildAsync(db, reportKind, period, scope, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cancellationToken);
        var name = $"reach-{reportKind.ToString().ToLowerInvariant()}-{period.Label}";
        switch (format)
        {
            case "json":
                return TypedResults.Ok(report);
            case "html":
                return TypedResults.Content(ReportHtmlPage.Render(report), "text/html; charset=utf-8");
            case "csv":
                var csv = new MemoryStream();
                await ReportFiles.WriteCsvAsync(report, csv, cancellationToken);
                return TypedResults.File(csv.ToArray(), "text/csv; charset=utf-8", name + ".csv");
            case "xlsx":
                var xlsx = new MemoryStream();
                ReportFiles.WriteXlsx(report, xlsx);
                return TypedResults.File(xlsx.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
            default:
                try
                {
                    var pdf = await ReportPrinter.PrintAsync(ReportHtmlPage.Render(report), configuration["Reach:Chromium"], cancellationToken);
                    return TypedResults.File(pdf, "application/pdf", name + ".pdf");
                }
                catch (ReportPrintException e)
                {
                    throw new ApiException(StatusCodes.Status503ServiceUnavailable, e.Message);
                }
        }
    }
}
