using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Deals;

/// <summary>How long deals usually stay in a stage: the median of the stays the stage history records.</summary>
public static class StageDurations
{
    /// <summary>
    /// For each of <paramref name="stageIds"/> with finished stays since <paramref name="since"/>, the median days a deal
    /// spent there (from entering it to its next move). The whole workspace's history counts, whoever may read the deals:
    /// "usual" is the team's pace, not one rep's.
    /// </summary>
    public static async Task<Dictionary<Guid, double>> MedianDaysAsync(ReachDb db, IReadOnlyCollection<Guid> stageIds, DateTime since, CancellationToken cancellationToken)
    {
        // Every move of the deals that entered one of these stages since then, in order: a stay ends at the deal's next move.
        var entered = db.DealStageChanges.Where(c => stageIds.Contains(c.ToStageId) && c.At >= since).Select(c => c.DealId);
        var moves = await db.DealStageChanges.AsNoTracking()
            .Where(c => c.At >= since && entered.Contains(c.DealId))
            .OrderBy(c => c.DealId).ThenBy(c => c.At).ThenBy(c => c.Id)
            .Select(c => new { c.DealId, c.ToStageId, c.At })
            .ToListAsync(cancellationToken);
        var stays = stageIds.ToDictionary(s => s, _ => new List<double>());
        for (var i = 0; i + 1 < moves.Count; i++)
        {
            if (moves[i + 1].DealId != moves[i].DealId || !stays.TryGetValue(moves[i].ToStageId, out var days))
                continue;
            days.Add((moves[i + 1].At - moves[i].At).TotalDays);
        }
        return stays.Where(s => s.Value.Count > 0).ToDictionary(s => s.Key, s => Median(s.Value));
    }

    static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
