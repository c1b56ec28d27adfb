using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Expansion;
using Reach.Metrics.Reports;

namespace Reach.Web.Api;

/// <summary>
/// The reference pool (docs/api.md, "References"): an account's consent (<c>/api/v1/accounts/{id}/reference</c>), the
/// pool and the best matches for a prospect (<c>/api/v1/references?prospect=</c>), asking one
/// (<c>POST /api/v1/references/{accountId}/asks</c>) and the references document (<c>/api/v1/references/document</c>),
/// all through <see cref="ReferencePool"/> and <see cref="ReferenceInput"/>.
/// </summary>
public static class ReferencesApi
{
    public static void MapReferencesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/references").WithTags("Expansion");
        group.MapGet("/", List).Produces<ReferenceList>().ProducesValidationProblem();
        group.MapGet("/document", Document).Produces<ReferenceList>().ProducesValidationProblem().ProducesProblem(503);
        group.MapPost("/{id:guid}/asks", Ask).WithJsonBody<AskBody>("The prospect's account, what is asked (call, logo, case_study), the prospect's deal and a note (optional).")
            .Produces<ReferenceAsk>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        var account = api.MapGroup("/accounts/{id:guid}/reference").WithTags("Expansion");
        account.MapGet("/", Consent).Produces<ConsentView>().ProducesProblem(404);
        account.MapPut("/", Give).WithJsonBody<ReferenceInput>("Who agreed (agreedBy, contactId), when (agreedOn) and to what (call, logo, caseStudy: one at least).")
            .Produces<ConsentView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        account.MapDelete("/", Withdraw).Produces(StatusCodes.Status204NoContent).ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary>An account's consent as the API shows it.</summary>
    public sealed record ConsentView(Guid AccountId, string AgreedBy, Guid? ContactId, DateOnly AgreedOn, bool Call, bool Logo, bool CaseStudy, string? Note,
        DateTime? WithdrawnAt, DateTime UpdatedAt)
    {
        public static ConsentView Of(Reference r) => new(r.AccountId, r.AgreedBy, r.ContactId, r.AgreedOn, r.ForCall, r.ForLogo, r.ForCaseStudy, r.Note, r.WithdrawnAt, r.UpdatedAt);
    }

    /// <summary>An ask of a reference for a prospect.</summary>
    public sealed record AskBody
    {
        [Required] public Guid? ProspectId { get; init; }
        [Required] public ReferenceKind? Kind { get; init; }
        public Guid? DealId { get; init; }
        [StringLength(2000)] public string? Note { get; init; }
    }

    /// <summary>Query: <c>prospect</c> (an account id) ranks the pool for it, best first, each match explained.</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var prospect = query.Id("prospect");
        query.RejectUnknown();
        return TypedResults.Ok(await ReferencePool.ListAsync(db, prospect, cancellationToken));
    }

    /// <summary>Query: <c>prospect</c>, <c>format</c> (json, html or pdf): the references available this quarter, for a proposal.</summary>
    public static async Task<IResult> Document(HttpRequest request, ReachDb db, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var prospect = query.Id("prospect");
        var format = query.Text("format")?.ToLowerInvariant() ?? "json";
        if (format is not ("json" or "html" or "pdf"))
            throw new InputException("format", $"'{format}' is not a document format: json, html or pdf.");
        query.RejectUnknown();
        var list = await ReferencePool.ListAsync(db, prospect, cancellationToken);
        var offered = list with { Items = [.. list.Items.Where(i => i.Available)] };
        if (format == "json")
            return TypedResults.Ok(offered);
        var workspace = (await Reach.Access.WorkspaceSettings.LoadAsync(db, cancellationToken)).Name;
        var html = ReferenceDocument.Render(offered, workspace, db.UtcNow);
        if (format == "html")
            return TypedResults.Content(html, "text/html; charset=utf-8");
        try
        {
            return TypedResults.File(await ReportPrinter.PrintAsync(html, configuration["Reach:Chromium"], cancellationToken), "application/pdf", "reach-references.pdf");
        }
        catch (ReportPrintException e)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, e.Message);
        }
    }

    public static async Task<IResult> Ask(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<AskBody>(http, cancellationToken);
        try
        {
            var ask = await ReferencePool.AskAsync(db, id, body.ProspectId!.Value, body.Kind!.Value, body.DealId, body.Note, cancellationToken)
                ?? throw new ApiException(StatusCodes.Status404NotFound, $"The account {id} is not a reference (no consent recorded, or withdrawn).");
            return TypedResults.Created($"/api/v1/activities/{ask.TaskId}", ask);
        }
        catch (ReferenceLimitException e)
        {
            throw new ApiException(StatusCodes.Status409Conflict, e.Message);
        }
    }

    public static async Task<IResult> Consent(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            throw ApiException.NotFound("account", id);
        var reference = await db.References.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == id, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"The account {id} has no consent to be a reference.");
        return TypedResults.Ok(ConsentView.Of(reference));
    }

    public static async Task<IResult> Give(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<ReferenceInput>(http, cancellationToken);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw ApiException.NotFound("account", id);
        return TypedResults.Ok(ConsentView.Of(await input.ApplyAsync(db, account, cancellationToken)));
    }

    public static async Task<IResult> Withdraw(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw ApiException.NotFound("account", id);
        if (!await ReferenceInput.WithdrawAsync(db, account, cancellationToken))
            throw new ApiException(StatusCodes.Status404NotFound, $"The account {id} has no consent to withdraw.");
        return TypedResults.NoContent();
    }
}
