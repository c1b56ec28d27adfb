using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reach.Access;
using Reach.Data;
using Reach.Pipelines;
using Reach.Planning;

namespace Reach.Audit;

/// <summary>
/// Turns what a SaveChanges is about to write into audit entries that are saved with it, in the same
/// transaction: a change is never stored without its entry, nor an entry without its change.
/// </summary>
public static class AuditTrail
{
    /// <summary>The actor name recorded when no actor is set (startup seeding, requests before sign-in exists).</summary>
    public const string NoActor = "system";

    // Stamped on every save; recording them would only repeat the entry's own time.
    static readonly HashSet<string> Stamped = [nameof(Record.Version), nameof(Record.UpdatedAt)];

    // Values as the API writes them, so a trail reads like the records it describes.
    static readonly JsonSerializerOptions ValueOptions = new()
    {
        Converters = { new JsonStringEnumConverter(EnumNames.Policy) },
    };

    public static bool IsAudited(Type type) =>
        typeof(Record).IsAssignableFrom(type) || type == typeof(Pipeline) || type == typeof(Stage) || type == typeof(PlanVersion) || type == typeof(Share)
        || type == typeof(User) || type == typeof(Team) || type == typeof(ApiToken) || type == typeof(WorkspaceSettings)
        || type == typeof(Deals.DealContact) || type == typeof(Deals.DealLineItem) || type == typeof(Deals.LostReason)
        || type == typeof(Expansion.Reference) || type == typeof(Usage.UsageCrossing);

    // A user's row also holds Identity's secrets and sign-in bookkeeping (hash, stamp, failed attempts): the trail
    // records only what an admin changes. A token's hash and stamp are secrets, and its last use is not a change.
    static readonly HashSet<string> UserFields =
        [nameof(User.Name), nameof(User.Email), nameof(User.Role), nameof(User.TeamId), nameof(User.Channel), nameof(User.IsActive), nameof(User.DisabledAt)];

    static readonly HashSet<string> TokenSecrets = [nameof(ApiToken.Hash), nameof(ApiToken.UserStamp), nameof(ApiToken.LastUsedAt)];

    static bool Recorded(object entity, string property) => entity switch
    {
        User => UserFields.Contains(property),
        ApiToken => !TokenSecrets.Contains(property),
        WorkspaceSettings => property != nameof(WorkspaceSettings.UpdatedAt),
        _ => true,
    };

    /// <summary>How entries name an entity type: as the API does in camelCase (account, deal, stage…).</summary>
    public static string TypeName(Type type) => JsonNamingPolicy.CamelCase.ConvertName(type.Name);

    /// <summary>
    /// Refuses any edit of the trail, then adds an entry for each audited entity about to be saved.
    /// Returns the entries so a failed save can take them back and a retry does not record twice.
    /// </summary>
    public static List<AuditEntry> Capture(DbContext db, Actor? actor, DateTime now)
    {
        var tracked = db.ChangeTracker.Entries().ToList();
        if (tracked.FirstOrDefault(e => e.Entity is AuditEntry && e.State is EntityState.Modified or EntityState.Deleted) is { } edit)
            throw new InvalidOperationException($"The audit trail cannot be changed: entry {((AuditEntry)edit.Entity).Id} is marked {edit.State}.");

        var entries = new List<AuditEntry>();
        foreach (var entry in tracked.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && IsAudited(e.Metadata.ClrType)))
        {
            var changes = Changes(entry);
            // A save that only touched unaudited fields (or set a field to its own value) has nothing to say.
            if (entry.State == EntityState.Modified && changes.Count == 0)
                continue;
            entries.Add(new AuditEntry
            {
                At = now,
                ActorId = actor?.UserId,
                ActorName = actor?.Name ?? NoActor,
                Action = ActionOf(entry),
                EntityType = TypeName(entry.Metadata.ClrType),
                EntityId = entry.Entity switch
                {
                    Record r => r.Id,
                    Pipeline p => p.Id,
                    Stage s => s.Id,
                    PlanVersion v => v.Id,
                    User u => u.Id,
                    Team t => t.Id,
                    ApiToken t => t.Id,
                    WorkspaceSettings w => w.Id,
                    // A share belongs to the record's history, where its owner and managers look for it; so do a
                    // deal's contacts and line items (the entry's type says which part changed).
                    Share s => s.RecordId,
                    Deals.DealContact c => c.DealId,
                    Deals.DealLineItem i => i.DealId,
                    Deals.LostReason r => r.Id,
                    // Consent to be a reference is part of its account's history (an ask is its task's).
                    Expansion.Reference r => r.AccountId,
                    // So is the moment its usage crossed the threshold and opened an expansion deal.
                    Usage.UsageCrossing c => c.AccountId,
                    _ => throw new InvalidOperationException($"{entry.Metadata.ClrType.Name} is not audited."),
                },
                Changes = changes.ToJsonString(),
            });
        }
        db.AddRange(entries);
        return entries;
    }

    static JsonObject Changes(EntityEntry entry)
    {
        var changes = new JsonObject();
        foreach (var property in entry.Properties)
        {
            if (property.Metadata.IsPrimaryKey() || Stamped.Contains(property.Metadata.Name) || !Recorded(entry.Entity, property.Metadata.Name))
                continue;
            var (before, after) = entry.State switch
            {
                EntityState.Added => ((object?)null, property.CurrentValue),
                EntityState.Deleted => (property.OriginalValue, null),
                _ when property.IsModified => (property.OriginalValue, property.CurrentValue),
                _ => (null, null),
            };
            if (Equals(before, after))
                continue;
            changes[JsonNamingPolicy.CamelCase.ConvertName(property.Metadata.Name)] = new JsonObject
            {
                ["before"] = Value(before),
                ["after"] = Value(after),
            };
        }
        // An edit of a deal's contact or line item names which contact or product it was about, or the entry could not say.
        var part = entry.Entity switch { Deals.DealContact => nameof(Deals.DealContact.ContactId), Deals.DealLineItem => nameof(Deals.DealLineItem.ProductId), _ => null };
        if (entry.State == EntityState.Modified && changes.Count > 0 && part is not null && !changes.ContainsKey(JsonNamingPolicy.CamelCase.ConvertName(part)))
        {
            var value = entry.Property(part).CurrentValue;
            changes[JsonNamingPolicy.CamelCase.ConvertName(part)] = new JsonObject { ["before"] = Value(value), ["after"] = Value(value) };
        }
        return changes;
    }

    // Soft delete and restore are updates of DeletedAt to the database, but not to the people reading the trail.
    static AuditAction ActionOf(EntityEntry entry)
    {
        if (entry.Entity is Share)
            return entry.State == EntityState.Added ? AuditAction.Share : AuditAction.Unshare;
        if (entry.State == EntityState.Added)
            return AuditAction.Create;
        if (entry.State == EntityState.Deleted)
            return AuditAction.Delete;
        if (entry.Entity is Record && entry.Property(nameof(Record.DeletedAt)) is { IsModified: true } deletedAt)
        {
            if (deletedAt.OriginalValue is null && deletedAt.CurrentValue is not null)
                return AuditAction.Delete;
            if (deletedAt.OriginalValue is not null && deletedAt.CurrentValue is null)
                return AuditAction.Restore;
        }
        return AuditAction.Update;
    }

    static JsonNode? Value(object? value) => value switch
    {
        null => null,
        // PostgreSQL keeps microseconds, not .NET's 100 ns ticks: record instants as every provider stores them.
        DateTime t => JsonValue.Create(t.AddTicks(-(t.Ticks % 10))),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), ValueOptions),
    };
}
