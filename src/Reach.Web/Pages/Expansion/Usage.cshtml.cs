using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Usage;
using Reach.Web.Access;

namespace Reach.Web.Pages.Expansion;

/// <summary>
/// The manager's view of product usage (b2e2b, seed 004): the accounts that crossed the threshold with their expansion
/// deals, those with usage below it, and the company domains no account has yet (<see cref="UsageFigures"/>, the
/// figures the API and the account page show).
/// </summary>
public sealed class UsageModel(ReachDb db) : PageModel
{
    public WorkspaceSettings Settings { get; private set; } = null!;
    public List<AccountUsage> Crossed { get; private set; } = [];
    public List<AccountUsage> Below { get; private set; } = [];
    public List<CandidateAccount> Candidates { get; private set; } = [];

    /// <summary>The expansion deals this user may open: a manager sees every crossing, but another team's deal only by its owner.</summary>
    public HashSet<Guid> OpenableDeals { get; private set; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (ReachAccess.RequireActor(HttpContext).Role == UserRole.Rep)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(403, "The usage view is for managers; each account's page shows its usage, and My day the expansion deals it opened for you.") };
            return;
        }
        await next();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var recent = await UsageFigures.ForAccountsAsync(db, null, db.UtcNow, cancellationToken);
        Crossed = await Api.UsageApi.CrossedAsync(db, recent, cancellationToken);
        var dealIds = Crossed.Where(u => u.DealId is not null).Select(u => u.DealId!.Value).ToList();
        OpenableDeals = [.. await db.Deals.AsNoTracking().Where(d => dealIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken)];
        Below = [.. recent.Where(u => u.CrossedAt is null).Take(50)];
        Candidates = await UsageFigures.CandidatesAsync(db, db.UtcNow, 50, cancellationToken);
    }

    public static string Growth(AccountUsage u) => u.WeeklyGrowthPercent is { } g ? (g >= 0 ? "+" : "") + UsageFigures.Percent(g) : u.WeeklyActiveUsers > 0 ? "new" : "—";

    public static string Share(AccountUsage u) => u.EmployeeSharePercent is { } s ? UsageFigures.Percent(s) : "—";
}
