using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Pages.Settings;

/// <summary>The signed-in user's own API tokens: create one (its secret shown once), list them, revoke one. Every change is audited.</summary>
public sealed class TokensModel(ReachDb db, UserDirectory directory, TimeProvider clock) : PageModel
{
    public List<ApiToken> Tokens { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = [];

    [TempData] public string? Notice { get; set; }

    /// <summary>The secret of the token just created, shown once after the redirect and never stored in clear.</summary>
    [TempData] public string? Secret { get; set; }

    [BindProperty] public TokenForm Form { get; set; } = new();

    public sealed class TokenForm
    {
        public string? Name { get; set; }
        public TokenScope Scope { get; set; } = TokenScope.Read;
        public int Days { get; set; } = (int)UserDirectory.DefaultTokenLifetime.TotalDays;
    }

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    Actor Actor => ReachAccess.RequireActor(HttpContext);

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == Actor.UserId, cancellationToken);
            var (secret, token) = await directory.IssueTokenAsync(user, Form.Name ?? "", Form.Scope, Form.Days, Now, cancellationToken);
            Secret = secret;
            Notice = $"The token {token.Name} is created. Copy its secret now: it is not shown again.";
            return RedirectToPage();
        }
        catch (InputException e)
        {
            foreach (var (field, messages) in e.Errors)
                Errors[field] = string.Join(" ", messages);
            db.ChangeTracker.Clear();
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == Actor.UserId, cancellationToken);
        if (token is null)
            return NotFound();
        token.RevokedAt ??= Now;
        await db.SaveChangesAsync(cancellationToken);
        Notice = $"The token {token.Name} is revoked: it no longer works.";
        return RedirectToPage();
    }

    async Task LoadAsync(CancellationToken cancellationToken) =>
        Tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == Actor.UserId).OrderBy(t => t.RevokedAt != null).ThenByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
}
