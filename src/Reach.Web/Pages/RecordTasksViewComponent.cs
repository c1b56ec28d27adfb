using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>
/// A record's open tasks and planned touches (the first is the next one), each ticked off in place, the last few done
/// (each can be reopened), and the one form that schedules the next task, call, e-mail or meeting; posts go to /Records
/// and come back here. Any record page includes it with its record's id:
/// <c>@await Component.InvokeAsync("RecordTasks", new { dealId = Model.Deal.Id })</c>.
/// </summary>
public sealed class RecordTasksViewComponent(ReachDb db) : ViewComponent
{
    /// <summary>What may be scheduled: a task, or a touch planned for a day.</summary>
    public static readonly ActivityType[] Schedulable = [ActivityType.Task, ActivityType.Call, ActivityType.Email, ActivityType.Meeting];

    /// <summary>The word the form's label and button use for a type ("Next call", "Schedule call").</summary>
    public static string Noun(ActivityType type) => type == ActivityType.Email ? "e-mail" : type.ToString().ToLowerInvariant();

    public sealed record TaskList(Guid? AccountId, Guid? ContactId, Guid? DealId, Guid? LeadId, List<Activity> Open, List<Activity> Done, string? Subject, string? Due, ActivityType Type, string? Error, DateTime Now, bool CanSchedule);

    public async Task<IViewComponentResult> InvokeAsync(Guid? accountId = null, Guid? contactId = null, Guid? dealId = null, Guid? leadId = null, bool canSchedule = true)
    {
        var mine = db.Activities.AsNoTracking().Where(a => a.DueAt != null);
        mine = dealId is { } d ? mine.Where(a => a.DealId == d)
            : contactId is { } c ? mine.Where(a => a.ContactId == c)
            : leadId is { } l ? mine.Where(a => a.LeadId == l)
            : mine.Where(a => a.AccountId == accountId);
        var open = await mine.Where(a => a.CompletedAt == null).OrderBy(a => a.DueAt).Take(20).ToListAsync(HttpContext.RequestAborted);
        var done = await mine.Where(a => a.CompletedAt != null).OrderByDescending(a => a.CompletedAt).Take(3).ToListAsync(HttpContext.RequestAborted);
        var now = db.UtcNow;
        var due = TempData[Flash.TaskDue] as string ?? now.Date.AddDays(1).AddHours(9).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var type = Enum.TryParse<ActivityType>(TempData[Flash.TaskType] as string, out var t) ? t : ActivityType.Task;
        return View(new TaskList(accountId, contactId, dealId, leadId, open, done, TempData[Flash.TaskSubject] as string, due, type, TempData[Flash.TaskError] as string, now, canSchedule));
    }
}
