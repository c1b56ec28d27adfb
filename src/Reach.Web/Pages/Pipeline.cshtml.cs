using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Pipelines;
using Reach.Web.Access;

namespace Reach.Web.Pages;

/// <summary>
/// The kanban board of one pipeline (one per channel); a card moved to a column moves the deal, through the same
/// <see cref="DealInput"/> rules as the API. Each column shows its count, sum and weighted sum in the workspace currency
/// and its first <see cref="PageSize"/> cards; "show more" fetches the next ones.
/// </summary>
public sealed class PipelineModel(ReachDb db) : PageModel
{
    public const int PageSize = 40;

    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public List<Pipeline> Pipelines { get; private set; } = [];
    public Pipeline? Current { get; private set; }
    public List<Column> Columns { get; private set; } = [];
    public List<User> Owners { get; private set; } = [];
    public List<string> LostReasons { get; private set; } = [];
    public Guid? Owner { get; private set; }
    public DateTime Now { get; private set; }
    public RouteFilter Route { get; private set; } = null!;
    public string Currency { get; private set; } = "EUR";

    /// <summary>A stage's column: its totals over every deal it holds, the cards of its first page, the usual stay.</summary>
    public sealed record Column(Stage Stage, ColumnTotals Totals, List<Deal> Cards, double? UsualDays);

    /// <summary>
    /// A column's count, sum and probability-weighted sum in the workspace currency; <see cref="Unconverted"/> names the
    /// currencies without a rate, whose deals are counted but left out of the sums.
    /// </summary>
    public sealed record ColumnTotals(Guid StageId, int Count, decimal Sum, decimal Weighted, IReadOnlyList<string> Unconverted);

    public async Task OnGetAsync(Guid? pipeline, string? owner, CancellationToken cancellationToken)
    {
        Now = db.UtcNow;
        Currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        Pipelines = [.. (await db.Pipelines.AsNoTracking().Include(p => p.Stages).ToListAsync(cancellationToken)).OrderBy(p => p.Channel).ThenBy(p => p.Name)];
        var mine = await db.Users.AsNoTracking().Where(u => u.Id == Actor.UserId).Select(u => u.Channel).FirstOrDefaultAsync(cancellationToken);
        // A rep starts on their channel's board; a manager or admin on the board with most of what they can see.
        var busiest = mine is null
            ? await db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Open).GroupBy(d => d.PipelineId).OrderByDescending(g => g.Count()).Select(g => (Guid?)g.Key).FirstOrDefaultAsync(cancellationToken)
            : null;
        Current = Pipelines.FirstOrDefault(p => p.Id == pipeline) ?? Pipelines.FirstOrDefault(p => p.Channel == mine) ?? Pipelines.FirstOrDefault(p => p.Id == busiest) ?? Pipelines.FirstOrDefault();
        Owners = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Role != UserRole.Admin).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        Owner = await OwnerOfAsync(owner, cancellationToken);
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        LostReasons = await db.LostReasons.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).Select(r => r.Name).ToListAsync(cancellationToken);
        if (Current is null)
            return;
        var stages = Current.Stages.OrderBy(s => s.Position).ToList();
        var deals = BoardDeals(Current.Id);
        var totals = await TotalsAsync(deals, stages, cancellationToken);
        var usual = await UsualDaysAsync(stages, cancellationToken);
        var guardrail = await Reach.Expansion.DealSizeGuardrail.LoadAsync(db, cancellationToken);
        foreach (var stage in stages)
        {
            var cards = await Page(deals, stage.Id, 0).ToListAsync(cancellationToken);
            await guardrail.AnnotateAsync(db, cards, cancellationToken);
            Columns.Add(new Column(stage, totals[stage.Id], cards, usual.TryGetValue(stage.Id, out var days) ? days : null));
        }
    }

    /// <summary>The next cards of a column ("show more"), as HTML for the board's script.</summary>
    public async Task<IActionResult> OnGetCardsAsync(Guid pipeline, Guid stage, int skip, string? owner, CancellationToken cancellationToken)
    {
        Now = db.UtcNow;
        Owner = await OwnerOfAsync(owner, cancellationToken);
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        Current = await db.Pipelines.AsNoTracking().Include(p => p.Stages).FirstOrDefaultAsync(p => p.Id == pipeline, cancellationToken);
        var column = Current?.Stages.FirstOrDefault(s => s.Id == stage);
        if (Current is null || column is null)
            return NotFound();
        Owners = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Role != UserRole.Admin).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        double? usual = (await UsualDaysAsync([column], cancellationToken)).TryGetValue(stage, out var days) ? days : null;
        var cards = await Page(BoardDeals(pipeline), stage, Math.Max(0, skip)).ToListAsync(cancellationToken);
        await (await Reach.Expansion.DealSizeGuardrail.LoadAsync(db, cancellationToken)).AnnotateAsync(db, cards, cancellationToken);
        var stages = Current.Stages.OrderBy(s => s.Position).ToList();
        return Partial("_PipelineCards", new PipelineCards(this, stages, new Column(column, new ColumnTotals(stage, 0, 0, 0, []), cards, usual)));
    }

    /// <summary>
    /// Moves a deal (drag-and-drop or the card's select) through <see cref="DealInput"/>, so a lost deal needs a reason from
    /// the list and the move records who made it. Answers JSON with every column's new totals to scripts, a redirect to forms.
    /// </summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid dealId, Guid stageId, long? version, string? lostReason, CancellationToken cancellationToken)
    {
        var script = Request.Headers.ContainsKey("RequestVerificationToken");
        IActionResult Refuse(int status, string message, string? field = null) =>
            script ? new JsonResult(new { message, field }) { StatusCode = status } : status == 404 ? NotFound() : BadRequest(message);
        var deal = await db.Deals.FirstOrDefaultAsync(d => d.Id == dealId, cancellationToken);
        if (deal is null)
            return Refuse(404, "No such deal, or it is not shared with you.");
        var stage = await db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId && s.PipelineId == deal.PipelineId, cancellationToken);
        if (stage is null)
            return Refuse(400, "That stage is not in this deal's pipeline.", "stageId");
        if (version is not null && version != deal.Version)
            return script ? Refuse(412, "Someone changed this deal meanwhile; reload the board.") : Redirect(Request.Path + Request.QueryString);
        if (deal.StageId != stage.Id && RecordChanges.LostWithoutReason(stage, lostReason) is { } why)
            return Refuse(400, why, "lostReason");
        var from = deal.StageId;
        try
        {
            var input = DealInput.From(deal) with { StageId = stage.Id, LostReason = stage.Outcome == StageOutcome.Lost ? lostReason ?? deal.LostReason : null };
            InputRules.Validate(input);
            await input.ApplyAsync(db, deal, cancellationToken);
            if (!await db.SaveIfUnchangedAsync(deal, version ?? deal.Version, cancellationToken))
                return script ? Refuse(412, "Someone changed this deal meanwhile; reload the board.") : Redirect(Request.Path + Request.QueryString);
        }
        catch (InputException e)
        {
            var (field, messages) = e.Errors.First();
            return Refuse(400, string.Join(" ", messages), field);
        }
        catch (AccessDeniedException e) when (script)
        {
            return new JsonResult(new { message = e.Message }) { StatusCode = 403 };
        }
        if (!script)
            return Redirect($"/Pipeline?pipeline={deal.PipelineId}");
        Currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        Now = db.UtcNow;
        Owner = await OwnerOfAsync(Request.Query["owner"], cancellationToken);
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        var stages = await db.Stages.AsNoTracking().Where(s => s.PipelineId == deal.PipelineId).ToListAsync(cancellationToken);
        var totals = await TotalsAsync(BoardDeals(deal.PipelineId), stages, cancellationToken);
        return new JsonResult(new
        {
            version = deal.Version,
            stage = stage.Name,
            from,
            lostReason = deal.LostReason,
            totals = totals.Values.Select(t => new { stage = t.StageId, count = t.Count, sum = Money(t.Sum), weighted = Money(t.Weighted), unconverted = Unconverted(t) }),
        });
    }

    /// <summary>
    /// How long a deal usually sits in each open stage: the days an admin set on the stage (Administration → Pipelines),
    /// else the median stay of the last two years of moves out of it; none for a stage with neither.
    /// </summary>
    async Task<Dictionary<Guid, double>> UsualDaysAsync(IReadOnlyList<Stage> stages, CancellationToken cancellationToken)
    {
        var open = stages.Where(s => s.Outcome == StageOutcome.Open).ToList();
        var unset = open.Where(s => s.UsualDaysInStage is null).Select(s => s.Id).ToList();
        var medians = unset.Count == 0 ? [] : await StageDurations.MedianDaysAsync(db, unset, Now.AddYears(-2), cancellationToken);
        var usual = new Dictionary<Guid, double>();
        foreach (var stage in open)
        {
            if (stage.UsualDaysInStage is { } set)
                usual[stage.Id] = set;
            else if (medians.TryGetValue(stage.Id, out var median))
                usual[stage.Id] = median;
        }
        return usual;
    }

    /// <summary>
    /// The owner filter as the lists and the API read it (<see cref="Reach.Lists.ListFilter.OwnerIdAsync"/>): a user's id or
    /// e-mail. An e-mail nobody has shows an empty board, not every deal.
    /// </summary>
    async Task<Guid?> OwnerOfAsync(string? owner, CancellationToken cancellationToken)
    {
        try
        {
            return await Reach.Lists.ListFilter.OwnerIdAsync(db, owner, cancellationToken);
        }
        catch (InputException)
        {
            return Guid.Empty;
        }
    }

    /// <summary>Open deals, and those closed in the last 30 days so a win stays visible for a while; by owner and route.</summary>
    IQueryable<Deal> BoardDeals(Guid pipelineId)
    {
        var since = Now.AddDays(-30);
        var deals = db.Deals.AsNoTracking().Where(d => d.PipelineId == pipelineId && (d.Status == DealStatus.Open || d.ClosedAt >= since));
        if (Owner is not null)
            deals = deals.Where(d => d.OwnerId == Owner);
        var accounts = Route.Apply(db.Accounts.AsNoTracking());
        if (Route.Segment is not null || Route.Channel is not null || Route.DeadZone is not null)
            deals = deals.Where(d => accounts.Any(a => a.Id == d.AccountId));
        return deals;
    }

    static IQueryable<Deal> Page(IQueryable<Deal> deals, Guid stageId, int skip) =>
        deals.Include(d => d.Account).Where(d => d.StageId == stageId).OrderByDescending(d => d.StageEnteredAt).ThenBy(d => d.Id).Skip(skip).Take(PageSize);

    /// <summary>Every column's totals in one grouped query, converted at today's rates.</summary>
    async Task<Dictionary<Guid, ColumnTotals>> TotalsAsync(IQueryable<Deal> deals, IReadOnlyList<Stage> stages, CancellationToken cancellationToken)
    {
        var groups = await deals.GroupBy(d => new { d.StageId, d.Currency })
            .Select(g => new { g.Key.StageId, g.Key.Currency, Count = g.Count(), Sum = g.Sum(d => d.Amount) })
            .ToListAsync(cancellationToken);
        var converter = await CurrencyConverter.LoadAsync(db, Currency, cancellationToken);
        var totals = new Dictionary<Guid, ColumnTotals>();
        foreach (var stage in stages)
        {
            var (count, sum) = (0, 0m);
            var unconverted = new List<string>();
            foreach (var g in groups.Where(g => g.StageId == stage.Id))
            {
                count += g.Count;
                if (converter.Convert(g.Sum, g.Currency, Now) is { } converted)
                    sum += converted;
                else
                    unconverted.Add(g.Currency);
            }
            totals[stage.Id] = new ColumnTotals(stage.Id, count, Math.Round(sum), Math.Round(sum * stage.Probability), unconverted);
        }
        return totals;
    }

    public string Money(decimal amount) => Format.Money(amount, Currency);

    /// <summary>The mark's explanation when some deals of a column have no exchange rate, else null.</summary>
    public static string? Unconverted(ColumnTotals totals) => totals.Unconverted.Count == 0 ? null
        : $"No exchange rate for {string.Join(", ", totals.Unconverted)}: those deals are counted but left out of the sums.";

    public string OwnerName(Guid? id) => Owners.FirstOrDefault(u => u.Id == id)?.Name ?? "—";

    public static string Percent(decimal probability) => probability.ToString("P0", CultureInfo.InvariantCulture);
}

/// <summary>What the cards partial draws: the board (for names and stages) and one column's cards.</summary>
public sealed record PipelineCards(PipelineModel Board, IReadOnlyList<Stage> Stages, PipelineModel.Column Column);
