using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Audit;
using Reach.Contacts;
using Reach.Deals;
using Reach.Leads;
using Reach.Pipelines;
using Reach.Products;

namespace Reach.Data;

/// <summary>
/// The one model of Reach. <see cref="SqliteReachDb"/> and <see cref="PostgresReachDb"/> only add
/// provider settings and own their migration sets.
/// </summary>
public abstract class ReachDb(DbContextOptions options, TimeProvider clock) : IdentityUserContext<User, Guid>(options)
{
    public TimeProvider Clock { get; } = clock;

    /// <summary>Who the changes saved through this context are recorded as made by; null records them as <see cref="AuditTrail.NoActor"/>.</summary>
    public Actor? Actor { get; set; }

    /// <summary>
    /// Off only while writing history that happened before Reach (the demo's generated past): the
    /// trail records changes made in Reach, and doubling a bulk load's writes would record nothing true.
    /// </summary>
    public bool RecordsAudit { get; set; } = true;

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Deal> Deals => Set<Deal>();
    public DbSet<DealStageChange> DealStageChanges => Set<DealStageChange>();
    public DbSet<DealLineItem> DealLineItems => Set<DealLineItem>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ReachDb).Assembly);
        builder.Entity<User>().ToTable("Users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("UserTokens");

        // Deleted records stay in their table so they can be restored; everything else ignores them.
        builder.Entity<Account>().HasQueryFilter(r => r.DeletedAt == null);
        builder.Entity<Contact>().HasQueryFilter(r => r.DeletedAt == null);
        builder.Entity<Lead>().HasQueryFilter(r => r.DeletedAt == null);
        builder.Entity<Deal>().HasQueryFilter(r => r.DeletedAt == null);
        builder.Entity<Product>().HasQueryFilter(r => r.DeletedAt == null);
        builder.Entity<Activity>().HasQueryFilter(r => r.DeletedAt == null);

        // Ids are made in code (time-ordered v7 UUIDs), so a new record is known by its state, never by an empty key.
        foreach (var key in builder.Model.GetEntityTypes().Select(t => t.FindPrimaryKey()).Where(k => k is { Properties: [{ ClrType: var c }] } && c == typeof(Guid)))
            key!.Properties[0].ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(Record).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(type.ClrType).Property(nameof(Record.Version)).IsConcurrencyToken();
            builder.Entity(type.ClrType).HasIndex(nameof(Record.UpdatedAt));
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC, whatever the provider hands back or the caller passed in.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Stamp();
        var audit = RecordsAudit ? AuditTrail.Capture(this, Actor, UtcNow) : [];
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch
        {
            Forget(audit);
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Stamp();
        var audit = RecordsAudit ? AuditTrail.Capture(this, Actor, UtcNow) : [];
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            Forget(audit);
            throw;
        }
    }

    // The failed save wrote none of them; a retry captures its own.
    void Forget(List<AuditEntry> audit)
    {
        foreach (var entry in audit)
            Entry(entry).State = EntityState.Detached;
    }

    void Stamp()
    {
        var now = UtcNow;
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry.Entity, entry.State)
            {
                case (Record record, EntityState.Added):
                    if (record.CreatedAt == default)
                        record.CreatedAt = now;
                    record.UpdatedAt = record.CreatedAt > now ? record.CreatedAt : now;
                    record.Version = 1;
                    break;
                case (Record record, EntityState.Modified):
                    record.UpdatedAt = now;
                    record.Version = (long)entry.Property(nameof(Record.Version)).OriginalValue! + 1;
                    break;
                case (Pipeline pipeline, EntityState.Added):
                    pipeline.CreatedAt = pipeline.UpdatedAt = now;
                    pipeline.Version = 1;
                    break;
                case (Pipeline pipeline, EntityState.Modified):
                    pipeline.UpdatedAt = now;
                    pipeline.Version = (long)entry.Property(nameof(Pipeline.Version)).OriginalValue! + 1;
                    break;
                case (User user, EntityState.Added) when user.CreatedAt == default:
                    user.CreatedAt = now;
                    break;
                default:
                    break;
            }
        }
    }
}

sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
