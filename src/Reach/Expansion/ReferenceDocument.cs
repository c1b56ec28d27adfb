using System.Globalization;
using System.Net;
using System.Text;

namespace Reach.Expansion;

/// <summary>
/// The references document for a proposal: the references a prospect may be offered (or the whole pool), each with
/// what it agreed to and why it fits, as one self-contained HTML page (inline CSS, no script, every string encoded).
/// Chromium prints the same page to PDF (<see cref="Reach.Metrics.Reports.ReportPrinter"/>).
/// </summary>
public static class ReferenceDocument
{
    const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #111827; margin: 2rem auto; max-width: 900px; padding: 0 1rem; }
        .cover { border-top: 6px solid #2563eb; padding-top: 1.2rem; }
        .kicker { text-transform: uppercase; letter-spacing: .08em; color: #2563eb; font-weight: 600; font-size: .8rem; margin: 0; }
        h1 { font-size: 1.8rem; margin: .3rem 0; } h2 { font-size: 1.15rem; margin: 0 0 .3rem; }
        .ref { border: 1px solid #e5e7eb; border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; break-inside: avoid; }
        .facts { color: #374151; margin: .2rem 0; }
        .badge { display: inline-block; border-radius: 999px; background: #eff6ff; color: #1d4ed8; padding: 0 .5rem; margin-right: .3rem; font-size: .85rem; }
        .muted { color: #6b7280; }
        ul { margin: .3rem 0 0 1.1rem; padding: 0; }
        """;

    /// <summary>The document of <paramref name="list"/>: only the references available this quarter are offered.</summary>
    public static string Render(ReferenceList list, string workspace, DateTime now)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var ci = CultureInfo.InvariantCulture;
        var offered = list.Items.Where(i => i.Available).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>References")
            .Append(list.Prospect is { } p ? " for " + E(p.Name) : "").Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<section class=\"cover\"><p class=\"kicker\">").Append(E(workspace)).Append(" · references</p><h1>")
            .Append(list.Prospect is { } prospect ? "Customers like " + E(prospect.Name) : "Our reference customers").Append("</h1>");
        html.Append("<p class=\"muted\">").Append(offered.Count.ToString(ci)).Append(offered.Count == 1 ? " reference" : " references")
            .Append(" as of ").Append(now.ToString("d MMMM yyyy", ci)).Append(list.Prospect is null ? "" : ", best match first").Append(".</p></section>");
        if (offered.Count == 0)
            html.Append("<p>No reference is available this quarter.</p>");
        foreach (var r in offered)
        {
            html.Append("<article class=\"ref\"><h2>").Append(E(r.Account)).Append("</h2><p class=\"facts\">");
            var facts = new List<string>();
            if (r.Industry is { Length: > 0 }) facts.Add(E(r.Industry));
            if (r.Region is { Length: > 0 }) facts.Add(E(r.Region));
            if (r.Segment is { Length: > 0 }) facts.Add(E(r.Segment));
            if (r.Employees is { } n) facts.Add(n.ToString("N0", ci) + " employees");
            html.Append(string.Join(" · ", facts)).Append("</p><p>");
            foreach (var kind in r.AgreedTo)
                html.Append("<span class=\"badge\">").Append(kind switch { ReferenceKind.Call => "Reference call", ReferenceKind.Logo => "Logo", _ => "Case study" }).Append("</span>");
            html.Append("</p>");
            if (r.Products.Count > 0)
                html.Append("<p class=\"facts\">Uses ").Append(E(string.Join(", ", r.Products))).Append("</p>");
            if (list.Prospect is not null && r.Score > 0)
            {
                html.Append("<p class=\"facts\">Why it fits:</p><ul>");
                foreach (var reason in r.Reasons)
                    html.Append("<li>").Append(E(reason)).Append("</li>");
                html.Append("</ul>");
            }
            html.Append("</article>");
        }
        return html.Append("</body></html>").ToString();
    }
}
