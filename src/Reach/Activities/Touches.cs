namespace Reach.Activities;

/// <summary>
/// What counts as a touch on a contact (seed 004: a prospect needs about seven before they know and trust you): every
/// call, email (sequence, drip or by hand, sent or received), meeting and social touch that has happened.
/// </summary>
public static class Touches
{
    /// <summary>Touch types: notes and tasks are not touches.</summary>
    public static readonly ActivityType[] Types = [ActivityType.Call, ActivityType.Email, ActivityType.Meeting, ActivityType.Social];

    /// <summary>Touches a prospect needs before they know and trust you.</summary>
    public const int RuleOfSeven = 7;

    /// <summary>The touches among <paramref name="activities"/> that happened by <paramref name="now"/>: not planned ones still open.</summary>
    public static IQueryable<Activity> Held(this IQueryable<Activity> activities, DateTime now)
    {
        var types = Types;
        return activities.Where(a => types.Contains(a.Type) && a.OccurredAt <= now && (a.DueAt == null || a.CompletedAt != null));
    }
}
