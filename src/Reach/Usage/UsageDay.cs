using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Usage;

/// <summary>
/// The usage rollup: one row per account, UTC day and user who used the product that day, with the first and last
/// instant of their events that day. The active-user figures read it instead of the raw events (<see cref="UsageFigures"/>),
/// so an account page costs its users × days, not its events. Kept with the events in their transaction: by ingestion,
/// when a candidate's events move to a new account (<see cref="UsageMatching.RematchAsync"/>), and by the database
/// (deleting an account deletes its rows, as its events lose their account).
/// </summary>
/// <remarks>
/// The first and last instants make any window at least a day long exact, whatever its time of day: a user was active
/// in [from, until) exactly when one of their days has <c>LastAt ≥ from</c> and <c>FirstAt &lt; until</c> (a window of a
/// day or more has at most one of its ends inside any one day; see <see cref="ActiveIn"/>).
/// </remarks>
public class UsageDay
{
    public Guid AccountId { get; set; }
    public DateOnly Day { get; set; }
    public required string UserKey { get; set; }
    public DateTime FirstAt { get; set; }
    public DateTime LastAt { get; set; }

    /// <summary>The rows of users active in [<paramref name="from"/>, <paramref name="until"/>): the one definition of a window over the rollup.</summary>
    public static System.Linq.Expressions.Expression<Func<UsageDay, bool>> ActiveIn(DateTime from, DateTime until)
    {
        if (until - from < TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(until), "The rollup answers windows of a day or more.");
        var first = DateOnly.FromDateTime(from);
        var last = DateOnly.FromDateTime(until);
        return d => d.Day >= first && d.Day <= last && d.LastAt >= from && d.FirstAt < until;
    }

    /// <summary>
    /// Adds the events that <paramref name="eventsWhere"/> selects (SQL over <c>UsageEvents</c>, its parameters
    /// <c>{0}</c>…) to the rollup, in the context's transaction: their (account, day, user) rows inserted, or widened
    /// to their first and last instants. Idempotent: adding an event twice changes nothing.
    /// </summary>
    public static Task<int> AddEventsAsync(ReachDb db, string eventsWhere, object[] parameters, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(RollUpSql(db.Database.IsNpgsql(), eventsWhere), parameters, cancellationToken);

    /// <summary>
    /// The statement both providers run: their only difference is how a UTC instant gives its day, and min/max of two
    /// values. The events are selected first, apart (a materialised CTE), so that each database finds them by the caller's
    /// condition (the new ids' range, a domain) rather than by walking an index on the account for the grouping.
    /// </summary>
    public static string RollUpSql(bool postgres, string eventsWhere)
    {
        var day = postgres ? """("OccurredAt" AT TIME ZONE 'UTC')::date""" : """substr("OccurredAt", 1, 10)""";
        var (least, greatest) = postgres ? ("LEAST", "GREATEST") : ("min", "max");
        return $"""
            WITH "Added" AS MATERIALIZED (SELECT "AccountId", "OccurredAt", "UserKey" FROM "UsageEvents" WHERE {eventsWhere})
            INSERT INTO "UsageDays" ("AccountId", "Day", "UserKey", "FirstAt", "LastAt")
            SELECT "AccountId", {day}, "UserKey", MIN("OccurredAt"), MAX("OccurredAt") FROM "Added"
            WHERE "AccountId" IS NOT NULL
            GROUP BY "AccountId", {day}, "UserKey"
            ON CONFLICT ("AccountId", "Day", "UserKey") DO UPDATE SET
                "FirstAt" = {least}("UsageDays"."FirstAt", excluded."FirstAt"), "LastAt" = {greatest}("UsageDays"."LastAt", excluded."LastAt")
            WHERE excluded."FirstAt" < "UsageDays"."FirstAt" OR excluded."LastAt" > "UsageDays"."LastAt"
            """;
    }
}

sealed class UsageDayMapping : IEntityTypeConfiguration<UsageDay>
{
    public void Configure(EntityTypeBuilder<UsageDay> d)
    {
        d.ToTable("UsageDays");
        d.HasKey(x => new { x.AccountId, x.Day, x.UserKey });
        d.Property(x => x.UserKey).HasMaxLength(330);
        d.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
