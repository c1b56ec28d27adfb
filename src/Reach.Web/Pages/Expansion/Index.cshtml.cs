using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Data;
using Reach.Expansion;

namespace Reach.Web.Pages.Expansion;

/// <summary>
/// The land-and-expand report (seed 002: start small, then grow): median land size, time to first expansion and
/// expansion rate overall, by segment and by channel; net and gross revenue retention by cohort (quarter of land),
/// each cohort opening onto its accounts. Over the deals the reader may see (<see cref="LandAndExpand"/>).
/// </summary>
public sealed class IndexModel(ReachDb db) : PageModel
{
    public LandAndExpandReport Report { get; private set; } = null!;
    public string? Cohort { get; private set; }
    public string? CohortError { get; private set; }

    public async Task OnGetAsync(string? cohort, CancellationToken cancellationToken)
    {
        Cohort = string.IsNullOrWhiteSpace(cohort) ? null : cohort.Trim();
        try
        {
            Report = await LandAndExpand.ReportAsync(db, db.UtcNow, Cohort, cancellationToken);
        }
        catch (InputException e)
        {
            CohortError = string.Join(" ", e.Errors.Values.SelectMany(m => m));
            Cohort = null;
            Report = await LandAndExpand.ReportAsync(db, db.UtcNow, null, cancellationToken);
        }
    }

    public static string Percent(double? value) => value is { } v ? v.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
