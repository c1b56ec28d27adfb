using Reach.Access;
using Reach.Activities;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>Who wrote the activities of a timeline: their owner (the user who logged them, unless handed on).</summary>
public static class Timeline
{
    public static async Task<Dictionary<Guid, string>> AuthorsAsync(ReachDb db, IEnumerable<Activity> activities, CancellationToken cancellationToken)
    {
        return await UserNames.OfAsync(db, activities.Select(a => a.OwnerId), cancellationToken);
    }
}
