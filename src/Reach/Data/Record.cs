namespace Reach.Data;

/// <summary>
/// What every CRM record shares: a time-ordered id, an owner, timestamps, a version for optimistic
/// concurrency and a soft-delete marker so a deleted record can be restored.
/// </summary>
public abstract class Record
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? OwnerId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    /// <summary>Incremented on every save; sent as the ETag and checked against If-Match.</summary>
    public long Version { get; set; }
}
