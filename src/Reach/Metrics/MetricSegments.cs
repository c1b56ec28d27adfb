using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Routing;

namespace Reach.Metrics;

/// <summary>
/// The segment cut: the go-to-market plan's segments, as routing wrote them on accounts and leads. A deal's segment is
/// its account's; a lead's its converted deal's account's, else its converted account's, else its own; a touch's its
/// deal's account's, else its own account's.
/// </summary>
public static class MetricSegments
{
    public const string Note = "Segments are the go-to-market plan's, as routing set them: a deal's is its account's, a lead's its account's "
        + "(else its own), a touch's its deal's or account's. Records routed to no segment are in no segment's figures.";

    /// <summary>The segments one may cut by: the active plan's, then any other a record still carries (routed by an earlier plan).</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        var router = await Rerouting.ActiveAsync(db, cancellationToken);
        var planned = router is null ? [] : router.Plan.Segments.Select(s => s.Name).ToList();
        var stored = await db.Accounts.AsNoTracking().Where(a => a.Segment != null).Select(a => a.Segment!)
            .Union(db.Leads.AsNoTracking().Where(l => l.Segment != null).Select(l => l.Segment!))
            .ToListAsync(cancellationToken);
        return [.. planned.Concat(stored.Except(planned).Order(StringComparer.Ordinal))];
    }

    /// <summary>The segment asked for, checked: one that no plan or record knows is refused, naming the ones there are.</summary>
    public static async Task<string?> ReadAsync(ReachDb db, string? asked, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(asked) ? null : Pick(await ListAsync(db, cancellationToken), asked);

    /// <summary>The segment asked for among the <paramref name="known"/> ones: the same name, else the same but for case.</summary>
    public static string? Pick(IReadOnlyList<string> known, string? asked)
    {
        if (string.IsNullOrWhiteSpace(asked))
            return null;
        var name = asked.Trim();
        var found = known.FirstOrDefault(s => s == name) ?? known.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
        return found ?? throw new InputException("segment", known.Count == 0
            ? $"'{asked}' is not a segment: no plan is active and no account or lead is routed to a segment."
            : $"'{asked}' is not a segment; segments: {string.Join(", ", known)}.");
    }
}
