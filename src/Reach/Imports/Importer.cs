using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Reach.Access;
using Reach.Data;
using Reach.Pipelines;

namespace Reach.Imports;

/// <summary>
/// Imports a CSV into a workspace: inspects the whole file first (a malformed file writes nothing),
/// then streams it in batches of <see cref="ImportOptions.BatchSize"/> rows, one transaction each,
/// upserting on each entity's key so a re-run (after a kill, or of the same file) changes nothing twice.
/// A bad row is rejected with its cell and reason; it never aborts the others.
/// </summary>
public sealed partial class Importer
{
    readonly ReachDb db;
    readonly ImportOptions options;
    readonly ColumnPlan plan;
    readonly SourceFormat format;
    readonly string source;
    readonly ImportSummary summary;
    readonly Func<RejectedRow, ValueTask>? onRejected;
    readonly Dictionary<string, Guid> usersByKey = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<Guid, string> usersByName = [];
    readonly HashSet<string> unknownOwners = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> notedPipelines = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> currencies = new(StringComparer.OrdinalIgnoreCase);
    // A stage the pipeline lacks, by squashed name → the share of the file's deals that reached it and were won.
    readonly Dictionary<string, decimal?> stageProbabilities = new(StringComparer.Ordinal);
    readonly string workspaceCurrency;
    // New records of the batch in the order made, written by BulkInsert after EF saved the rest (see Insert).
    readonly List<object> pendingInserts = [];
    readonly HashSet<object> pending = new(ReferenceEqualityComparer.Instance);

    // New leads of the batch that came without an owner: assigned to a rep of their channel before the batch saves.
    readonly List<Leads.Lead> unassignedLeads = [];
    readonly Dictionary<Type, BulkInsert> writers = [];
    Guid? defaultOwner;
    string fileName = "";
    bool startedEmpty;
    List<Pipeline> pipelines = [];
    IDbContextTransaction? dryRunTransaction;

    Importer(ReachDb db, ImportOptions options, ColumnPlan plan, SourceFormat format, Func<RejectedRow, ValueTask>? onRejected)
    {
        this.db = db;
        this.options = options;
        this.plan = plan;
        this.format = format;
        this.onRejected = onRejected;
        source = format.ToString().ToLowerInvariant();
        summary = new ImportSummary { Entity = options.Entity.ToString().ToLowerInvariant(), Format = source, DryRun = options.DryRun };
        summary.IgnoredColumns.AddRange(plan.Ignored);
        // RunAsync reads it from the workspace's settings, the one place it is kept.
        workspaceCurrency = options.Currency?.ToUpperInvariant() ?? throw new ArgumentException("The workspace currency is read before an import.", nameof(options));
        summary.Report.Currency = workspaceCurrency;
    }

    MigrationReport report => summary.Report;

    /// <summary>
    /// Runs an import of <paramref name="path"/>. Throws <see cref="ImportFileException"/> (before writing
    /// anything) when the file cannot be read as CSV or its columns cannot give the entity's required fields.
    /// </summary>
    /// <remarks><c>onRejected</c> is called for every rejected row, in order (the report file); the summary keeps the first 1,000.</remarks>
    public static async Task<ImportSummary> RunAsync(
        ReachDb db,
        string path,
        ImportOptions options,
        Action<ImportProgress>? progress = null,
        Func<RejectedRow, ValueTask>? onRejected = null,
        CancellationToken cancellationToken = default)
    {
        var input = await CsvInput.InspectAsync(path, CsvInput.EncodingNamed(options.Encoding), cancellationToken);
        if (options.Mapping is { Length: > 0 } name)
        {
            var saved = await ImportMapping.FindAsync(db, name, options.Entity, cancellationToken);
            var map = saved.Map.Where(m => input.Header.Contains(m.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (var (column, field) in options.Map)
                map[column] = field;
            options = options with { Map = map, Format = options.Format == SourceFormat.Auto ? saved.Format : options.Format, Mapping = null };
        }
        var format = options.Format == SourceFormat.Auto ? SourceHeaders.Detect(input.Header, options.Entity) : options.Format;
        var plan = ColumnPlan.Build(input.Header, format, options.Entity, options.Map);
        RequireColumns(plan, options.Entity, input.Header);
        // Amounts without a currency are in the workspace's, read from its settings unless the caller names one.
        options = options with { Currency = options.Currency ?? await Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken) };
        var importer = new Importer(db, options, plan, format, onRejected) { fileName = Path.GetFileName(path) };
        await importer.PrepareAsync(input, cancellationToken);
        return await importer.ImportAsync(input, progress, cancellationToken);
    }

    /// <summary>
    /// The plan an import of a file with this header would follow; throws <see cref="ImportFileException"/>
    /// as <see cref="RunAsync"/> would when the map names a wrong field or column, or a required field has no column.
    /// </summary>
    public static ColumnPlan PlanFor(IReadOnlyList<string> header, SourceFormat format, ImportOptions options)
    {
        var plan = ColumnPlan.Build(header, format == SourceFormat.Auto ? SourceHeaders.Detect(header, options.Entity) : format, options.Entity, options.Map);
        RequireColumns(plan, options.Entity, header);
        return plan;
    }

    static void RequireColumns(ColumnPlan plan, ImportEntity entity, IReadOnlyList<string> header)
    {
        string[][] needed = entity switch
        {
            ImportEntity.Accounts => [["name", "domain"]],
            ImportEntity.Contacts or ImportEntity.Leads => [["firstName", "lastName", "fullName", "email"]],
            ImportEntity.Deals => [["amount"]],
            ImportEntity.Activities => [["type"], ["subject"]],
            ImportEntity.Users => [["name", "email"]],
            ImportEntity.Products => [["name"]],
            ImportEntity.History => [["dealExternalId", "dealId"], ["stage"], ["at"]],
            _ => [],
        };
        foreach (var any in needed.Where(any => !any.Any(plan.Has)))
            throw new ImportFileException(
                $"No column gives the {string.Join(" or ", any)} of {entity.ToString().ToLowerInvariant()}: the header is {string.Join(", ", header.Select(h => $"'{h}'"))}. "
                + $"Name the column with --map \"Column={any[0]}\" (see docs/imports.md).", 1);
    }

    async Task PrepareAsync(CsvInput input, CancellationToken cancellationToken)
    {
        db.Actor ??= Actor.Operator;
        var users = await db.Users.AsNoTracking().OrderBy(u => u.CreatedAt).Select(u => new { u.Id, u.Email, u.Name, u.Role, u.IsActive }).ToListAsync(cancellationToken);
        foreach (var user in users)
        {
            if (user.Email is not null)
                usersByKey.TryAdd(user.Email, user.Id);
            usersByKey.TryAdd(user.Name, user.Id);
            usersByName[user.Id] = user.Email is null ? user.Name : $"{user.Name} <{user.Email}>";
        }
        if (options.OwnerEmail is { Length: > 0 } email)
            defaultOwner = users.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase))?.Id
                ?? throw new ImportFileException($"--owner {email}: no user of the workspace has this email.", column: "--owner", value: email);
        else
            defaultOwner = users.FirstOrDefault(u => u.Role == UserRole.Admin && u.IsActive)?.Id;
        // Nothing to match in a table that held no record (not even a deleted one) when the import began: the first
        // pass of a migration skips the lookups. A concurrent writer's record still meets the unique keys, and the
        // row-by-row retry that follows looks it up.
        if (options.Entity == ImportEntity.Contacts)
            startedEmpty = !await db.Contacts.IgnoreQueryFilters().AnyAsync(cancellationToken);
        if (options.Entity == ImportEntity.Deals)
        {
            startedEmpty = !await db.Deals.IgnoreQueryFilters().AnyAsync(cancellationToken);
            await LoadPipelinesAsync(cancellationToken);
            await LoadProductsAsync(cancellationToken);
            if (plan.Has("competitor"))
                competitors = await Reach.Playbook.CompetitiveMatrix.NamesAsync(db, cancellationToken);
            if (options.CreateStages && plan.Has("stage"))
                await LearnStageProbabilitiesAsync(input, cancellationToken);
        }
        if (options.Entity == ImportEntity.History)
            await LoadPipelinesAsync(cancellationToken);
    }

    async Task LoadPipelinesAsync(CancellationToken cancellationToken) =>
        pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);

    async Task<ImportSummary> ImportAsync(CsvInput input, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var batch = new List<ImportRow>(options.BatchSize);
        var done = 0;
        var relaxed = await RelaxSyncAsync(cancellationToken);
        if (options.DryRun)
            dryRunTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await foreach (var (number, cells) in input.ReadRowsAsync(cancellationToken))
            {
                summary.Rows++;
                var row = new ImportRow(number, cells, plan, format);
                if (row.IsBlank || row.IsFooter)
                {
                    summary.Skipped++;
                    done++;
                    continue;
                }
                batch.Add(row);
                if (batch.Count < options.BatchSize)
                    continue;
                await RunBatchAsync(batch, cancellationToken);
                done += batch.Count;
                batch.Clear();
                progress?.Invoke(new ImportProgress(done, input.Rows, clock.Elapsed));
            }
            if (batch.Count > 0)
                await RunBatchAsync(batch, cancellationToken);
            done += batch.Count;
            progress?.Invoke(new ImportProgress(done, input.Rows, clock.Elapsed));
        }
        finally
        {
            if (dryRunTransaction is not null)
            {
                await dryRunTransaction.RollbackAsync(CancellationToken.None);
                await dryRunTransaction.DisposeAsync();
            }
            foreach (var writer in writers.Values)
                writer.Dispose();
            if (relaxed)
                await RestoreSyncAsync();
        }
        if (unlinkedContacts > 0)
            summary.Notes.Add($"{unlinkedContacts} row(s) name an account the workspace does not have: they were imported without one (import the accounts first to link them).");
        await FinishReportAsync(cancellationToken);
        if (unknownOwners.Count > 0)
            summary.Notes.Add($"No workspace user is named {string.Join(", ", unknownOwners.Take(5).Select(o => $"'{o}'"))}{(unknownOwners.Count > 5 ? " …" : "")}: those records got the default owner.");
        summary.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        return summary;
    }

    /// <summary>
    /// On SQLite (always in WAL mode), an import keeps one connection open and commits its batches with
    /// <c>synchronous=NORMAL</c>: a commit then waits for no fsync (the WAL is synced at checkpoints). A committed batch
    /// still survives the process being killed (kill -9); only an operating-system crash or a power cut can take back the
    /// last batches, which a re-run (idempotent) writes again. Every other writer keeps <c>synchronous=FULL</c>.
    /// The connection also gets a larger page cache for the import (<see cref="ImportCacheKiB"/>, a fixed bound: memory
    /// stays constant): a new deal updates a dozen indexes at scattered pages, and with SQLite's default 2 MiB most of
    /// them were read back from the file at every batch.
    /// </summary>
    async Task<bool> RelaxSyncAsync(CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite() || options.DryRun)
            return false;
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" + ImportCacheKiB + ";", cancellationToken);
        return true;
    }

    /// <summary>The SQLite page cache of an import's connection, in KiB (SQLite's default is 2,000).</summary>
    const string ImportCacheKiB = "32768";

    async Task RestoreSyncAsync()
    {
        try
        {
            // The connection goes back to the pool: the next user gets SQLite's defaults again.
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL; PRAGMA cache_size=-2000;", CancellationToken.None);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    enum Outcome { Inserted, Updated, Unchanged, Rejected }

    /// <summary>
    /// One transaction (a savepoint in a dry run). When the database refuses the batch (a unique key
    /// taken by a concurrent writer, say), it is rolled back and retried row by row so only the guilty rows fail.
    /// </summary>
    async Task RunBatchAsync(List<ImportRow> batch, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await InTransactionAsync(async () =>
            {
                await PrefetchAsync(batch, cancellationToken);
                var list = new List<Outcome>(batch.Count);
                foreach (var row in batch)
                    list.Add(await ApplyCheckedAsync(row, cancellationToken));
                await SaveAsync(cancellationToken);
                return list;
            }, cancellationToken);
            await RecordAsync(batch, outcomes);
        }
        catch (DbUpdateException)
        {
            startedEmpty = false;
            if (options.Entity is ImportEntity.Deals or ImportEntity.History)
                await LoadPipelinesAsync(cancellationToken);
            foreach (var row in batch)
            {
                row.Errors.Clear();
                Outcome outcome;
                try
                {
                    outcome = await InTransactionAsync(async () =>
                    {
                        await PrefetchAsync([row], cancellationToken);
                        var o = await ApplyCheckedAsync(row, cancellationToken);
                        await SaveAsync(cancellationToken);
                        return o;
                    }, cancellationToken);
                }
                catch (DbUpdateException e) when (!StorageFull.Is(e))
                {
                    row.Errors.Add(new RejectedRow(row.Number, "", "", ImportKeys.IsUniqueViolation(e)
                        ? ImportKeys.DuplicateMessage
                        : ImportKeys.RefusedMessage));
                    outcome = Outcome.Rejected;
                }
                await RecordAsync([row], [outcome]);
            }
        }
    }

    async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        pendingInserts.Clear();
        pending.Clear();
        unassignedLeads.Clear();
        if (dryRunTransaction is not null)
        {
            await dryRunTransaction.CreateSavepointAsync("batch", cancellationToken);
            try
            {
                return await work();
            }
            catch
            {
                db.ChangeTracker.Clear();
                await dryRunTransaction.RollbackToSavepointAsync("batch", CancellationToken.None);
                throw;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    async ValueTask<Outcome> ApplyCheckedAsync(ImportRow row, CancellationToken cancellationToken)
    {
        // Excel pads rows with empty cells; only extra cells with content mean the row is misaligned.
        if (row.HasFilledCellsBeyond(plan.Header.Count))
        {
            row.Errors.Add(new RejectedRow(row.Number, "", "", $"The row has {row.CellCount} cells but the header has {plan.Header.Count}: a delimiter or quote is out of place."));
            return Outcome.Rejected;
        }
        var outcome = await ApplyAsync(row, cancellationToken);
        return row.Errors.Count > 0 ? Outcome.Rejected : outcome;
    }

    async Task RecordAsync(List<ImportRow> rows, List<Outcome> outcomes)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            switch (outcomes[i])
            {
                case Outcome.Inserted:
                    summary.Inserted++;
                    break;
                case Outcome.Updated:
                    summary.Updated++;
                    break;
                case Outcome.Unchanged:
                    summary.Skipped++;
                    break;
                default:
                    summary.Failed++;
                    foreach (var rejected in rows[i].Errors)
                    {
                        if (summary.Rejected.Count < ImportSummary.MaxRejectedListed)
                            summary.Rejected.Add(rejected);
                        if (onRejected is not null)
                            await onRejected(rejected);
                    }
                    break;
            }
        }
    }

    // A ValueTask: only a deal or history row that creates a stage awaits anything, so every other row allocates no task.
    ValueTask<Outcome> ApplyAsync(ImportRow row, CancellationToken cancellationToken) => options.Entity switch
    {
        ImportEntity.Accounts => ValueTask.FromResult(ApplyAccount(row)),
        ImportEntity.Contacts => ValueTask.FromResult(ApplyContact(row)),
        ImportEntity.Leads => ValueTask.FromResult(ApplyLead(row)),
        ImportEntity.Deals => ApplyDealAsync(row, cancellationToken),
        ImportEntity.Activities => ValueTask.FromResult(ApplyActivity(row)),
        ImportEntity.Users => ValueTask.FromResult(ApplyUser(row)),
        ImportEntity.Products => ValueTask.FromResult(ApplyProduct(row)),
        ImportEntity.History => ApplyHistoryAsync(row, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    Task PrefetchAsync(List<ImportRow> rows, CancellationToken cancellationToken) => options.Entity switch
    {
        ImportEntity.Accounts => PrefetchAccountsAsync(rows, cancellationToken),
        ImportEntity.Contacts => PrefetchContactsAsync(rows, cancellationToken),
        ImportEntity.Leads => PrefetchLeadsAsync(rows, cancellationToken),
        ImportEntity.Deals => PrefetchDealsAsync(rows, cancellationToken),
        ImportEntity.Activities => PrefetchActivitiesAsync(rows, cancellationToken),
        ImportEntity.Users => PrefetchUsersAsync(cancellationToken),
        ImportEntity.Products => PrefetchProductsAsync(cancellationToken),
        ImportEntity.History => PrefetchHistoryAsync(rows, cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>The owner a row names (a user's email or name), else the default owner.</summary>
    Guid? OwnerOf(ImportRow row, Guid? current, bool isNew)
    {
        if (row.Text("owner") is { } owner)
        {
            if (usersByKey.TryGetValue(owner, out var id))
            {
                if (report.OwnersMatched.Count < 200)
                    report.OwnersMatched.TryAdd(owner, usersByName.GetValueOrDefault(id) ?? owner);
                return id;
            }
            if (unknownOwners.Count < 100)
                unknownOwners.Add(owner);
        }
        return isNew ? defaultOwner : current;
    }

    /// <summary>Marks the outcome of a tracked entity: inserted, updated when a value really changed, else unchanged.</summary>
    Outcome Settle(object entity, bool isNew)
    {
        if (isNew)
            return Outcome.Inserted;
        // A record an earlier row of this batch made, which this row wrote over.
        if (pending.Contains(entity))
            return Outcome.Updated;
        var entry = db.Entry(entity);
        entry.DetectChanges();
        // Added: an earlier row of this batch inserted the record and this row wrote over it.
        return entry.State is EntityState.Modified or EntityState.Added ? Outcome.Updated : Outcome.Unchanged;
    }

    /// <summary>
    /// Whether new records are written in bulk: only for an actor the access rules let write anything (the CLI's operator,
    /// an admin), since the bulk writer skips SaveChanges' checks; anyone else's import goes through EF, checked row by row.
    /// </summary>
    bool WritesInBulk => db.Actor is null || (db.Actor.CanWrite && db.Actor.IsAdmin);

    /// <summary>
    /// A new row of the batch (a record, or a part of one: a deal's stage changes and line items): written in bulk when it
    /// may be, else added to EF. A record's parts come after it, so they are written after it.
    /// </summary>
    void Insert<T>(T row) where T : class
    {
        if (!WritesInBulk)
        {
            db.Add(row);
            return;
        }
        pendingInserts.Add(row);
        pending.Add(row);
    }

    /// <summary>
    /// Saves the batch: EF's changes (updates, records made on the way), then the new records in bulk with one audit entry
    /// for the batch (what it inserted: the ids, the file, its rows), all in the batch's transaction.
    /// </summary>
    async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (unassignedLeads.Count > 0)
        {
            await Leads.LeadAssignment.AssignAsync(db, unassignedLeads, cancellationToken);
            unassignedLeads.Clear();
        }
        if (pendingInserts.Count > 0)
            db.AuditEntries.Add(BatchAuditEntry());
        await db.SaveChangesAsync(cancellationToken);
        if (pendingInserts.Count == 0)
            return;
        var now = db.UtcNow;
        // Types in the order first met: a record before its parts (a deal before its stage changes and line items).
        foreach (var group in pendingInserts.GroupBy(r => r.GetType()))
        {
            foreach (var record in group.OfType<Record>())
                BulkInsert.Stamp(record, now);
            if (!writers.TryGetValue(group.Key, out var writer))
                writers[group.Key] = writer = new BulkInsert(db, group.Key);
            await writer.InsertAsync(db, [.. group], cancellationToken);
        }
        // The stored figures of the days these rows name are rebuilt, as SaveChanges would have marked them.
        if (BulkRollupDays() is { Count: > 0 } days)
            await Metrics.Rollups.RollupDays.MarkStaleAsync(db, days, cancellationToken);
        pendingInserts.Clear();
        pending.Clear();
    }

    /// <summary>The days of the stored figures the batch's bulk-written rows move (what <c>RollupDays.Touched</c> finds for EF's).</summary>
    HashSet<DateOnly> BulkRollupDays()
    {
        var days = new HashSet<DateOnly>();
        foreach (var row in pendingInserts)
        {
            switch (row)
            {
                case Deals.Deal deal:
                    days.Add(DateOnly.FromDateTime(deal.CreatedAt));
                    if (deal.ClosedAt is { } closed)
                        days.Add(DateOnly.FromDateTime(closed));
                    days.Add(deal.ExpectedClose ?? Metrics.Rollups.RollupRows.NoExpectedClose);
                    break;
                case Deals.DealStageChange change:
                    days.Add(DateOnly.FromDateTime(change.At));
                    break;
                default:
                    break;
            }
        }
        return days;
    }

    Audit.AuditEntry BatchAuditEntry()
    {
        // Written straight to JSON (a node per id cost more than the batch's other bookkeeping); the same text as before.
        var json = new System.Buffers.ArrayBufferWriter<byte>(64 * pendingInserts.Count);
        using (var writer = new System.Text.Json.Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("import");
            writer.WriteNull("before");
            writer.WriteStartObject("after");
            writer.WriteString("file", fileName);
            writer.WriteString("format", source);
            writer.WriteNumber("inserted", pendingInserts.Count(r => r is Record));
            writer.WriteStartArray("ids");
            foreach (var record in pendingInserts.OfType<Record>())
                writer.WriteStringValue(record.Id);
            writer.WriteEndArray();
            // A deal's line items (audited under their deal when EF writes them; its stage log is not audited either way).
            if (pendingInserts.Any(r => r is Deals.DealLineItem))
            {
                writer.WriteStartArray("lineItems");
                foreach (var item in pendingInserts.OfType<Deals.DealLineItem>())
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", item.Id);
                    writer.WriteString("dealId", item.DealId);
                    writer.WriteString("productId", item.ProductId);
                    writer.WriteNumber("quantity", item.Quantity);
                    writer.WriteNumber("unitPrice", item.UnitPrice);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return new Audit.AuditEntry
        {
            At = db.UtcNow,
            ActorId = db.Actor?.UserId,
            ActorName = db.Actor?.Name ?? Audit.AuditTrail.NoActor,
            Action = Audit.AuditAction.Create,
            EntityType = Audit.AuditTrail.TypeName(pendingInserts[0].GetType()),
            // The entry is about the batch, not one record: its own id.
            EntityId = Guid.CreateVersion7(),
            Changes = System.Text.Encoding.UTF8.GetString(json.WrittenSpan),
        };
    }

    /// <summary>Validates an input record with the same DataAnnotations rules as the API, naming the file's columns.</summary>
    static bool Valid(ImportRow row, object input)
    {
        if (InputPrecheck.SurelyValid(input))
            return row.Errors.Count == 0;
        try
        {
            InputRules.Validate(input);
            return row.Errors.Count == 0;
        }
        catch (InputException e)
        {
            foreach (var (field, messages) in e.Errors)
                row.Reject(field, null, string.Join(" ", messages));
            return false;
        }
    }
}
