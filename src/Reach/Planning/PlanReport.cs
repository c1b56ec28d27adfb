using System.Globalization;

namespace Reach.Planning;

public sealed record ReportColumn(string Header, bool Numeric = false);

/// <summary>A table of a plan's figures rounded for people; cells may hold several lines.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// The plan's result as tables and warnings for people. The terminal and the HTML page both render these, so they
/// show the same rounded figures.
/// </summary>
public static class PlanReport
{
    private const string None = "–";

    public static ReportTable SegmentTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Segments.Select(s =>
        {
            var shown = ShownChannel(s);
            var channel = s.DeadZoneKind switch
            {
                DeadZoneKind.Unprofitable => $"{shown?.Name} (not profitable)",
                DeadZoneKind.Gap => "none",
                _ => s.Fit ?? None,
            };
            return (IReadOnlyList<string>)
            [
                s.Name,
                Money(s.Acv, plan.Currency),
                Money(s.Ltv, plan.Currency),
                channel,
                shown is null ? None : Money(shown.Cac, plan.Currency),
                shown is null ? None : Ratio(shown.LtvToCac),
                shown is null ? None : shown.PaybackMonths.ToString("0.0", CultureInfo.InvariantCulture),
                s.DeadZoneKind switch
                {
                    DeadZoneKind.Unprofitable => "unprofitable",
                    DeadZoneKind.Gap => "gap",
                    _ => "no",
                },
                s.Recommendations.Count == 0
                    ? None
                    : string.Join('\n', s.Recommendations.Select(r => RecommendationText(r, plan.Currency))),
            ];
        }).ToList();
        return new ReportTable(
            "Segments",
            [
                new("Segment"), new("ACV", true), new("LTV", true), new("Channel"), new("CAC", true),
                new("LTV/CAC", true), new("Payback (months)", true), new("Dead zone"), new("Recommendations"),
            ],
            rows);
    }

    public static ReportTable CapacityTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Segments.Zip(plan.Segments).Select(p =>
        {
            var (s, input) = p;
            return (IReadOnlyList<string>)
            [
                s.Name,
                Count(s.CustomersNeeded),
                Count(input.Accounts),
                s.Reps is { } reps ? reps.ToString("N2", CultureInfo.InvariantCulture) : None,
                Count(s.Opportunities),
                Count(s.Leads),
                s.LeadBudget is { } leadBudget ? Money(leadBudget, plan.Currency) : None,
                s.Budget is { } budget ? Money(budget, plan.Currency) : None,
                s.Flags.Count == 0 ? None : string.Join('\n', s.Flags.Select(FlagName)),
            ];
        }).ToList();
        return new ReportTable(
            "Capacity",
            [
                new("Segment"), new("Customers needed", true), new("Accounts", true), new("Reps", true),
                new("Opportunities", true), new("Leads", true), new("Lead budget", true),
                new("Acquisition budget", true), new("Flags"),
            ],
            rows);
    }

    public static ReportTable ChannelTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Channels.Select(c => (IReadOnlyList<string>)
        [
            c.Name,
            KindName(c.Kind),
            Money(c.Cac, plan.Currency),
            Count(c.CustomersNeeded),
            Count(c.RepsNeeded),
            Count(c.LeadsNeeded),
            Money(c.LeadBudget, plan.Currency),
            Money(c.Budget, plan.Currency),
        ]).ToList();
        return new ReportTable(
            "Channels",
            [
                new("Channel"), new("Kind"), new("CAC", true), new("Customers", true), new("Reps needed", true),
                new("Leads", true), new("Lead budget", true), new("Acquisition budget", true),
            ],
            rows);
    }

    public static IReadOnlyList<string> Warnings(PlanFile plan, PlanResult result)
    {
        var warnings = new List<string>();
        foreach (var (s, input) in result.Segments.Zip(plan.Segments))
        {
            if (s.DeadZoneKind == DeadZoneKind.Unprofitable && ShownChannel(s) is { } cheapest)
            {
                warnings.Add(
                    $"{s.Name} (ACV {Money(s.Acv, plan.Currency)}) is in a dead zone: its cheapest eligible channel, "
                    + $"{cheapest.Name}, reaches LTV/CAC {Ratio(cheapest.LtvToCac)}, below "
                    + $"{Plain(plan.Economics.MinLtvToCac)}.");
            }
            else if (s.DeadZoneKind == DeadZoneKind.Gap)
            {
                warnings.Add(
                    $"{s.Name} (ACV {Money(s.Acv, plan.Currency)}) is in a dead zone: no channel takes that ACV.");
            }

            if (s.Flags.Contains(SegmentFlag.MarketTooSmall))
            {
                warnings.Add(
                    $"{s.Name} needs {Count(s.CustomersNeeded)} customers but has only {Count(input.Accounts)} "
                    + "addressable accounts (market_too_small).");
            }

            if (s.Flags.Contains(SegmentFlag.InfeasibleInHorizon)
                && plan.Channels.FirstOrDefault(c => c.Name == s.Fit) is { } channel)
            {
                warnings.Add(
                    $"{s.Name}: {channel.Name}'s ramp ({Plain(channel.RampMonths)} months) and sales cycle "
                    + $"({Plain(channel.CycleDays)} days) leave no selling time in {plan.HorizonMonths} months "
                    + "(infeasible_in_horizon).");
            }
        }

        if (result.TargetShareInDeadZones > 0)
        {
            warnings.Add(
                $"{(result.TargetShareInDeadZones * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of the "
                + "target sits in dead zones.");
        }

        return warnings;
    }

    /// <summary>Each channel's assumptions beside the CRM's actual figures, then each segment's ACV beside the median won.</summary>
    public static IReadOnlyList<ReportTable> CalibrationTables(PlanFile plan, Calibration calibration)
    {
        var period = $"deals closed {calibration.From:yyyy-MM-dd} to {calibration.AsOf.AddTicks(-1):yyyy-MM-dd}";
        var channels = calibration.Channels.Select(c => (IReadOnlyList<string>)
        [
            c.Name,
            $"{c.Won} / {c.Lost}",
            Percent(c.WinRate),
            Percent(c.ActualWinRate),
            Days(c.CycleDays),
            Days(c.ActualCycleDays),
            c.DealsPerRepPerYear is { } planned ? Plain(planned) : None,
            c.ActualDealsPerRepPerYear is { } actual
                ? $"{actual.ToString("0.0", CultureInfo.InvariantCulture)} ({c.RepYears.ToString("0.0", CultureInfo.InvariantCulture)} rep-years)"
                : None,
            c.Flags.Count == 0 ? None : string.Join('\n', c.Flags.Select(FlagName)),
        ]).ToList();
        var segments = calibration.Segments.Select(s => (IReadOnlyList<string>)
        [
            s.Name,
            Money(s.Acv, plan.Currency),
            s.ActualAcv is { } acv ? Money(acv, plan.Currency) : None,
            s.WonDeals.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return
        [
            new ReportTable(
                $"Calibration: channels ({period})",
                [
                    new("Channel"), new("Won / lost", true), new("Win rate (plan)", true), new("Win rate (actual)", true),
                    new("Cycle days (plan)", true), new("Cycle days (actual median)", true),
                    new("Deals per rep-year (plan)", true), new("Deals per rep-year (actual)", true), new("Flags"),
                ],
                channels),
            new ReportTable(
                $"Calibration: segments (won deals in {plan.Currency}, same period)",
                [new("Segment"), new("ACV (plan)", true), new("ACV (actual median)", true), new("Won deals", true)],
                segments),
        ];
    }

    public static string FlagName(CalibrationFlag flag) =>
        flag == CalibrationFlag.CycleUnderestimated ? "cycle_underestimated" : "win_rate_optimistic";

    /// <summary>
    /// The channel whose figures explain a segment: its fit channel, or in an unprofitable dead zone the cheapest
    /// eligible one (the one that falls short); null in a gap.
    /// </summary>
    public static SegmentChannel? ShownChannel(SegmentResult segment) =>
        segment.Fit is { } fit
            ? segment.Channels.First(c => c.Name == fit)
            : segment.Channels.Where(c => c.Eligible).OrderBy(c => c.Cac).FirstOrDefault();

    // Prices and fees are rounded up: rounded down they would fall just short of the target ratio.
    public static string RecommendationText(Recommendation r, string currency) => r.Action switch
    {
        RecommendationAction.PushToSelfService => $"push to self-service{NamedUnlessObvious(r.Channel)}: LTV/CAC there {Ratio(r.Value)}",
        RecommendationAction.RaisePrice => $"raise price to {Money(Math.Ceiling(r.Value ?? 0), currency)} ({r.Channel})",
        RecommendationAction.ServiceCharge => $"one-off service charge of {Money(Math.Ceiling(r.Value ?? 0), currency)} ({r.Channel})",
        RecommendationAction.ExtendChannel => $"extend {r.Channel} to this ACV: LTV/CAC {Ratio(r.Value)}",
        _ => r.Action.ToString(),
    };

    // A plan may call its self-service channel "webshop"; "self-service (self-service)" says nothing twice.
    static string NamedUnlessObvious(string? channel) =>
        channel is null || channel.Replace("_", "-", StringComparison.Ordinal).Equals("self-service", StringComparison.OrdinalIgnoreCase) ? "" : $" ({channel})";

    public static string KindName(ChannelKind kind) => kind switch
    {
        ChannelKind.SelfService => "self_service",
        ChannelKind.Inside => "inside",
        _ => "field",
    };

    public static string FlagName(SegmentFlag flag) =>
        flag == SegmentFlag.MarketTooSmall ? "market_too_small" : "infeasible_in_horizon";

    public static string Money(decimal value, string currency) =>
        $"{value.ToString("N0", CultureInfo.InvariantCulture)} {currency}";

    public static string Ratio(decimal? value) =>
        value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "∞";

    // Counts of people, leads and deals are needs: a fraction of one still takes a whole one.
    private static string Count(decimal? value) =>
        value is { } v ? Math.Ceiling(v).ToString("N0", CultureInfo.InvariantCulture) : None;

    private static string Plain(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(decimal? value) =>
        value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : None;

    private static string Days(decimal? value) =>
        value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : None;
}
