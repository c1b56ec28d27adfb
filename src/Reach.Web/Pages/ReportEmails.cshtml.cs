using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Metrics.Reports;

namespace Reach.Web.Pages;

/// <summary>
/// Report e-mails: the signed-in user's schedules (admins see everyone's) with their last send, and a form to add one
/// with the scopes the Reports page offers them. The rules are <see cref="ReportScheduleService"/>'s, as for the API.
/// </summary>
public sealed class ReportEmailsModel(ReachDb db, ReportScheduleService schedules) : RecordPage(db)
{
    // Not under /Reports/: that prefix is the reports' own strict CSP (SecurityHeaders), which forbids forms.
    public List<ReportScheduleView> Schedules { get; private set; } = [];

    /// <summary>The scopes this user may choose: value ("me", "workspace" or "team:ID") and label.</summary>
    public List<(string Value, string Label)> Scopes { get; private set; } = [];

    public bool HasMailbox { get; private set; }
    public DateTime Now { get; private set; }
    public string? SendResult { get; private set; }
    public bool SendOk { get; private set; }

    [BindProperty] public ScheduleForm Form { get; set; } = new();

    public sealed class ScheduleForm
    {
        public ReportKind Kind { get; set; } = ReportKind.Weekly;
        public string Scope { get; set; } = "me";
        public string? Recipients { get; set; }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var input = new ReportScheduleInput
        {
            Kind = Form.Kind,
            Rep = Form.Scope == "me" ? Actor.UserId?.ToString() : null,
            Team = Form.Scope.StartsWith("team:", StringComparison.Ordinal) ? Form.Scope["team:".Length..] : null,
            Recipients = [.. (Form.Recipients ?? "").Split([',', ';', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)],
        };
        try
        {
            if (await SaveAsync(() => schedules.CreateAsync(input, cancellationToken)))
            {
                Notice = $"{Form.Kind} report scheduled.";
                Form = new ScheduleForm();
            }
        }
        catch (AccessDeniedException denied)
        {
            Errors[denied.Field ?? "scope"] = denied.Message;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => schedules.SetPausedAsync(s, true, cancellationToken), "Paused.", cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => schedules.SetPausedAsync(s, false, cancellationToken), "Resumed.", cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => schedules.DeleteAsync(s, cancellationToken), "Schedule deleted.", cancellationToken);

    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await schedules.FindAsync(id, cancellationToken) is not { } schedule)
            return NotFound();
        try
        {
            SendResult = await schedules.SendNowAsync(schedule, cancellationToken);
            SendOk = true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            SendResult = $"The report was not sent: {ReportMailer.Describe(error)}";
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    async Task<IActionResult> ChangeAsync(Guid id, Func<ReportSchedule, Task> change, string notice, CancellationToken cancellationToken)
    {
        if (await schedules.FindAsync(id, cancellationToken) is not { } schedule)
            return NotFound();
        await change(schedule);
        Notice = notice;
        await LoadAsync(cancellationToken);
        return Page();
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = Db.UtcNow;
        Schedules = await schedules.ListAsync(cancellationToken);
        HasMailbox = await Db.MailAccounts.AsNoTracking().AnyAsync(a => a.UserId == Actor.UserId, cancellationToken);
        Scopes = [("me", "My numbers")];
        if (Actor.Role == UserRole.Rep)
            return;
        var teams = Db.Teams.AsNoTracking();
        if (Actor.Role == UserRole.Manager)
            teams = teams.Where(t => Actor.TeamIds.Contains(t.Id));
        Scopes.AddRange((await teams.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken))
            .Select(t => ($"team:{t.Id}", $"Team {t.Name}")));
        if (Actor.IsAdmin)
            Scopes.Insert(0, ("workspace", "The workspace"));
    }
}
