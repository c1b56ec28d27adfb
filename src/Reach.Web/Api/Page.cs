namespace Reach.Web.Api;

/// <summary>One page of a list and the cursor of the next (none on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
