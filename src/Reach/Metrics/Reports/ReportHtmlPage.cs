using System.Globalization;
using System.Net;
using System.Text;
using Reach.Data;

namespace Reach.Metrics.Reports;

/// <summary>
/// A report as one self-contained HTML page in the house style of the plan page: inline CSS and SVG charts, no
/// scripts or external files, every string from the workspace HTML-encoded. Chromium prints this same page to PDF.
/// </summary>
public static class ReportHtmlPage
{
    static readonly string[] Legend = ["self_service", "inside", "field", MetricService.Unassigned];

    const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #111827; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
        th, td { border-bottom: 1px solid #e5e7eb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f9fafb; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.date { white-space: nowrap; }
        .cards { display: flex; flex-wrap: wrap; gap: .75rem; }
        .card { border: 1px solid #e5e7eb; border-radius: 6px; padding: .6rem .8rem; min-width: 150px; }
        .card b { display: block; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
        .card small { color: #6b7280; display: block; }
        .notes li { color: #9a3412; }
        .legend span { display: inline-block; margin-right: 1rem; }
        .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
        svg { display: block; max-width: 100%; height: auto; }
        svg text { font: 12px system-ui, sans-serif; fill: #374151; }
        .cover { border-top: 6px solid #2563eb; padding-top: 1.5rem; }
        .cover .kicker { text-transform: uppercase; letter-spacing: .08em; color: #2563eb; font-weight: 600; font-size: .8rem; margin: 0; }
        .cover h1 { font-size: 2rem; margin: .3rem 0 .2rem; }
        .cover .card { min-width: 200px; padding: .8rem 1rem; }
        .cover .card b { font-size: 1.6rem; }
        @media print { body { margin: 0 auto; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } .cover { break-after: page; } }
        """;

    public static string Render(Report report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>Reach {E(report.Title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n")
            // The cover: whose numbers, which period, and the headline against target; the details follow on the next pages.
            .Append(CultureInfo.InvariantCulture, $"<section class=\"cover\">\n<p class=\"kicker\">Reach · {E(report.Kind.ToString())} report · {E(report.Scope)}</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>{E(report.Title)}</h1>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>{report.Period.Start:yyyy-MM-dd} to {report.Period.End.AddDays(-1):yyyy-MM-dd}, compared with {E(report.PreviousPeriod.Name)}; ")
            .Append(CultureInfo.InvariantCulture, $"amounts in {E(report.Currency)}; generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC.</p>\n");

        html.Append("<h2>Headline</h2>\n<div class=\"cards\">\n");
        foreach (var result in report.Headline)
        {
            var total = result.Total;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\">{E(result.Metric.Name)}<b>{E(Shown(result.Metric.Unit, total))}</b>");
            html.Append(CultureInfo.InvariantCulture, $"<small>previous {E(Format(result.Metric.Unit, total.Previous))}</small>");
            if (total.Target is not null)
                html.Append(CultureInfo.InvariantCulture, $"<small>target {E(Format(result.Metric.Unit, total.Target))} · {E(Format(MetricUnit.Ratio, total.Attainment))} reached</small>")
                    .Append(CultureInfo.InvariantCulture, $"<small>run rate {E(Format(result.Metric.Unit, total.Projection))}</small>");
            // Deals won and the win rate count renewals; a head of sales quotes new business, so the card says it too.
            if (result.Metric.Id is "deals_won" or "win_rate" && report.Kinds.FirstOrDefault(k => k.Kind == "new") is { } newBusiness)
                html.Append(CultureInfo.InvariantCulture, $"<small class=\"new-business\">new business {E(result.Metric.Id == "win_rate"
                    ? Format(MetricUnit.Ratio, newBusiness.WinRate) : Format(MetricUnit.Count, newBusiness.DealsWon))} (renewals counted apart below)</small>");
            html.Append("<small>")
                .Append(string.Join(" · ", result.Channels.Select(c => $"{E(Labels.Channel(c.Channel))} {E(Shown(result.Metric.Unit, c))}"
                    + (c.Target is { } t ? $" (target {E(Format(result.Metric.Unit, t))})" : ""))))
                .Append("</small></div>\n");
        }
        html.Append("</div>\n");
        // New business, expansion and renewals apart: a renewal is kept revenue, not a new win.
        if (report.Kinds.Count > 0)
        {
            html.Append("<div class=\"cards\">\n");
            foreach (var k in report.Kinds)
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\">{E(Labels.Words(k.Kind))} bookings<b>{E(Format(MetricUnit.Money, k.Bookings))}</b>")
                    .Append(CultureInfo.InvariantCulture, $"<small>{k.DealsWon} won · {k.DealsLost} lost · win rate {E(Format(MetricUnit.Ratio, k.WinRate))}</small></div>\n");
            html.Append("</div>\n");
        }
        // How fast leads were answered: speed to first touch and the share within the channels' response targets.
        var response = Report.ResponseIds.Select(id => report.Metrics.FirstOrDefault(m => m.Metric.Id == id)).OfType<MetricResult>().ToList();
        if (response.Count > 0)
        {
            html.Append("<div class=\"cards\" id=\"lead-response\">\n");
            foreach (var result in response)
            {
                var total = result.Total;
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\">{E(result.Metric.Name)}<b>{E(Format(result.Metric.Unit, total.Value))}</b>")
                    .Append(CultureInfo.InvariantCulture, $"<small>{total.Count} lead(s) · previous {E(Format(result.Metric.Unit, total.Previous))}</small>");
                if (total.Target is not null)
                    html.Append(CultureInfo.InvariantCulture, $"<small>target {E(Format(result.Metric.Unit, total.Target))}</small>");
                html.Append("<small>")
                    .Append(string.Join(" · ", result.Channels.Select(c => $"{E(Labels.Channel(c.Channel))} {E(Format(result.Metric.Unit, c.Value))}")))
                    .Append("</small></div>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("<p>Every figure is given for each channel beside the blend: self-service, inside and field sales are different businesses. ")
            .Append("By-channel charts, the tables of every metric, notable wins and losses, notes and formulas follow.</p>\n</section>\n");

        html.Append("<h2>By channel</h2>\n<p class=\"legend\">");
        foreach (var channel in Legend)
            html.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{ChannelPalette.Of(channel)}\"></i>{E(Labels.Channel(channel))}</span>");
        html.Append("</p>\n");
        foreach (var id in (string[])["bookings", "pipeline_created", "deals_won", "touches"])
        {
            if (report.Metrics.FirstOrDefault(m => m.Metric.Id == id) is { } result)
                AppendChannelChart(html, result);
        }

        foreach (var table in report.Tables((unit, value) => value is null ? null : Format(unit, value)))
            AppendTable(html, table);

        if (report.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
            foreach (var note in report.Notes)
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(note)}</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("<h2>Formulas</h2>\n<table>\n<tr><th>metric</th><th>formula</th></tr>\n");
        foreach (var result in report.Metrics)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(result.Metric.Name)}</td><td>{E(result.Metric.Formula)}</td></tr>\n");
        html.Append("</table>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Pairs of bars per channel: this period (solid) and the previous one (pale).</summary>
    static void AppendChannelChart(StringBuilder html, MetricResult result)
    {
        const double Left = 110, Width = 700, Right = 90, Row = 30, Top = 24;
        var rows = result.Channels;
        var max = rows.SelectMany(r => new[] { r.Value ?? 0, r.Previous ?? 0 }).DefaultIfEmpty(0).Max();
        var scale = max > 0 ? (Width - Left - Right) / (double)max : 0;
        var height = Top + (rows.Count * Row) + 8;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height:0}\" role=\"img\" aria-label=\"{E(result.Metric.Name)} by channel\">\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"14\" font-weight=\"600\">{E(result.Metric.Name)}: this period (solid) and the previous (pale)</text>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var color = ChannelPalette.Of(row.Channel);
            var y = Top + (i * Row);
            var now = (double)(row.Value ?? 0) * scale;
            var before = (double)(row.Previous ?? 0) * scale;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15:0}\">{E(Labels.Channel(row.Channel))}</text>\n")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y:0}\" width=\"{now:0.0}\" height=\"12\" fill=\"{color}\"><title>{E(Format(result.Metric.Unit, row.Value))}</title></rect>\n")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y + 13:0}\" width=\"{before:0.0}\" height=\"8\" fill=\"{color}\" opacity=\"0.35\"><title>previous {E(Format(result.Metric.Unit, row.Previous))}</title></rect>\n")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + now + 6:0.0}\" y=\"{y + 11:0}\">{E(Format(result.Metric.Unit, row.Value))}</text>\n");
        }
        html.Append("</svg>\n");
    }

    static void AppendTable(StringBuilder html, ReportTable table)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(table.Title)}</h2>\n");
        if (table.Rows.Count == 0)
        {
            html.Append("<p>None.</p>\n");
            return;
        }
        html.Append("<table>\n<tr>");
        for (var c = 0; c < table.Columns.Count; c++)
            html.Append(CultureInfo.InvariantCulture, $"<th{(table.IsNumber(c) ? " class=\"num\"" : "")}>{E(table.Columns[c])}</th>");
        html.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
                html.Append(CultureInfo.InvariantCulture, $"<td{(table.IsNumber(c) ? " class=\"num\"" : table.Columns[c] == "closed" ? " class=\"date\"" : "")}>{E(row[c] ?? "—")}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>A figure as people read it: its reading ("target met") when it has one, else its number (<see cref="Format"/>).</summary>
    public static string Shown(MetricUnit unit, Figure figure) => figure.Reading ?? Format(unit, figure.Value);

    /// <summary>A figure as people read it: thousands separators, rates as percentages, "—" for none.</summary>
    public static string Format(MetricUnit unit, decimal? value) => value switch
    {
        null => "—",
        { } v when unit == MetricUnit.Ratio => v.ToString("0.#%", CultureInfo.InvariantCulture),
        // A board reads whole amounts; the CSV and XLSX keep the cents.
        { } v when unit is MetricUnit.Count or MetricUnit.Money => v.ToString("#,0", CultureInfo.InvariantCulture),
        { } v => v.ToString("#,0.##", CultureInfo.InvariantCulture),
    };

    static string E(string text) => WebUtility.HtmlEncode(text);
}
