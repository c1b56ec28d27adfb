using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Forecasting;

namespace Reach.Web.Pages;

/// <summary>
/// The bookings forecast from the workspace's own history (what the reader may see): P10–P90 per
/// period and channel beside what the reps committed, and the deals whose close date history doubts.
/// </summary>
public sealed class ForecastModel(ReachDb db) : PageModel
{
    public const int Trials = 4000;
    public ForecastReport Report { get; private set; } = null!;
    public PeriodKind Period { get; private set; }
    public Dictionary<Guid, string> Owners { get; private set; } = [];

    /// <summary>Why the period asked for in the query was not used, shown on the page.</summary>
    public string? PeriodError { get; private set; }

    // The forecast runs over months and quarters only; anything else in the query is said on the page, never a 500.
    public async Task OnGetAsync([FromQuery(Name = "period")] string? period, CancellationToken cancellationToken)
    {
        Period = PeriodKind.Month;
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (!period.Trim().All(char.IsAsciiDigit) && Enum.TryParse<PeriodKind>(period.Trim(), ignoreCase: true, out var kind) && kind is PeriodKind.Month or PeriodKind.Quarter)
                Period = kind;
            else
                PeriodError = $"The forecast covers a month or a quarter, not '{period}': showing this month and the next.";
        }
        Report = await Forecaster.ForecastAsync(db, db.UtcNow, new ForecastOptions { PeriodKind = Period, Trials = Trials, Seed = 42, WorkspaceCurrency = await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken) }, cancellationToken);
        Owners = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
    }

    public string Money(decimal amount) => Format.Money(amount, Report.Currency);

    /// <summary>A fan chart: per period, the P10–P90 band of each channel and the total, the P50 as a mark, the reps' commit as a dot.</summary>
    public IHtmlContent FanChart()
    {
        var rows = Report.Periods.SelectMany(p => new[] { (p.Label, p.Total) }.Concat(p.Channels.Select(c => (p.Label, c)))).ToList();
        var max = (double)Math.Max(1m, rows.Max(r => Math.Max(r.Item2.P90, r.Item2.RepCall.Commit + r.Item2.ClosedWon)));
        const int left = 190, width = 520, rowHeight = 26;
        var svg = new StringBuilder();
        var height = rows.Count * rowHeight + 40;
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"Bookings forecast, P10 to P90 per period and channel\" viewBox=\"0 0 {left + width + 20} {height}\" width=\"{left + width + 20}\" class=\"chart\">");
        double X(decimal v) => left + (double)v / max * width;
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, b) = rows[i];
            var y = 10 + i * rowHeight;
            var name = b.Name == "Total" || b.Channel is null ? $"{label} · total" : $"{label} · {Labels.Channel(b.Channel.Value)}";
            var colour = b.Channel is { } channel ? ChannelPalette.Of(channel) : ChannelPalette.All;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\" fill=\"#5d6677\">{System.Net.WebUtility.HtmlEncode(name)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(b.P10):F1}\" y=\"{y + 4}\" width=\"{Math.Max(2, X(b.P90) - X(b.P10)):F1}\" height=\"14\" rx=\"4\" fill=\"{colour}\" fill-opacity=\"0.25\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(b.P50) - 1.5:F1}\" y=\"{y + 1}\" width=\"3\" height=\"20\" fill=\"{colour}\"/>");
            var commit = b.ClosedWon + b.RepCall.Commit;
            if (commit > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(commit):F1}\" cy=\"{y + 11}\" r=\"4\" fill=\"#fff\" stroke=\"#c2402f\" stroke-width=\"2\"><title>won + commit {Money(commit)}</title></circle>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height - 6}\" font-size=\"11\" fill=\"#5d6677\">0</text><text x=\"{left + width}\" y=\"{height - 6}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5d6677\">{Money((decimal)max)}</text>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
