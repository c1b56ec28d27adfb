using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>The one-time link from an invite or a password reset.</summary>
public sealed class InviteModel(UserDirectory directory) : PageModel
{
    public Guid UserId { get; private set; }
    public string? Token { get; private set; }
    public string? Error { get; private set; }

    public void OnGet(Guid user, string? token) => (UserId, Token) = (user, token);

    public async Task<IActionResult> OnPostAsync(Guid user, string? token, string? password, CancellationToken cancellationToken)
    {
        (UserId, Token) = (user, token);
        try
        {
            await directory.AcceptInviteAsync(user, token ?? "", password ?? "", cancellationToken);
        }
        catch (InputException e)
        {
            Error = string.Join(" ", e.Errors.Values.SelectMany(v => v));
            return Page();
        }
        return Redirect("/sign-in");
    }
}
