using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Imports;
using Reach.Web.Access;
using Reach.Web.Api;
using Reach.Web.Imports;

namespace Reach.Web.Pages.Imports;

/// <summary>Upload a CSV and say what it holds; the next page shows the detected format and the column map.</summary>
[RequestSizeLimit(MaxUploadBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class IndexModel(ImportJobs jobs, ReachDb db) : PageModel
{
    public const long MaxUploadBytes = ImportsApi.MaxUploadBytes;

    public IReadOnlyList<ImportJob> Recent { get; private set; } = [];
    public string? Error { get; private set; }
    public ImportEntity Entity { get; private set; } = ImportEntity.Contacts;

    /// <summary>The workspace's saved column maps, with their authors' names; the actor may change those they answer for.</summary>
    public List<(ImportMapping Mapping, string? Author, bool Mine)> Mappings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>Renames a saved mapping through the same rules as the API (unique name per entity; its author's).</summary>
    public async Task<IActionResult> OnPostRenameAsync(Guid id, string? name, CancellationToken cancellationToken) =>
        await ChangeMappingAsync(id, async mapping =>
        {
            IRecordInput<ImportMapping, ImportMappingInput> input = ImportMappingInput.From(mapping) with { Name = name ?? "" };
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > ImportMapping.MaxNameLength)
                throw new InputException("name", $"A mapping's name is 1 to {ImportMapping.MaxNameLength} characters.");
            await input.ApplyAsync(db, mapping, cancellationToken);
        }, cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await ChangeMappingAsync(id, mapping => SoftDelete.DeleteAsync(db, mapping, cancellationToken), cancellationToken);

    async Task<IActionResult> ChangeMappingAsync(Guid id, Func<ImportMapping, Task> change, CancellationToken cancellationToken)
    {
        var mapping = await db.ImportMappings.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (mapping is null)
            return NotFound();
        try
        {
            await change(mapping);
            await db.SaveChangesAsync(cancellationToken);
            return RedirectToPage();
        }
        catch (Exception e) when (e is InputException or AccessDeniedException)
        {
            db.ChangeTracker.Clear();
            Error = $"{mapping.Name}: {e.Message}";
            Response.StatusCode = e is AccessDeniedException ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(HttpContext);
        Recent = jobs.Of(actor);
        var mappings = await db.ImportMappings.AsNoTracking().OrderBy(m => m.Entity).ThenBy(m => m.Name).ToListAsync(cancellationToken);
        var authors = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        Mappings = [.. mappings.Select(m => (m, m.OwnerId is { } o ? authors.GetValueOrDefault(o) : null, actor.AnswersFor(m.OwnerId)))];
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, ImportEntity entity, string? encoding, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(HttpContext);
        Entity = entity;
        if (file is null || file.Length == 0)
            Error = "Choose a CSV file to upload: the file field is empty.";
        else if (file.Length > MaxUploadBytes)
            Error = $"{file.FileName} is {file.Length / (1024 * 1024)} MB; the limit is {MaxUploadBytes / (1024 * 1024)} MB. Split the file, or import it with `reach import`.";
        else
        {
            try
            {
                await using var content = file.OpenReadStream();
                var job = await jobs.StageAsync(actor, entity, encoding, file.FileName, content, cancellationToken);
                return Redirect($"/Imports/{job.Id}");
            }
            catch (ImportFileException e)
            {
                Error = $"{file.FileName}: {(e.Row is { } row ? $"row {row}: " : "")}{e.Message}";
            }
        }
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
