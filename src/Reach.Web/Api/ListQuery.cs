using System.Globalization;
using System.Text;
using Reach.Data;
using Reach.Lists;

namespace Reach.Web.Api;

/// <summary>
/// The query string of a list call, read field by field with errors that name the parameter;
/// a parameter nobody asked for is an error too, so a typo never silently returns everything.
/// </summary>
public sealed class ListQuery(IQueryCollection query)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    readonly HashSet<string> known = ["limit", "cursor", "sort"];

    public string? Text(string name)
    {
        known.Add(name);
        var value = query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public Guid? Id(string name) => Parse<Guid>(name, v => Guid.TryParse(v, out var g) ? g : (Guid?)null, "an id (a UUID)");

    public DateTime? Time(string name) => Parse<DateTime>(name, v =>
        DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTime?)null,
        "a date or date-time such as 2027-01-31 or 2027-01-31T09:00:00Z");

    /// <summary>
    /// The end of a range, one convention for every <c>…To</c> parameter (docs/api.md, "Date ranges"): a date
    /// (2027-01-31) includes that whole day, a date-time includes that instant. Returned as the first instant after the
    /// range, so callers compare with &lt;. (One microsecond after a date-time: PostgreSQL keeps microseconds.)
    /// </summary>
    public DateTime? Until(string name) => Parse<DateTime>(name, v =>
        DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
            : DateTime.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t.AddMicroseconds(1) : (DateTime?)null,
        "a date or date-time such as 2027-01-31 or 2027-01-31T09:00:00Z");

    /// <summary>
    /// The filters every list shares (<see cref="ListFilter"/>): <c>q</c>, <c>owner</c> (an id or an e-mail) and, for
    /// <paramref name="routed"/> records (accounts, leads), the active plan's <c>segment</c>, <c>routedChannel</c> and <c>deadZone</c>.
    /// </summary>
    public async Task<ListFilter> FilterAsync(ReachDb db, bool routed, CancellationToken cancellationToken) => new()
    {
        Q = Text("q"),
        OwnerId = await ListFilter.OwnerIdAsync(db, Text("owner"), cancellationToken),
        Segment = routed ? Text("segment") : null,
        RoutedChannel = routed ? Text("routedChannel") : null,
        DeadZone = routed ? Bool("deadZone") : null,
    };

    public DateOnly? Date(string name) => Parse<DateOnly>(name, v => DateOnly.TryParseExact(v, "yyyy-MM-dd", out var d) ? d : (DateOnly?)null, "a date such as 2027-01-31");

    public bool? Bool(string name) => Parse<bool>(name, v => bool.TryParse(v, out var b) ? b : (bool?)null, "true or false");

    public T? Enum<T>(string name) where T : struct, System.Enum => Parse(name, EnumNames.Parse<T>, "one of " + EnumNames.List<T>());

    public static T? EnumValue<T>(string value) where T : struct, System.Enum => EnumNames.Parse<T>(value);

    T? Parse<T>(string name, Func<string, T?> parse, string expected) where T : struct
    {
        var text = Text(name);
        if (text is null)
            return null;
        return parse(text) ?? throw new InputException(name, $"'{text}' is not valid: expected {expected}.");
    }

    /// <summary>Sorts by one of <paramref name="keys"/> ("amount", "-amount" for descending), then pages.</summary>
    public async Task<Page<T>> PageAsync<T>(IQueryable<T> items, SortKeys<T> keys, CancellationToken cancellationToken) where T : Record
    {
        var limit = Parse("limit", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n : (int?)null,
            $"a whole number from 1 to {MaxLimit}") ?? DefaultLimit;
        var offset = Parse("cursor", DecodeCursor, "a cursor returned as nextCursor by a previous page") ?? 0;
        var sorted = keys.Apply(items, Text("sort"));
        RejectUnknown();

        var page = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(sorted.Skip(offset).Take(limit + 1), cancellationToken);
        var next = page.Count > limit ? EncodeCursor(offset + limit) : null;
        return new Page<T>(page.Take(limit).ToList(), next);
    }

    /// <summary>Pages a list that has one fixed, stable order (such as the audit trail, newest first); "sort" is refused.</summary>
    public async Task<Page<T>> PageAsync<T>(IOrderedQueryable<T> ordered, CancellationToken cancellationToken)
    {
        var limit = Parse("limit", v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit ? n : (int?)null,
            $"a whole number from 1 to {MaxLimit}") ?? DefaultLimit;
        var offset = Parse("cursor", DecodeCursor, "a cursor returned as nextCursor by a previous page") ?? 0;
        if (Text("sort") is not null)
            throw new InputException("sort", "This list has one fixed order and cannot be sorted.");
        RejectUnknown();

        var page = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(ordered.Skip(offset).Take(limit + 1), cancellationToken);
        var next = page.Count > limit ? EncodeCursor(offset + limit) : null;
        return new Page<T>(page.Take(limit).ToList(), next);
    }

    /// <summary>Refuses any parameter that was not read: call it after reading every known one.</summary>
    public void RejectUnknown()
    {
        var unknown = query.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null)
            throw new InputException(unknown, $"'{unknown}' is not a known parameter here; known: {string.Join(", ", known.Order())}.");
    }

    // The cursor is opaque to clients; it carries the offset of the next page.
    static string EncodeCursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}")).TrimEnd('=');

    static int? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor.PadRight((cursor.Length + 3) / 4 * 4, '=')));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], out var offset) && offset >= 0 ? offset : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
