using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Metrics;
using Reach.Pipelines;
using Reach.Products;
using Reach.Tests.Infrastructure;

namespace Reach.Tests.Metrics;

/// <summary>
/// A fixed workspace for the metric tests, seeded once per server: Q1 2027 against Q4 2026, "now" 10 March 2027,
/// workspace currency EUR. Edge cases on purpose: a deal in GBP (no rate) and one in CHF (a rate only from June), USD
/// with a rate that changes mid-quarter, a deal reopened after being won, a won deal without a close date, a deleted
/// won deal, an open deal without an expected close, planned meetings not yet held, touches without a channel.
/// Segments (as a plan's routing would write them): tiers A and C "Mid-market", B "SMB", the untiered account none;
/// lead L3 (converted to that account) falls back on its own route, "SMB", as does the unconverted L4 ("Mid-market").
/// Where the sources disagree the order decides: L6 (own route SMB, converted account SMB) went to D1 (Mid-market) and
/// L7 (own route SMB) to tier C's account (Mid-market): both Mid-market; the e-mail on D9 (SMB) logged on tier A's
/// account counts for SMB.
/// </summary>
public sealed class MetricsWorkspace
{
    public static readonly DateTime Now = Utc(2027, 3, 10, 12);
    public static readonly DateTime QuarterStart = Utc(2027, 1, 1);
    public static readonly DateTime QuarterEnd = Utc(2027, 4, 1);

    static readonly ConditionalWeakTable<ReachServer, Task<MetricsWorkspace>> Seeded = [];
    static readonly Lock Gate = new();

    public required User RepA { get; init; }
    public required string RepAToken { get; init; }
    public required User RepB { get; init; }
    public required string RepBToken { get; init; }
    public required User RepC { get; init; }
    public required User Manager { get; init; }
    public required string ManagerToken { get; init; }
    public required Guid EastTeam { get; init; }
    public required Guid ProductId { get; init; }

    public static DateTime Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);

    public static Task<MetricsWorkspace> ForAsync(ReachServer server)
    {
        lock (Gate)
        {
            if (!Seeded.TryGetValue(server, out var task))
            {
                task = SeedAsync(server);
                Seeded.Add(server, task);
            }
            return task;
        }
    }

    static async Task<MetricsWorkspace> SeedAsync(ReachServer server)
    {
        var (repA, tokenA) = await server.AddUserAsync(UserRole.Rep, "Rep A", "East");
        var (repB, tokenB) = await server.AddUserAsync(UserRole.Rep, "Rep B", "West");
        var (repC, _) = await server.AddUserAsync(UserRole.Rep, "Rep C");
        var (manager, managerToken) = await server.AddUserAsync(UserRole.Manager, "Manager East", "East");
        await using var db = server.OpenDb();
        db.RecordsAudit = false;
        await db.Users.Where(u => u.Id == repA.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Channel, Channel.Inside));
        await db.Users.Where(u => u.Id == repB.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Channel, Channel.Field));
        var east = await db.Teams.Where(t => t.Name == "East").Select(t => t.Id).SingleAsync();

        var pipelines = await db.Pipelines.Include(p => p.Stages).ToListAsync();
        Stage StageOf(Channel channel, string name) => pipelines.Single(p => p.Channel == channel).Stages.Single(s => s.Name == name);

        var accounts = new[] { Tier.A, Tier.B, Tier.C }.Select(t => new Account { Name = $"Tier {t} Ltd", Tier = t, TierSetByHand = true }).ToList();
        var untiered = new Account { Name = "No tier GmbH" };
        db.Accounts.AddRange([.. accounts, untiered]);
        var product = new Product { Name = "Seats", ListPrice = 100, Currency = "EUR" };
        db.Products.Add(product);

        Deal Deal(string name, Channel channel, DealStatus status, decimal amount, string currency, DateTime created, DateTime? closed, Guid? owner, Account account,
            DealKind kind = DealKind.New, DateOnly? expected = null)
        {
            var stage = status switch
            {
                DealStatus.Won => StageOf(channel, "Won"),
                DealStatus.Lost => StageOf(channel, "Lost"),
                _ => pipelines.Single(p => p.Channel == channel).Stages.OrderBy(s => s.Position).First(),
            };
            var deal = new Deal
            {
                Name = name,
                Channel = channel,
                Status = status,
                Amount = amount,
                Currency = currency,
                CreatedAt = created,
                ClosedAt = closed,
                OwnerId = owner,
                AccountId = account.Id,
                Kind = kind,
                ExpectedClose = expected,
                StageId = stage.Id,
                PipelineId = stage.PipelineId,
                StageEnteredAt = closed ?? created,
            };
            db.Deals.Add(deal);
            return deal;
        }
        var (a, b, c) = (accounts[0], accounts[1], accounts[2]);
        var d1 = Deal("D1 inside won EUR", Channel.Inside, DealStatus.Won, 10000, "EUR", Utc(2026, 12, 1), Utc(2027, 1, 15), repA.Id, a);
        Deal("D2 inside won USD", Channel.Inside, DealStatus.Won, 20000, "USD", Utc(2027, 1, 10), Utc(2027, 2, 20), repA.Id, b);
        var d3 = Deal("D3 field won USD", Channel.Field, DealStatus.Won, 100000, "USD", Utc(2026, 10, 1), Utc(2027, 2, 1), repB.Id, a);
        Deal("D4 field expansion", Channel.Field, DealStatus.Won, 30000, "EUR", Utc(2027, 1, 20), Utc(2027, 3, 1), repB.Id, c, DealKind.Expansion);
        var d5 = Deal("D5 self-service won", Channel.SelfService, DealStatus.Won, 1200, "EUR", Utc(2027, 2, 1), Utc(2027, 2, 3), null, untiered);
        Deal("D6 self-service GBP", Channel.SelfService, DealStatus.Won, 800, "GBP", Utc(2027, 2, 5), Utc(2027, 2, 6), null, untiered);
        Deal("D7 inside lost", Channel.Inside, DealStatus.Lost, 5000, "EUR", Utc(2027, 1, 5), Utc(2027, 2, 10), repA.Id, b).LostReason = "No budget";
        Deal("D8 field lost", Channel.Field, DealStatus.Lost, 50000, "EUR", Utc(2026, 11, 1), Utc(2027, 3, 5), repB.Id, a).LostReason = "Competitor";
        var d9 = Deal("D9 inside reopened", Channel.Inside, DealStatus.Open, 7000, "EUR", Utc(2027, 1, 2), null, repA.Id, b, expected: new DateOnly(2027, 3, 25));
        Deal("D10 field won undated", Channel.Field, DealStatus.Won, 40000, "EUR", Utc(2027, 1, 3), null, repB.Id, c);
        Deal("D11 inside open later", Channel.Inside, DealStatus.Open, 12000, "EUR", Utc(2027, 2, 10), null, repA.Id, a, expected: new DateOnly(2027, 4, 20));
        Deal("D12 field open USD", Channel.Field, DealStatus.Open, 60000, "USD", Utc(2027, 3, 1), null, repB.Id, a, expected: new DateOnly(2027, 3, 30));
        var d13 = Deal("D13 inside won Q4", Channel.Inside, DealStatus.Won, 9000, "EUR", Utc(2026, 10, 5), Utc(2026, 11, 20), repA.Id, b);
        Deal("D14 field won CHF", Channel.Field, DealStatus.Won, 3000, "CHF", Utc(2027, 1, 4), Utc(2027, 1, 30), repB.Id, c);
        Deal("D15 inside deleted", Channel.Inside, DealStatus.Won, 99999, "EUR", Utc(2027, 1, 6), Utc(2027, 1, 7), repA.Id, a).DeletedAt = Utc(2027, 1, 8);
        Deal("D16 inside open undated", Channel.Inside, DealStatus.Open, 4000, "EUR", Utc(2027, 2, 12), null, repA.Id, b);
        d5.LineItems.Add(new DealLineItem { ProductId = product.Id, UnitPrice = 100, Quantity = 12 });
        d3.LineItems.Add(new DealLineItem { ProductId = product.Id, UnitPrice = 100, Quantity = 10 });
        await db.SaveChangesAsync();

        // Stage history: proposals (D9 twice: sent, won, reopened back to Proposal), the reopening itself.
        var insideProposal = StageOf(Channel.Inside, "Proposal");
        db.DealStageChanges.AddRange(
            new DealStageChange { DealId = d1.Id, ToStageId = insideProposal.Id, At = Utc(2027, 1, 5) },
            new DealStageChange { DealId = d9.Id, ToStageId = insideProposal.Id, At = Utc(2027, 1, 20) },
            new DealStageChange { DealId = d9.Id, FromStageId = insideProposal.Id, ToStageId = StageOf(Channel.Inside, "Won").Id, At = Utc(2027, 2, 1) },
            new DealStageChange { DealId = d9.Id, FromStageId = StageOf(Channel.Inside, "Won").Id, ToStageId = insideProposal.Id, At = Utc(2027, 2, 15) },
            new DealStageChange { DealId = d3.Id, ToStageId = StageOf(Channel.Field, "Proposal").Id, At = Utc(2026, 12, 15) },
            new DealStageChange { DealId = d13.Id, ToStageId = insideProposal.Id, At = Utc(2026, 11, 1) });

        Lead Lead(string name, DateTime received, Guid? owner, Guid? convertedDeal = null, Guid? convertedAccount = null)
        {
            var lead = new Lead { FirstName = name, ReceivedAt = received, OwnerId = owner, ConvertedDealId = convertedDeal, ConvertedAccountId = convertedAccount };
            db.Leads.Add(lead);
            return lead;
        }
        var l1 = Lead("L1", Utc(2027, 1, 3, 9), repA.Id);
        var l2 = Lead("L2", Utc(2027, 1, 10, 10), repB.Id);
        var l3 = Lead("L3", Utc(2027, 2, 1, 8), null, d5.Id, untiered.Id);
        var l4 = Lead("L4", Utc(2027, 2, 15), null);
        var l5 = Lead("L5", Utc(2026, 12, 1), repA.Id);
        var l6 = Lead("L6", Utc(2027, 3, 2, 10), repA.Id, d1.Id, b.Id);
        var l7 = Lead("L7", Utc(2027, 3, 3, 10), repB.Id, convertedAccount: c.Id);

        void Activity(ActivityType type, DateTime at, Guid? owner, Guid? deal = null, Guid? lead = null, DateTime? due = null, DateTime? completed = null, Guid? account = null) =>
            db.Activities.Add(new Activity
            {
                Type = type,
                Subject = $"{type} {at:yyyy-MM-dd}",
                OccurredAt = at,
                OwnerId = owner,
                DealId = deal,
                LeadId = lead,
                DueAt = due,
                CompletedAt = completed,
                AccountId = account,
            });
        Activity(ActivityType.Note, Utc(2027, 1, 3, 10), repA.Id, lead: l1.Id);
        Activity(ActivityType.Call, Utc(2027, 1, 3, 11), repA.Id, lead: l1.Id);
        Activity(ActivityType.Note, Utc(2027, 1, 10, 11), repB.Id, lead: l2.Id);
        Activity(ActivityType.Email, Utc(2027, 1, 11, 10), repB.Id, lead: l2.Id);
        Activity(ActivityType.Call, Utc(2027, 1, 12, 10), repB.Id, lead: l2.Id);
        Activity(ActivityType.Email, Utc(2027, 2, 1, 8).AddMinutes(30), null, lead: l3.Id);
        Activity(ActivityType.Call, Utc(2026, 12, 2), repA.Id, lead: l5.Id);
        Activity(ActivityType.Call, Utc(2027, 1, 12), repA.Id, deal: d1.Id);
        Activity(ActivityType.Meeting, Utc(2027, 2, 2), repB.Id, deal: d3.Id, due: Utc(2027, 2, 2), completed: Utc(2027, 2, 2));
        Activity(ActivityType.Meeting, Utc(2027, 3, 20), repB.Id, deal: d3.Id, due: Utc(2027, 3, 20));
        Activity(ActivityType.Meeting, Utc(2027, 3, 5), repA.Id, deal: d9.Id, due: Utc(2027, 3, 5));
        Activity(ActivityType.Meeting, Utc(2027, 3, 8), repA.Id, deal: d9.Id);
        Activity(ActivityType.Email, Utc(2027, 3, 9), repA.Id, deal: d9.Id, account: a.Id);
        Activity(ActivityType.Email, Utc(2027, 1, 20), repC.Id);
        Activity(ActivityType.Social, Utc(2027, 2, 11), null, deal: d5.Id);
        Activity(ActivityType.Note, Utc(2027, 1, 15), repA.Id, deal: d1.Id);
        Activity(ActivityType.Task, Utc(2027, 1, 16), repA.Id, deal: d1.Id, due: Utc(2027, 1, 16), completed: Utc(2027, 1, 16));
        Activity(ActivityType.Meeting, Utc(2026, 12, 10), repA.Id, deal: d13.Id);

        db.ExchangeRates.AddRange(
            new ExchangeRate { Currency = "USD", Rate = 0.9m, ValidFrom = new DateOnly(2026, 12, 1) },
            new ExchangeRate { Currency = "USD", Rate = 0.8m, ValidFrom = new DateOnly(2027, 2, 15) },
            new ExchangeRate { Currency = "CHF", Rate = 1.05m, ValidFrom = new DateOnly(2027, 6, 1) });
        db.Targets.AddRange(
            new Target { Metric = "bookings", PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 4, 1), Value = 200000 },
            new Target { Metric = "bookings", PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 2, 1), Channel = Channel.Inside, Value = 10000 },
            new Target { Metric = "bookings", PeriodStart = new DateOnly(2027, 2, 1), PeriodEnd = new DateOnly(2027, 3, 1), Channel = Channel.Inside, Value = 20000 },
            new Target { Metric = "win_rate", PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 4, 1), Value = 0.5m },
            new Target { Metric = "bookings", PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 4, 1), UserId = repA.Id, Value = 50000 },
            new Target { Metric = "bookings", PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 4, 1), UserId = repB.Id, Value = 150000 });
        db.ChannelCosts.AddRange(
            new ChannelCost { Channel = Channel.Inside, PeriodStart = new DateOnly(2027, 1, 1), PeriodEnd = new DateOnly(2027, 4, 1), Amount = 30000, Currency = "EUR" },
            new ChannelCost { Channel = Channel.Field, PeriodStart = new DateOnly(2027, 2, 1), PeriodEnd = new DateOnly(2027, 5, 1), Amount = 8900, Currency = "USD" });
        await db.SaveChangesAsync();

        // Written as routing writes them, after the save (which routes new records by the active plan: there is none).
        await db.Accounts.Where(x => x.Id == a.Id || x.Id == c.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Segment, "Mid-market"));
        await db.Accounts.Where(x => x.Id == b.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Segment, "SMB"));
        await db.Leads.Where(x => x.Id == l3.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Segment, "SMB"));
        await db.Leads.Where(x => x.Id == l4.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Segment, "Mid-market"));
        await db.Leads.Where(x => x.Id == l6.Id || x.Id == l7.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.Segment, "SMB"));

        return new MetricsWorkspace
        {
            RepA = repA,
            RepAToken = tokenA,
            RepB = repB,
            RepBToken = tokenB,
            RepC = repC,
            Manager = manager,
            ManagerToken = managerToken,
            EastTeam = east,
            ProductId = product.Id,
        };
    }
}
