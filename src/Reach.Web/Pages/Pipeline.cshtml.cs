using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Web.Access;

namespace Reach.Web.Pages;

/// <summary>The kanban board of one pipeline (one per channel); a card moved to a column moves the deal.</summary>
public sealed class PipelineModel(ReachDb db) : PageModel
{
    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public List<Pipeline> Pipelines { get; private set; } = [];
    public Pipeline? Current { get; private set; }
    public List<Deal> Deals { get; private set; } = [];
    public List<User> Owners { get; private set; } = [];
    public Guid? Owner { get; private set; }
    public DateTime Now { get; private set; }
    public RouteFilter Route { get; private set; } = null!;

    public async Task OnGetAsync(Guid? pipeline, Guid? owner, CancellationToken cancellationToken)
    {
        Now = db.UtcNow;
        Pipelines = [.. (await db.Pipelines.AsNoTracking().Include(p => p.Stages).ToListAsync(cancellationToken)).OrderBy(p => p.Channel).ThenBy(p => p.Name)];
        var mine = await db.Users.AsNoTracking().Where(u => u.Id == Actor.UserId).Select(u => u.Channel).FirstOrDefaultAsync(cancellationToken);
        // A rep starts on their channel's board; a manager or admin on the board with most of what they can see.
        var busiest = mine is null
            ? await db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Open).GroupBy(d => d.PipelineId).OrderByDescending(g => g.Count()).Select(g => (Guid?)g.Key).FirstOrDefaultAsync(cancellationToken)
            : null;
        Current = Pipelines.FirstOrDefault(p => p.Id == pipeline) ?? Pipelines.FirstOrDefault(p => p.Channel == mine) ?? Pipelines.FirstOrDefault(p => p.Id == busiest) ?? Pipelines.FirstOrDefault();
        Owners = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Role != UserRole.Admin).OrderBy(u => u.Name).ToListAsync(cancellationToken);
        Owner = owner;
        Route = await RouteFilter.ReadAsync(db, Request.Query, cancellationToken);
        if (Current is null)
            return;
        // Open deals, and those closed in the last 30 days so a win stays visible for a while.
        var since = Now.AddDays(-30);
        var deals = db.Deals.AsNoTracking().Include(d => d.Account).Where(d => d.PipelineId == Current.Id && (d.Status == DealStatus.Open || d.ClosedAt >= since));
        if (owner is not null)
            deals = deals.Where(d => d.OwnerId == owner);
        // By the route of the deal's account.
        var accounts = Route.Apply(db.Accounts.AsNoTracking());
        if (Route.Segment is not null || Route.Channel is not null || Route.DeadZone is not null)
            deals = deals.Where(d => accounts.Any(a => a.Id == d.AccountId));
        Deals = await deals.OrderByDescending(d => d.StageEnteredAt).Take(2000).ToListAsync(cancellationToken);
    }

    public string OwnerName(Guid? id) => Owners.FirstOrDefault(u => u.Id == id)?.Name ?? "—";

    /// <summary>Moves a deal (drag-and-drop or the card's select); answers JSON to scripts, a redirect to plain forms.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid dealId, Guid stageId, long? version, CancellationToken cancellationToken)
    {
        var script = Request.Headers.ContainsKey("RequestVerificationToken");
        var deal = await db.Deals.FirstOrDefaultAsync(d => d.Id == dealId, cancellationToken);
        if (deal is null)
            return script ? new JsonResult(new { message = "No such deal, or it is not shared with you." }) { StatusCode = 404 } : NotFound();
        var stage = await db.Stages.FirstOrDefaultAsync(s => s.Id == stageId && s.PipelineId == deal.PipelineId, cancellationToken);
        if (stage is null)
            return script ? new JsonResult(new { message = "That stage is not in this deal's pipeline." }) { StatusCode = 400 } : BadRequest();
        if (version is not null && version != deal.Version)
            return script ? new JsonResult(new { message = "Someone changed this deal meanwhile; reload the board." }) { StatusCode = 412 } : Redirect(Request.Path + Request.QueryString);
        if (deal.StageId != stage.Id)
            db.DealStageChanges.Add(deal.MoveTo(stage, db.UtcNow, Actor.UserId));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (AccessDeniedException e) when (script)
        {
            return new JsonResult(new { message = e.Message }) { StatusCode = 403 };
        }
        catch (DbUpdateConcurrencyException) when (script)
        {
            return new JsonResult(new { message = "Someone changed this deal meanwhile; reload the board." }) { StatusCode = 412 };
        }
        return script ? new JsonResult(new { version = deal.Version, stage = stage.Name }) : Redirect($"/Pipeline?pipeline={deal.PipelineId}");
    }
}
