using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Deals;
using Reach.Forecasting;
using Reach.Pipelines;

namespace Reach.Tests.Forecasting;

/// <summary>Small histories built by hand, in memory, on one pipeline: A (prior 0.5) → B (prior 0.8) → Won | Lost.</summary>
internal sealed class Histories
{
    public static readonly ForecastStage A = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"), "Inside sales", Channel.Inside, "A", 1, StageOutcome.Open, 0.5);
    public static readonly ForecastStage B = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"), "Inside sales", Channel.Inside, "B", 2, StageOutcome.Open, 0.8);
    public static readonly ForecastStage Won = new(Guid.Parse("00000000-0000-0000-0000-0000000000f1"), "Inside sales", Channel.Inside, "Won", 3, StageOutcome.Won, 1);
    public static readonly ForecastStage Lost = new(Guid.Parse("00000000-0000-0000-0000-0000000000f0"), "Inside sales", Channel.Inside, "Lost", 4, StageOutcome.Lost, 0);

    readonly List<ForecastDeal> deals = [];

    /// <summary>A deal created at <paramref name="created"/> in A, then moved to each stage after the given days.</summary>
    public ForecastDeal Add(DateTime created, decimal amount, params (ForecastStage Stage, double Days)[] moves) =>
        Add(created, amount, DealKind.New, null, moves);

    public ForecastDeal Add(DateTime created, decimal amount, DealKind kind, DateOnly? expectedClose, params (ForecastStage Stage, double Days)[] moves)
    {
        var deal = new ForecastDeal(Guid.NewGuid(), $"Deal {deals.Count + 1}", Channel.Inside, kind, amount, "EUR", null, created, expectedClose,
            ForecastCategory.Pipeline, [new StageEntry(A.Id, created), .. moves.Select(m => new StageEntry(m.Stage.Id, created.AddDays(m.Days)))]);
        deals.Add(deal);
        return deal;
    }

    /// <summary>A deal as <c>Add</c> makes it, of an account in <paramref name="segment"/>.</summary>
    public ForecastDeal AddIn(string? segment, DateTime created, decimal amount, params (ForecastStage Stage, double Days)[] moves)
    {
        var deal = Add(created, amount, moves) with { Segment = segment };
        deals[^1] = deal;
        return deal;
    }

    public ForecastHistory Build(decimal dealSizeFactor = ForecastHistory.DefaultDealSizeFactor) =>
        new([A, B, Won, Lost], deals, [], new Dictionary<Guid, string>(), dealSizeFactor: dealSizeFactor);
}

/// <summary>
/// A workspace in the database, dated relative to <c>now</c>, worked out by hand (default smoothing: prior 1, kind 10):
/// <list type="bullet">
/// <item>Inside, Qualified (the team's prior 0.10): 5 deals lost after 10 days there, 5 won after 30, all closed 70
/// days before now; one won after 40 days, a second before now (5,000 EUR, booked in the current period).</item>
/// <item>Open: one deal of 2,000 EUR in Qualified for 5 days, expected to close tomorrow, committed. Past 5 days in
/// the stage, 6 of 11 deals were won: the stage's rate is (6 + 1 × 0.1) / 12, the kind's (6 + 10 × that) / 21 =
/// 0.52778; the wins came 25 (five) and 35 (one) days later, so the earliest plausible close (P10) is in 25 days and
/// tomorrow is flagged cycle_underestimated.</item>
/// <item>One open deal in USD, left out.</item>
/// </list>
/// </summary>
internal static class ForecastWorkspace
{
    public const double OpenDealWinProbability = 11.0833333333333333 / 21;

    public static async Task SeedAsync(ReachDb db, DateTime now)
    {
        await DefaultPipelines.EnsureAsync(db);
        var pipeline = await db.Pipelines.Include(p => p.Stages).FirstAsync(p => p.Channel == Channel.Inside);
        var qualified = pipeline.Stages.First(s => s.Name == "Qualified");
        var won = pipeline.Stages.First(s => s.Outcome == StageOutcome.Won);
        var lost = pipeline.Stages.First(s => s.Outcome == StageOutcome.Lost);
        var account = new Account { Name = "Acme" };
        db.Accounts.Add(account);

        Deal New(decimal amount, DateTime created, string currency = "EUR")
        {
            var deal = new Deal
            {
                Name = $"Deal {amount} {created:yyyy-MM-dd}",
                AccountId = account.Id,
                Amount = amount,
                Currency = currency,
                Channel = Channel.Inside,
                PipelineId = pipeline.Id,
                StageId = qualified.Id,
                StageEnteredAt = created,
                CreatedAt = created,
            };
            db.Deals.Add(deal);
            db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, ToStageId = qualified.Id, At = created });
            return deal;
        }

        void Move(Deal deal, Stage stage, DateTime at) => db.DealStageChanges.Add(deal.MoveTo(stage, at, null));

        for (var i = 0; i < 5; i++)
        {
            Move(New(1000, now.AddDays(-80)), lost, now.AddDays(-70));
            Move(New(1000, now.AddDays(-100)), won, now.AddDays(-70));
        }
        Move(New(5000, now.AddDays(-40)), won, now.AddSeconds(-1));
        var open = New(2000, now.AddDays(-5));
        open.ExpectedClose = DateOnly.FromDateTime(now).AddDays(1);
        open.ForecastCategory = ForecastCategory.Commit;
        New(9000, now.AddDays(-5), "USD");
        await db.SaveChangesAsync();
    }
}
