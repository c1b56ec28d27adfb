using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;

namespace Reach.Forecasting;

/// <summary>A stage as forecasting sees it; <see cref="Prior"/> is the team's own probability, the model's starting point.</summary>
public sealed record ForecastStage(Guid Id, string Pipeline, Channel Channel, string Name, int Position, StageOutcome Outcome, double Prior);

/// <summary>The moment a deal entered a stage, from the stage-change log.</summary>
public readonly record struct StageEntry(Guid StageId, DateTime At);

/// <summary>
/// A deal with its stage log. The amount, expected close and forecast category are today's values: the log is the
/// only history Reach keeps, so a backtest sees them as they are now (docs/forecasting.md).
/// </summary>
public sealed record ForecastDeal(
    Guid Id,
    string Name,
    Channel Channel,
    DealKind Kind,
    decimal Amount,
    string Currency,
    Guid? OwnerId,
    DateTime CreatedAt,
    DateOnly? ExpectedClose,
    ForecastCategory Category,
    IReadOnlyList<StageEntry> Log,
    string? Segment = null);

/// <summary>
/// A deal won in the workspace (whoever owns it: the largest wins are a workspace fact, as the deal-size guardrail
/// reads them), with its account's segment and the instant it was won.
/// </summary>
public readonly record struct ForecastWin(Guid DealId, string? Segment, decimal Amount, string Currency, DateTime WonAt);

public sealed record ForecastRep(Guid Id, string Name, Guid? TeamId);

/// <summary>Where a deal stood at one instant, replayed from its stage log.</summary>
public readonly record struct DealState(ForecastStage Stage, DateTime EnteredAt)
{
    public bool IsOpen => Stage.Outcome == StageOutcome.Open;
    public bool IsWon => Stage.Outcome == StageOutcome.Won;
}

/// <summary>
/// Everything the forecast reads from a workspace, loaded once so that a backtest can replay it at many instants
/// without going back to the database. Tests and the benchmark build one in memory; without <c>wins</c>, the wins
/// are those of <c>deals</c>.
/// </summary>
public sealed class ForecastHistory(
    IEnumerable<ForecastStage> stages,
    IEnumerable<ForecastDeal> deals,
    IEnumerable<ForecastRep> reps,
    IReadOnlyDictionary<Guid, string> teams,
    IEnumerable<ForecastWin>? wins = null,
    decimal dealSizeFactor = ForecastHistory.DefaultDealSizeFactor)
{
    /// <summary>The deal-size guardrail's k when no workspace setting says otherwise (<see cref="Access.WorkspaceSettings.DealSizeFactor"/>).</summary>
    public const decimal DefaultDealSizeFactor = 3m;

    public IReadOnlyDictionary<Guid, ForecastStage> Stages { get; } = stages.ToDictionary(s => s.Id);
    public IReadOnlyList<ForecastDeal> Deals { get; } = [.. deals];
    public IReadOnlyDictionary<Guid, ForecastRep> Reps { get; } = reps.ToDictionary(r => r.Id);
    public IReadOnlyDictionary<Guid, string> Teams { get; } = teams;

    readonly ForecastWin[]? givenWins = wins is null ? null : [.. wins.OrderBy(w => w.WonAt).ThenBy(w => w.DealId)];
    ForecastWin[]? ownWins;

    /// <summary>
    /// Every won deal of the workspace in order of winning: what the deal-size rule measures deals against. Loaded from
    /// the database over every owner's deals; for a history built in memory, its own deals' wins.
    /// </summary>
    public IReadOnlyList<ForecastWin> Wins => givenWins ?? (ownWins ??= OwnWins());

    /// <summary>k of the deal-size guardrail (the workspace setting): a deal above k × the largest win before it is oversized.</summary>
    public decimal DealSizeFactor { get; } = dealSizeFactor;

    ForecastWin[] OwnWins()
    {
        var won = new List<ForecastWin>();
        foreach (var deal in Deals)
        {
            if (StateAt(deal, DateTime.MaxValue) is { IsWon: true } state)
                won.Add(new ForecastWin(deal.Id, deal.Segment, deal.Amount, deal.Currency, state.EnteredAt));
        }
        return [.. won.OrderBy(w => w.WonAt).ThenBy(w => w.DealId)];
    }

    /// <summary>The same history with <paramref name="deals"/> in place of its deals (converted amounts, say), and <paramref name="wins"/> in place of its wins if given.</summary>
    public ForecastHistory WithDeals(IEnumerable<ForecastDeal> deals, IEnumerable<ForecastWin>? wins = null) =>
        new(Stages.Values, deals, Reps.Values, Teams, wins ?? givenWins, DealSizeFactor);

    /// <summary>
    /// Reads pipelines, deals (not deleted ones) with their accounts' segments, their stage logs, reps and teams, and
    /// for the deal-size rule every won deal of the workspace and its factor.
    /// </summary>
    public static async Task<ForecastHistory> LoadAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).ToListAsync(cancellationToken);
        var stages = pipelines.SelectMany(p => p.Stages.Select(s =>
            new ForecastStage(s.Id, p.Name, p.Channel, s.Name, s.Position, s.Outcome, (double)s.Probability))).ToList();
        var firstStage = pipelines.ToDictionary(p => p.Id,
            p => p.Stages.Where(s => s.Outcome == StageOutcome.Open).OrderBy(s => s.Position).Select(s => s.Id).FirstOrDefault());

        var rows = await db.Deals.AsNoTracking()
            .Select(d => new
            {
                d.Id,
                d.Name,
                d.Channel,
                d.Kind,
                d.Amount,
                d.Currency,
                d.OwnerId,
                d.CreatedAt,
                d.ExpectedClose,
                d.ForecastCategory,
                d.PipelineId,
                d.StageId,
                d.StageEnteredAt,
                d.ClosedAt,
                Segment = d.Account == null ? null : d.Account.Segment,
            })
            // A fixed order: each deal's bootstrap weight is drawn by its position, so a seeded run is reproducible.
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        var changes = (await db.DealStageChanges.AsNoTracking()
                .Select(c => new { c.Id, c.DealId, c.FromStageId, c.ToStageId, c.At })
                .ToListAsync(cancellationToken))
            .OrderBy(c => c.At).ThenBy(c => c.Id)
            .ToLookup(c => c.DealId);

        var deals = new List<ForecastDeal>(rows.Count);
        foreach (var d in rows)
        {
            var log = changes[d.Id].Select(c => new StageEntry(c.ToStageId, c.At)).ToList();
            var first = changes[d.Id].FirstOrDefault();
            if (first is null)
            {
                // No log (a deal written before stage history existed, or imported without it): the pipeline's
                // first stage from creation, then the stage it is in now.
                var start = firstStage.GetValueOrDefault(d.PipelineId);
                if (start != Guid.Empty && start != d.StageId)
                    log.Add(new StageEntry(start, d.CreatedAt));
                log.Add(new StageEntry(d.StageId, log.Count == 0 ? d.CreatedAt : d.ClosedAt ?? d.StageEnteredAt));
            }
            else if (first.FromStageId is { } from && first.At > d.CreatedAt)
            {
                log.Insert(0, new StageEntry(from, d.CreatedAt));
            }
            deals.Add(new ForecastDeal(d.Id, d.Name, d.Channel, d.Kind, d.Amount, d.Currency, d.OwnerId, d.CreatedAt,
                d.ExpectedClose, d.ForecastCategory, log, d.Segment));
        }

        // Every owner's wins, as the guardrail reads them (a rep's forecast measures deals against the same largest wins).
        var wins = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking()
            .Where(d => d.Status == DealStatus.Won)
            .Select(d => new ForecastWin(d.Id, d.Account == null ? null : d.Account.Segment, d.Amount, d.Currency, d.ClosedAt ?? d.StageEnteredAt))
            .ToListAsync(cancellationToken);
        var factor = await db.WorkspaceSettings.AsNoTracking().Where(s => s.Id == Access.WorkspaceSettings.TheId).Select(s => (decimal?)s.DealSizeFactor).FirstOrDefaultAsync(cancellationToken);

        var reps = await db.Users.AsNoTracking().Select(u => new ForecastRep(u.Id, u.Name, u.TeamId)).ToListAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return new ForecastHistory(stages, deals, reps, teams, wins, factor ?? DefaultDealSizeFactor);
    }

    /// <summary>The deal's stage at <paramref name="at"/>; null when it did not exist yet or its log names unknown stages.</summary>
    public DealState? StateAt(ForecastDeal deal, DateTime at)
    {
        if (deal.CreatedAt > at || deal.Log.Count == 0)
            return null;
        var current = deal.Log[0];
        foreach (var entry in deal.Log)
        {
            if (entry.At > at)
                break;
            current = entry;
        }
        var enteredAt = current.At < deal.CreatedAt ? deal.CreatedAt : current.At;
        return Stages.TryGetValue(current.StageId, out var stage) ? new DealState(stage, enteredAt) : null;
    }

    /// <summary>
    /// The open stages a deal entered before <paramref name="end"/> (its close, or now for an open deal): for each, its
    /// last entry and when it left that stage (the next move, or <paramref name="end"/>).
    /// </summary>
    public static List<(Guid StageId, DateTime EnteredAt, DateTime LeftAt)> Visits(ForecastDeal deal, DateTime end, IReadOnlyDictionary<Guid, ForecastStage> stages)
    {
        var last = new Dictionary<Guid, int>();
        var visits = new List<(Guid StageId, DateTime EnteredAt, DateTime LeftAt)>();
        for (var i = 0; i < deal.Log.Count && deal.Log[i].At < end; i++)
        {
            var entry = deal.Log[i];
            if (!stages.TryGetValue(entry.StageId, out var stage) || stage.Outcome != StageOutcome.Open)
                continue;
            var left = i + 1 < deal.Log.Count && deal.Log[i + 1].At < end ? deal.Log[i + 1].At : end;
            var visit = (entry.StageId, entry.At < deal.CreatedAt ? deal.CreatedAt : entry.At, left);
            if (last.TryGetValue(entry.StageId, out var index))
                visits[index] = visit;
            else
            {
                last[entry.StageId] = visits.Count;
                visits.Add(visit);
            }
        }
        return visits;
    }
}
