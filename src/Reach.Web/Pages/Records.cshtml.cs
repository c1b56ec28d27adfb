using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Outreach;

namespace Reach.Web.Pages;

/// <summary>
/// The changes every record page and list shares, posted here and answered with a redirect back (Post/Redirect/Get):
/// delete (with an undo), restore, hand to another owner, and for a selection of deals or contacts a stage or a
/// sequence. A selection is changed in one save, so all of it changes or none. The outcome is said on the next page.
/// </summary>
public sealed class RecordsModel(ReachDb db, OutreachService outreach) : PageModel
{
    public IActionResult OnGet() => Redirect("/Trash");

    public async Task<IActionResult> OnPostDeleteAsync(string kind, Guid[] ids, string? returnUrl, CancellationToken cancellationToken) =>
        // A deleted record's own page is gone: the user is left on its list.
        await ChangeAsync(kind, ids, returnUrl is not null && ids.Any(i => returnUrl.Contains(i.ToString(), StringComparison.OrdinalIgnoreCase)) ? RecordChanges.ListOf(kind) : returnUrl, async records =>
        {
            foreach (var record in records)
                await SoftDelete.DeleteAsync(db, record, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            TempData[Flash.Undo] = $"{kind}:{string.Join(',', records.Select(r => r.Id))}";
            return Said(records, kind, "deleted");
        }, deleted: false, cancellationToken);

    public async Task<IActionResult> OnPostRestoreAsync(string kind, Guid[] ids, string? returnUrl, CancellationToken cancellationToken) =>
        await ChangeAsync(kind, ids, returnUrl, async records =>
        {
            foreach (var record in records)
                await RecordChanges.RestoreAsync(db, record, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return Said(records, kind, "restored");
        }, deleted: true, cancellationToken);

    public async Task<IActionResult> OnPostOwnerAsync(string kind, Guid[] ids, string? ownerId, string? returnUrl, CancellationToken cancellationToken)
    {
        Guid? owner = Guid.TryParse(ownerId, out var id) ? id : null;
        var name = owner is null ? "nobody" : await db.Users.Where(u => u.Id == owner).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) ?? "?";
        return await ChangeAsync(kind, ids, returnUrl, async records =>
        {
            foreach (var record in records)
                await RecordChanges.ReassignAsync(db, record, owner, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return Said(records, kind, $"handed to {name}");
        }, deleted: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostStageAsync(Guid[] ids, Guid? stageId, string? lostReason, string? returnUrl, CancellationToken cancellationToken)
    {
        var stage = await db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, cancellationToken);
        if (stage is null)
            return Back(returnUrl, error: "Choose the stage to move the deals to.");
        if (RecordChanges.LostWithoutReason(stage, lostReason) is { } why)
            return Back(returnUrl, error: why);
        return await ChangeAsync("deal", ids, returnUrl, async records =>
        {
            foreach (var deal in records.Cast<Deal>())
            {
                // A stage of another pipeline moves the deal to that pipeline (and its channel): how a pipeline is emptied.
                var input = DealInput.From(deal) with
                {
                    PipelineId = stage.PipelineId,
                    Channel = null,
                    StageId = stage.Id,
                    LostReason = stage.Outcome == Reach.Pipelines.StageOutcome.Lost ? lostReason : null,
                };
                InputRules.Validate(input);
                await input.ApplyAsync(db, deal, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            return Said(records, "deal", $"moved to {stage.Name}" + (stage.Outcome == Reach.Pipelines.StageOutcome.Lost ? $" ({lostReason})" : ""));
        }, deleted: false, cancellationToken);
    }

    public async Task<IActionResult> OnPostEnrolAsync(Guid[] ids, Guid? sequenceId, string? returnUrl, CancellationToken cancellationToken)
    {
        var sequence = sequenceId is { } sid ? await outreach.FindAsync(sid, cancellationToken) : null;
        if (sequence is null)
            return Back(returnUrl, error: "Choose one of your sequences.");
        if (ids.Length == 0)
            return Back(returnUrl, error: "Select the contacts first.");
        try
        {
            var result = await outreach.EnrolAsync(sequence, ids, cancellationToken);
            var skipped = result.Skipped.Count == 0 ? "" : " Skipped: " + string.Join(" ", result.Skipped);
            return Back(returnUrl, notice: $"{result.Enrolled} {Plural(result.Enrolled, "contact")} enrolled in {sequence.Name}.{skipped}");
        }
        catch (Exception e) when (e is InputException or AccessDeniedException)
        {
            return Back(returnUrl, error: e is InputException input ? string.Join(" ", input.Errors.Values.SelectMany(m => m)) : e.Message);
        }
    }

    /// <summary>
    /// The selected rows as the list's CSV export (the same columns and neutralised cells): the export's query asks for
    /// exactly the ticked ids, among the rows the user may see.
    /// </summary>
    public async Task<IActionResult> OnPostExportAsync(string kind, Guid[] ids, string? returnUrl, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
            return Back(returnUrl, error: "Select at least one row first.");
        Reach.Imports.ImportEntity? entity = kind switch
        {
            "account" => Reach.Imports.ImportEntity.Accounts,
            "contact" => Reach.Imports.ImportEntity.Contacts,
            "lead" => Reach.Imports.ImportEntity.Leads,
            "deal" => Reach.Imports.ImportEntity.Deals,
            _ => null,
        };
        if (entity is null)
            return Back(returnUrl, error: $"'{kind}' rows are not exported from a list.");
        var output = new MemoryStream();
        await Reach.Imports.Exporter.WriteCsvAsync(db, entity.Value, [], new Reach.Lists.ListFilter { Ids = [.. ids.Distinct()] }, output, bom: false, cancellationToken);
        return File(output.ToArray(), "text/csv; charset=utf-8", $"{kind}s-selected-{db.UtcNow:yyyy-MM-dd}.csv");
    }

    /// <summary>
    /// Schedules a task, or a call, e-mail or meeting planned for a time, on a record (an activity with a due time); what
    /// was typed comes back on an error.
    /// </summary>
    public async Task<IActionResult> OnPostTaskAsync(string? subject, string? due, string? type, Guid? accountId, Guid? contactId, Guid? dealId, Guid? leadId, string? returnUrl, CancellationToken cancellationToken)
    {
        try
        {
            var kind = string.IsNullOrWhiteSpace(type) ? ActivityType.Task
                : Enum.TryParse<ActivityType>(type, ignoreCase: true, out var t) && RecordTasksViewComponent.Schedulable.Contains(t) ? t
                : throw new InputException("type", $"'{type}' is not something to schedule: use one of {string.Join(", ", RecordTasksViewComponent.Schedulable)}.");
            DateTime? dueAt = null;
            if (!string.IsNullOrWhiteSpace(due))
                dueAt = DateTime.TryParseExact(due, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                    ? d : throw new InputException("dueAt", $"'{due}' is not a date and time such as 2027-01-31T09:00.");
            if (dueAt is null)
                throw new InputException("dueAt", "Say when the task is due.");
            var input = new ActivityInput
            {
                Type = kind,
                Direction = kind == ActivityType.Task ? Direction.None : Direction.Outbound,
                Subject = subject,
                DueAt = dueAt,
                AccountId = accountId,
                ContactId = contactId,
                DealId = dealId,
                LeadId = leadId,
            };
            InputRules.Validate(input);
            var task = input.ToNew();
            await ((IRecordInput<Activity, ActivityInput>)input).ApplyAsync(db, task, cancellationToken);
            db.Add(task);
            await db.SaveChangesAsync(cancellationToken);
            return Back(returnUrl, notice: $"{Capital(Format.Words(kind))} “{task.Subject}” scheduled for {task.DueAt:ddd d MMM HH:mm} UTC.");
        }
        catch (Exception e) when (e is InputException or AccessDeniedException)
        {
            TempData[Flash.TaskSubject] = subject;
            TempData[Flash.TaskDue] = due;
            TempData[Flash.TaskType] = type;
            TempData[Flash.TaskError] = e is InputException input ? string.Join(" ", input.Errors.Values.SelectMany(m => m)) : e.Message;
            return Back(returnUrl, error: null);
        }
    }

    /// <summary>Ticks a task off (or back on), through the activity's input.</summary>
    public async Task<IActionResult> OnPostDoneAsync(Guid id, bool undo, string? returnUrl, CancellationToken cancellationToken) =>
        await ChangeAsync("activity", [id], returnUrl, async records =>
        {
            var task = (Activity)records[0];
            var input = ActivityInput.From(task) with { CompletedAt = undo ? null : db.UtcNow };
            InputRules.Validate(input);
            await ((IRecordInput<Activity, ActivityInput>)input).ApplyAsync(db, task, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return undo ? $"“{task.Subject}” is open again." : $"Done: “{task.Subject}”.";
        }, deleted: false, cancellationToken);

    /// <summary>
    /// Edits a logged activity's subject, notes and outcome through its input (its author, their manager or an admin may;
    /// the change is audited like any other). On an error the activity's form comes back open with what was typed.
    /// </summary>
    public async Task<IActionResult> OnPostActivityAsync(Guid id, string? subject, string? body, string? outcome, string? returnUrl, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync("activity", [id], returnUrl, async records =>
        {
            var activity = (Activity)records[0];
            var input = ActivityInput.From(activity) with { Subject = subject?.Trim(), Body = string.IsNullOrWhiteSpace(body) ? null : body, Outcome = string.IsNullOrWhiteSpace(outcome) ? null : outcome.Trim() };
            InputRules.Validate(input);
            await ((IRecordInput<Activity, ActivityInput>)input).ApplyAsync(db, activity, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return $"{Capital(Format.Words(activity.Type))} “{activity.Subject}” saved.";
        }, deleted: false, cancellationToken);
        // The error is said beside the field in the activity's own form, open again with what was typed.
        if (TempData.Peek(Flash.Error) is string error)
        {
            TempData.Remove(Flash.Error);
            TempData[Flash.ActivityEdit] = System.Text.Json.JsonSerializer.Serialize(new ActivityEdit(id, subject, body, outcome, error));
        }
        return result;
    }

    /// <summary>An activity edit that was refused: what was typed and why, to show in its form again.</summary>
    public sealed record ActivityEdit(Guid Id, string? Subject, string? Body, string? Outcome, string Error)
    {
        public static ActivityEdit? Read(ITempDataDictionary tempData, Guid id) =>
            tempData[Flash.ActivityEdit] is string json && System.Text.Json.JsonSerializer.Deserialize<ActivityEdit>(json) is { } edit && edit.Id == id ? edit : null;
    }

    async Task<IActionResult> ChangeAsync(string kind, Guid[] ids, string? returnUrl, Func<List<Record>, Task<string>> change, bool deleted, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
            return Back(returnUrl, error: "Select at least one row first.");
        try
        {
            var records = await RecordChanges.FindAsync(db, kind, ids, deleted, cancellationToken);
            // Nothing the user may see: the same answer as the record's own page, whether it exists or not.
            if (records.Count == 0 && !deleted)
                return Answer(StatusCodes.Status404NotFound, "No such record, or it is not shared with you.");
            if (records.Count < ids.Distinct().Count())
                return Back(returnUrl, error: deleted ? "Some of these records are not in the trash any more." : "Some of these records were deleted or are not yours to see; reload the page.");
            var notice = await change(records);
            if (deleted && returnUrl is null && records.Count == 1)
                returnUrl = RecordChanges.LinkOf(records[0]);
            return Back(returnUrl, notice: notice);
        }
        catch (InputException e)
        {
            db.ChangeTracker.Clear();
            TempData.Remove(Flash.Undo);
            return Back(returnUrl, error: string.Join(" ", e.Errors.Values.SelectMany(m => m)));
        }
        catch (AccessDeniedException e)
        {
            // Someone else's record: refused with the reason, as the record's pages and the API refuse it (403).
            TempData.Remove(Flash.Undo);
            return Answer(StatusCodes.Status403Forbidden, e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            TempData.Remove(Flash.Undo);
            return Back(returnUrl, error: "Someone changed one of these records at the same time; nothing was changed. Reload and try again.");
        }
    }

    static string Said(List<Record> records, string kind, string what) =>
        records.Count == 1 ? $"{Capital(kind)} “{RecordChanges.NameOf(records[0])}” {what}." : $"{records.Count} {Plural(records.Count, kind)} {what}.";

    static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    static string Plural(int count, string kind) => count == 1 ? kind : kind == "activity" ? "activities" : kind + "s";

    static ContentResult Answer(int status, string message) =>
        new() { StatusCode = status, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(status, message) };

    LocalRedirectResult Back(string? returnUrl, string? notice = null, string? error = null)
    {
        if (notice is not null)
            TempData[Flash.Notice] = notice;
        if (error is not null)
            TempData[Flash.Error] = error;
        return LocalRedirect(returnUrl is not null && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
