namespace Reach.Planning;

/// <summary>
/// A table of a plan's figures rounded for people (<see cref="PlanReport"/>); cells may hold several lines. The terminal,
/// the HTML report and the planner page render it. A metrics report's table is another shape
/// (<see cref="Reach.Metrics.Reports.ReportTable"/>: empty cells, numbers found by their text).
/// </summary>
public sealed record PlanTable(string Title, IReadOnlyList<PlanColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);
