using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Reach.Access;
using Reach.Data;
using Reach.Metrics.Reports;
using Reach.Web.Pages.Dashboard;

namespace Reach.Web.Pages;

/// <summary>
/// Picks a report; the report itself is served at /reports/{kind}, the same code the API uses. The choice is checked
/// here first (the period's kind, whose numbers the reader may see), so a mistake is said on this page, not as a bare
/// error document.
/// </summary>
public sealed class ReportsModel(ReachDb db) : RecordPage(db)
{
    static readonly string[] Formats = ["html", "pdf", "xlsx", "csv"];

    public IReadOnlyList<(string Value, string Label)> Choices { get; private set; } = [];
    public ReportKind Kind { get; private set; } = ReportKind.Monthly;
    public string? Period { get; private set; }
    public string? Scope { get; private set; }
    public string Format { get; private set; } = "html";

    public async Task<IActionResult> OnGetAsync(string? kind, string? period, string? scope, string? format, CancellationToken cancellationToken)
    {
        Choices = await DashboardView.ChoicesAsync(Db, Actor, cancellationToken);
        (Period, Scope, Format) = (string.IsNullOrWhiteSpace(period) ? null : period.Trim(), string.IsNullOrEmpty(scope) ? null : scope, format ?? "html");
        if (kind is null)
            return Page();
        try
        {
            Kind = Api.ListQuery.EnumValue<ReportKind>(kind) ?? throw new InputException("kind", $"'{kind}' is not a report: weekly, monthly or quarterly.");
            if (!Formats.Contains(Format))
                throw new InputException("format", $"'{Format}' is not a format: html, pdf, xlsx or csv.");
            var shown = Report.PeriodOf(Kind, Period, Db.UtcNow);
            var whose = await DashboardView.ResolveScopeAsync(Db, Actor, Scope, cancellationToken);
            var query = new Dictionary<string, string?>
            {
                ["period"] = shown.Label,
                ["rep"] = whose.RepId?.ToString(),
                ["team"] = whose.TeamId?.ToString(),
                ["format"] = Format,
            };
            return Redirect(QueryHelpers.AddQueryString($"/reports/{Kind.ToString().ToLowerInvariant()}",
                query.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)));
        }
        catch (InputException e)
        {
            foreach (var (field, messages) in e.Errors)
                Errors[field] = string.Join(" ", messages);
        }
        catch (AccessDeniedException denied)
        {
            Errors["scope"] = denied.Message;
        }
        return Page();
    }
}
