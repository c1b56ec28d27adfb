using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Pages;

public sealed class PasswordModel(ReachDb db, UserDirectory directory, SignInManager<User> signIn) : PageModel
{
    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public bool Done { get; private set; }
    public List<string> Errors { get; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstAsync(u => u.Id == Actor.UserId, cancellationToken);
        try
        {
            await directory.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        }
        catch (InputException e)
        {
            Errors.AddRange(e.Errors.Values.SelectMany(v => v));
            return Page();
        }
        // The stamp changed, which ends every session; this one is renewed.
        await signIn.RefreshSignInAsync(user);
        if (Actor.MustChangePassword)
            return Redirect("/");
        Done = true;
        return Page();
    }
}
