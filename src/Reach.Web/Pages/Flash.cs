namespace Reach.Web.Pages;

/// <summary>The message the next page shows after a change made by a post (kept in TempData, shown once by the layout).</summary>
public static class Flash
{
    public const string Notice = "flash-notice";
    public const string Error = "flash-error";

    /// <summary>"kind:id,id": the records just deleted, which the message offers to bring back.</summary>
    public const string Undo = "flash-undo";
    public const string TaskSubject = "task-subject";
    public const string TaskDue = "task-due";
    public const string TaskError = "task-error";
    public const string TaskType = "task-type";

    /// <summary>A refused activity edit (<see cref="RecordsModel.ActivityEdit"/> as JSON), shown in its form.</summary>
    public const string ActivityEdit = "activity-edit";
}
