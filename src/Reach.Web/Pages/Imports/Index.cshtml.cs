using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Imports;
using Reach.Web.Access;
using Reach.Web.Api;
using Reach.Web.Imports;

namespace Reach.Web.Pages.Imports;

/// <summary>Upload a CSV and say what it holds; the next page shows the detected format and the column map.</summary>
[RequestSizeLimit(MaxUploadBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class IndexModel(ImportJobs jobs) : PageModel
{
    public const long MaxUploadBytes = ImportsApi.MaxUploadBytes;

    public IReadOnlyList<ImportJob> Recent { get; private set; } = [];
    public string? Error { get; private set; }
    public ImportEntity Entity { get; private set; } = ImportEntity.Contacts;

    public void OnGet() => Recent = jobs.Of(ReachAccess.RequireActor(HttpContext));

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
        Recent = jobs.Of(actor);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
