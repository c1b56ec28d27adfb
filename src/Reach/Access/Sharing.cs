using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Access;

/// <summary>Letting another user read a record: its owner, their manager or an admin may.</summary>
public static class Sharing
{
    public static async Task ShareAsync(ReachDb db, Record record, Guid userId, CancellationToken cancellationToken)
    {
        var actor = MayShare(db, record);
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.IsActive, cancellationToken))
            throw new InputException("userId", $"No active user has the id {userId}.");
        if (await db.Shares.AnyAsync(s => s.RecordId == record.Id && s.UserId == userId, cancellationToken))
            return;
        db.Shares.Add(new Share { RecordId = record.Id, UserId = userId, SharedById = actor?.UserId, CreatedAt = db.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task UnshareAsync(ReachDb db, Record record, Guid userId, CancellationToken cancellationToken)
    {
        MayShare(db, record);
        // Loaded and removed, not deleted in bulk, so the audit trail records the unshare with it.
        db.Shares.RemoveRange(await db.Shares.Where(s => s.RecordId == record.Id && s.UserId == userId).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    static Actor? MayShare(ReachDb db, Record record)
    {
        if (db.Actor is { } actor && !actor.AnswersFor(record.OwnerId))
            throw new AccessDeniedException("Only the record's owner, their manager or an admin shares it.");
        return db.Actor;
    }
}
