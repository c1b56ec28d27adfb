using Reach.Data;

namespace Reach.Metrics;

/// <summary>The periods a run of targets or costs covers, as the Targets and Costs pages set them: a year of months at once, say.</summary>
public static class PeriodRun
{
    public const int MaxRepeat = 24;

    /// <summary>
    /// <paramref name="repeat"/> consecutive months or quarters from the one holding <paramref name="from"/>, or, for
    /// <see cref="PeriodKind.Custom"/>, the days from <paramref name="from"/> to <paramref name="to"/> (both included).
    /// </summary>
    public static IReadOnlyList<Period> Of(PeriodKind kind, DateOnly? from, DateOnly? to, int? repeat)
    {
        if (from is not { } first)
            throw new InputException("from", "Give the first day of the first period.");
        if (first.Year is < Period.FirstYear or > Period.LastYear - 3)
            throw new InputException("from", $"Dates must fall between {Period.FirstYear} and {Period.LastYear - 3}.");
        if (kind == PeriodKind.Custom)
        {
            if (to is not { } last)
                throw new InputException("to", "A custom range needs its last day.");
            if (last < first)
                throw new InputException("to", $"{last:yyyy-MM-dd} is before from ({first:yyyy-MM-dd}).");
            if (Period.RangeError(first, last.AddDays(1)) is { } error)
                throw new InputException("to", error);
            return [Period.Range(first, last.AddDays(1))];
        }
        if (repeat is not { } count)
            throw new InputException("repeat", "Give how many periods.");
        if (count is < 1 or > MaxRepeat)
            throw new InputException("repeat", $"must be from 1 to {MaxRepeat} periods, not {count}.");
        var periods = new List<Period> { Period.Containing(first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), kind) };
        while (periods.Count < count)
            periods.Add(periods[^1].Next());
        if (periods[^1].End.Year > Period.LastYear)
            throw new InputException("repeat", $"The last period would end after {Period.LastYear}.");
        return periods;
    }
}
