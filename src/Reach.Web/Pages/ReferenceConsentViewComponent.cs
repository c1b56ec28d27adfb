using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Expansion;

namespace Reach.Web.Pages;

/// <summary>
/// An account's consent to be a reference on its page: what was agreed, how often it was asked, and the form that
/// records or changes it (posted to /Expansion/References, which comes back here). The account page includes it:
/// <c>@await Component.InvokeAsync("ReferenceConsent", new { accountId = Model.Account.Id })</c>.
/// </summary>
public sealed class ReferenceConsentViewComponent(ReachDb db) : ViewComponent
{
    public sealed record ConsentForm(Guid AccountId, Reference? Reference, int Uses, DateTime? LastUsedAt, DateOnly Today);

    public async Task<IViewComponentResult> InvokeAsync(Guid accountId)
    {
        var reference = await db.References.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == accountId, HttpContext.RequestAborted);
        var uses = reference is null ? [] : await db.ReferenceUses.AsNoTracking().Where(u => u.ReferenceId == reference.Id).Select(u => u.AskedAt).ToListAsync(HttpContext.RequestAborted);
        return View(new ConsentForm(accountId, reference, uses.Count, uses.Count == 0 ? null : uses.Max(), DateOnly.FromDateTime(db.UtcNow)));
    }
}
