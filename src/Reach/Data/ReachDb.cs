using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Audit;
using Reach.Contacts;
using Reach.Deals;
using Reach.Leads;
using Reach.Metrics;
using Reach.Metrics.Rollups;
using Reach.Outreach;
using Reach.Pipelines;
using Reach.Planning;
using Reach.Products;
using Reach.Routing;

namespace Reach.Data;

/// <summary>
/// The one model of Reach. <see cref="SqliteReachDb"/> and <see cref="PostgresReachDb"/> only add
/// provider settings and own their migration sets.
/// </summary>
public abstract class ReachDb(DbContextOptions options, TimeProvider clock) : IdentityUserContext<User, Guid>(options)
{
    public TimeProvider Clock { get; private set; } = clock;

    /// <summary>
    /// Readies a context taken from EF's pool for a new request: the request's clock, no actor (the access middleware
    /// sets it), the audit trail on. Whatever the last request set on it is gone.
    /// </summary>
    internal void Lease(TimeProvider clock)
    {
        Clock = clock;
        Actor = null;
        RecordsAudit = true;
    }

    /// <summary>Who the changes saved through this context are recorded as made by; null records them as <see cref="AuditTrail.NoActor"/>.</summary>
    public Actor? Actor { get; set; }

    /// <summary>
    /// Off only while writing history that happened before Reach (the demo's generated past): the
    /// trail records changes made in Reach, and doubling a bulk load's writes would record nothing true.
    /// </summary>
    public bool RecordsAudit { get; set; } = true;

    /// <summary>
    /// Another context on the same database for the same actor (so the same access filters), with its own connection:
    /// for reads that run at the same time as this context's (a context serves one operation at a time).
    /// </summary>
    public ReachDb Sibling()
    {
        var sibling = CreateSibling();
        sibling.Actor = Actor;
        return sibling;
    }

    private protected abstract ReachDb CreateSibling();

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<WorkspaceSettings> WorkspaceSettings => Set<WorkspaceSettings>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Deal> Deals => Set<Deal>();
    public DbSet<DealStageChange> DealStageChanges => Set<DealStageChange>();
    public DbSet<DealLineItem> DealLineItems => Set<DealLineItem>();
    public DbSet<DealContact> DealContacts => Set<DealContact>();
    public DbSet<LostReason> LostReasons => Set<LostReason>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<Stage> Stages => Set<Stage>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<SignInSession> SignInSessions => Set<SignInSession>();
    public DbSet<Share> Shares => Set<Share>();
    public DbSet<ProtectionKey> ProtectionKeys => Set<ProtectionKey>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<ChannelCost> ChannelCosts => Set<ChannelCost>();
    public DbSet<ExchangeRate> ExchangeRates => Set<ExchangeRate>();
    public DbSet<Reach.Imports.ImportMapping> ImportMappings => Set<Reach.Imports.ImportMapping>();
    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();
    public DbSet<MailAccount> MailAccounts => Set<MailAccount>();
    public DbSet<Sequence> Sequences => Set<Sequence>();
    public DbSet<SequenceStep> SequenceSteps => Set<SequenceStep>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<EnrolmentStep> EnrolmentSteps => Set<EnrolmentStep>();
    public DbSet<Reach.Metrics.Reports.ReportSchedule> ReportSchedules => Set<Reach.Metrics.Reports.ReportSchedule>();
    public DbSet<Reach.Metrics.Reports.ReportDelivery> ReportDeliveries => Set<Reach.Metrics.Reports.ReportDelivery>();
    public DbSet<DripTrack> DripTracks => Set<DripTrack>();
    public DbSet<DripSend> DripSends => Set<DripSend>();
    public DbSet<MetricRollup> MetricRollups => Set<MetricRollup>();
    public DbSet<MetricRollupDay> MetricRollupDays => Set<MetricRollupDay>();
    public DbSet<Reach.Playbook.PlaybookItem> PlaybookItems => Set<Reach.Playbook.PlaybookItem>();
    public DbSet<Reach.Playbook.PlaybookItemVersion> PlaybookItemVersions => Set<Reach.Playbook.PlaybookItemVersion>();
    public DbSet<Reach.Playbook.Competitor> Competitors => Set<Reach.Playbook.Competitor>();
    public DbSet<Reach.Playbook.CompetitiveCriterion> CompetitiveCriteria => Set<Reach.Playbook.CompetitiveCriterion>();
    public DbSet<Reach.Expansion.Reference> References => Set<Reach.Expansion.Reference>();
    public DbSet<Reach.Expansion.ReferenceUse> ReferenceUses => Set<Reach.Expansion.ReferenceUse>();
    public DbSet<Reach.Playbook.DealDocument> DealDocuments => Set<Reach.Playbook.DealDocument>();
    public DbSet<Reach.Playbook.WeeklyLog> WeeklyLogs => Set<Reach.Playbook.WeeklyLog>();
    public DbSet<Reach.Usage.UsageEvent> UsageEvents => Set<Reach.Usage.UsageEvent>();
    public DbSet<Reach.Usage.UsageCrossing> UsageCrossings => Set<Reach.Usage.UsageCrossing>();
    public DbSet<Reach.Usage.UsageDay> UsageDays => Set<Reach.Usage.UsageDay>();

    /// <summary>The query filter that hides deleted records; ignore only it (<c>IgnoreQueryFilters([SoftDeleteFilter])</c>) to reach them.</summary>
    public const string SoftDeleteFilter = "SoftDelete";

    /// <summary>The query filter that hides what the actor may not read.</summary>
    public const string AccessFilter = "Access";

    // Read by the access filters, which EF evaluates per query: null when the actor sees everything. The lists go to the
    // database as one parameter each (EF.Parameter), so the SQL is the same whatever their length and EF builds it once.
    Guid? ViewerId => Actor is { IsAdmin: false, UserId: { } id } ? id : null;
    IReadOnlyList<Guid> ViewerTeam => Actor is { IsAdmin: false } actor ? actor.TeamUserIds : [];
    IReadOnlyList<Guid> ViewerTeams => Actor is { IsAdmin: false } actor ? actor.TeamIds : [];

    public DateTime UtcNow => Clock.GetUtcNow().UtcDateTime;

    // EF drops a named filter for the whole query once any part of it ignores that filter: a query that joins records
    // whoever owns them (a touch's deal, for its channel) applies these to its own records explicitly.

    /// <summary>The activities the actor may read, for a query that joins records whoever owns them (see <see cref="ActivityAccess"/>).</summary>
    public IQueryable<Activity> ReadableActivities => ViewerId == null ? Activities : Activities.Where(ActivityAccess);

    /// <summary>The leads the actor may read, for a query that joins records whoever owns them (see <see cref="LeadAccess"/>).</summary>
    public IQueryable<Lead> ReadableLeads => ViewerId == null ? Leads : Leads.Where(LeadAccess);

    /// <summary>
    /// The owned-record rule, the one definition of it: a rep reads their own records, unowned ones and those shared with
    /// them; a manager their teams' too; an admin everything.
    /// </summary>
    Expression<Func<T, bool>> OwnedRecordAccess<T>(Expression<Func<T, bool>>? alsoReadable = null) where T : Record
    {
        Expression<Func<T, bool>> owned = r => ViewerId == null || r.OwnerId == null || r.OwnerId == ViewerId
            || EF.Parameter(ViewerTeam).Contains(r.OwnerId.Value) || Shares.Any(s => s.RecordId == r.Id && s.UserId == ViewerId);
        if (alsoReadable is null)
            return owned;
        var also = ReplacingExpressionVisitor.Replace(alsoReadable.Parameters[0], owned.Parameters[0], alsoReadable.Body);
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(owned.Body, also), owned.Parameters);
    }

    /// <summary>The leads the actor may read: the access filter of leads, as an expression.</summary>
    public Expression<Func<Lead, bool>> LeadAccess => OwnedRecordAccess<Lead>();

    /// <summary>
    /// The activities the actor may read: the access filter of activities, as an expression. An activity is also seen by
    /// the owner of the deal it was logged on (a manager's note on a rep's deal).
    /// </summary>
    public Expression<Func<Activity, bool>> ActivityAccess => OwnedRecordAccess<Activity>(
        r => r.DealId != null && Deals.Any(d => d.Id == r.DealId && d.OwnerId == ViewerId));

    /// <summary><c>r => r.DeletedAt == null</c> for a record type known only at run time.</summary>
    static LambdaExpression NotDeleted(Type recordType)
    {
        var record = Expression.Parameter(recordType, "r");
        return Expression.Lambda(Expression.Equal(Expression.Property(record, nameof(Record.DeletedAt)), Expression.Constant(null, typeof(DateTime?))), record);
    }

    /// <summary>
    /// Off only in the model `dotnet ef dbcontext optimize` generates the compiled models from (the design-time factories'
    /// <c>--without-query-filters</c>): EF 10 generates no compiled model with query filters, so the compiled models
    /// add <see cref="QueryFilters"/> back when they load (<see cref="CompiledModelFilters"/>).
    /// </summary>
    internal bool WithQueryFilters { get; init; } = true;

    /// <summary>The design-time factories' argument for a model without query filters (<see cref="WithQueryFilters"/>).</summary>
    internal const string WithoutQueryFiltersArgument = "--without-query-filters";

    /// <summary>
    /// Every query filter of the model, with the entity type it filters and its name: the one list, which
    /// <see cref="OnModelCreating"/> and the compiled models (<see cref="CompiledModelFilters"/>) both apply.
    /// </summary>
    internal IEnumerable<(Type Entity, string Name, LambdaExpression Filter)> QueryFilters(IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IReadOnlyEntityType> entityTypes)
    {
        // Deleted records stay in their table so they can be restored; everything else ignores them. One rule for every
        // record type (a new one gets it without a line here).
        foreach (var entity in entityTypes.Where(e => typeof(Record).IsAssignableFrom(e.ClrType) && e.BaseType is null).ToList())
            yield return (entity.ClrType, SoftDeleteFilter, NotDeleted(entity.ClrType));

        // Reps read their own records, unowned ones and those shared with them; managers their teams' too.
        // Accounts are read by everyone (AccessRules still guards their changes). Hidden records answer 404.
        yield return Access(OwnedRecordAccess<Contact>());
        yield return Access(LeadAccess);
        yield return Access(OwnedRecordAccess<Deal>());
        yield return Access(ActivityAccess);

        // Outreach: a mailbox is its user's alone; sequences and enrolments are read like owned records.
        yield return Access<MailAccount>(a => ViewerId == null || a.UserId == ViewerId);
        yield return Access(OwnedRecordAccess<Sequence>());
        yield return Access<Enrolment>(r => ViewerId == null || r.OwnerId == ViewerId
            || (r.OwnerId != null && EF.Parameter(ViewerTeam).Contains(r.OwnerId.Value)));
        // Drip tracks like sequences; a piece sent is read by whoever reads its sender's enrolments.
        yield return Access(OwnedRecordAccess<DripTrack>());
        yield return Access<DripSend>(r => ViewerId == null || r.OwnerId == ViewerId
            || (r.OwnerId != null && EF.Parameter(ViewerTeam).Contains(r.OwnerId.Value)));

        // A report schedule is its owner's (it sends from their mailbox with their rights); admins see all.
        yield return Access<Reach.Metrics.Reports.ReportSchedule>(r => ViewerId == null || r.OwnerId == ViewerId);
        yield return Access<Reach.Metrics.Reports.ReportDelivery>(d => ViewerId == null
            || ReportSchedules.Any(s => s.Id == d.ScheduleId && s.OwnerId == ViewerId));

        // Targets: the workspace's are read by everyone; a rep reads their own and their team's, a manager their teams' and their users'.
        yield return Access<Target>(t => ViewerId == null || (t.UserId == null && t.TeamId == null)
            || t.UserId == ViewerId || (t.UserId != null && EF.Parameter(ViewerTeam).Contains(t.UserId.Value)) || (t.TeamId != null && EF.Parameter(ViewerTeams).Contains(t.TeamId.Value)));

        // A rep's weekly log is read by the rep, their managers and admins.
        yield return Access<Reach.Playbook.WeeklyLog>(l => ViewerId == null || l.UserId == ViewerId
            || EF.Parameter(ViewerTeam).Contains(l.UserId));

        static (Type, string, LambdaExpression) Access<T>(Expression<Func<T, bool>> filter) => (typeof(T), AccessFilter, filter);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ReachDb).Assembly);
        builder.Entity<User>().ToTable("Users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("UserTokens");

        if (WithQueryFilters)
            foreach (var (entity, name, filter) in QueryFilters(builder.Model.GetEntityTypes()))
                builder.Entity(entity).HasQueryFilter(name, filter);

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
        Rerouting.RouteChanges(this);
        Stamp();
        AccessRules.CheckSave(this, Actor);
        var audit = RecordsAudit ? AuditTrail.Capture(this, Actor, UtcNow) : [];
        var stale = RollupDays.Touched(this);
        try
        {
            if (stale.Count == 0)
                return base.SaveChanges(acceptAllChangesOnSuccess);
            // The records and the stale marks of their days commit together, or neither does.
            using var own = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
            var written = base.SaveChanges(false);
            RollupDays.MarkStale(this, stale);
            own?.Commit();
            if (acceptAllChangesOnSuccess)
                ChangeTracker.AcceptAllChanges();
            return written;
        }
        catch
        {
            Forget(audit);
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Routes first, so the trail records them with the change of size that moved them.
        await Rerouting.RouteChangesAsync(this, cancellationToken);
        Stamp();
        AccessRules.CheckSave(this, Actor);
        var audit = RecordsAudit ? AuditTrail.Capture(this, Actor, UtcNow) : [];
        var stale = await RollupDays.TouchedAsync(this, cancellationToken);
        try
        {
            if (stale.Count == 0)
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await using var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            var written = await base.SaveChangesAsync(false, cancellationToken);
            await RollupDays.MarkStaleAsync(this, stale, cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            if (acceptAllChangesOnSuccess)
                ChangeTracker.AcceptAllChanges();
            return written;
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
            // A touch logged without a time happened when it was saved (the workspace's clock, as every stamp here).
            if (entry is { State: EntityState.Added, Entity: Activity { OccurredAt.Ticks: 0 } activity })
                activity.OccurredAt = now;
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
