using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Activities;

namespace Reach.Data;

/// <summary>
/// Deleting hides a record (and, for an account, its contacts, deals and activities, as Salesforce
/// does) until it is restored; restoring an account brings back exactly what its deletion hid.
/// </summary>
public static class SoftDelete
{
    public static async Task DeleteAsync(ReachDb db, Record record, CancellationToken cancellationToken)
    {
        var at = db.UtcNow;
        record.DeletedAt = at;
        if (record is not Account account)
            return;
        foreach (var child in await ChildrenAsync(db, account.Id, deleted: null, cancellationToken))
            child.DeletedAt = at;
    }

    public static async Task RestoreAsync(ReachDb db, Record record, CancellationToken cancellationToken)
    {
        var deletedAt = record.DeletedAt;
        if (deletedAt is null)
            return;
        record.DeletedAt = null;
        if (record is not Account account)
            return;
        foreach (var child in await ChildrenAsync(db, account.Id, deletedAt, cancellationToken))
            child.DeletedAt = null;
    }

    /// <summary>The account's live children (deleted null), or those deleted at the given instant, together with it.</summary>
    static async Task<List<Record>> ChildrenAsync(ReachDb db, Guid accountId, DateTime? deleted, CancellationToken cancellationToken)
    {
        var children = new List<Record>();
        children.AddRange(await db.Contacts.IgnoreQueryFilters().Where(c => c.AccountId == accountId && c.DeletedAt == deleted).ToListAsync(cancellationToken));
        children.AddRange(await db.Deals.IgnoreQueryFilters().Where(d => d.AccountId == accountId && d.DeletedAt == deleted).ToListAsync(cancellationToken));
        children.AddRange(await db.Set<Activity>().IgnoreQueryFilters().Where(a => a.AccountId == accountId && a.DeletedAt == deleted).ToListAsync(cancellationToken));
        return children;
    }
}
