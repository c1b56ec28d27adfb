using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Reach.Access;
using Reach.Web.Security;

namespace Reach.Web.Pages;

[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SignInModel(SignInManager<User> signIn, UserDirectory directory) : PageModel
{
    public string? Email { get; private set; }
    public string? ReturnUrl { get; private set; }
    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        Email = email;
        ReturnUrl = returnUrl;
        var user = string.IsNullOrWhiteSpace(email) ? null : await directory.FindAsync(email, cancellationToken);
        if (user is null || !user.IsActive || string.IsNullOrEmpty(password))
        {
            Error = "The e-mail or the password is not right.";
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
            Error = "Too many failed sign-ins: this account is locked for 15 minutes.";
        else if (!result.Succeeded)
            Error = "The e-mail or the password is not right.";
        if (Error is not null)
            return Page();
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
