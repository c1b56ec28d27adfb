using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Imports;
using Reach.Web.Access;
using Reach.Web.Imports;

namespace Reach.Web.Pages.Imports;

/// <summary>
/// One upload: the detected format, the first rows under an editable column map, then the run with
/// its live progress, the summary and the rejected-rows report. Only the user who uploaded it sees it.
/// </summary>
public sealed class RunModel(ImportJobs jobs) : PageModel
{
    public ImportJob Job { get; private set; } = null!;
    public SourceFormat Format { get; private set; }

    /// <summary>The field each column feeds ("" when ignored), in header order.</summary>
    public string[] Fields { get; private set; } = [];
    public bool DryRun { get; private set; }
    public bool CreateStages { get; private set; }
    public string? Error { get; private set; }

    public static string Name(SourceFormat format) => format switch
    {
        SourceFormat.HubSpot => "HubSpot",
        SourceFormat.Csv => "CSV",
        SourceFormat.Auto => "Detect",
        _ => format.ToString(),
    };

    ImportJob? Find(Guid id) => jobs.Find(id, ReachAccess.RequireActor(HttpContext));

    public IActionResult OnGet(Guid id, SourceFormat? format)
    {
        if (Find(id) is not { } job)
            return NotFound();
        Job = job;
        var last = job.Options;
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

    public IActionResult OnPost(Guid id, SourceFormat format, string[] field, bool dryRun, bool createStages)
    {
        if (Find(id) is not { } job)
            return NotFound();
        (Job, Format, DryRun, CreateStages) = (job, format == SourceFormat.Auto ? job.Detected : format, dryRun, createStages);
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
        }
        catch (ImportFileException e)
        {
            Error = e.Message.Replace("Name the column with --map \"Column=", "Pick a column for ", StringComparison.Ordinal).Replace("\" (see docs/imports.md).", ".", StringComparison.Ordinal);
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
