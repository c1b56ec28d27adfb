using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Outreach;
using Reach.Playbook;

namespace Reach.Web.Pages.Deals;

/// <summary>
/// The deal page's document buttons: draw a template for the deal, download a document, send it from the rep's
/// mailbox. The same rules as the API (<see cref="DealDocuments"/>); back to the deal page with what happened.
/// </summary>
public sealed class DocumentsModel(ReachDb db, MailClient mail) : RecordPage(db)
{
    public async Task<IActionResult> OnGetPdfAsync(Guid id, Guid documentId, CancellationToken cancellationToken)
    {
        if (!await Db.Deals.AnyAsync(d => d.Id == id, cancellationToken))
            return NotFound();
        var document = await Db.DealDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId && d.DealId == id, cancellationToken);
        return document is null ? NotFound() : File(document.Content, "application/pdf", document.FileName);
    }

    public async Task<IActionResult> OnPostGenerateAsync(Guid id, Guid? templateId, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        try
        {
            var document = await DealDocuments.GenerateAsync(Db, deal, templateId, cancellationToken);
            return Back(id, $"{DealDocuments.Words(document.Kind)} drawn from “{document.TemplateTitle}” version {document.TemplateVersion}.");
        }
        catch (InputException error)
        {
            return Back(id, error.Errors.Values.First()[0], failed: true);
        }
    }

    public async Task<IActionResult> OnPostSendAsync(Guid id, Guid documentId, string? to, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        var document = deal is null ? null : await Db.DealDocuments.FirstOrDefaultAsync(d => d.Id == documentId && d.DealId == id, cancellationToken);
        if (deal is null || document is null)
            return NotFound();
        AccessRules.CheckDocumentSend(Actor, deal.OwnerId);
        try
        {
            await DealDocuments.SendAsync(Db, mail, deal, document, new DocumentSendInput { To = to }, cancellationToken);
            return Back(id, $"{DealDocuments.Words(document.Kind)} sent to {document.SentTo} from your mailbox.");
        }
        catch (InputException error)
        {
            return Back(id, error.Errors.Values.First()[0], failed: true);
        }
    }

    RedirectResult Back(Guid dealId, string message, bool failed = false) =>
        Redirect($"/Deals/{dealId}?{(failed ? "documentError" : "document")}={Uri.EscapeDataString(message)}#documents");
}
