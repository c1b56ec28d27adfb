using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Imports;
using Reach.Web.Access;
using Reach.Web.Imports;

namespace Reach.Web.Pages.Imports;

/// <summary>
/// One upload: the detected format, the first rows under an editable column map, then the run with
/// its live progress, the summary and the rejected-rows report. Only the user who uploaded it sees it.
/// </summary>
public sealed class RunModel(ImportJobs jobs, ReachDb db, Microsoft.AspNetCore.Identity.UserManager<User> users) : PageModel
{
    public ImportJob Job { get; private set; } = null!;
    public SourceFormat Format { get; private set; }

    /// <summary>The field each column feeds ("" when ignored), in header order.</summary>
    public string[] Fields { get; private set; } = [];
    public bool DryRun { get; private set; }
    public bool CreateStages { get; private set; }
    public string? Error { get; private set; }

    /// <summary>The saved mappings of this entity, to pick from.</summary>
    public List<string> Mappings { get; private set; } = [];
    public string? Mapping { get; private set; }
    public string? SaveAs { get; private set; }

    public static string Name(SourceFormat format) => format switch
    {
        SourceFormat.HubSpot => "HubSpot",
        SourceFormat.Csv => "CSV",
        SourceFormat.Auto => "Detect",
        _ => format.ToString(),
    };

    /// <summary>
    /// A sentence of the importer (notes, the report) as the page says it: the CLI's flags become the page's own controls.
    /// </summary>
    public static string ForPage(string text) => text
        .Replace("(reach import FILE --as users)", "(upload their file as Users)", StringComparison.Ordinal)
        .Replace("(reach import FILE --as products)", "(upload their file as Products)", StringComparison.Ordinal)
        .Replace("Map the created-date column with --map \"Column=createdAt\" if the file has one.", "Pick createdAt under the created-date column if the file has one.", StringComparison.Ordinal)
        .Replace("import with --create-stages", "tick “Create stages the pipeline lacks”", StringComparison.Ordinal);

    /// <summary>Where the imported records are seen: users and teams on the Teams page, products on the price list.</summary>
    public static (string Href, string Label) Imported(ImportEntity entity) => entity switch
    {
        ImportEntity.Users => ("/Admin/Teams", "See the teams"),
        ImportEntity.Products => ("/Admin/Products", "See the products"),
        ImportEntity.History => ("/Deals", "See the deals"),
        ImportEntity.Activities => ("/", "Go to My day"),
        _ => ("/" + entity, "See the " + entity.ToString().ToLowerInvariant()),
    };

    ImportJob? Find(Guid id) => jobs.Find(id, ReachAccess.RequireActor(HttpContext));

    public async Task<IActionResult> OnGetAsync(Guid id, SourceFormat? format, string? mapping, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } job)
            return NotFound();
        Job = job;
        await InviteAsync(job, cancellationToken);
        await LoadMappingsAsync(cancellationToken);
        var last = job.Options;
        if (!string.IsNullOrWhiteSpace(mapping))
        {
            try
            {
                var saved = await ImportMapping.FindAsync(db, mapping, job.Entity, cancellationToken);
                // Columns the saved map does not name (a file with more columns) keep the format's reading.
                last = new ImportOptions { Entity = job.Entity, Format = saved.Format, Map = saved.Map.Where(m => job.Header.Contains(m.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(StringComparer.OrdinalIgnoreCase) };
                (format, Mapping, SaveAs) = (saved.Format, saved.Name, saved.Name);
            }
            catch (ImportFileException e)
            {
                Error = e.Message;
            }
        }
        Format = format ?? last?.Format ?? job.Detected;
        if (Format == SourceFormat.Auto)
            Format = job.Detected;
        // After a dry run the page keeps the map that was run, unless the user picked another format.
        var map = last is not null && (format is null || format == last.Format) ? last.Map : new Dictionary<string, string>();
        var plan = ColumnPlan.Build(job.Header, Format, job.Entity, map);
        Fields = [.. job.Header.Select((_, i) => plan.FieldAt(i) ?? "")];
        CreateStages = last?.CreateStages ?? false;
        return Page();
    }

    /// <summary>
    /// The one-time links of the users an import of users invited, for the admin who ran it (as `reach import --as users`
    /// prints them): made at the first look at the finished job, then shown from the job.
    /// </summary>
    async Task InviteAsync(ImportJob job, CancellationToken cancellationToken)
    {
        if (job.Invites is not null || job.Summary is not { DryRun: false } summary || summary.Report.InvitedUserIds.Count == 0 || !job.Actor.IsAdmin)
            return;
        var ids = summary.Report.InvitedUserIds;
        var invites = new List<ImportInvite>();
        foreach (var user in await db.Users.Where(u => ids.Contains(u.Id) && u.Email != null).OrderBy(u => u.Name).ToListAsync(cancellationToken))
            invites.Add(new ImportInvite(user.Name, user.Email!, UserDirectory.InviteLink($"{Request.Scheme}://{Request.Host}{Request.PathBase}", user, await users.GeneratePasswordResetTokenAsync(user))));
        lock (job)
            job.Invites ??= invites;
    }

    async Task LoadMappingsAsync(CancellationToken cancellationToken) =>
        Mappings = await db.ImportMappings.AsNoTracking().Where(m => m.Entity == Job.Entity).OrderBy(m => m.Name).Select(m => m.Name).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(Guid id, SourceFormat format, string[] field, bool dryRun, bool createStages, string? saveAs, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } job)
            return NotFound();
        (Job, Format, DryRun, CreateStages, SaveAs) = (job, format == SourceFormat.Auto ? job.Detected : format, dryRun, createStages, saveAs);
        await LoadMappingsAsync(cancellationToken);
        Fields = [.. job.Header.Select((_, i) => i < field.Length ? field[i] ?? "" : "")];
        // The whole map as chosen, each column named: a column left empty is ignored even if the format knows it.
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < job.Header.Count; i++)
            if (job.Header[i].Trim().Length > 0)
                map[job.Header[i]] = Fields[i].Length > 0 ? Fields[i] : ColumnPlan.Ignore;
        var options = new ImportOptions { Entity = job.Entity, Format = Format, Map = map, DryRun = dryRun, CreateStages = createStages, Encoding = job.Encoding };
        try
        {
            Importer.PlanFor(job.Header, Format, options);
            if (!string.IsNullOrWhiteSpace(saveAs))
                await ImportMapping.SaveAsync(db, saveAs, job.Entity, Format, map, cancellationToken);
        }
        catch (Exception e) when (e is ImportFileException or AccessDeniedException or DbUpdateException)
        {
            Error = e switch
            {
                ImportFileException => e.Message.Replace("Name the column with --map \"Column=", "Pick a column for ", StringComparison.Ordinal).Replace("\" (see docs/imports.md).", ".", StringComparison.Ordinal),
                AccessDeniedException => $"The mapping '{saveAs!.Trim()}' was saved by someone else; save yours under another name.",
                _ => $"The mapping '{saveAs!.Trim()}' could not be saved: another was just saved under that name.",
            };
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!jobs.Start(job, options))
            Error = job.State == ImportState.Finished ? "This file was already imported; upload it again to re-run it." : "This import is already running.";
        return Error is null ? Redirect($"/Imports/{job.Id}") : Page();
    }

    /// <summary>The progress, polled by the page while the import runs.</summary>
    public IActionResult OnGetProgress(Guid id)
    {
        if (Find(id) is not { } job)
            return NotFound();
        var p = job.Progress;
        return new JsonResult(new { state = job.State.ToString().ToLowerInvariant(), done = p.Done, total = p.Total, rowsPerSecond = Math.Round(p.RowsPerSecond) });
    }

    /// <summary>The rejected rows of the last run: row, column, value, reason (cells neutralised against formulas).</summary>
    public IActionResult OnGetReport(Guid id)
    {
        if (Find(id) is not { HasReport: true } job || !System.IO.File.Exists(job.ReportPath))
            return NotFound();
        return PhysicalFile(job.ReportPath, "text/csv; charset=utf-8", Path.GetFileNameWithoutExtension(job.FileName) + ".rejected.csv");
    }
}
