using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Outreach;
using Reach.Playbook;

namespace Reach.Web.Api;

/// <summary>
/// A deal's documents: a proposal, order form or agreement template of the playbook drawn to PDF with the deal's
/// account, contacts, line items and totals, kept on the deal with the template's version, downloaded, and sent from
/// the caller's own mailbox. Made and sent by whoever may change the deal; read by whoever may read it.
/// </summary>
public static class DealDocumentsApi
{
    public static void MapDealDocumentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deals/{id:guid}/documents").WithTags("Deals");
        group.MapGet("/", List).Produces<List<DealDocument>>().ProducesProblem(404);
        group.MapPost("/", Generate).Produces<DealDocument>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<GenerateInput>("The template to draw: a playbook item of kind proposal, order_form or agreement.");
        group.MapGet("/{documentId:guid}", Get).Produces<DealDocument>().ProducesProblem(404);
        group.MapGet("/{documentId:guid}/pdf", Pdf).Produces(200, contentType: "application/pdf").ProducesProblem(404);
        group.MapPost("/{documentId:guid}/send", Send).Produces<DealDocument>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<DocumentSendInput>("To whom (the deal's primary contact when left out), the subject and the note; sent from your mailbox with the PDF attached.");
    }

    /// <summary>The body of a generate call.</summary>
    public sealed record GenerateInput
    {
        public Guid? TemplateId { get; init; }
    }

    static async Task<Deal> FindDealAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw ApiException.NotFound("deal", id);

    static async Task<DealDocument> FindAsync(ReachDb db, Guid id, Guid documentId, CancellationToken cancellationToken)
    {
        await FindDealAsync(db, id, cancellationToken);
        return await db.DealDocuments.FirstOrDefaultAsync(d => d.Id == documentId && d.DealId == id, cancellationToken)
            ?? throw ApiException.NotFound("document of this deal", documentId);
    }

    /// <summary>The deal's documents, newest first: kind, template and version, who made it, when and to whom it was sent.</summary>
    public static async Task<IResult> List(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await FindDealAsync(db, id, cancellationToken);
        return TypedResults.Ok(await DealDocuments.ListAsync(db, id, cancellationToken));
    }

    public static async Task<IResult> Generate(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<GenerateInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var deal = await FindDealAsync(db, id, cancellationToken);
        var document = await DealDocuments.GenerateAsync(db, deal, input.TemplateId, cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/deals/{id}/documents/{document.Id}", document);
    }

    public static async Task<IResult> Get(Guid id, Guid documentId, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FindAsync(db, id, documentId, cancellationToken));

    /// <summary>The PDF as it was drawn.</summary>
    public static async Task<IResult> Pdf(Guid id, Guid documentId, ReachDb db, CancellationToken cancellationToken)
    {
        var document = await FindAsync(db, id, documentId, cancellationToken);
        return TypedResults.File(document.Content, "application/pdf", document.FileName);
    }

    public static async Task<IResult> Send(Guid id, Guid documentId, HttpContext http, ReachDb db, MailClient mail, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<DocumentSendInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var document = await FindAsync(db, id, documentId, cancellationToken);
        var deal = await FindDealAsync(db, id, cancellationToken);
        Reach.Access.AccessRules.CheckDocumentSend(db.Actor, deal.OwnerId);
        await DealDocuments.SendAsync(db, mail, deal, document, input, cancellationToken);
        return TypedResults.Ok(document);
    }
}
