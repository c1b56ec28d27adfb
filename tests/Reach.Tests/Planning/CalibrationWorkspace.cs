using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Pipelines;

namespace Reach.Tests.Planning;

/// <summary>
/// A small set of closed deals, dated relative to <c>asOf</c>, whose calibration against
/// <see cref="Plans.DocExampleYaml"/> is worked out by hand:
/// <list type="bullet">
/// <item>inside: 3 won (cycles 30, 60, 90 days; one in USD) and 2 lost → win rate 0.6, median cycle 60; reps A (there
/// all year) and B (joined 73 days into the window) → 1 + 292/365 = 1.8 rep-years in a 365-day window, 3 / 1.8 won
/// deals per rep-year; no flags against 0.20 and 60 days.</item>
/// <item>field: 1 won (300 days) and 5 lost by rep C → win rate 1/6 &lt; 0.8 × 0.25 (win_rate_optimistic), cycle 300 &gt;
/// 1.25 × 210 (cycle_underestimated), 1 won deal per rep-year.</item>
/// <item>self-service: no deals. Segment small (10–49 employees): EUR wins 4,000 and 5,000 → median 4,500 over 2
/// deals; micro: none. One won deal in USD is left out of the ACV medians.</item>
/// <item>Left out entirely: a win closed a day before the window, one closed at <c>asOf</c>, an expansion, an open
/// deal and a deleted win.</item>
/// </list>
/// </summary>
internal static class CalibrationWorkspace
{
    public static async Task<Database> CreateSqliteAsync(string directory, DateTime asOf)
    {
        var database = Database.Sqlite(Path.Combine(directory, "workspace.db"));
        await using var db = database.Open();
        await database.MigrateAsync(db);
        await SeedAsync(db, asOf);
        return database;
    }

    public static async Task SeedAsync(ReachDb db, DateTime asOf)
    {
        await DefaultPipelines.EnsureAsync(db);
        var pipelines = await db.Pipelines.Include(p => p.Stages).ToListAsync();
        var from = asOf.AddMonths(-12);

        var repA = new User { Name = "Ada", UserName = $"ada-{Guid.NewGuid():N}", Channel = Channel.Inside, CreatedAt = from.AddYears(-2) };
        var repB = new User { Name = "Ben", UserName = $"ben-{Guid.NewGuid():N}", Channel = Channel.Inside, CreatedAt = from.AddDays(73) };
        var repC = new User { Name = "Cy", UserName = $"cy-{Guid.NewGuid():N}", Channel = Channel.Field, CreatedAt = from.AddYears(-5) };
        db.Users.AddRange(repA, repB, repC);

        var small = new Account { Name = "Small Co", Employees = 20 };
        var small2 = new Account { Name = "Small Two", Employees = 30 };
        var large = new Account { Name = "Large Corp", Employees = 500 };
        db.Accounts.AddRange(small, small2, large);

        Deal Closed(Channel channel, bool won, DateTime closedAt, int cycleDays, User owner, decimal amount, Account account, string currency = "EUR")
        {
            var pipeline = pipelines.First(p => p.Channel == channel);
            var deal = new Deal
            {
                Name = $"{channel} {closedAt:yyyy-MM-dd}",
                AccountId = account.Id,
                Amount = amount,
                Currency = currency,
                Channel = channel,
                PipelineId = pipeline.Id,
                StageId = pipeline.Stages.First(s => s.Outcome == (won ? StageOutcome.Won : StageOutcome.Lost)).Id,
                OwnerId = owner.Id,
                Status = won ? DealStatus.Won : DealStatus.Lost,
                CreatedAt = closedAt.AddDays(-cycleDays),
                StageEnteredAt = closedAt,
                ClosedAt = closedAt,
            };
            db.Deals.Add(deal);
            return deal;
        }

        Closed(Channel.Inside, true, from.AddDays(100), 30, repA, 4000, small);
        Closed(Channel.Inside, true, from.AddDays(200), 90, repA, 5000, small2);
        Closed(Channel.Inside, true, from.AddDays(250), 60, repB, 9000, small, "USD");
        Closed(Channel.Inside, false, from.AddDays(150), 40, repA, 3000, small);
        Closed(Channel.Inside, false, from.AddDays(300), 40, repB, 3000, small2);

        var fieldWon = Closed(Channel.Field, true, from.AddDays(330), 300, repC, 50000, large);
        for (var i = 0; i < 5; i++)
            Closed(Channel.Field, false, from.AddDays(40 + (i * 50)), 100, repC, 60000, large);

        Closed(Channel.Inside, true, from.AddDays(-1), 10, repA, 100000, small);
        Closed(Channel.Inside, true, asOf, 10, repA, 100000, small);
        Closed(Channel.Inside, true, from.AddDays(20), 10, repA, 100000, small).Kind = DealKind.Expansion;
        var open = Closed(Channel.Inside, false, from.AddDays(20), 10, repA, 100000, small);
        open.Status = DealStatus.Open;
        open.ClosedAt = null;
        Closed(Channel.Inside, true, from.AddDays(20), 10, repA, 100000, small).DeletedAt = from.AddDays(30);

        // Leads by the plan channel they were routed to. Field: 10 in the window (1 became a deal: 10% against the
        // plan's 30%), one too recent (the window's last 30 days) and one before it. Inside: 1 of 4 (the plan's 25%).
        var leads = new List<Lead>();
        Lead Received(string channel, DateTime at, Guid? dealId = null)
        {
            var lead = new Lead { FirstName = $"{channel} {leads.Count}", ReceivedAt = at, ConvertedDealId = dealId };
            leads.Add(lead);
            db.Leads.Add(lead);
            return lead;
        }

        Received("field", from.AddDays(10), fieldWon.Id);
        for (var i = 1; i < 10; i++)
            Received("field", from.AddDays(10 + (i * 30)));
        Received("field", asOf.AddDays(-10));
        Received("field", from.AddDays(-5));
        Received("inside", from.AddDays(60), fieldWon.Id);
        for (var i = 1; i < 4; i++)
            Received("inside", from.AddDays(60 + i));

        await db.SaveChangesAsync();

        // Saving routes leads by the active plan (none here); set the routes a plan would have given them.
        foreach (var channel in new[] { "field", "inside" })
        {
            var ids = leads.Where(l => l.FirstName.StartsWith(channel, StringComparison.Ordinal)).Select(l => l.Id).ToList();
            await db.Leads.Where(l => ids.Contains(l.Id)).ExecuteUpdateAsync(u => u.SetProperty(l => l.RoutedChannel, channel));
        }
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTime utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc));
}
