namespace Reach.Planning;

/// <summary>
/// A recommendation applied to the plan, giving a second plan to set beside the first (docs/planner.md, "Scenarios").
/// Every recommendation the planner offers (<see cref="Offered"/>) applies: <c>raise_price</c> sets the segment's ACV
/// to the recommended price (rounded up); <c>service_charge</c> adds the one-off fee to its LTV;
/// <c>push_to_self_service</c> and <c>extend_channel</c> widen the named channel's ACV range to take it;
/// <c>limit_hiring</c> sets the channel's <c>max_hires_per_month</c>; <c>add_partners</c> its <c>partners</c>; <c>fit_market</c> lowers the segment's share to
/// what its accounts can bring; <c>extend_horizon</c> sets <c>horizon_months</c>.
/// </summary>
public static class Scenarios
{
    /// <summary>The action names, as the plan file, <c>--apply</c> and the JSON spell them.</summary>
    public static readonly string[] ActionNames = [.. Enum.GetValues<RecommendationAction>().Select(Name)];

    /// <summary>How many months beyond the horizon <c>extend_horizon</c> looks for one that reaches the target.</summary>
    public const int MaxHorizonExtension = 36;

    public static string Name(RecommendationAction action) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(action.ToString());

    /// <summary>
    /// The action and the name of <c>raise_price:single-store</c> (a segment; a channel for <c>limit_hiring</c>; none
    /// for <c>extend_horizon</c>, written alone); a null action when the text is not one.
    /// </summary>
    public static (RecommendationAction? Action, string Name) Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var head = colon < 0 ? text : text[..colon];
        var index = Array.IndexOf(ActionNames, head);
        return (index < 0 ? null : (RecommendationAction)index, colon < 0 ? "" : text[(colon + 1)..]);
    }

    public static string Text(RecommendationAction action, string? name) =>
        name is null ? Name(action) : Name(action) + ":" + name;

    /// <summary>
    /// Why a scenario entry cannot be read against these segments and channels (an unknown action, or a name the plan
    /// does not have); null when it can. The plan file's <c>scenario</c> and <c>--apply</c> both check with it.
    /// </summary>
    public static string? Problem(string text, IReadOnlyList<PlanSegment> segments, IReadOnlyList<PlanChannel> channels)
    {
        var (action, name) = Parse(text);
        return action switch
        {
            null => $"expected ACTION:SEGMENT, limit_hiring:CHANNEL, add_partners:CHANNEL or extend_horizon, with ACTION one of {string.Join(", ", ActionNames)}, got {text}",
            RecommendationAction.ExtendHorizon => text.Contains(':', StringComparison.Ordinal) ? $"extend_horizon names nothing: write it alone, got {text}" : null,
            RecommendationAction.LimitHiring or RecommendationAction.AddPartners => channels.Any(c => c.Name == name) ? null : $"no channel named '{name}'",
            _ => segments.Any(s => s.Name == name) ? null : $"no segment named '{name}'",
        };
    }

    /// <summary>
    /// Every recommendation of the plan, each with its scenario entry: the dead-zone segments' own (PLANNER.md), then
    /// one for each warning that a change of the plan's inputs answers — a segment flagged <c>market_too_small</c>
    /// (<c>fit_market</c>, value the share its accounts can bring), a channel hiring more than
    /// <see cref="PlanReport.LargeHiringMonth"/> reps in a month with no limit (<c>limit_hiring</c>, value that
    /// limit), a partner channel with fewer partners than it needs (<c>add_partners</c>, value <c>partners_needed</c>),
    /// a target not reached within the horizon (<c>extend_horizon</c>, value the shortest horizon, at most
    /// <see cref="MaxHorizonExtension"/> months longer, that reaches it; none when no such horizon does).
    /// </summary>
    public static IReadOnlyList<PlanRecommendation> Offered(PlanFile plan, PlanResult result)
    {
        var offered = new List<PlanRecommendation>();
        foreach (var (s, input) in result.Segments.Zip(plan.Segments))
        {
            offered.AddRange(s.Recommendations.Select(r => new PlanRecommendation(Text(r.Action, s.Name), r.Action, s.Name, r.Channel, r.Value)));
            if (s.Flags.Contains(SegmentFlag.MarketTooSmall))
            {
                offered.Add(new(Text(RecommendationAction.FitMarket, s.Name), RecommendationAction.FitMarket, s.Name, s.Fit, MarketShare(plan, input)));
            }
        }

        foreach (var ((channel, timeline), totals) in plan.Channels.Zip(result.Timeline.Channels).Zip(result.Channels))
        {
            if (PlanReport.LargeHiringMonthOf(channel, timeline) is not null)
            {
                offered.Add(new(Text(RecommendationAction.LimitHiring, channel.Name), RecommendationAction.LimitHiring, null, channel.Name, PlanReport.LargeHiringMonth));
            }

            if (totals.LacksPartners(channel))
            {
                offered.Add(new(Text(RecommendationAction.AddPartners, channel.Name), RecommendationAction.AddPartners, null, channel.Name, totals.PartnersNeeded));
            }
        }

        if (result.Timeline.TimeToTargetMonths is null && HorizonReachingTarget(plan) is { } horizon)
        {
            offered.Add(new(Text(RecommendationAction.ExtendHorizon, null), RecommendationAction.ExtendHorizon, null, null, horizon));
        }

        return offered;
    }

    /// <summary>The plan's scenario (its <c>scenario</c> list) evaluated; null when it has none.</summary>
    public static ScenarioResult? Evaluate(PlanFile plan, PlanResult result, IReadOnlyList<PlanRecommendation> offered)
    {
        if (plan.Scenario.Count == 0)
        {
            return null;
        }

        var notes = new List<string>();
        var changed = plan with { Scenario = [] };
        foreach (var text in plan.Scenario)
        {
            if (offered.FirstOrDefault(o => o.Apply == text) is { } recommendation)
            {
                changed = Apply(changed, recommendation);
            }
            else
            {
                notes.Add($"{text}: {NotOffered(plan, text)}; not applied.");
            }
        }

        var scenario = Planner.Evaluate(changed);

        // Seed 004: pushed to self-service, "some will be lost". The scenario counts every buyer as won, so say what each
        // tenth of them who wanted a salesperson and walked away costs the target.
        foreach (var text in plan.Scenario)
        {
            if (Parse(text) is (RecommendationAction.PushToSelfService, var name)
                && scenario.Segments.FirstOrDefault(s => s.Name == name) is { Fit: { } fit, CustomersNeeded: { } customers } pushed)
            {
                notes.Add($"{text} counts all {customers.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} of {name}'s buyers as won through {fit}; many of them expect to talk to "
                    + $"someone first, and each 10% who walk away is {PlanReport.Money(customers * pushed.Acv / 10, plan.Currency)} of the target.");
            }
        }

        return new ScenarioResult(plan.Scenario, changed, scenario, Differences(plan, result, changed, scenario), notes);
    }

    // The share of the target a segment's accounts can bring, accounts × acv / new_arr, cut (not rounded) at 12
    // decimals so that N = ceil(new_arr × share / acv) comes back to the accounts, never one above.
    private static decimal MarketShare(PlanFile plan, PlanSegment segment) =>
        Math.Round(segment.Accounts * segment.Acv / plan.Target.NewArr, 12, MidpointRounding.ToZero);

    // The shortest horizon that reaches the target, searched month by month: a longer horizon sizes fewer reps, so
    // reaching the target is not monotonic in it and bisection could miss the first one.
    private static int? HorizonReachingTarget(PlanFile plan)
    {
        for (var horizon = plan.HorizonMonths + 1; horizon <= plan.HorizonMonths + MaxHorizonExtension; horizon++)
        {
            if (Planner.Evaluate(plan with { HorizonMonths = horizon, Scenario = [] }).Timeline.TimeToTargetMonths is not null)
            {
                return horizon;
            }
        }

        return null;
    }

    private static string NotOffered(PlanFile plan, string text) => Parse(text) switch
    {
        (RecommendationAction.LimitHiring, var channel) =>
            $"{channel} hires no more than {PlanReport.LargeHiringMonth} reps in a month, or already has max_hires_per_month",
        (RecommendationAction.AddPartners, var channel) => $"{channel} is no partner channel with fewer partners than it needs",
        (RecommendationAction.FitMarket, var segment) => $"{segment} has at least the customers it needs (not market_too_small)",
        (RecommendationAction.ExtendHorizon, _) => $"the target is reached within the horizon, or no horizon up to {plan.HorizonMonths + MaxHorizonExtension} months reaches it",
        (_, var segment) => $"{segment} has no such recommendation (only a segment in a dead zone has them)",
    };

    private static PlanFile Apply(PlanFile plan, PlanRecommendation recommendation)
    {
        var segmentName = recommendation.Segment;
        switch (recommendation.Action)
        {
            case RecommendationAction.RaisePrice when recommendation.Value is { } price:
                return plan with
                {
                    Segments = [.. plan.Segments.Select(s => s.Name == segmentName ? s with { Acv = Math.Ceiling(price) } : s)],
                };
            case RecommendationAction.ServiceCharge when recommendation.Value is { } fee:
                return plan with
                {
                    Segments = [.. plan.Segments.Select(s => s.Name == segmentName ? s with { ServiceCharge = s.ServiceCharge + Math.Ceiling(fee) } : s)],
                };
            case RecommendationAction.FitMarket when recommendation.Value is { } share:
                return plan with
                {
                    Segments = [.. plan.Segments.Select(s => s.Name == segmentName ? s with { ShareOfTarget = share } : s)],
                };
            case RecommendationAction.PushToSelfService or RecommendationAction.ExtendChannel:
                var acv = plan.Segments.First(s => s.Name == segmentName).Acv;
                return plan with
                {
                    Channels = [.. plan.Channels.Select(c => c.Name != recommendation.Channel ? c : c with
                    {
                        MinAcv = c.MinAcv > acv ? acv : c.MinAcv,
                        MaxAcv = c.MaxAcv < acv ? acv : c.MaxAcv,
                    })],
                };
            case RecommendationAction.LimitHiring when recommendation.Value is { } limit:
                return plan with
                {
                    Channels = [.. plan.Channels.Select(c => c.Name == recommendation.Channel ? c with { MaxHiresPerMonth = limit } : c)],
                };
            case RecommendationAction.AddPartners when recommendation.Value is { } partners:
                return plan with
                {
                    Channels = [.. plan.Channels.Select(c => c.Name == recommendation.Channel ? c with { Partners = partners } : c)],
                };
            case RecommendationAction.ExtendHorizon when recommendation.Value is { } horizon:
                return plan with { HorizonMonths = (int)horizon };
            default:
                return plan;
        }
    }

    private static List<ScenarioDifference> Differences(PlanFile plan, PlanResult before, PlanFile changed, PlanResult after)
    {
        var differences = new List<ScenarioDifference>
        {
            new("target_share_in_dead_zones", before.TargetShareInDeadZones, after.TargetShareInDeadZones),
            new("reps_needed", before.Channels.Sum(c => c.RepsNeeded), after.Channels.Sum(c => c.RepsNeeded)),
            new("customers", before.Timeline.Customers, after.Timeline.Customers),
            new("new_arr", before.Timeline.NewArr, after.Timeline.NewArr),
            new("shortfall", before.Timeline.Shortfall, after.Timeline.Shortfall),
            new("time_to_target_months", before.Timeline.TimeToTargetMonths, after.Timeline.TimeToTargetMonths),
            new("spend", before.Timeline.Spend, after.Timeline.Spend),
            new("cac", before.Timeline.Cac, after.Timeline.Cac),
            new("ltv_to_cac", before.Timeline.LtvToCac, after.Timeline.LtvToCac),
        };
        foreach (var (b, a) in before.Channels.Zip(after.Channels))
        {
            differences.Add(new($"{b.Name}.reps_needed", b.RepsNeeded, a.RepsNeeded));
            differences.Add(new($"{b.Name}.customers_needed", b.CustomersNeeded, a.CustomersNeeded));
        }

        foreach (var (b, a) in plan.Segments.Zip(changed.Segments))
        {
            if (b.Acv != a.Acv)
            {
                differences.Add(new($"{b.Name}.acv", b.Acv, a.Acv));
            }

            if (b.ShareOfTarget != a.ShareOfTarget)
            {
                differences.Add(new($"{b.Name}.share_of_target", b.ShareOfTarget, a.ShareOfTarget));
            }
        }

        foreach (var (b, a) in plan.Channels.Zip(changed.Channels))
        {
            if (b.MaxHiresPerMonth != a.MaxHiresPerMonth)
            {
                differences.Add(new($"{b.Name}.max_hires_per_month", b.MaxHiresPerMonth, a.MaxHiresPerMonth));
            }

            if (b.Partners != a.Partners)
            {
                differences.Add(new($"{b.Name}.partners", b.Partners, a.Partners));
            }
        }

        if (plan.HorizonMonths != changed.HorizonMonths)
        {
            differences.Add(new("horizon_months", plan.HorizonMonths, changed.HorizonMonths));
        }

        return differences;
    }
}

/// <summary>
/// A scenario: the actions applied (those that did not apply are in <c>Notes</c>), the changed plan's result, and the
/// headline figures before and after (<c>Changed</c> marks the ones that moved).
/// </summary>
public sealed record ScenarioResult(
    IReadOnlyList<string> Applied,
    [property: System.Text.Json.Serialization.JsonIgnore] PlanFile Plan,
    PlanResult Result,
    IReadOnlyList<ScenarioDifference> Differences,
    IReadOnlyList<string> Notes);

/// <summary>One figure of the plan and of the scenario; null means "not within the horizon" or "does not apply".</summary>
public sealed record ScenarioDifference(string Figure, decimal? Plan, decimal? Scenario)
{
    public bool Changed => Plan != Scenario;
}
