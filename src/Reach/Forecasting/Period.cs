namespace Reach.Forecasting;

public enum PeriodKind { Month, Quarter }

/// <summary>A calendar month or quarter in UTC: bookings are counted from <see cref="Start"/> up to, not including, <see cref="End"/>.</summary>
public sealed record Period(PeriodKind Kind, DateOnly Start, DateOnly End)
{
    /// <summary>The month or quarter that holds <paramref name="at"/> (taken as UTC).</summary>
    public static Period Containing(DateTime at, PeriodKind kind)
    {
        var months = kind == PeriodKind.Month ? 1 : 3;
        var first = new DateOnly(at.Year, ((at.Month - 1) / months * months) + 1, 1);
        return new Period(kind, first, first.AddMonths(months));
    }

    public Period Next() => new(Kind, End, End.AddMonths(Kind == PeriodKind.Month ? 1 : 3));

    public DateTime StartsAt => Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public DateTime EndsAt => End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public bool Contains(DateTime at) => at >= StartsAt && at < EndsAt;

    /// <summary>"2027-01" for a month, "2027-Q1" for a quarter.</summary>
    public string Label => Kind == PeriodKind.Month ? $"{Start:yyyy-MM}" : $"{Start.Year}-Q{((Start.Month - 1) / 3) + 1}";

    public override string ToString() => Label;
}
