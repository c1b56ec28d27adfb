using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Lists;

namespace Reach.Web.Pages.Deals;

/// <summary>The deals as a sortable, filterable table (the board's other view).</summary>
public sealed class IndexModel(ReachDb db) : PageModel
{
    public List<Deal> Deals { get; private set; } = [];
    public Dictionary<Guid, string> Owners { get; private set; } = [];
    public string Sort { get; private set; } = "-amount";
    public string? Q { get; private set; }
    public DealStatus? Status { get; private set; }
    public Channel? Channel { get; private set; }
    public BulkBar Bulk { get; private set; } = null!;

    /// <summary>Open deals shown whose expected close is implausibly early against their stage's history.</summary>
    public HashSet<Guid> Underestimated { get; private set; } = [];

    public async Task OnGetAsync(string? q, DealStatus? status, Channel? channel, string? sort, CancellationToken cancellationToken)
    {
        (Q, Status, Channel) = (q, status ?? DealStatus.Open, channel);
        Sort = sort is "name" or "-name" or "amount" or "-amount" or "expectedClose" or "-expectedClose" or "stageEnteredAt" or "-stageEnteredAt" ? sort : "-amount";
        var deals = new ListFilter { Q = q, DealStatus = Status, Channel = channel }.Apply(db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage));
        deals = Sort switch
        {
            "name" => deals.OrderBy(d => d.Name),
            "-name" => deals.OrderByDescending(d => d.Name),
            "amount" => deals.OrderBy(d => (double)d.Amount),
            "expectedClose" => deals.OrderBy(d => d.ExpectedClose),
            "-expectedClose" => deals.OrderByDescending(d => d.ExpectedClose),
            "stageEnteredAt" => deals.OrderBy(d => d.StageEnteredAt),
            "-stageEnteredAt" => deals.OrderByDescending(d => d.StageEnteredAt),
            _ => deals.OrderByDescending(d => (double)d.Amount),
        };
        Deals = await deals.Take(200).ToListAsync(cancellationToken);
        Owners = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var stages = await db.Stages.AsNoTracking().Join(db.Pipelines, s => s.PipelineId, p => p.Id, (s, p) => new { s.Id, s.Name, s.Position, s.Outcome, Pipeline = p.Name })
            .OrderBy(s => s.Pipeline).ThenBy(s => s.Position).ToListAsync(cancellationToken);
        Bulk = new BulkBar("deal", await RecordChanges.OwnerChoicesAsync(db, Reach.Web.Access.ReachAccess.RequireActor(HttpContext), cancellationToken))
        {
            Stages = [.. stages.Select(s => (s.Id, $"{s.Pipeline} · {s.Name}"))],
            LostStages = stages.Where(s => s.Outcome == Reach.Pipelines.StageOutcome.Lost).Select(s => s.Id).ToHashSet(),
            LostReasons = await db.LostReasons.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).Select(r => r.Name).ToListAsync(cancellationToken),
        };
        var open = Deals.Where(d => d.Status == DealStatus.Open).Select(d => d.Id).ToList();
        if (open.Count > 0)
        {
            Underestimated = [.. (await Reach.Forecasting.Forecaster.AssessAsync(db, db.UtcNow, PeriodKind.Month, open, cancellationToken: cancellationToken))
                .Where(o => o.Flags.Contains(Reach.Forecasting.DealFlag.CycleUnderestimated)).Select(o => o.Id)];
        }
    }

    public string ExportLink(string format) => ExportLinks.For("deals", format, ("q", Q), ("status", Status?.ToString()), ("channel", Channel?.ToString()));

    public string SortLink(string key) => $"?q={Uri.EscapeDataString(Q ?? "")}&status={Status}&channel={Channel}&sort={(Sort == key ? "-" + key : key)}";
}
