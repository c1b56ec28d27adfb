using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reach.Web.Pages;

/// <summary>Where the session cookie sends a signed-in user whom a page's policy refuses (the cookie's AccessDeniedPath).</summary>
public sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
