using System.Globalization;
using Reach.Data;

namespace Reach.Planning;

/// <summary>
/// The plan's result as tables and warnings for people. The terminal and the HTML page both render these, so they
/// show the same rounded figures.
/// </summary>
public static class PlanReport
{
    private const string None = "–";

    /// <summary>Every table of a plan's result, in the order the terminal, the HTML report and the page show them.</summary>
    public static IReadOnlyList<PlanTable> Tables(PlanFile plan, PlanResult result) =>
    [
        .. result.Scenario is { } scenario ? [ScenarioTable(plan, scenario)] : Array.Empty<PlanTable>(),
        SegmentTable(plan, result), CapacityTable(plan, result), ChannelTable(plan, result), HorizonTable(plan, result),
        .. result.Sensitivity is { } sensitivity ? [SensitivityTable(plan, sensitivity)] : Array.Empty<PlanTable>(),
        MonthTable(plan, result), HiringTable(plan, result),
    ];

    /// <summary>The plan's headline figures beside its scenario's; the last column marks what moved.</summary>
    public static PlanTable ScenarioTable(PlanFile plan, ScenarioResult scenario)
    {
        var rows = scenario.Differences.Select(d => (IReadOnlyList<string>)
        [
            FigureName(d.Figure),
            Figure(d.Figure, d.Plan, plan.Currency),
            Figure(d.Figure, d.Scenario, plan.Currency),
            !d.Changed ? "" : d.Plan is { } before && d.Scenario is { } after
                ? (after > before ? "▲ " : "▼ ") + (d.Figure == "time_to_target_months"
                    ? $"{Math.Abs(after - before)} months"
                    : Figure(d.Figure, Math.Abs(after - before), plan.Currency))
                : "◆ changed",
        ]).ToList();
        return new PlanTable(
            $"Scenario: {string.Join(", ", scenario.Applied)}",
            [new("Figure"), new("This plan", true), new("Scenario", true), new("Change", true)],
            rows);
    }

    /// <summary>Each assumption down and up by the plan's change: reps, spend and the month the target is reached.</summary>
    public static PlanTable SensitivityTable(PlanFile plan, SensitivityResult sensitivity)
    {
        var change = Percent(sensitivity.Change);
        IReadOnlyList<string> Row(string name, SensitivityOutcome low, SensitivityOutcome high) =>
        [
            name,
            People(low.Reps), Money(low.Spend, plan.Currency), Reached(plan, low),
            People(high.Reps), Money(high.Spend, plan.Currency), Reached(plan, high),
        ];
        var rows = new List<IReadOnlyList<string>> { Row("as planned", sensitivity.Baseline, sensitivity.Baseline) };
        rows.AddRange(sensitivity.Inputs.Select(i => Row(i.Input, i.Low, i.High)));
        return new PlanTable(
            $"Sensitivity: each assumption −{change} and +{change}",
            [
                new("Assumption"), new($"Reps at −{change}", true), new($"Spend at −{change}", true),
                new($"Target at −{change}", true), new($"Reps at +{change}", true), new($"Spend at +{change}", true),
                new($"Target at +{change}", true),
            ],
            rows);
    }

    // Not reached: by how much, so a plan that misses as planned still shows which assumption moves it.
    private static string Reached(PlanFile plan, SensitivityOutcome outcome) => outcome.TimeToTargetMonths is { } m
        ? $"month {m}"
        : $"{Money(Math.Max(0, plan.Target.NewArr - outcome.NewArr), plan.Currency)} short";

    private static string FigureName(string figure) => figure.Replace('_', ' ');

    private static string Figure(string figure, decimal? value, string currency) => value is not { } v
        ? (figure.EndsWith("time_to_target_months", StringComparison.Ordinal) ? "not reached" : None)
        : figure switch
        {
            "target_share_in_dead_zones" => Percent(v),
            "time_to_target_months" => $"month {v}",
            "horizon_months" => $"{v} months",
            _ when figure.EndsWith("share_of_target", StringComparison.Ordinal) => Percent(v),
            _ when figure.EndsWith("max_hires_per_month", StringComparison.Ordinal) || figure.EndsWith(".partners", StringComparison.Ordinal) => People(v),
            "ltv_to_cac" => Ratio(v),
            _ when figure.EndsWith("reps_needed", StringComparison.Ordinal) => People(v),
            _ when figure.EndsWith("customers_needed", StringComparison.Ordinal) || figure == "customers" => Count(v),
            _ => Money(v, currency),
        };

    public static PlanTable SegmentTable(PlanFile plan, PlanResult result)
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
        return new PlanTable(
            "Segments",
            [
                new("Segment"), new("ACV", true), new("LTV", true), new("Channel"), new("CAC", true),
                new("LTV/CAC", true), new("Payback (months)", true), new("Dead zone"), new("Recommendations"),
            ],
            rows);
    }

    public static PlanTable CapacityTable(PlanFile plan, PlanResult result)
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
                s.Flags.Count == 0 ? None : string.Join('\n', s.Flags.Select(f => Labels.Words(FlagName(f)))),
            ];
        }).ToList();
        return new PlanTable(
            "Capacity",
            [
                new("Segment"), new("Customers needed", true), new("Accounts", true), new("Reps", true),
                new("Opportunities", true), new("Leads", true), new("Lead budget", true),
                new("Acquisition budget", true), new("Flags"),
            ],
            rows);
    }

    public static PlanTable ChannelTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Channels.Select(c => (IReadOnlyList<string>)
        [
            c.Name,
            Labels.Channel(c.Kind),
            Money(c.Cac, plan.Currency),
            Count(c.CustomersNeeded),
            Count(c.RepsNeeded),
            Count(c.LeadsNeeded),
            Money(c.LeadBudget, plan.Currency),
            Money(c.Budget, plan.Currency),
        ]).ToList();
        return new PlanTable(
            "Channels",
            [
                new("Channel"), new("Kind"), new("CAC", true), new("Customers", true), new("Reps needed", true),
                new("Leads", true), new("Lead budget", true), new("Acquisition budget", true),
            ],
            rows);
    }

    /// <summary>"Target reached in month 14 (2028-02)", or how far short the horizon ends.</summary>
    public static string TimeToTarget(PlanFile plan, PlanResult result)
    {
        var t = result.Timeline;
        return t.TimeToTargetMonths is { } month
            ? $"Target reached in month {month} ({t.TargetReachedIn}) of {plan.HorizonMonths}."
            : $"Target not reached within the horizon ({plan.HorizonMonths} months): {Money(t.NewArr, plan.Currency)} new ARR, "
              + $"{Money(t.Shortfall, plan.Currency)} short of {Money(plan.Target.NewArr, plan.Currency)}.";
    }

    /// <summary>The whole plan month by month: people, leads, customers, ARR and spend.</summary>
    public static PlanTable MonthTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Timeline.Months.Select(m => (IReadOnlyList<string>)
        [
            $"{m.Month} ({m.Date})",
            People(m.Hires),
            $"{People(m.RepsRamping + m.RepsRamped)} ({People(m.RepsRamping)})",
            Count(m.Leads),
            Money(m.LeadBudget, plan.Currency),
            m.NewCustomers.ToString("N1", CultureInfo.InvariantCulture),
            Money(m.NewArr, plan.Currency),
            Money(m.CumulativeNewArr, plan.Currency),
            Money(m.Spend, plan.Currency),
            Money(m.CumulativeSpend, plan.Currency),
        ]).ToList();
        return new PlanTable(
            $"Month by month: {TimeToTarget(plan, result)}",
            [
                new("Month"), new("Hires", true), new("Reps (ramping)", true), new("Leads", true),
                new("Lead budget", true), new("New customers", true), new("New ARR", true),
                new("Cumulative new ARR", true), new("Sales & marketing spend", true), new("Cumulative spend", true),
            ],
            rows);
    }

    /// <summary>Hires and reps by month for each sales-led channel: "+2 → 5 (3 ramping)".</summary>
    public static PlanTable HiringTable(PlanFile plan, PlanResult result)
    {
        var channels = result.Timeline.Channels.Where(c => c.Kind is ChannelKind.Inside or ChannelKind.Field).ToList();
        var rows = result.Timeline.Months.Select(m => (IReadOnlyList<string>)
        [
            $"{m.Month} ({m.Date})",
            .. channels.Select(c => c.Months[m.Month - 1]).Select(c =>
                $"{(c.Hires > 0 ? "+" + People(c.Hires) + " → " : "")}{People(c.RepsRamping + c.RepsRamped)}"
                + (c.RepsRamping > 0 ? $" ({People(c.RepsRamping)} ramping)" : "")),
        ]).ToList();
        return new PlanTable(
            "Hires and reps by month",
            [new("Month"), .. channels.Select(c => new PlanColumn(c.Name, true))],
            rows);
    }

    /// <summary>Each channel over the horizon, with CAC and LTV/CAC as actually spent beside the steady-state CAC.</summary>
    public static PlanTable HorizonTable(PlanFile plan, PlanResult result)
    {
        var rows = result.Timeline.Channels.Zip(result.Channels).Select(p =>
        {
            var (t, c) = p;
            var salesLed = t.Kind is ChannelKind.Inside or ChannelKind.Field;
            return (IReadOnlyList<string>)
            [
                t.Name,
                salesLed ? People(t.StartReps) : None,
                salesLed ? People(t.RepsPlanned) : None,
                salesLed ? People(t.Hires) : None,
                t.Kind != ChannelKind.SelfService ? Math.Max(0, t.SellingMonths).ToString("0.0", CultureInfo.InvariantCulture) : None,
                t.Customers.ToString("N0", CultureInfo.InvariantCulture),
                Money(t.NewArr, plan.Currency),
                Money(t.Spend, plan.Currency),
                t.Cac is { } cac ? Money(cac, plan.Currency) : None,
                t.LtvToCac is { } ratio ? Ratio(ratio) : None,
                Money(c.Cac, plan.Currency),
            ];
        }).ToList();
        var total = result.Timeline;
        rows.Add(
        [
            "all channels", None, None, None, None,
            total.Customers.ToString("N0", CultureInfo.InvariantCulture),
            Money(total.NewArr, plan.Currency),
            Money(total.Spend, plan.Currency),
            total.Cac is { } allCac ? Money(allCac, plan.Currency) : None,
            total.LtvToCac is { } allRatio ? Ratio(allRatio) : None,
            None,
        ]);
        return new PlanTable(
            $"Over the horizon ({plan.HorizonMonths} months, as spent)",
            [
                new("Channel"), new("Start reps", true), new("Reps planned", true), new("Hires", true),
                new("Selling months per first hire", true), new("Customers won", true), new("New ARR", true),
                new("Spend", true), new("CAC (horizon)", true), new("LTV/CAC (horizon)", true), new("CAC (steady state)", true),
            ],
            rows);
    }

    /// <summary>
    /// What a founder should not miss: dead zones, flags, the target not reached, channels that cost more over the
    /// horizon than their steady state suggests, shares that leave part of the target to nobody, channels that lose
    /// money at every price they take, and (with a workspace) segments priced far above anything won.
    /// </summary>
    public static IReadOnlyList<string> Warnings(PlanFile plan, PlanResult result, Calibration? calibration = null)
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
                warnings.Add(channel.IsPartner && channel.RampMonths == 0
                    ? $"{s.Name}: {channel.Name}'s sales cycle ({Plain(channel.CycleDays)} days) leaves no selling time in "
                        + $"{plan.HorizonMonths} months (infeasible_in_horizon)."
                    : $"{s.Name}: {channel.Name}'s ramp ({Plain(channel.RampMonths)} months) and sales cycle "
                        + $"({Plain(Planner.CycleDaysAt(channel, s.Acv))} days) leave no selling time in {plan.HorizonMonths} months "
                        + "(infeasible_in_horizon).");
            }
        }

        if (result.TargetShareInDeadZones > 0)
        {
            warnings.Add(
                $"{Percent(result.TargetShareInDeadZones)} of the target "
                + $"({Money(result.TargetShareInDeadZones * plan.Target.NewArr, plan.Currency)}) sits in dead zones: "
                + "no customers, budget or reps are planned for it.");
        }

        var shares = plan.Segments.Sum(s => s.ShareOfTarget);
        if (shares < 1)
        {
            warnings.Add(
                $"The segments' share_of_target add up to {Plain(shares)}: {Percent(1 - shares)} of the target "
                + $"({Money((1 - shares) * plan.Target.NewArr, plan.Currency)}) is left to no segment.");
        }

        warnings.AddRange(UnprofitableChannels(plan));
        warnings.AddRange(HorizonWarnings(plan, result));
        warnings.AddRange(HiringWarnings(plan, result));
        warnings.AddRange(PartnerWarnings(plan, result));
        warnings.AddRange(NoRoomWarnings(plan, result));
        if (calibration is not null)
        {
            warnings.AddRange(LargeDealWarnings(plan, calibration));
            warnings.AddRange(CalibrationWarnings(plan, calibration));
        }

        return warnings;
    }

    /// <summary>How far above the largest won deal a segment's ACV may be before the plan rests on deals never won.</summary>
    public const decimal LargeDealFactor = 2m;

    // A channel whose break-even ACV is above its max_acv loses money on every deal it may take.
    static IEnumerable<string> UnprofitableChannels(PlanFile plan)
    {
        foreach (var channel in plan.Channels)
        {
            if (channel.MaxAcv is not { } max || Planner.CacAt(channel, max, plan.Economics) is var cac && (cac == 0 || Planner.Ltv(max, plan.Economics) / cac >= plan.Economics.MinLtvToCac))
            {
                continue;
            }

            var breakEven = Planner.BreakEvenAcv(channel, plan.Economics) is { } acv
                ? $"it breaks even at an ACV of {Money(Math.Ceiling(acv), plan.Currency)}"
                : "no price makes it profitable: its commission alone costs more than the plan allows";
            yield return $"{channel.Name} is unprofitable at every price it accepts: at its max ACV of {Money(max, plan.Currency)} "
                + $"LTV/CAC is {Ratio(Planner.Ltv(max, plan.Economics) / cac)}, below {Plain(plan.Economics.MinLtvToCac)} "
                + $"({breakEven}).";
        }
    }

    static IEnumerable<string> HorizonWarnings(PlanFile plan, PlanResult result)
    {
        var timeline = result.Timeline;
        if (timeline.TimeToTargetMonths is null)
        {
            yield return TimeToTarget(plan, result);
        }

        foreach (var ((t, input), totals) in timeline.Channels.Zip(plan.Channels).Zip(result.Channels))
        {
            if (!input.IsSalesLed || t.Spend == 0)
            {
                continue;
            }

            var ramp = $"(ramp {Plain(input.RampMonths)} + cycle {(input.CycleDays / Planner.DaysPerMonth).ToString("0.#", CultureInfo.InvariantCulture)} months)";
            if (t.Customers == 0)
            {
                yield return $"{t.Name} spends {Money(t.Spend, plan.Currency)} within the horizon and wins no customers {ramp}.";
            }
            else if (t.LtvToCac is { } ratio && ratio < plan.Economics.MinLtvToCac)
            {
                var steady = t.Cac is { } cac && t.LtvToCac is { } r ? r * cac / totals.Cac : (decimal?)null;
                yield return $"{t.Name} sells for only {Math.Max(0, t.SellingMonths).ToString("0.#", CultureInfo.InvariantCulture)} of the "
                    + $"{plan.HorizonMonths} months after a hire {ramp}: over the horizon its CAC is {Money(t.Cac ?? 0, plan.Currency)} "
                    + $"and LTV/CAC {Ratio(ratio)}, below {Plain(plan.Economics.MinLtvToCac)}"
                    + (steady is { } s ? $" ({Ratio(s)} at steady state)." : ".");
            }
        }
    }

    /// <summary>
    /// More hires in one month than a startup's recruiting and onboarding usually absorb, when the plan sets no
    /// <c>max_hires_per_month</c>: the time to target then assumes a hiring pace nobody planned.
    /// </summary>
    public const int LargeHiringMonth = 5;

    /// <summary>The first month a sales-led channel with no <c>max_hires_per_month</c> hires more than <see cref="LargeHiringMonth"/>.</summary>
    public static ChannelMonth? LargeHiringMonthOf(PlanChannel channel, ChannelTimeline timeline) =>
        channel.IsSalesLed && channel.MaxHiresPerMonth is null
            ? timeline.Months.FirstOrDefault(m => m.Hires > LargeHiringMonth)
            : null;

    // A partner channel that cannot close its customers in its selling months at partners × deals per partner.
    static IEnumerable<string> PartnerWarnings(PlanFile plan, PlanResult result)
    {
        foreach (var ((channel, totals), t) in plan.Channels.Zip(result.Channels).Zip(result.Timeline.Channels))
        {
            if (totals.LacksPartners(channel))
            {
                yield return $"{channel.Name}: {People(channel.Partners ?? 0)} partners × {Plain(channel.DealsPerPartnerPerYear)} deals a year close "
                    + $"{Count(t.Customers)} of its {Count(totals.CustomersNeeded)} customers in its {Math.Max(0, t.SellingMonths).ToString("0.#", CultureInfo.InvariantCulture)} selling months; "
                    + $"it needs {People(totals.PartnersNeeded ?? 0)} partners.";
            }
        }
    }

    static IEnumerable<string> HiringWarnings(PlanFile plan, PlanResult result)
    {
        foreach (var (t, input) in result.Timeline.Channels.Zip(plan.Channels))
        {
            if (LargeHiringMonthOf(input, t) is not { } month)
            {
                continue;
            }

            yield return $"{t.Name} hires {People(month.Hires)} reps in month {month.Month} and sets no max_hires_per_month: "
                + $"recruiting and onboarding rarely absorb more than {LargeHiringMonth} a month; set it to see when the "
                + "target is reached at the pace you can hire.";
        }
    }

    // A plan that reaches its target only in its last month, and misses it when one assumption is off by the
    // sensitivity's change, has no room for that slip: name the assumptions and the shortfall.
    static IEnumerable<string> NoRoomWarnings(PlanFile plan, PlanResult result)
    {
        if (result.Timeline.TimeToTargetMonths != plan.HorizonMonths || result.Sensitivity is not { } sensitivity)
        {
            yield break;
        }

        var change = Percent(sensitivity.Change);
        var misses = sensitivity.Inputs
            .SelectMany(i => new[] { (i.Input, Sign: "−", Outcome: i.Low), (i.Input, Sign: "+", Outcome: i.High) })
            .Where(m => m.Outcome.TimeToTargetMonths is null)
            .Select(m => $"{m.Input} {m.Sign}{change} ({Money(Math.Max(0, plan.Target.NewArr - m.Outcome.NewArr), plan.Currency)} short)")
            .ToList();
        if (misses.Count > 0)
        {
            yield return $"The target is reached only in month {plan.HorizonMonths}, the last of the horizon, and is missed with "
                + $"{string.Join(", ", misses)}: the plan has no room for that slip.";
        }
    }

    static IEnumerable<string> LargeDealWarnings(PlanFile plan, Calibration calibration)
    {
        foreach (var (segment, actual) in plan.Segments.Zip(calibration.Segments))
        {
            // The segment's own largest won deal, or the workspace's when no won deal matches the segment.
            var (largest, where) = actual.LargestWon is { } own
                ? (own, "for this segment")
                : calibration.LargestWon is { } any ? (any, "in the workspace") : (0m, "");
            if (segment.ShareOfTarget == 0 || largest == 0 || segment.Acv <= LargeDealFactor * largest)
            {
                continue;
            }

            yield return $"{segment.Name}: {Percent(segment.ShareOfTarget)} of the target "
                + $"({Money(segment.ShareOfTarget * plan.Target.NewArr, plan.Currency)}) rests on {Money(segment.Acv, plan.Currency)} deals, "
                + $"{(segment.Acv / largest).ToString("0.#", CultureInfo.InvariantCulture)}× the largest won {where} in the last "
                + $"{Calibration.WindowMonths} months ({Money(largest, plan.Currency)}).";
        }
    }

    /// <summary>Each calibration flag as a sentence with both figures and the sample they rest on.</summary>
    static IEnumerable<string> CalibrationWarnings(PlanFile plan, Calibration calibration)
    {
        foreach (var c in calibration.Channels)
        {
            foreach (var flag in c.Flags)
            {
                yield return flag switch
                {
                    CalibrationFlag.WinRateOptimistic =>
                        $"{c.Name}: planned win rate {Percent(c.WinRate)}, actual {Percent(c.ActualWinRate)} ({c.Won} won, {c.Lost} lost; win_rate_optimistic).",
                    CalibrationFlag.CycleUnderestimated =>
                        $"{c.Name}: planned cycle {Days(c.CycleDays)} days, actual median {Days(c.ActualCycleDays)} days ({c.Won} won deal{(c.Won == 1 ? "" : "s")}; cycle_underestimated).",
                    CalibrationFlag.DealsPerRepOptimistic =>
                        $"{c.Name}: planned {Plain(c.DealsPerRepPerYear ?? 0)} deals per rep-year, actual {(c.ActualDealsPerRepPerYear ?? 0).ToString("0.0", CultureInfo.InvariantCulture)} "
                        + $"({c.RepYears.ToString("0.0", CultureInfo.InvariantCulture)} rep-years; deals_per_rep_optimistic).",
                    CalibrationFlag.LeadToOpportunityOptimistic =>
                        $"{c.Name}: planned lead-to-opportunity {Percent(c.LeadToOpportunity)}, actual {Percent(c.ActualLeadToOpportunity)} "
                        + $"({c.ConvertedLeads} of {c.Leads} leads; lead_to_opportunity_optimistic).",
                    _ => $"{c.Name}: {FlagName(flag)}.",
                };
            }
        }

        foreach (var s in calibration.Segments.Where(s => s.Flags.Count > 0 && s.ActualAcv is not null))
        {
            yield return $"{s.Name}: planned ACV {Money(s.Acv, plan.Currency)}, actual median {Money(s.ActualAcv!.Value, plan.Currency)} "
                + $"of {s.WonDeals} won deal{(s.WonDeals == 1 ? "" : "s")} ({string.Join(", ", s.Flags.Select(FlagName))}).";
        }
    }

    /// <summary>Each channel's assumptions beside the CRM's actual figures, then each segment's ACV beside the median won.</summary>
    public static IReadOnlyList<PlanTable> CalibrationTables(PlanFile plan, Calibration calibration)
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

            c.Flags.Count == 0 ? None : string.Join('\n', c.Flags.Select(f => Labels.Words(FlagName(f)))),
        ]).ToList();
        var segments = calibration.Segments.Select(s => (IReadOnlyList<string>)
        [
            s.Name,
            Money(s.Acv, plan.Currency),
            s.ActualAcv is { } acv ? Money(acv, plan.Currency) : None,
            s.WonDeals.ToString(CultureInfo.InvariantCulture),
            s.LargestWon is { } largest ? Money(largest, plan.Currency) : None,
            s.Flags.Count == 0 ? None : string.Join('\n', s.Flags.Select(f => Labels.Words(FlagName(f)))),
        ]).ToList();
        return
        [
            new PlanTable(
                $"Calibration: channels ({period})",
                [
                    new("Channel"), new("Won / lost", true), new("Win rate (plan)", true), new("Win rate (actual)", true),
                    new("Cycle days (plan)", true), new("Cycle days (actual median)", true),
                    new("Deals per rep-year (plan)", true), new("Deals per rep-year (actual)", true), new("Flags"),
                ],
                channels),
            new PlanTable(
                $"Calibration: leads (received {calibration.From:yyyy-MM-dd} to {calibration.AsOf.AddDays(-Calibration.LeadMaturityDays).AddTicks(-1):yyyy-MM-dd}, by route)",
                [
                    new("Channel"), new("Leads", true), new("Became deals", true), new("Lead → opportunity (plan)", true),
                    new("Lead → opportunity (actual)", true),
                ],
                [.. calibration.Channels.Where(c => c.LeadToOpportunity is not null || c.Leads > 0).Select(c => (IReadOnlyList<string>)
                [
                    c.Name, c.Leads.ToString(CultureInfo.InvariantCulture), c.ConvertedLeads.ToString(CultureInfo.InvariantCulture),
                    Percent(c.LeadToOpportunity), Percent(c.ActualLeadToOpportunity),
                ])]),
            new PlanTable(
                $"Calibration: segments (won deals in {plan.Currency}, same period)",
                [
                    new("Segment"), new("ACV (plan)", true), new("ACV (actual median)", true), new("Won deals", true),
                    new("Largest won", true), new("Flags"),
                ],
                segments),
        ];
    }

    public static string FlagName(CalibrationFlag flag) => flag switch
    {
        CalibrationFlag.CycleUnderestimated => "cycle_underestimated",
        CalibrationFlag.WinRateOptimistic => "win_rate_optimistic",
        CalibrationFlag.DealsPerRepOptimistic => "deals_per_rep_optimistic",
        CalibrationFlag.AcvAboveActual => "acv_above_actual",
        CalibrationFlag.LeadToOpportunityOptimistic => "lead_to_opportunity_optimistic",
        _ => "acv_below_actual",
    };

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

    /// <summary>A recommendation offered beside the plan, for a button or a line: what it names and what it does.</summary>
    public static string RecommendationText(PlanRecommendation r, string currency) => r.Action switch
    {
        RecommendationAction.LimitHiring => $"{r.Channel}: hire at most {People(r.Value ?? 0)} reps a month",
        RecommendationAction.FitMarket => $"{r.Segment}: plan on its accounts, {Percent(r.Value ?? 0)} of the target",
        RecommendationAction.ExtendHorizon => $"extend the horizon to {Plain(r.Value ?? 0)} months",
        RecommendationAction.AddPartners => $"{r.Channel}: sign {People(r.Value ?? 0)} partners",
        _ => $"{r.Segment}: {RecommendationText(new Recommendation(r.Action, r.Channel ?? "", r.Value), currency)}",
    };

    // A plan may call its self-service channel "webshop"; "self-service (self-service)" says nothing twice.
    static string NamedUnlessObvious(string? channel) =>
        channel is null || channel.Replace("_", "-", StringComparison.Ordinal).Equals("self-service", StringComparison.OrdinalIgnoreCase) ? "" : $" ({channel})";

    public static string KindName(ChannelKind kind) => kind switch
    {
        ChannelKind.SelfService => "self_service",
        ChannelKind.Inside => "inside",
        ChannelKind.Partner => "partner",
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

    // Reps are whole people unless attrition makes them expected values; one decimal shows both.
    private static string People(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Percent(decimal? value) =>
        value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : None;

    private static string Days(decimal? value) =>
        value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : None;
}
