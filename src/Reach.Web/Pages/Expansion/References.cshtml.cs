using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Expansion;
using Reach.Metrics.Reports;

namespace Reach.Web.Pages.Expansion;

/// <summary>
/// The reference pool (seed 002: build reference customers, then move up): every account that agreed to be a
/// reference, ranked for a chosen prospect with the reasons, each asked from here (a task to its owner, counted against
/// the quarterly limit), and the references document for a proposal. Consent is recorded on the account's page and
/// posted here. Rules: <see cref="ReferencePool"/>, <see cref="ReferenceInput"/>.
/// </summary>
public sealed class ReferencesModel(ReachDb db, IConfiguration configuration) : PageModel
{
    public ReferenceList List { get; private set; } = null!;
    public List<(Guid Id, string Name)> Prospects { get; private set; } = [];
    public Guid? Prospect { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? prospect, CancellationToken cancellationToken)
    {
        if (prospect is { } id && !await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            return NotFound();
        Prospect = prospect;
        List = await ReferencePool.ListAsync(db, prospect, cancellationToken);
        Prospects = [.. (await db.Accounts.AsNoTracking().Where(a => a.Lifecycle == Lifecycle.Prospect || a.Id == prospect).OrderBy(a => a.Name).Take(500)
            .Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken)).Select(a => (a.Id, a.Name))];
        return Page();
    }

    /// <summary>The references document (those available this quarter), as a page or a PDF.</summary>
    public async Task<IActionResult> OnGetDocumentAsync(Guid? prospect, string? format, CancellationToken cancellationToken)
    {
        if (prospect is { } id && !await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            return NotFound();
        var list = await ReferencePool.ListAsync(db, prospect, cancellationToken);
        var html = ReferenceDocument.Render(list with { Items = [.. list.Items.Where(i => i.Available)] },
            (await Reach.Access.WorkspaceSettings.LoadAsync(db, cancellationToken)).Name, db.UtcNow);
        if (format != "pdf")
            return Content(html, "text/html; charset=utf-8");
        try
        {
            return File(await ReportPrinter.PrintAsync(html, configuration["Reach:Chromium"], cancellationToken), "application/pdf", "reach-references.pdf");
        }
        catch (ReportPrintException e)
        {
            return new ContentResult { StatusCode = StatusCodes.Status503ServiceUnavailable, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(503, e.Message) };
        }
    }

    public async Task<IActionResult> OnPostAskAsync(Guid reference, Guid prospect, string? kind, string? note, CancellationToken cancellationToken)
    {
        try
        {
            var what = ReferencePool.ParseKind(kind) ?? throw new InputException("kind", $"'{kind}' is not something to ask: call, logo or case study.");
            var ask = await ReferencePool.AskAsync(db, reference, prospect, what, null, note, cancellationToken);
            if (ask is null)
                return NotFound();
            TempData[Flash.Notice] = $"{ask.Task}. Its owner has the task; {ask.UsesThisQuarter} of {ask.UsesPerQuarter} asks this quarter.";
        }
        catch (Exception e) when (e is InputException or ReferenceLimitException)
        {
            TempData[Flash.Error] = e is InputException input ? string.Join(" ", input.Errors.Values.SelectMany(m => m)) : e.Message;
        }
        return Redirect($"/Expansion/References?prospect={prospect}");
    }

    public async Task<IActionResult> OnPostConsentAsync(Guid account, string? agreedBy, DateOnly? agreedOn, bool call, bool logo, bool caseStudy, string? note,
        CancellationToken cancellationToken)
    {
        var target = await db.Accounts.FirstOrDefaultAsync(a => a.Id == account, cancellationToken);
        if (target is null)
            return NotFound();
        try
        {
            var input = new ReferenceInput { AgreedBy = agreedBy, AgreedOn = agreedOn, Call = call, Logo = logo, CaseStudy = caseStudy, Note = note };
            var reference = await input.ApplyAsync(db, target, cancellationToken);
            TempData[Flash.Notice] = $"{target.Name} is a reference: {ReferencePool.Words(reference.Kinds)}, agreed by {reference.AgreedBy}.";
        }
        catch (InputException e)
        {
            TempData[Flash.Error] = string.Join(" ", e.Errors.Values.SelectMany(m => m));
            ReferenceConsentViewComponent.Keep(TempData, new(account, agreedBy, agreedOn, call, logo, caseStudy, note));
        }
        return Redirect($"/Accounts/{account}");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid account, CancellationToken cancellationToken)
    {
        var target = await db.Accounts.FirstOrDefaultAsync(a => a.Id == account, cancellationToken);
        if (target is null)
            return NotFound();
        TempData[Flash.Notice] = await ReferenceInput.WithdrawAsync(db, target, cancellationToken)
            ? $"{target.Name} is no longer a reference; its consent is kept in the trail." : $"{target.Name} was not a reference.";
        return Redirect($"/Accounts/{account}");
    }
}
