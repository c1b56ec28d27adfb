using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>
/// A record's open tasks, each ticked off in place, and the form that schedules the next one; posts go to /Records and
/// come back here. Any record page includes it with its record's id: <c>@await Component.InvokeAsync("RecordTasks", new { dealId = Model.Deal.Id })</c>.
/// </summary>
public sealed class RecordTasksViewComponent(ReachDb db) : ViewComponent
{
    public sealed record TaskList(Guid? AccountId, Guid? ContactId, Guid? DealId, Guid? LeadId, List<Activity> Open, string? Subject, string? Due, string? Error, DateTime Now);

    public async Task<IViewComponentResult> InvokeAsync(Guid? accountId = null, Guid? contactId = null, Guid? dealId = null, Guid? leadId = null)
    {
        var tasks = db.Activities.AsNoTracking().Where(a => a.DueAt != null && a.CompletedAt == null);
        tasks = dealId is { } d ? tasks.Where(a => a.DealId == d)
            : contactId is { } c ? tasks.Where(a => a.ContactId == c)
            : leadId is { } l ? tasks.Where(a => a.LeadId == l)
            : tasks.Where(a => a.AccountId == accountId);
        var open = await tasks.OrderBy(a => a.DueAt).Take(20).ToListAsync(HttpContext.RequestAborted);
        var now = db.UtcNow;
        var due = TempData[Flash.TaskDue] as string ?? now.Date.AddDays(1).AddHours(9).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return View(new TaskList(accountId, contactId, dealId, leadId, open, TempData[Flash.TaskSubject] as string, due, TempData[Flash.TaskError] as string, now));
    }
}
