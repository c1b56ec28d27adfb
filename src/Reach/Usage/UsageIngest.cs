using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Reach.Data;
using Reach.Imports;

namespace Reach.Usage;

/// <summary>More events in one call than it takes.</summary>
public sealed class TooManyUsageEventsException(int limit)
    : Exception($"A call takes at most {limit:N0} events; send the rest in another call (events are idempotent by eventId).")
{
    public int Limit { get; } = limit;
}

/// <summary>
/// Stores product events as they stream in, in constant memory: checked one by one, written in batches of
/// <see cref="BatchSize"/> (one query for the batch's known ids, one for its accounts, multi-row inserts), each event
/// once by its id, and each batch's matched events added to the usage rollup (<see cref="UsageDay"/>). The API's call is one transaction: a bad event (named by index, field and value) or one too many
/// stores none of the call's. Then the threshold rule runs for the accounts that got events.
/// </summary>
public static class UsageIngest
{
    /// <summary>The most events one API call takes.</summary>
    public const int MaxEventsPerCall = 10_000;
    public const int BatchSize = 1_000;

    /// <summary>A bad call lists its first problems, not all of a 10,000-event batch's.</summary>
    public const int MaxProblemsListed = 100;

    /// <summary>What a call did: events received, stored, already known (sent before or twice), matched to an account or not, and the deals the rule opened.</summary>
    public sealed record Summary(int Received, int Stored, int Duplicates, int Matched, int Unmatched, IReadOnlyList<UsageRule.Opened> Opened);

    /// <summary>
    /// Stores <paramref name="events"/>. With a <paramref name="limit"/> (the API's) the whole call is one transaction;
    /// without (a CLI import of a large file) each batch commits on its own, and a rerun after a failure skips what is stored.
    /// </summary>
    public static async Task<Summary> IngestAsync(ReachDb db, IAsyncEnumerable<UsageEventInput> events, int? limit, CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        var problems = new Dictionary<string, string[]>();
        var batch = new List<UsageEventInput>(BatchSize);
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        var touched = new HashSet<Guid>();
        int received = 0, stored = 0, duplicates = 0, matched = 0, unmatched = 0;
        BulkInsert? insert = null;
        IDbContextTransaction? transaction = null;
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken))
            {
                if (limit is { } max && received >= max)
                    throw new TooManyUsageEventsException(max);
                var index = received++;
                var found = e.Check(index, now);
                if (found.Count > 0)
                {
                    foreach (var (field, message) in found.Where(_ => problems.Count < MaxProblemsListed))
                        problems[field] = [message];
                    continue;
                }
                if (problems.Count > 0)
                    continue;
                if (!inBatch.Add(e.EventId!))
                {
                    duplicates++;
                    continue;
                }
                batch.Add(e);
                if (batch.Count == BatchSize)
                    await WriteAsync();
            }
            if (problems.Count > 0)
                throw new InputException(problems);
            await WriteAsync();
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (transaction is not null)
                await transaction.DisposeAsync();
            insert?.Dispose();
        }
        var opened = touched.Count == 0 ? [] : await UsageRule.EvaluateAsync(db, touched, cancellationToken);
        return new Summary(received, stored, duplicates, matched, unmatched, opened);

        async Task WriteAsync()
        {
            if (batch.Count == 0)
                return;
            transaction ??= await db.Database.BeginTransactionAsync(cancellationToken);
            // Made in the transaction, on its open connection (SQLite prepares its statement there).
            insert ??= new BulkInsert(db, typeof(UsageEvent));
            var ids = batch.Select(e => e.EventId!).ToList();
            var known = (await db.UsageEvents.AsNoTracking().Where(e => ids.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var fresh = batch.Where(e => !known.Contains(e.EventId!)).ToList();
            duplicates += batch.Count - fresh.Count;
            var domains = fresh.Select(UsageMatching.DomainOf).ToList();
            var accounts = await UsageMatching.ResolveAsync(db, fresh, domains, cancellationToken);
            var rows = new List<object>(fresh.Count);
            var matchedBefore = matched;
            for (var i = 0; i < fresh.Count; i++)
            {
                var e = fresh[i];
                if (accounts[i] is { } account)
                {
                    matched++;
                    touched.Add(account);
                }
                else
                {
                    unmatched++;
                }
                rows.Add(new UsageEvent
                {
                    EventId = e.EventId!,
                    OccurredAt = e.Time!.Value,
                    UserKey = e.UserKey,
                    Domain = domains[i],
                    AccountId = accounts[i],
                    AccountHint = string.IsNullOrWhiteSpace(e.AccountHint) ? null : e.AccountHint.Trim(),
                    Name = e.Name!.Trim(),
                    Properties = e.Properties is { ValueKind: System.Text.Json.JsonValueKind.Object } p ? p.GetRawText() : null,
                    ReceivedAt = now,
                });
            }
            // The rollup takes the batch's matched events from the table just written (ids only grow), in the same transaction.
            var before = matched == matchedBefore ? 0 : await db.UsageEvents.MaxAsync(x => (long?)x.Id, cancellationToken) ?? 0;
            await insert.InsertAsync(db, rows, cancellationToken);
            if (matched > matchedBefore)
                await UsageDay.AddEventsAsync(db, "\"Id\" > {0}", [before], cancellationToken);
            stored += rows.Count;
            batch.Clear();
            inBatch.Clear();
            if (limit is null)
            {
                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                transaction = null;
            }
        }
    }
}
