using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Access;

/// <summary>The names of users by id, for the owner or author column of a list: one query for a page's rows.</summary>
public static class UserNames
{
    public static async Task<Dictionary<Guid, string>> OfAsync(ReachDb db, IEnumerable<Guid?> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.OfType<Guid>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
    }
}
