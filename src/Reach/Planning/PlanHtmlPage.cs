using System.Globalization;
using System.Net;
using System.Text;
using Reach.Data;

namespace Reach.Planning;

/// <summary>
/// A self-contained HTML report of a plan: inline CSS and SVG charts drawn here, no scripts or external files, so
/// the page can be mailed to a board or opened offline. Every string from the plan file is HTML-encoded.
/// </summary>
public static class PlanHtmlPage
{
    private const string DeadColor = "#dc2626";
    private const string GapShade = "#fecaca";
    private const string UnprofitableShade = "#fed7aa";

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #111827; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
        th, td { border-bottom: 1px solid #e5e7eb; padding: .35rem .5rem; text-align: left; vertical-align: top; white-space: pre-line; }
        th { background: #f9fafb; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .warnings li { color: #9a3412; }
        .legend span { display: inline-block; margin-right: 1rem; }
        .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border-radius: 2px; }
        svg { display: block; max-width: 100%; height: auto; }
        svg text { font: 12px system-ui, sans-serif; fill: #374151; }
        """;

    // A calibration (a plan run against a workspace) adds its tables after the plan's.
    public static string Render(PlanFile plan, PlanResult result, string title, Calibration? calibration = null)
    {
        var colors = ChannelPalette.Of(plan.Channels.Select(c => (c.Name, c.Kind)));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>Reach plan: {E(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>Go-to-market plan: {E(title)}</h1>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>Target {E(PlanReport.Money(plan.Target.NewArr, plan.Currency))} new ARR ")
            .Append(CultureInfo.InvariantCulture, $"within {plan.HorizonMonths} months from {plan.Start:yyyy-MM-dd}; ")
            .Append(CultureInfo.InvariantCulture, $"customer lifetime {result.LifetimeYears:0.##} years; ")
            .Append(CultureInfo.InvariantCulture, $"profitable at LTV/CAC ≥ {plan.Economics.MinLtvToCac:0.##}.</p>\n");

        var warnings = PlanReport.Warnings(plan, result, calibration);
        if (warnings.Count > 0)
        {
            html.Append("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
            foreach (var warning in warnings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(warning)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        if (result.Recommendations is { Count: > 0 } recommendations)
        {
            html.Append("<h2>Recommendations</h2>\n<p>Each applies as a scenario beside the plan: <code>reach plan FILE --apply ACTION</code>.</p>\n<ul>\n");
            foreach (var r in recommendations)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><code>{E(r.Apply)}</code>: {E(PlanReport.RecommendationText(r, plan.Currency))}</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<h2>Segments by ACV</h2>\n");
        AppendLegend(html, colors);
        AppendAcvChart(html, plan, result, colors);
        html.Append("<h2>Reps and leads by channel</h2>\n");
        AppendBars(html, "Reps needed", result.Channels.Select(c => (c.Name, c.RepsNeeded)).ToList(), colors);
        AppendBars(html, "Leads needed", result.Channels.Select(c => (c.Name, Math.Ceiling(c.LeadsNeeded))).ToList(), colors);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Month by month</h2>\n<p>{E(PlanReport.TimeToTarget(plan, result))}</p>\n");
        AppendTimelineCharts(html, plan, result, colors);
        if (result.Sensitivity is { } sensitivity)
        {
            html.Append("<h2>Sensitivity</h2>\n");
            AppendTornado(html, plan, sensitivity);
        }

        foreach (var table in PlanReport.Tables(plan, result))
        {
            AppendTable(html, table);
        }

        if (calibration is not null)
        {
            foreach (var table in PlanReport.CalibrationTables(plan, calibration))
            {
                AppendTable(html, table);
            }

            if (calibration.Notes.Count > 0)
            {
                html.Append("<ul class=\"warnings\">\n");
                foreach (var note in calibration.Notes)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li>{E(note)}</li>\n");
                }

                html.Append("</ul>\n");
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The report's charts (segments on the ACV axis, reps and leads by channel) as inline SVG with no style
    /// attributes, for pages whose content security policy forbids inline styles (the web app's planner).
    /// </summary>
    public static string Charts(PlanFile plan, PlanResult result)
    {
        var colors = ChannelPalette.Of(plan.Channels.Select(c => (c.Name, c.Kind)));
        var html = new StringBuilder();
        var swatches = colors.Select(p => (p.Key, p.Value))
            .Concat([("segment in a dead zone", DeadColor), ("dead zone: unprofitable", UnprofitableShade), ("dead zone: gap", GapShade)])
            .ToList();
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 900 24\" role=\"img\" aria-label=\"Legend\">");
        var x = 0;
        foreach (var (name, color) in swatches)
        {
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{color}\"/><text x=\"{x + 16}\" y=\"16\">{E(name)}</text>");
            x += 28 + (name.Length * 7);
        }

        html.Append("</svg>\n");
        if (plan.Segments.Count > 0)
        {
            AppendAcvChart(html, plan, result, colors);
        }

        AppendBars(html, "Reps needed", result.Channels.Select(c => (c.Name, c.RepsNeeded)).ToList(), colors);
        AppendBars(html, "Leads needed", result.Channels.Select(c => (c.Name, Math.Ceiling(c.LeadsNeeded))).ToList(), colors);
        AppendTimelineCharts(html, plan, result, colors);
        if (result.Sensitivity is { } sensitivity)
        {
            AppendTornado(html, plan, sensitivity);
        }

        return html.ToString();
    }

    /// <summary>
    /// A tornado of spend over the horizon: each assumption's bar runs from its spend at −change to its spend at
    /// +change, around the plan's spend; widest first. The reps and time to target are in each bar's label.
    /// </summary>
    private static void AppendTornado(StringBuilder html, PlanFile plan, SensitivityResult sensitivity)
    {
        var baseline = sensitivity.Baseline.Spend;
        var rows = sensitivity.Inputs
            .OrderByDescending(r => Math.Abs(r.High.Spend - r.Low.Spend))
            .ToList();
        var reach = rows.SelectMany(r => new[] { Math.Abs(r.Low.Spend - baseline), Math.Abs(r.High.Spend - baseline) }).DefaultIfEmpty(0).Max();
        const double Left = 170, Width = 900, Row = 34, Top = 40, Half = 250;
        var centre = Left + Half;
        double X(decimal spend) => reach == 0 ? centre : centre + (Half * (double)((spend - baseline) / reach));
        var change = (sensitivity.Change * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var height = Top + (rows.Count * Row) + 24;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height:0}\" role=\"img\" aria-label=\"Sensitivity of spend\" data-chart=\"tornado\">\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"14\" font-weight=\"600\">Spend over the horizon with each assumption −{change}% (blue) and +{change}% (orange); as planned {E(PlanReport.Money(baseline, plan.Currency))}</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"{centre:0}\" x2=\"{centre:0}\" y1=\"{Top - 10:0}\" y2=\"{height - 16:0}\" stroke=\"#6b7280\"/>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + (i * Row);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8:0}\" y=\"{y + 13:0}\" text-anchor=\"end\">{E(row.Input.Replace('_', ' '))}</text>");
            foreach (var (outcome, color, sign) in new[] { (row.Low, "#2563eb", "−"), (row.High, "#ea580c", "+") })
            {
                var x = X(outcome.Spend);
                var from = Math.Min(x, centre);
                var reached = outcome.TimeToTargetMonths is { } m ? $"target in month {m}" : "target not reached";
                html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{from:0.0}\" y=\"{y:0}\" width=\"{Math.Max(1, Math.Abs(x - centre)):0.0}\" height=\"16\" fill=\"{color}\" opacity=\"0.85\"><title>{E(row.Input)} {sign}{change}%: {E(PlanReport.Money(outcome.Spend, plan.Currency))} spend, {outcome.Reps.ToString("0.#", CultureInfo.InvariantCulture)} reps, {reached}</title></rect>");
            }

            var low = row.Low.TimeToTargetMonths is { } lm ? $"m{lm}" : "—";
            var high = row.High.TimeToTargetMonths is { } hm ? $"m{hm}" : "—";
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (2 * Half) + 16:0}\" y=\"{y + 13:0}\">reps {row.Low.Reps:0.#} / {row.High.Reps:0.#} · target {low} / {high}</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (2 * Half) + 16:0}\" y=\"{Top - 14:0}\" fill=\"#6b7280\">(−{change}% / +{change}%; — not reached)</text>\n")
            .Append("</svg>\n");
    }

    /// <summary>Cumulative new ARR (and spend) by month against the target line; reps by month, ramping ones pale.</summary>
    private static void AppendTimelineCharts(
        StringBuilder html, PlanFile plan, PlanResult result, Dictionary<string, string> colors)
    {
        var timeline = result.Timeline;
        var months = timeline.Months;
        if (months.Count == 0)
        {
            return;
        }

        const double Left = 90, Width = 900, Right = 20, Top = 24, PlotHeight = 220;
        var plotWidth = Width - Left - Right;
        var step = plotWidth / months.Count;
        double X(int month) => Left + (plotWidth * month / months.Count);

        var top = (double)Math.Max(plan.Target.NewArr, Math.Max(months[^1].CumulativeNewArr, months[^1].CumulativeSpend)) * 1.1;
        double Y(decimal value) => Top + PlotHeight - (PlotHeight * (double)value / top);
        var axisY = Top + PlotHeight;
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {axisY + 40:0}\" role=\"img\" aria-label=\"Cumulative new ARR against the target\" data-chart=\"cumulative-arr\">\n")
            .Append("<text x=\"0\" y=\"14\" font-weight=\"600\">Cumulative new ARR against the target</text>\n");
        AppendMonthAxis(html, plan, months.Count, X, axisY, Left, Width - Right);
        foreach (var tick in new[] { 0.25, 0.5, 0.75, 1.0 })
        {
            var value = plan.Target.NewArr * (decimal)tick;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6:0}\" y=\"{Y(value) + 4:0.0}\" text-anchor=\"end\">{Compact((double)value)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left:0}\" x2=\"{Width - Right:0}\" y1=\"{Y(value):0.0}\" y2=\"{Y(value):0.0}\" stroke=\"#f3f4f6\"/>\n");
        }

        var target = Y(plan.Target.NewArr);
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left:0}\" x2=\"{Width - Right:0}\" y1=\"{target:0.0}\" y2=\"{target:0.0}\" stroke=\"{DeadColor}\" stroke-dasharray=\"6 4\"><title>target {E(PlanReport.Money(plan.Target.NewArr, plan.Currency))}</title></line>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 4:0}\" y=\"{target - 5:0.0}\" fill=\"{DeadColor}\">target {E(PlanReport.Money(plan.Target.NewArr, plan.Currency))}</text>\n");
        var arr = string.Join(' ', months.Select(m => FormattableString.Invariant($"{X(m.Month):0.0},{Y(m.CumulativeNewArr):0.0}")).Prepend(FormattableString.Invariant($"{X(0):0.0},{Y(0):0.0}")));
        var spend = string.Join(' ', months.Select(m => FormattableString.Invariant($"{X(m.Month):0.0},{Y(m.CumulativeSpend):0.0}")).Prepend(FormattableString.Invariant($"{X(0):0.0},{Y(0):0.0}")));
        html.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{spend}\" fill=\"none\" stroke=\"#9ca3af\" stroke-width=\"2\" stroke-dasharray=\"2 3\"><title>cumulative sales and marketing spend</title></polyline>\n")
            .Append(CultureInfo.InvariantCulture, $"<polyline points=\"{arr}\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2.5\"><title>cumulative new ARR</title></polyline>\n");
        foreach (var m in months)
        {
            html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(m.Month):0.0}\" cy=\"{Y(m.CumulativeNewArr):0.0}\" r=\"2.5\" fill=\"#2563eb\"><title>{m.Date}: {E(PlanReport.Money(m.CumulativeNewArr, plan.Currency))} new ARR, {E(PlanReport.Money(m.CumulativeSpend, plan.Currency))} spent</title></circle>");
        }

        if (timeline.TimeToTargetMonths is { } reached)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(reached):0.0}\" x2=\"{X(reached):0.0}\" y1=\"{Top:0}\" y2=\"{axisY:0}\" stroke=\"#16a34a\" stroke-dasharray=\"4 3\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(reached) - 4:0.0}\" y=\"{Top + 12:0}\" text-anchor=\"end\" fill=\"#166534\">target reached: month {reached} ({timeline.TargetReachedIn})</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left:0}\" y=\"{axisY + 26:0}\" width=\"12\" height=\"3\" fill=\"#2563eb\"/><text x=\"{Left + 16:0}\" y=\"{axisY + 31:0}\">cumulative new ARR</text>")
            .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + 170:0}\" y=\"{axisY + 26:0}\" width=\"12\" height=\"3\" fill=\"#9ca3af\"/><text x=\"{Left + 186:0}\" y=\"{axisY + 31:0}\">cumulative spend</text>")
            .Append("</svg>\n");

        var salesLed = timeline.Channels.Where(c => c.Kind != ChannelKind.SelfService).ToList();
        var maxReps = months.Max(m => m.RepsRamping + m.RepsRamped);
        if (salesLed.Count == 0 || maxReps == 0)
        {
            return;
        }

        const double RepsHeight = 160;
        var repsAxis = Top + RepsHeight;
        double H(decimal reps) => RepsHeight * (double)(reps / maxReps);
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {repsAxis + 40:0}\" role=\"img\" aria-label=\"Reps by month\" data-chart=\"reps-by-month\">\n")
            .Append("<text x=\"0\" y=\"14\" font-weight=\"600\">Reps by month (pale: ramping)</text>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6:0}\" y=\"{Top + 4:0}\" text-anchor=\"end\">{maxReps.ToString("0.#", CultureInfo.InvariantCulture)}</text>\n");
        AppendMonthAxis(html, plan, months.Count, X, repsAxis, Left, Width - Right);
        foreach (var m in months)
        {
            var y = repsAxis;
            var x = X(m.Month - 1) + (step * 0.15);
            foreach (var channel in salesLed)
            {
                var cm = channel.Months[m.Month - 1];
                foreach (var (reps, opacity, state) in new[] { (cm.RepsRamped, "1", "ramped"), (cm.RepsRamping, "0.35", "ramping") })
                {
                    if (reps <= 0)
                    {
                        continue;
                    }

                    var h = H(reps);
                    y -= h;
                    html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.0}\" y=\"{y:0.0}\" width=\"{step * 0.7:0.0}\" height=\"{h:0.0}\" fill=\"{colors[channel.Name]}\" opacity=\"{opacity}\"><title>{m.Date} {E(channel.Name)}: {reps.ToString("0.#", CultureInfo.InvariantCulture)} {state}</title></rect>");
                }
            }

            html.Append('\n');
        }

        var lx = Left;
        foreach (var channel in salesLed)
        {
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx:0}\" y=\"{repsAxis + 22:0}\" width=\"12\" height=\"12\" fill=\"{colors[channel.Name]}\"/><text x=\"{lx + 16:0}\" y=\"{repsAxis + 32:0}\">{E(channel.Name)}</text>");
            lx += 40 + (channel.Name.Length * 7);
        }

        html.Append("</svg>\n");
    }

    // Month numbers under the plot, thinned to about twelve labels.
    private static void AppendMonthAxis(StringBuilder html, PlanFile plan, int count, Func<int, double> x, double axisY, double left, double right)
    {
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left:0}\" x2=\"{right:0}\" y1=\"{axisY:0}\" y2=\"{axisY:0}\" stroke=\"#6b7280\"/>\n");
        var every = Math.Max(1, (int)Math.Ceiling(count / 12.0));
        for (var month = every; month <= count; month += every)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{x(month) - ((x(1) - x(0)) / 2):0.0}\" y=\"{axisY + 14:0}\" text-anchor=\"middle\">{E(MonthByMonth.MonthLabel(plan, month))}</text>");
        }

        html.Append('\n');
    }

    private static void AppendLegend(StringBuilder html, Dictionary<string, string> colors)
    {
        html.Append("<p class=\"legend\">");
        foreach (var (name, color) in colors)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{color}\"></i>{E(name)}</span>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{DeadColor}\"></i>segment in a dead zone</span>")
            .Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{UnprofitableShade}\"></i>dead zone: unprofitable</span>")
            .Append(CultureInfo.InvariantCulture, $"<span><i style=\"background:{GapShade}\"></i>dead zone: gap</span></p>\n");
    }

    // Channels as lanes (pale: eligible range; solid: where they are also profitable), dead zones shaded across the
    // chart, and one row per segment at its ACV on a log axis: ACVs span orders of magnitude.
    private static void AppendAcvChart(
        StringBuilder html, PlanFile plan, PlanResult result, Dictionary<string, string> colors)
    {
        // A channel profitable at no price (a partner's commission above what the plan allows) breaks even "never".
        var breakEvenOrNull = plan.Channels.ToDictionary(c => c.Name, c => Planner.BreakEvenAcv(c, plan.Economics));
        var breakEven = breakEvenOrNull.ToDictionary(p => p.Key, p => p.Value ?? decimal.MaxValue);
        var values = plan.Segments.Select(s => s.Acv)
            .Concat(plan.Channels.SelectMany(c => new[] { c.MinAcv ?? 0, c.MaxAcv ?? 0, breakEvenOrNull[c.Name] ?? 0 }))
            .Where(v => v > 0)
            .Select(v => (double)v)
            .ToList();
        var lo = values.Min() / 2;
        var hi = values.Max() * 2;

        const double Left = 150, Width = 900, Right = 20, Row = 24, Top = 10;
        var plotWidth = Width - Left - Right;
        double X(double v) => Left + (plotWidth * Math.Log10(Math.Clamp(v, lo, hi) / lo) / Math.Log10(hi / lo));
        var segmentsTop = Top + (plan.Channels.Count * Row) + 10;
        var axisY = segmentsTop + (plan.Segments.Count * Row) + 6;
        var height = axisY + 30;

        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height:0}\" role=\"img\" aria-label=\"Segments by ACV\">\n");

        foreach (var (from, to, kind) in DeadZones(plan, breakEven, lo, hi))
        {
            var shade = kind == DeadZoneKind.Gap ? GapShade : UnprofitableShade;
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(from):0.0}\" y=\"{Top:0}\" width=\"{X(to) - X(from):0.0}\" height=\"{axisY - Top:0}\" fill=\"{shade}\"><title>dead zone ({(kind == DeadZoneKind.Gap ? "gap" : "unprofitable")})</title></rect>\n");
        }

        foreach (var tick in Ticks(lo, hi))
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(tick):0.0}\" x2=\"{X(tick):0.0}\" y1=\"{Top:0}\" y2=\"{axisY:0}\" stroke=\"#e5e7eb\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{X(tick):0.0}\" y=\"{axisY + 16:0}\" text-anchor=\"middle\">{Compact(tick)}</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left:0}\" x2=\"{Width - Right:0}\" y1=\"{axisY:0}\" y2=\"{axisY:0}\" stroke=\"#6b7280\"/>\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right:0}\" y=\"{axisY + 28:0}\" text-anchor=\"end\">ACV ({E(plan.Currency)}, log scale)</text>\n");

        for (var i = 0; i < plan.Channels.Count; i++)
        {
            var channel = plan.Channels[i];
            var y = Top + (i * Row) + 4;
            var from = (double)(channel.MinAcv ?? 0);
            var to = channel.MaxAcv is { } max ? (double)max : hi;
            var profitableFrom = Math.Max(from, (double)breakEven[channel.Name]);
            var color = colors[channel.Name];
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8:0}\" y=\"{y + 12:0}\" text-anchor=\"end\">{E(channel.Name)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(from):0.0}\" y=\"{y:0}\" width=\"{Math.Max(0, X(to) - X(from)):0.0}\" height=\"16\" fill=\"{color}\" opacity=\"0.25\"><title>{E(channel.Name)}: eligible</title></rect>");
            if (profitableFrom < to)
            {
                html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(profitableFrom):0.0}\" y=\"{y:0}\" width=\"{X(to) - X(profitableFrom):0.0}\" height=\"16\" fill=\"{color}\"><title>{E(channel.Name)}: eligible and profitable</title></rect>");
            }

            html.Append('\n');
        }

        for (var i = 0; i < result.Segments.Count; i++)
        {
            var segment = result.Segments[i];
            var y = segmentsTop + (i * Row) + 12;
            var x = X((double)segment.Acv);
            var color = segment.Fit is { } fit ? colors[fit] : DeadColor;
            var label = $"{segment.Name} · {PlanReport.Money(segment.Acv, plan.Currency)}";
            var leftSide = x > Left + (plotWidth * 0.7);
            html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.0}\" cy=\"{y:0}\" r=\"6\" fill=\"{color}\"><title>{E(label)}</title></circle>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{(leftSide ? x - 10 : x + 10):0.0}\" y=\"{y + 4:0}\" text-anchor=\"{(leftSide ? "end" : "start")}\">{E(label)}</text>\n");
        }

        html.Append("</svg>\n");
    }

    // The ACV ranges where no channel fits, found by classifying each stretch between consecutive boundaries.
    private static List<(double From, double To, DeadZoneKind Kind)> DeadZones(
        PlanFile plan, Dictionary<string, decimal> breakEven, double lo, double hi)
    {
        var bounds = plan.Channels
            .SelectMany(c => new[] { (double)(c.MinAcv ?? 0), (double)(c.MaxAcv ?? 0), (double)breakEven[c.Name] })
            .Where(v => v > lo && v < hi)
            .Append(lo)
            .Append(hi)
            .Distinct()
            .Order()
            .ToList();
        var zones = new List<(double From, double To, DeadZoneKind Kind)>();
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var middle = (decimal)Math.Sqrt(bounds[i] * bounds[i + 1]);
            var eligible = plan.Channels.Where(c => Planner.IsEligible(c, middle)).ToList();
            if (eligible.Any(c => middle >= breakEven[c.Name]))
            {
                continue;
            }

            var kind = eligible.Count == 0 ? DeadZoneKind.Gap : DeadZoneKind.Unprofitable;
            if (zones.Count > 0 && zones[^1].Kind == kind && zones[^1].To == bounds[i])
            {
                zones[^1] = (zones[^1].From, bounds[i + 1], kind);
            }
            else
            {
                zones.Add((bounds[i], bounds[i + 1], kind));
            }
        }

        return zones;
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        for (var power = Math.Pow(10, Math.Floor(Math.Log10(lo))); power <= hi; power *= 10)
        {
            foreach (var step in new[] { 1.0, 2.0, 5.0 })
            {
                if (power * step >= lo && power * step <= hi)
                {
                    yield return power * step;
                }
            }
        }
    }

    private static string Compact(double value) => value switch
    {
        >= 1e6 => (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture),
    };

    private static void AppendBars(
        StringBuilder html, string title, List<(string Name, decimal Value)> bars, Dictionary<string, string> colors)
    {
        const double Left = 150, Width = 900, Row = 24, BarArea = 640;
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var height = 24 + (bars.Count * Row);
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height:0}\" role=\"img\" aria-label=\"{E(title)}\">\n")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"14\" font-weight=\"600\">{E(title)}</text>\n");
        for (var i = 0; i < bars.Count; i++)
        {
            var (name, value) = bars[i];
            var y = 24 + (i * Row);
            var width = max == 0 ? 0 : (double)(value / max) * BarArea;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8:0}\" y=\"{y + 13:0}\" text-anchor=\"end\">{E(name)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left:0}\" y=\"{y:0}\" width=\"{width:0.0}\" height=\"16\" fill=\"{colors[name]}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + width + 6:0.0}\" y=\"{y + 13:0}\">{value.ToString("N0", CultureInfo.InvariantCulture)}</text>\n");
        }

        html.Append("</svg>\n");
    }

    private static void AppendTable(StringBuilder html, PlanTable table)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(table.Title)}</h2>\n<table>\n<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th{(column.Numeric ? " class=\"num\"" : "")}>{E(column.Header)}</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td{(table.Columns[i].Numeric ? " class=\"num\"" : "")}>{E(row[i])}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
