namespace Reach.Outreach;

/// <summary>Business-day delays and weekday send windows, in the contact's time zone.</summary>
public static class SendWindow
{
    /// <summary>The zone for a contact: theirs when valid, else the sequence's, else UTC.</summary>
    public static TimeZoneInfo ZoneFor(string? contactZone, string? sequenceZone)
    {
        foreach (var id in new[] { contactZone, sequenceZone })
            if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
                return zone;
        return TimeZoneInfo.Utc;
    }

    public static bool IsKnownZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>The rules of a send window as a sequence or a drip track's input gives it (hours default to 9 to 17), errors added by field.</summary>
    public static void CheckInput(string? timeZone, int? startHour, int? endHour, IDictionary<string, string[]> errors)
    {
        if (timeZone is { Length: > 0 } zone && !IsKnownZone(zone))
            errors["timeZone"] = [$"'{zone}' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York."];
        if ((startHour ?? 9) >= (endHour ?? 17))
            errors["windowEndHour"] = ["The send window must end after it starts."];
    }

    /// <summary>
    /// When a step <paramref name="businessDays"/> after <paramref name="from"/> may go out: that many
    /// weekdays later (same local time), then moved into the next window if outside it.
    /// </summary>
    public static DateTime Due(DateTime from, int businessDays, TimeZoneInfo zone, int startHour, int endHour)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(from, DateTimeKind.Utc), zone);
        for (var added = 0; added < businessDays;)
        {
            local = local.AddDays(1);
            if (IsWeekday(local))
                added++;
        }
        return ToUtc(IntoWindow(local, startHour, endHour), zone);
    }

    /// <summary>The first moment at or after <paramref name="now"/> inside the window (weekday, between the hours).</summary>
    public static DateTime NextOpen(DateTime now, TimeZoneInfo zone, int startHour, int endHour) =>
        ToUtc(IntoWindow(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), zone), startHour, endHour), zone);

    static DateTime IntoWindow(DateTime local, int startHour, int endHour)
    {
        if (local.Hour >= endHour)
            local = local.Date.AddDays(1).AddHours(startHour);
        else if (local.Hour < startHour)
            local = local.Date.AddHours(startHour);
        while (!IsWeekday(local))
            local = local.Date.AddDays(1).AddHours(startHour);
        return local;
    }

    static bool IsWeekday(DateTime day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A local time skipped by a DST change moves an hour on rather than failing.
        if (zone.IsInvalidTime(unspecified))
            unspecified = unspecified.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }
}
