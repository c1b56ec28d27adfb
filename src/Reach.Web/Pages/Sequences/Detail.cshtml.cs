using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Outreach;

namespace Reach.Web.Pages.Sequences;

/// <summary>One sequence: its steps (edited in place), enrolling contacts from a filter, and each enrolment's steps with their status and errors.</summary>
public sealed class DetailModel(ReachDb db, OutreachService outreach, OutreachSender sender) : RecordPage(db)
{
    public Sequence Sequence { get; private set; } = null!;
    public List<Enrolment> Enrolments { get; private set; } = [];

    [BindProperty] public SequenceForm Form { get; set; } = new();
    [BindProperty] public string? Search { get; set; }

    public sealed class SequenceForm
    {
        public string? Name { get; set; }
        public string? TimeZone { get; set; }
        public int WindowStartHour { get; set; } = 9;
        public int WindowEndHour { get; set; } = 17;
        public List<StepForm> Steps { get; set; } = [];
    }

    public sealed class StepForm
    {
        public StepKind Kind { get; set; }
        public int DelayDays { get; set; }
        public string? Subject { get; set; }
        public string? Body { get; set; }
        public bool ForwardsPrevious { get; set; }
        public bool Remove { get; set; }
    }

    public bool MaySendNow => Actor.IsManagerOrAdmin;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Form = FormOf(Sequence);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var input = new SequenceInput
        {
            Name = Form.Name,
            TimeZone = Form.TimeZone,
            WindowStartHour = Form.WindowStartHour,
            WindowEndHour = Form.WindowEndHour,
            Steps = [.. Form.Steps.Where(s => !s.Remove && !(s.Kind == StepKind.Email && string.IsNullOrWhiteSpace(s.Subject) && string.IsNullOrWhiteSpace(s.Body) && !s.ForwardsPrevious && s == Form.Steps[^1] && Form.Steps.Count > Sequence.Steps.Count))
                .Select(s => new StepInput { Kind = s.Kind, DelayDays = s.DelayDays, Subject = s.Subject, Body = s.Body, ForwardsPrevious = s.ForwardsPrevious })],
        };
        if (await SaveAsync(() => outreach.UpdateAsync(Sequence, input, cancellationToken)))
        {
            Notice = "Sequence saved.";
            await LoadAsync(id, cancellationToken);
            Form = FormOf(Sequence);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostPauseAsync(Guid id, bool paused, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        await outreach.SetPausedAsync(Sequence, paused, cancellationToken);
        return Redirect($"/Sequences/{id}");
    }

    public async Task<IActionResult> OnPostEnrolAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        EnrolResult? result = null;
        if (await SaveAsync(async () => result = await outreach.EnrolMatchingAsync(Sequence, Search, null, cancellationToken)))
        {
            Notice = $"{result!.Enrolled} contact(s) enrolled." + (result.Skipped.Count > 0 ? " Skipped: " + string.Join("; ", result.Skipped.Take(10)) + (result.Skipped.Count > 10 ? "…" : "") : "");
            await LoadAsync(id, cancellationToken);
        }
        Form = FormOf(Sequence);
        return Page();
    }

    public async Task<IActionResult> OnPostEnrolmentAsync(Guid id, Guid enrolmentId, string action, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var enrolment = await outreach.FindEnrolmentAsync(enrolmentId, cancellationToken);
        if (enrolment is null || enrolment.SequenceId != id)
            return NotFound();
        if (await SaveAsync(() => outreach.ChangeAsync(enrolment, action, action == "stop" ? StopReason.Manual : null, cancellationToken)))
            return Redirect($"/Sequences/{id}");
        Form = FormOf(Sequence);
        return Page();
    }

    public async Task<IActionResult> OnPostSendNowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!MaySendNow)
            return Forbid();
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var run = await sender.RunOnceAsync(cancellationToken);
        await LoadAsync(id, cancellationToken);
        Form = FormOf(Sequence);
        Notice = $"Sender ran: {run.Sent} sent, {run.TasksCreated} task(s) created, {run.Failed} failed, {run.RepliesFound} repl{(run.RepliesFound == 1 ? "y" : "ies")} found, {run.Stopped} enrolment(s) stopped.";
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Db.ChangeTracker.Clear();
        var sequence = await outreach.FindAsync(id, cancellationToken);
        if (sequence is null)
            return false;
        Sequence = sequence;
        Enrolments = await Db.Enrolments.AsNoTracking().Include(e => e.Steps).Include(e => e.Contact)
            .Where(e => e.SequenceId == id).OrderByDescending(e => e.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return true;
    }

    static SequenceForm FormOf(Sequence s)
    {
        var form = new SequenceForm { Name = s.Name, TimeZone = s.TimeZone, WindowStartHour = s.WindowStartHour, WindowEndHour = s.WindowEndHour };
        form.Steps.AddRange(s.Steps.OrderBy(x => x.Position).Select(x => new StepForm { Kind = x.Kind, DelayDays = x.DelayDays, Subject = x.Subject, Body = x.Body, ForwardsPrevious = x.ForwardsPrevious }));
        // A blank row to add a step; left blank, it is ignored.
        form.Steps.Add(new StepForm { Kind = StepKind.Email, DelayDays = 3 });
        return form;
    }
}
