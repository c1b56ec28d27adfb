using System.Globalization;
using System.Text.RegularExpressions;

namespace Reach;

/// <summary>Forecasts use months and quarters; metrics and reports also use ISO weeks and custom ranges.</summary>
public enum PeriodKind { Month, Quarter, Week, Custom }

/// <summary>
/// A calendar period in UTC: an ISO week (Monday to Sunday), a month, a quarter, or a custom range of days. Figures
/// count from <see cref="Start"/> up to, not including, <see cref="End"/>. Shared by forecasting and metrics.
/// </summary>
public sealed partial record Period(PeriodKind Kind, DateOnly Start, DateOnly End)
{
    /// <summary>The week, month or quarter that holds <paramref name="at"/> (taken as UTC).</summary>
    public static Period Containing(DateTime at, PeriodKind kind)
    {
        if (kind == PeriodKind.Week)
        {
            var day = DateOnly.FromDateTime(at);
            var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            return new Period(kind, monday, monday.AddDays(7));
        }
        if (kind == PeriodKind.Custom)
            throw new ArgumentException("A custom period has no calendar period containing an instant; give its start and end.", nameof(kind));
        var months = kind == PeriodKind.Month ? 1 : 3;
        var first = new DateOnly(at.Year, ((at.Month - 1) / months * months) + 1, 1);
        return new Period(kind, first, first.AddMonths(months));
    }

    // Periods are of these years, and a custom range of at most three years: wider ones would read the whole database.
    public const int FirstYear = 1900;
    public const int LastYear = 2999;
    public const int MaxRangeDays = 1096;

    /// <summary>Why [<paramref name="start"/>, <paramref name="end"/>) cannot be a custom range, or null when it can.</summary>
    public static string? RangeError(DateOnly start, DateOnly end) =>
        start.Year < FirstYear || end.Year > LastYear ? $"Dates must fall between {FirstYear} and {LastYear}."
        : end <= start ? "The range must end after it starts."
        : end.DayNumber - start.DayNumber > MaxRangeDays ? $"A custom range covers at most {MaxRangeDays} days (three years)."
        : null;

    /// <summary>A custom range of whole days, <paramref name="start"/> included, <paramref name="end"/> excluded.</summary>
    public static Period Range(DateOnly start, DateOnly end) =>
        end > start ? new Period(PeriodKind.Custom, start, end) : throw new ArgumentException($"The range must end after it starts ({start:yyyy-MM-dd} → {end:yyyy-MM-dd}).");

    public Period Next() => Kind switch
    {
        PeriodKind.Week => new(Kind, End, End.AddDays(7)),
        PeriodKind.Custom => new(Kind, End, End.AddDays(Days)),
        _ => new(Kind, End, End.AddMonths(Kind == PeriodKind.Month ? 1 : 3)),
    };

    /// <summary>The period before this one of the same kind; for a custom range, as many days just before it.</summary>
    public Period Previous() => Kind switch
    {
        PeriodKind.Week => new(Kind, Start.AddDays(-7), Start),
        PeriodKind.Custom => new(Kind, Start.AddDays(-Days), Start),
        _ => new(Kind, Start.AddMonths(Kind == PeriodKind.Month ? -1 : -3), Start),
    };

    public int Days => End.DayNumber - Start.DayNumber;

    public DateTime StartsAt => Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public DateTime EndsAt => End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public bool Contains(DateTime at) => at >= StartsAt && at < EndsAt;

    /// <summary>"2027-01" for a month, "2027-Q1" for a quarter, "2027-W05" for an ISO week, "2027-01-04..2027-02-01" for a range.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => $"{Start:yyyy-MM}",
        PeriodKind.Quarter => $"{Start.Year}-Q{((Start.Month - 1) / 3) + 1}",
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(StartsAt)}-W{ISOWeek.GetWeekOfYear(StartsAt):00}"),
        _ => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}",
    };

    /// <summary>
    /// The period as people read it: a custom range by its first and last day ("10 Oct – 20 Nov 2026"; its
    /// <see cref="End"/> is the day after), any other period by its <see cref="Label"/>. The label stays what links and
    /// the API read.
    /// </summary>
    public string Name => Kind == PeriodKind.Custom ? DaysName(Start, End.AddDays(-1)) : Label;

    /// <summary>Days from <paramref name="first"/> to <paramref name="last"/>, both included: "10 Oct – 20 Nov 2026", "10 Dec 2026 – 5 Jan 2027".</summary>
    public static string DaysName(DateOnly first, DateOnly last) =>
        first == last ? last.ToString("d MMM yyyy", CultureInfo.InvariantCulture)
        : first.Year == last.Year ? $"{first.ToString("d MMM", CultureInfo.InvariantCulture)} – {last.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}"
        : $"{first.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {last.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    public override string ToString() => Label;

    /// <summary>
    /// Reads a label as <see cref="Label"/> writes it (2027-Q1, 2027-03, 2027-W05, 2027-01-04..2027-02-01);
    /// null when it is none of them.
    /// </summary>
    public static Period? Parse(string text)
    {
        var match = LabelPattern().Match(text.Trim());
        if (!match.Success)
            return null;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year is < FirstYear or > LastYear)
            return null;
        if (match.Groups["q"].Success)
        {
            var q = int.Parse(match.Groups["q"].Value, CultureInfo.InvariantCulture);
            return q is >= 1 and <= 4 ? Containing(new DateTime(year, ((q - 1) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc), PeriodKind.Quarter) : null;
        }
        if (match.Groups["w"].Success)
        {
            var w = int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture);
            if (w < 1 || w > ISOWeek.GetWeeksInYear(year))
                return null;
            return Containing(ISOWeek.ToDateTime(year, w, DayOfWeek.Monday), PeriodKind.Week);
        }
        if (match.Groups["m"].Success)
        {
            var m = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
            return m is >= 1 and <= 12 ? Containing(new DateTime(year, m, 1, 0, 0, 0, DateTimeKind.Utc), PeriodKind.Month) : null;
        }
        if (DateOnly.TryParseExact(match.Groups["from"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && DateOnly.TryParseExact(match.Groups["to"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) && to > from
            && RangeError(from, to) is null)
            return Range(from, to);
        return null;
    }

    [GeneratedRegex(@"^(?<year>\d{4})-(?:Q(?<q>\d)|W(?<w>\d{2})|(?<m>\d{2}))$|^(?<from>(?<year>\d{4})-\d{2}-\d{2})\.\.(?<to>\d{4}-\d{2}-\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex LabelPattern();
}
