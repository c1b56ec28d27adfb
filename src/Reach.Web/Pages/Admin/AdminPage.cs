using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Pages.Admin;

/// <summary>
/// An administration page: managers read it (the users, teams and settings their work depends on), admins change it.
/// A rep is refused every admin page, and anyone but an admin every form post, with 403 before the handler reads
/// anything; the save's own rules (<see cref="AccessRules"/>) would refuse the change too. A change that succeeds
/// redirects back with a notice (a refresh never sends it again); one that fails shows its errors beside the fields,
/// keeping what was typed.
/// </summary>
public abstract class AdminPage(ReachDb db) : PageModel
{
    protected ReachDb Db { get; } = db;

    public Actor Actor => ReachAccess.RequireActor(HttpContext);

    public bool CanChange => Actor.IsAdmin;

    /// <summary>Field errors of the last post, keyed by the input's JSON field names (a team's or row's id prefixed when there are many).</summary>
    public Dictionary<string, string> Errors { get; } = [];

    [TempData] public string? Notice { get; set; }

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var refusal = Actor.Role == UserRole.Rep ? "Administration is for managers (to read) and admins."
            : !HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !Actor.IsAdmin ? "Only an admin changes these settings."
            : null;
        if (refusal is not null)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(403, refusal) };
            return;
        }
        await next();
    }

    /// <summary>Runs a change; on success redirects to this page with the notice it returns, on bad input keeps the page with the errors (prefixed with <paramref name="prefix"/>).</summary>
    protected async Task<IActionResult> ChangeAsync(Func<Task<string>> change, Func<Task> reload, string prefix = "")
    {
        try
        {
            Notice = await change();
            return RedirectToPage(null, null, null, FragmentOf(prefix));
        }
        catch (InputException e)
        {
            foreach (var (field, messages) in e.Errors)
                Errors[prefix + field] = string.Join(" ", messages);
            Db.ChangeTracker.Clear();
            await reload();
            return Page();
        }
    }

    static string? FragmentOf(string prefix) => prefix.Length == 0 ? null : prefix.TrimEnd('.');
}
