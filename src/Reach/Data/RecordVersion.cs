using Microsoft.EntityFrameworkCore;

namespace Reach.Data;

/// <summary>
/// Optimistic concurrency, written once for the API (If-Match and the ETag), the edit pages (the form's version) and the
/// board: a save carries the version its user last saw, and the database refuses it when the record moved on since, so
/// a write racing ours is caught too. <see cref="ReachDb"/> increments <see cref="Record.Version"/> on every save.
/// </summary>
public static class RecordVersion
{
    /// <summary>Saves the pending changes if <paramref name="record"/> is still at the version <paramref name="seen"/>.</summary>
    /// <returns>False when someone saved the record after that version: nothing was written.</returns>
    public static async Task<bool> SaveIfUnchangedAsync(this ReachDb db, Record record, long seen, CancellationToken cancellationToken)
    {
        db.Entry(record).Property(r => r.Version).OriginalValue = seen;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>What an edit form says when its record changed since it was opened (the form keeps the user's changes).</summary>
    public static InputException Stale(string what) =>
        new("version", $"Someone changed this {what} since you opened it. Your changes are still in the form: reload in another tab to compare, then save again.");
}
