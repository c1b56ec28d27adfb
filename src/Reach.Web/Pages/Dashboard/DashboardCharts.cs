using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The dashboard's charts as inline SVG drawn on the server: no script and no style attribute, so the pages' content
/// security policy holds, and the figures are the <see cref="MetricResult"/>s the tables show.
/// </summary>
public static class DashboardCharts
{
    static readonly string[] Channels = ["self_service", "inside", "field"];

    public static string Colour(string channel) => ChannelPalette.Of(channel);

    public static string ChannelLabel(string channel) => Labels.Channel(channel);

    public static string Format(MetricUnit unit, decimal? value, string currency) => value switch
    {
        null => "—",
        { } v when unit == MetricUnit.Ratio => v.ToString("0.#%", CultureInfo.InvariantCulture),
        { } v when unit == MetricUnit.Money => Reach.Web.Pages.Format.Money(v, currency),
        { } v when unit is MetricUnit.Days or MetricUnit.Hours => v.ToString("#,0.#", CultureInfo.InvariantCulture) + (unit == MetricUnit.Days ? " d" : " h"),
        { } v => v.ToString("#,0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>Bookings per channel and blended: the bar is this period, the thin bar the previous one, the red tick the target.</summary>
    public static IHtmlContent BookingsAgainstTarget(MetricResult bookings, DashboardView view)
    {
        var rows = bookings.Channels.Where(c => c.Channel != MetricService.Unassigned).Append(bookings.Total).ToList();
        var max = (double)Math.Max(1m, rows.Max(r => Math.Max(Math.Max(r.Value ?? 0, r.Previous ?? 0), Math.Max(r.Target ?? 0, r.Projection ?? 0))));
        const int Left = 120, Width = 420, RowHeight = 40;
        var height = (rows.Count * RowHeight) + 24;
        var svg = Open("Bookings against target and the previous period, by channel", Left + Width + 150, height);
        double X(decimal? v) => Left + ((double)(v ?? 0) / max * Width);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = 8 + (i * RowHeight);
            var colour = Colour(row.Channel);
            Text(svg, Left - 8, y + 16, ChannelLabel(row.Channel), "end");
            var link = view.DrillLink(bookings, row.Channel);
            if (link is not null)
                svg.Append(CultureInfo.InvariantCulture, $"<a href=\"{E(link)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y + 4}\" width=\"{Math.Max(1, X(row.Value) - Left):F1}\" height=\"16\" rx=\"3\" fill=\"{colour}\"><title>{E(ChannelLabel(row.Channel))}: {E(Format(MetricUnit.Money, row.Value, bookings.Currency))}</title></rect>");
            if (link is not null)
                svg.Append("</a>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y + 23}\" width=\"{Math.Max(1, X(row.Previous) - Left):F1}\" height=\"5\" rx=\"2\" fill=\"{colour}\" fill-opacity=\"0.35\"><title>previous period {E(Format(MetricUnit.Money, row.Previous, bookings.Currency))}</title></rect>");
            if (row.Target is { } target)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(target) - 1.5:F1}\" y=\"{y}\" width=\"3\" height=\"30\" fill=\"#c2402f\"><title>target {E(Format(MetricUnit.Money, target, bookings.Currency))}</title></rect>");
            Text(svg, Math.Max(X(row.Value), X(row.Target)) + 8, y + 16, Format(MetricUnit.Money, row.Value, bookings.Currency), "start", "#161c2d");
        }
        return Close(svg);
    }

    /// <summary>Bookings per period, stacked by channel, with the blended target as a red dash.</summary>
    public static IHtmlContent BookingsOverTime(IReadOnlyList<(Period Period, MetricResult Result)> history) =>
        Columns("Bookings per period, by channel, against target", history, MetricUnit.Money, withTarget: true);

    /// <summary>Pipeline created per week, stacked by channel.</summary>
    public static IHtmlContent PipelinePerWeek(IReadOnlyList<(Period Period, MetricResult Result)> weeks) =>
        Columns("Pipeline created per week, by channel", weeks, MetricUnit.Money, withTarget: false);

    static HtmlString Columns(string title, IReadOnlyList<(Period Period, MetricResult Result)> periods, MetricUnit unit, bool withTarget)
    {
        var currency = periods.Count == 0 ? "" : periods[0].Result.Currency;
        var max = (double)Math.Max(1m, periods.Max(p => Math.Max(p.Result.Total.Value ?? 0, withTarget ? p.Result.Total.Target ?? 0 : 0)));
        const int Left = 96, Plot = 160, Top = 14;
        var step = Math.Max(34, 560 / Math.Max(1, periods.Count));
        var width = Left + (step * periods.Count) + 10;
        var svg = Open(title, width, Top + Plot + 40);
        double H(decimal v) => (double)v / max * Plot;
        Text(svg, Left - 6, Top + 4, Format(unit, (decimal)max, currency), "end");
        Text(svg, Left - 6, Top + Plot, "0", "end");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + Plot}\" x2=\"{width - 6}\" y2=\"{Top + Plot}\" stroke=\"#d5dae3\"/>");
        for (var i = 0; i < periods.Count; i++)
        {
            var (period, result) = periods[i];
            var x = Left + (i * step) + 4;
            var barWidth = step - 10;
            var bottom = (double)(Top + Plot);
            foreach (var channel in Channels)
            {
                var value = result.Channels.FirstOrDefault(c => c.Channel == channel)?.Value ?? 0;
                if (value <= 0)
                    continue;
                var h = H(value);
                bottom -= h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{bottom:F1}\" width=\"{barWidth}\" height=\"{h:F1}\" fill=\"{Colour(channel)}\"><title>{E(period.Label)} {E(ChannelLabel(channel))}: {E(Format(unit, value, currency))}</title></rect>");
            }
            if (withTarget && result.Total.Target is { } target)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x - 3}\" y=\"{Top + Plot - H(target) - 1.5:F1}\" width=\"{barWidth + 6}\" height=\"3\" fill=\"#c2402f\"><title>{E(period.Label)} target {E(Format(unit, target, currency))}</title></rect>");
            var label = period.Kind is PeriodKind.Week or PeriodKind.Custom ? period.Start.ToString("d MMM", CultureInfo.InvariantCulture) : period.Label;
            Text(svg, x + (barWidth / 2.0), Top + Plot + 16, label, "middle");
        }
        Legend(svg, Left, Top + Plot + 34, withTarget);
        return Close(svg);
    }

    /// <summary>Win rate and median sales cycle side by side per channel: they differ most between channels.</summary>
    public static IHtmlContent WinRateAndCycle(MetricResult winRate, MetricResult cycle)
    {
        var channels = Channels.Append("all").ToList();
        const int Left = 110, Half = 200, RowHeight = 26;
        var svg = Open("Win rate and median sales cycle by channel", Left + (2 * Half) + 60, (channels.Count * RowHeight) + 40);
        Text(svg, Left, 14, "Win rate", "start", "#161c2d");
        Text(svg, Left + Half + 40, 14, "Sales cycle, median days", "start", "#161c2d");
        var maxDays = (double)Math.Max(1m, channels.Max(c => Row(cycle, c)?.Value ?? 0));
        for (var i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            var y = 24 + (i * RowHeight);
            Text(svg, Left - 8, y + 13, ChannelLabel(channel), "end");
            var rate = Row(winRate, channel)?.Value;
            var days = Row(cycle, channel)?.Value;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y + 2}\" width=\"{Math.Max(1, (double)(rate ?? 0) * (Half - 50)):F1}\" height=\"14\" rx=\"3\" fill=\"{Colour(channel)}\"/>");
            Text(svg, Left + ((double)(rate ?? 0) * (Half - 50)) + 6, y + 13, Format(MetricUnit.Ratio, rate, ""), "start", "#161c2d");
            var x0 = Left + Half + 40;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0}\" y=\"{y + 2}\" width=\"{Math.Max(1, (double)(days ?? 0) / maxDays * (Half - 50)):F1}\" height=\"14\" rx=\"3\" fill=\"{Colour(channel)}\" fill-opacity=\"0.7\"/>");
            Text(svg, x0 + ((double)(days ?? 0) / maxDays * (Half - 50)) + 6, y + 13, Format(MetricUnit.Days, days, ""), "start", "#161c2d");
        }
        return Close(svg);
    }

    /// <summary>The open pipeline by stage, one funnel per channel: bars as wide as the stage's deal count.</summary>
    public static IHtmlContent Funnel(IReadOnlyList<FunnelStage> stages, string currency)
    {
        const int Left = 150, Width = 260, RowHeight = 22;
        var groups = stages.GroupBy(s => s.Channel).ToList();
        var max = Math.Max(1, stages.Count == 0 ? 1 : stages.Max(s => s.Deals));
        var height = (stages.Count * RowHeight) + (groups.Count * 22) + 10;
        var svg = Open("Open pipeline by stage and channel", Left + Width + 190, height);
        var y = 6.0;
        foreach (var group in groups)
        {
            Text(svg, 4, y + 13, ChannelLabel(group.Key), "start", "#161c2d");
            y += 20;
            foreach (var stage in group)
            {
                var w = Math.Max(2, (double)stage.Deals / max * Width);
                var x = Left + ((Width - w) / 2);
                Text(svg, Left - 8, y + 13, stage.Stage, "end");
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y + 2}\" width=\"{w:F1}\" height=\"16\" rx=\"3\" fill=\"{Colour(group.Key)}\"><title>{E(stage.Stage)}: {stage.Deals} open deals</title></rect>");
                Text(svg, Left + Width + 8, y + 13, $"{stage.Deals} · {Format(MetricUnit.Money, stage.Value, currency)}", "start", "#161c2d");
                y += RowHeight;
            }
        }
        return Close(svg);
    }

    static Figure? Row(MetricResult result, string channel) =>
        channel == "all" ? result.Total : result.Channels.FirstOrDefault(c => c.Channel == channel);

    static void Legend(StringBuilder svg, double x, double y, bool withTarget)
    {
        foreach (var channel in Channels)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{Colour(channel)}\"/>");
            Text(svg, x + 14, y, ChannelLabel(channel), "start");
            x += 100;
        }
        if (withTarget)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y - 5}\" width=\"14\" height=\"3\" fill=\"#c2402f\"/>");
            Text(svg, x + 18, y, "target", "start");
        }
    }

    static StringBuilder Open(string label, double width, double height) => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{E(label)}\" viewBox=\"0 0 {width:F0} {height:F0}\" width=\"{width:F0}\" class=\"chart\">");

    static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    static void Text(StringBuilder svg, double x, double y, string text, string anchor, string fill = "#5d6677") =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F1}\" y=\"{y:F1}\" text-anchor=\"{anchor}\" font-size=\"12\" fill=\"{fill}\">{E(text)}</text>");

    static string E(string text) => WebUtility.HtmlEncode(text);
}
