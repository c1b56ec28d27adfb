using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
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
    /// <summary>What the form shows: <see cref="Typed"/> when a post was refused (so nothing typed is lost), else the consent on record.</summary>
    public sealed record ConsentForm(Guid AccountId, Reference? Reference, int Uses, DateTime? LastUsedAt, DateOnly Today, TypedConsent? Typed);

    /// <summary>The form as the user filled it in, kept across the redirect after a refused post.</summary>
    public sealed record TypedConsent(Guid AccountId, string? AgreedBy, DateOnly? AgreedOn, bool Call, bool Logo, bool CaseStudy, string? Note);

    const string TypedKey = "reference-consent-typed";

    /// <summary>Keeps what was typed for the next page, which shows it instead of the record.</summary>
    public static void Keep(ITempDataDictionary tempData, TypedConsent typed) => tempData[TypedKey] = JsonSerializer.Serialize(typed);

    public async Task<IViewComponentResult> InvokeAsync(Guid accountId)
    {
        var reference = await db.References.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == accountId, HttpContext.RequestAborted);
        var uses = reference is null ? [] : await db.ReferenceUses.AsNoTracking().Where(u => u.ReferenceId == reference.Id).Select(u => u.AskedAt).ToListAsync(HttpContext.RequestAborted);
        var typed = TempData[TypedKey] is string json ? JsonSerializer.Deserialize<TypedConsent>(json) : null;
        return View(new ConsentForm(accountId, reference, uses.Count, uses.Count == 0 ? null : uses.Max(), DateOnly.FromDateTime(db.UtcNow),
            typed?.AccountId == accountId ? typed : null));
    }
}
