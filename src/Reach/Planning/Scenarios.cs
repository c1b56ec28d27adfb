namespace Reach.Planning;

/// <summary>
/// A dead-zone recommendation applied to the plan, giving a second plan to set beside the first (docs/planner.md,
/// "Scenarios"). Each action is <c>action:segment</c> and follows the segment's own recommendation:
/// <c>raise_price</c> sets its ACV to the recommended price (rounded up); <c>service_charge</c> adds the one-off fee to
/// its LTV; <c>push_to_self_service</c> and <c>extend_channel</c> widen the named channel's ACV range to take it.
/// </summary>
public static class Scenarios
{
    public static readonly string[] ActionNames = ["push_to_self_service", "raise_price", "service_charge", "extend_channel"];

    /// <summary>The action and segment of <c>raise_price:single-store</c>; a null action when the text is not one.</summary>
    public static (RecommendationAction? Action, string Segment) Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, "");
        }

        RecommendationAction? action = text[..colon] switch
        {
            "push_to_self_service" => RecommendationAction.PushToSelfService,
            "raise_price" => RecommendationAction.RaisePrice,
            "service_charge" => RecommendationAction.ServiceCharge,
            "extend_channel" => RecommendationAction.ExtendChannel,
            _ => null,
        };
        return (action, text[(colon + 1)..]);
    }

    public static string Text(RecommendationAction action, string segment) =>
        ActionNames[(int)action] + ":" + segment;

    /// <summary>The plan's scenario (its <c>scenario</c> list) evaluated; null when the plan has none.</summary>
    public static ScenarioResult? Evaluate(PlanFile plan, PlanResult result)
    {
        if (plan.Scenario.Count == 0)
        {
            return null;
        }

        var notes = new List<string>();
        var changed = plan with { Scenario = [] };
        foreach (var text in plan.Scenario)
        {
            var (action, name) = Parse(text);
            var segment = result.Segments.FirstOrDefault(s => s.Name == name);
            var recommendation = segment?.Recommendations.FirstOrDefault(r => r.Action == action);
            if (action is null || segment is null || recommendation is null)
            {
                notes.Add($"{text}: {name} has no such recommendation (only a segment in a dead zone has them); not applied.");
                continue;
            }

            changed = Apply(changed, name, recommendation);
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

    private static PlanFile Apply(PlanFile plan, string segmentName, Recommendation recommendation)
    {
        var segment = plan.Segments.First(s => s.Name == segmentName);
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
            case RecommendationAction.PushToSelfService or RecommendationAction.ExtendChannel:
                return plan with
                {
                    Channels = [.. plan.Channels.Select(c => c.Name != recommendation.Channel ? c : c with
                    {
                        MinAcv = c.MinAcv > segment.Acv ? segment.Acv : c.MinAcv,
                        MaxAcv = c.MaxAcv < segment.Acv ? segment.Acv : c.MaxAcv,
                    })],
                };
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
