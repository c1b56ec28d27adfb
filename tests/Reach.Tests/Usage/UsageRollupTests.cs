using System.Net;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Reach.Usage;
using Xunit;

namespace Reach.Tests.Usage;

/// <summary>
/// The usage rollup (<see cref="UsageDay"/>) against the raw events it stands for: after an ingest, a re-sent batch and a
/// candidate's events moving to a new account, its rows are the events' (account, day, user) with their first and last
/// instants, and the figures read from it are the distinct users the raw events give, window by window.
/// </summary>
public abstract class UsageRollupTests(ReachServer server)
{
    static string Unique() => Guid.NewGuid().ToString("N")[..8];

    // Hours before the server's now: both sides of midnights, of the day, week and 30-day windows' ends, and a little ahead
    // of now (a sender's clock may run ahead).
    static readonly double[] HoursAgo = [0.2, 3, 11.9, 12.1, 23.9, 24.1, 30, 47, 100, 167.8, 168.3, 200, 335.5, 336.5, 500, 719.5, 720.5, 900, 1300, -2];

    [Fact]
    public async Task TheRollupHoldsTheRawEventsDaysAfterAnIngestAResentBatchAndACandidatesMove()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Admin, "Product analytics", scope: TokenScope.Usage);
        var product = server.NewClient(token);
        var acme = $"acme-{Unique()}.example";
        var newco = $"newco-{Unique()}.example";
        var acmeId = await AccountAsync(acme, 40);
        // Whole seconds, as both databases keep them (PostgreSQL drops a tick's tenths of microseconds).
        var now = DateTime.UnixEpoch.AddSeconds(Math.Floor((server.Clock.UtcNow - DateTime.UnixEpoch).TotalSeconds));
        var events = new List<object>();
        for (var u = 0; u < 6; u++)
        {
            for (var h = u; h < HoursAgo.Length; h += 1 + u % 3)
            {
                events.Add(Event($"{Unique()}", now.AddHours(-HoursAgo[h]), $"user{u}@{acme}"));
                events.Add(Event($"{Unique()}", now.AddHours(-HoursAgo[(h * 7 + u) % HoursAgo.Length]), $"user{u}@{newco}"));
            }
        }

        await SendAsync(product, events);
        // The same batch again, then events inside and around days already rolled up.
        await SendAsync(product, events);
        await SendAsync(product, [Event(Unique(), now.AddHours(-12.5), $"user1@{acme}"), Event(Unique(), now.AddHours(-24.05), $"user2@{acme}"), Event(Unique(), now.AddHours(-160), $"user9@{newco}")]);
        await using (var db = server.OpenDb())
            Assert.False(await db.UsageEvents.AnyAsync(e => e.Domain == newco && e.AccountId != null), "A candidate's events wait for an account.");

        // The candidate becomes an account; the next call moves its events, and their days, to it.
        var newcoId = await AccountAsync(newco, 10);
        await SendAsync(product, [Event(Unique(), now.AddHours(-1), $"user0@{acme}")]);

        await using (var db = server.OpenDb())
        {
            Guid[] ids = [acmeId, newcoId];
            var raw = (await db.UsageEvents.AsNoTracking().Where(e => e.AccountId != null && ids.Contains(e.AccountId.Value)).ToListAsync())
                .GroupBy(e => (e.AccountId!.Value, DateOnly.FromDateTime(e.OccurredAt), e.UserKey))
                .Select(g => (g.Key.Item1, g.Key.Item2, g.Key.UserKey, g.Min(e => e.OccurredAt), g.Max(e => e.OccurredAt)))
                .Order().ToList();
            var rolledUp = (await db.UsageDays.AsNoTracking().Where(d => ids.Contains(d.AccountId)).ToListAsync())
                .Select(d => (d.AccountId, d.Day, d.UserKey, d.FirstAt, d.LastAt)).Order().ToList();
            Assert.Equal(events.Count + 4, await db.UsageEvents.CountAsync(e => e.Domain == acme || e.Domain == newco));
            Assert.Contains(raw, r => r.Item1 == newcoId);
            Assert.Equal(raw, rolledUp);

            // The figures from the rollup, at instants on both sides of the events' own, against distinct users over the raw events.
            var stored = await db.UsageEvents.AsNoTracking().Where(e => e.AccountId != null && ids.Contains(e.AccountId.Value)).ToListAsync();
            foreach (var at in new[] { now, now.AddMinutes(-7), now.AddHours(-12), now.AddHours(-24.08), now.AddHours(11.95) })
            {
                int Raw(Guid account, DateTime from, DateTime until) =>
                    stored.Where(e => e.AccountId == account && e.OccurredAt >= from && e.OccurredAt < until).Select(e => e.UserKey).Distinct().Count();
                var usage = await UsageFigures.ForAccountsAsync(db, ids, at, default);
                foreach (var id in ids)
                {
                    var u = usage.Single(x => x.AccountId == id);
                    Assert.Equal(
                        (Raw(id, at - UsageFigures.Day, at), Raw(id, at - UsageFigures.Week, at), Raw(id, at - UsageFigures.Month, at), Raw(id, at - 2 * UsageFigures.Week, at - UsageFigures.Week)),
                        (u.DailyActiveUsers, u.WeeklyActiveUsers, u.MonthlyActiveUsers, u.PreviousWeeklyActiveUsers));
                    Assert.Equal(stored.Where(e => e.AccountId == id && e.OccurredAt <= at).Max(e => e.OccurredAt), u.LastSeenAt);
                    var weeks = await UsageFigures.WeeklySeriesAsync(db, id, at, 8, default);
                    Assert.Equal(Enumerable.Range(0, 8).Select(i => Raw(id, at.AddDays(-7 * (8 - i)), at.AddDays(-7 * (7 - i)))), weeks.Select(w => w.Users));
                }
            }
        }
    }

    async Task<Guid> AccountAsync(string domain, int employees)
    {
        var response = await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Co " + domain, domain, employees }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadObjectAsync()).Id();
    }

    static object Event(string id, DateTime time, string email) => new { eventId = "r-" + id, time, email, name = "document.viewed" };

    static async Task SendAsync(HttpClient product, IEnumerable<object> events)
    {
        var response = await product.PostAsync("/api/v1/usage", Json.Body(events));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

public sealed class UsageRollupOnSqliteTests(SqliteServer server) : UsageRollupTests(server), IClassFixture<SqliteServer>;

public sealed class UsageRollupOnPostgresTests(PostgresServer server) : UsageRollupTests(server), IClassFixture<PostgresServer>;
