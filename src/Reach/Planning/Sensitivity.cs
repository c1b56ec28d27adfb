namespace Reach.Planning;

/// <summary>
/// How the plan moves when one assumption is off by ±<see cref="PlanFile.Sensitivity"/> (20% unless the plan says):
/// win rate, sales cycle, ACV, deals per rep, cost per lead and ramp, each changed across every channel (or segment)
/// while the rest stays, and the whole plan evaluated again (docs/planner.md, "Sensitivity").
/// </summary>
public static class Sensitivity
{
    public const decimal DefaultChange = 0.2m;

    public static readonly string[] Inputs = ["win_rate", "cycle_days", "acv", "deals_per_rep_per_year", "cost_per_lead", "ramp_months"];

    public static SensitivityResult Compute(PlanFile plan, PlanResult result)
    {
        var change = plan.Sensitivity;
        var rows = Inputs.Select(input => new SensitivityRow(
                input,
                Outcome(Planner.Evaluate(Scale(plan, input, 1 - change))),
                Outcome(Planner.Evaluate(Scale(plan, input, 1 + change)))))
            .ToList();
        return new SensitivityResult(change, Outcome(result), rows);
    }

    private static SensitivityOutcome Outcome(PlanResult result) => new(
        result.Channels.Sum(c => c.RepsNeeded),
        result.Timeline.Spend,
        result.Timeline.TimeToTargetMonths,
        result.Timeline.NewArr);

    // A win rate scaled above 1 stays at 1: a deal cannot be won more than once.
    private static PlanFile Scale(PlanFile plan, string input, decimal factor) => input switch
    {
        "acv" => plan with { Segments = [.. plan.Segments.Select(s => s with { Acv = s.Acv * factor })] },
        _ => plan with
        {
            Channels = [.. plan.Channels.Select(c => input switch
            {
                "win_rate" when c.IsSalesLed => c with { WinRate = Math.Min(1, c.WinRate * factor) },
                "cycle_days" => c with { CycleDays = c.CycleDays * factor },
                "deals_per_rep_per_year" when c.IsSalesLed => c with { DealsPerRepPerYear = c.DealsPerRepPerYear * factor },
                "cost_per_lead" when c.IsSalesLed => c with { CostPerLead = c.CostPerLead * factor },
                "ramp_months" when c.IsSalesLed || c.IsPartner => c with { RampMonths = c.RampMonths * factor },
                _ => c,
            })],
        },
    };
}

/// <summary>The plan's reps, spend and time to target as planned, and for each assumption down and up.</summary>
public sealed record SensitivityResult(decimal Change, SensitivityOutcome Baseline, IReadOnlyList<SensitivityRow> Inputs);

/// <summary>One assumption scaled by 1 − change (<c>Low</c>) and by 1 + change (<c>High</c>).</summary>
public sealed record SensitivityRow(string Input, SensitivityOutcome Low, SensitivityOutcome High);

/// <summary>Reps needed (all channels), spend over the horizon, the month the target is reached (null: not), new ARR.</summary>
public sealed record SensitivityOutcome(decimal Reps, decimal Spend, int? TimeToTargetMonths, decimal NewArr);
