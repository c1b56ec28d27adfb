namespace Reach.Usage;

/// <summary>
/// The product-qualified score of an account, 0–100, from four parts a rep can read: how many use the product weekly
/// (40), how much of the company that is (30), whether it grows (20) and how many come back daily (10).
/// </summary>
public static class UsageScore
{
    public static (int Score, List<ScorePart> Parts) Of(UsageFigures.Counts c)
    {
        var parts = new List<ScorePart>
        {
            new("weekly_active_users", Math.Min(40, c.Weekly * 4), 40, $"{c.Weekly} weekly active user{(c.Weekly == 1 ? "" : "s")} (4 points each, up to 10)"),
            c.SharePercent is { } share
                ? new("employee_share", (int)Math.Min(30m, Math.Round(share * 3m)), 30, $"{UsageFigures.Percent(share)} of {c.Employees} employees (3 points a percent, up to 10 %)")
                : new("employee_share", 0, 30, "employees unknown: no share"),
            c.GrowthPercent is { } growth
                ? new("growth", growth <= 0 ? 0 : (int)Math.Min(20m, Math.Round(growth / 5m)), 20,
                    $"{(growth >= 0 ? "+" : "")}{UsageFigures.Percent(growth)} on the 7 days before ({c.PreviousWeekly} → {c.Weekly}; a point per 5 %, up to +100 %)")
                : new("growth", c.Weekly > 0 ? 10 : 0, 20, c.Weekly > 0 ? $"new this week: nobody the 7 days before, {c.Weekly} now" : "no use in the last 14 days"),
            c.Monthly > 0
                ? new("stickiness", (int)Math.Min(10m, Math.Round(c.Daily * 20m / c.Monthly)), 10,
                    $"{c.Daily} of {c.Monthly} monthly users active in the last day ({UsageFigures.Percent(Math.Round(c.Daily * 100m / c.Monthly, 1))}; 50 % gives 10)")
                : new("stickiness", 0, 10, "no use in the last 30 days"),
        };
        return (parts.Sum(p => p.Points), parts);
    }
}
