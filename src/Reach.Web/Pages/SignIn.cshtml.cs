using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Reach.Access;
using Reach.Web.Access;
using Reach.Web.Security;

namespace Reach.Web.Pages;

[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SignInModel(SignInManager<User> signIn, PasswordSignIn passwords) : PageModel
{
    public string? Email { get; private set; }
    public string? ReturnUrl { get; private set; }
    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        Email = email;
        ReturnUrl = returnUrl;
        var user = await passwords.CheckAsync(email, password, HttpContext.Connection.RemoteIpAddress, cancellationToken);
        if (user is null)
        {
            Error = PasswordSignIn.Refused;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
