using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Data;
using Reach.Expansion;
using Reach.Web.Access;

namespace Reach.Web.Pages.Expansion;

/// <summary>
/// The manager's view of the deal-size guardrail: the open deals, among those the manager answers for, far out of scale
/// with what was won in their segment (<see cref="DealSizeGuardrail"/>, the rule the deal page, board and forecast show).
/// </summary>
public sealed class OversizedModel(ReachDb db) : PageModel
{
    public DealSizeGuardrail Guardrail { get; private set; } = null!;
    public IReadOnlyList<DealSizeGuardrail.Flagged> Deals { get; private set; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (ReachAccess.RequireActor(HttpContext).Role == UserRole.Rep)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(403, "The list of oversized deals is for managers; each deal of yours says it on its page.") };
            return;
        }
        await next();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Guardrail = await DealSizeGuardrail.LoadAsync(db, cancellationToken);
        Deals = await Guardrail.OpenOversizedAsync(db, cancellationToken);
    }
}
