using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reach.Web.Pages;

/// <summary>The page shown for a bare 403 or 404 (a record you may not see simply does not exist for you).</summary>
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }
    public string Title => Code switch { 403 => "Not yours to change", 404 => "Not found", _ => "Something went wrong" };
    public string Message => Code switch
    {
        403 => "Your role does not allow this.",
        404 => "There is no such page or record, or it is not shared with you.",
        _ => "The request could not be completed.",
    };

    public void OnGet(int code) => Code = code;

    public void OnPost(int code) => Code = code;
}
