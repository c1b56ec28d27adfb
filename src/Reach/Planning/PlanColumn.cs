namespace Reach.Planning;

/// <summary>A column of a <see cref="PlanTable"/>: numeric ones are right-aligned wherever the table is shown.</summary>
public sealed record PlanColumn(string Header, bool Numeric = false);
