using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Reach.Web.Pages;

/// <summary>Picks a report; the report itself is served at /reports/{kind}, the same code the API uses.</summary>
public sealed class ReportsModel : PageModel
{
    static readonly string[] Kinds = ["weekly", "monthly", "quarterly"];

    public IActionResult OnGet(string? kind, string? period, string? rep, string? team, string? format)
    {
        if (kind is null)
            return Page();
        if (!Kinds.Contains(kind))
            return BadRequest();
        var query = new Dictionary<string, string?> { ["period"] = period, ["rep"] = rep, ["team"] = team, ["format"] = format }
            .Where(p => !string.IsNullOrWhiteSpace(p.Value))
            .ToDictionary(p => p.Key, p => p.Value);
        return Redirect(QueryHelpers.AddQueryString($"/reports/{kind}", query));
    }
}
