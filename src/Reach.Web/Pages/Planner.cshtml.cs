using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Demo;
using Reach.Planning;
using Reach.Web.Access;

namespace Reach.Web.Pages;

/// <summary>
/// The go-to-market planner: the plan in a form (and as YAML), evaluated by <see cref="Planner"/> and calibrated
/// against the workspace's closed deals as the form changes, saved as named versions, one of which is active and
/// routes the accounts and leads. The tables are <see cref="PlanReport"/>'s, as in the terminal and the HTML report.
/// </summary>
public sealed class PlannerModel(ReachDb db) : PageModel
{
    public Actor Actor => ReachAccess.RequireActor(HttpContext);

    /// <summary>Managers and admins save and activate versions (AccessRules has the last word).</summary>
    public bool CanWrite => Actor.IsManagerOrAdmin;

    public List<PlanVersion> Versions { get; private set; } = [];
    public PlanVersion? Shown { get; private set; }
    public PlanView View { get; private set; } = PlanView.Empty;
    public string? Notice { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];
    public string VersionName { get; private set; } = "";

    public async Task OnGetAsync(Guid? version, string? saved, CancellationToken cancellationToken)
    {
        await LoadVersionsAsync(cancellationToken);
        Shown = Versions.FirstOrDefault(v => v.Id == version) ?? Versions.FirstOrDefault(v => v.IsActive) ?? Versions.FirstOrDefault();
        Notice = saved;
        View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), Shown?.Yaml ?? DemoPlan.Yaml, cancellationToken);
        VersionName = Shown is null ? "" : Shown.Name;
    }

    /// <summary>The results for the form as it stands (the script posts it as JSON on every change).</summary>
    public async Task<IActionResult> OnPostEvaluateAsync([FromForm] string? plan, CancellationToken cancellationToken) =>
        Partial("_PlanResults", await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), plan ?? "", cancellationToken, keepText: false));

    /// <summary>Loads the YAML typed or pasted into the text box into the form.</summary>
    public async Task<IActionResult> OnPostYamlAsync([FromForm] string? yaml, CancellationToken cancellationToken)
    {
        await LoadVersionsAsync(cancellationToken);
        View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), yaml ?? "", cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        await LoadVersionsAsync(cancellationToken);
        if (file is null || file.Length == 0)
        {
            Errors["file"] = "Choose a plan file (YAML or JSON) to upload.";
            View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), DemoPlan.Yaml, cancellationToken);
            return Page();
        }
        if (file.Length > PlanVersion.MaxYamlLength)
        {
            Errors["file"] = $"{file.FileName} is {file.Length:N0} bytes; a plan file may have at most {PlanVersion.MaxYamlLength:N0}.";
            View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), DemoPlan.Yaml, cancellationToken);
            return Page();
        }
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), await reader.ReadToEndAsync(cancellationToken), cancellationToken);
        Notice = $"Loaded {file.FileName}; save it as a version to keep it.";
        return Page();
    }

    public IActionResult OnPostDownload([FromForm] string? yaml, [FromForm] string? name)
    {
        var file = string.Concat((string.IsNullOrWhiteSpace(name) ? "plan" : name.Trim()).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')) + ".yaml";
        return File(Encoding.UTF8.GetBytes(yaml ?? ""), "application/yaml", file);
    }

    public async Task<IActionResult> OnPostSaveAsync([FromForm] string? name, [FromForm] string? yaml, [FromForm] bool activate, CancellationToken cancellationToken)
    {
        try
        {
            var version = await PlanVersions.SaveAsync(db, name, yaml, activate, cancellationToken);
            var notice = version.IsActive ? $"Saved '{version.Name}' and made it the active plan: accounts and leads are re-routed." : $"Saved '{version.Name}'.";
            return Redirect($"/Planner?version={version.Id}&saved={Uri.EscapeDataString(notice)}");
        }
        catch (InputException e)
        {
            db.ChangeTracker.Clear();
            foreach (var (field, messages) in e.Errors)
                Errors[field] = string.Join(" ", messages);
            await LoadVersionsAsync(cancellationToken);
            View = await EvaluateAsync(db, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), yaml ?? "", cancellationToken);
            VersionName = name ?? "";
            return Page();
        }
    }

    public async Task<IActionResult> OnPostActivateAsync(Guid id, CancellationToken cancellationToken)
    {
        var version = await db.PlanVersions.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (version is null)
            return NotFound();
        await PlanVersions.ActivateAsync(db, version, cancellationToken);
        return Redirect($"/Planner?version={version.Id}&saved={Uri.EscapeDataString($"'{version.Name}' is the active plan: accounts and leads are re-routed.")}");
    }

    async Task LoadVersionsAsync(CancellationToken cancellationToken) =>
        Versions = await db.PlanVersions.AsNoTracking().OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).ToListAsync(cancellationToken);

    /// <summary>Reads, evaluates and calibrates a plan text; an invalid one gives its errors and keeps the text.</summary>
    public static async Task<PlanView> EvaluateAsync(ReachDb db, string workspaceCurrency, string text, CancellationToken cancellationToken, bool keepText = true)
    {
        if (text.Length > PlanVersion.MaxYamlLength)
            return PlanView.Empty with { Yaml = keepText ? text : null, Errors = [$"The plan is {text.Length:N0} characters long; at most {PlanVersion.MaxYamlLength:N0}."] };
        try
        {
            var plan = PlanReader.Read(text);
            var result = Planner.EvaluateInFull(plan);
            var calibration = await Calibration.ComputeAsync(db, plan, db.UtcNow, workspaceCurrency, cancellationToken);
            // The form's JSON comes back as YAML for the text box; a YAML text stays as written, comments included.
            return new PlanView(plan, result, calibration, [], keepText ? text : PlanWriter.Write(plan));
        }
        catch (PlanValidationException e)
        {
            // The form's JSON is one line: its errors are read by field, not by line.
            return PlanView.Empty with
            {
                Yaml = keepText ? text : null,
                Errors = [.. e.Errors.Select(error => keepText ? error.ToString() : error.Field.Length == 0 ? error.Message : $"{error.Field}: {error.Message}")],
            };
        }
    }
}

/// <summary>What the planner shows for one plan text: the plan and its result, or the errors that stop it.</summary>
public sealed record PlanView(PlanFile? Plan, PlanResult? Result, Calibration? Calibration, IReadOnlyList<string> Errors, string? Yaml)
{
    public static readonly PlanView Empty = new(null, null, null, [], null);
}
