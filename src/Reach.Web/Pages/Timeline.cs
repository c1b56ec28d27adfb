using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>Who wrote the activities of a timeline: their owner (the user who logged them, unless handed on).</summary>
public static class Timeline
{
    public static async Task<Dictionary<Guid, string>> AuthorsAsync(ReachDb db, IEnumerable<Activity> activities, CancellationToken cancellationToken)
    {
        var ids = activities.Where(a => a.OwnerId != null).Select(a => a.OwnerId!.Value).Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
    }
}
