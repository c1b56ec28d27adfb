using System.Globalization;
using System.Text.RegularExpressions;

namespace Reach.Imports;

/// <summary>A cell that cannot be read as the field's type; becomes a row in the report, not an abort.</summary>
public sealed class CellException(string reason) : Exception(reason);

/// <summary>
/// Reads cells the way CRMs write them: dates (ISO, Salesforce's <c>+0000</c> offsets, HubSpot's
/// <c>yyyy-MM-dd HH:mm</c>, US <c>M/d/yyyy</c> and Excel's <c>MM/dd/yy hh:mm tt</c>), money with currency
/// symbols or codes and either thousands separator, percentages as <c>50%</c>, <c>50</c> or <c>0.5</c>,
/// and booleans as true/false, 1/empty, yes/no.
/// </summary>
public static partial class CellParser
{
    static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy",
        "M/d/yy h:mm tt", "M/d/yy H:mm", "M/d/yy",
        "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm", "d.M.yyyy",
    ];

    /// <summary>An instant, read as UTC when the source gives no offset (every source here exports UTC or the user's wall clock).</summary>
    public static DateTime ParseDateTime(string text)
    {
        var t = text.Trim();
        // The commonest cell, an ISO date, read without trying the other formats first (the same result as the list's).
        if (t.Length == 10 && t[4] == '-' && DateTime.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            return DateTime.SpecifyKind(day, DateTimeKind.Utc);
        // Salesforce writes offsets without a colon (+0000), which .NET's K does not read.
        if (OffsetWithoutColon().Match(t) is { Success: true } m)
            t = t[..m.Index] + m.Groups[1].Value + ":" + m.Groups[2].Value;
        t = DayFirstIfMonthImpossible(t);
        if (DateTime.TryParseExact(t, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        throw new CellException($"'{text}' is not a date (e.g. 2027-01-31, 2027-01-31T09:00:00Z or 1/31/2027).");
    }

    public static DateOnly ParseDate(string text) => DateOnly.FromDateTime(ParseDateTime(text));

    // "31/01/2027": the first number cannot be a month, so the file is day-first; swap to M/d.
    static string DayFirstIfMonthImpossible(string t)
    {
        var m = SlashDate().Match(t);
        if (!m.Success || int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) <= 12)
            return t;
        return $"{m.Groups[2].Value}/{m.Groups[1].Value}/{m.Groups[3].Value}{t[m.Length..]}";
    }

    /// <summary>An amount and the currency its symbol or code names (null when none): "$1,234.50", "1.234,50 €", "EUR 900", "500000.0".</summary>
    public static (decimal Amount, string? Currency) ParseMoney(string text)
    {
        var t = text.Trim();
        string? currency = null;
        if (CurrencyCode().Match(t) is { Success: true } code)
        {
            currency = code.Value.Trim().ToUpperInvariant();
            t = t.Remove(code.Index, code.Length);
        }
        foreach (var (symbol, iso) in Symbols)
        {
            if (t.Contains(symbol, StringComparison.Ordinal))
            {
                currency ??= iso;
                t = t.Replace(symbol, "", StringComparison.Ordinal);
            }
        }
        return (ParseNumber(t, text), currency);
    }

    static readonly (string Symbol, string Iso)[] Symbols = [("US$", "USD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"), ("CHF", "CHF")];

    /// <summary>
    /// A plain number with either convention: the last of '.' and ',' is the decimal mark when both occur;
    /// a lone ',' followed by exactly three digits (groups of three) is a thousands separator.
    /// </summary>
    public static decimal ParseNumber(string text, string? original = null)
    {
        var t = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal)
            .Replace("\u202F", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        var dot = t.LastIndexOf('.');
        var comma = t.LastIndexOf(',');
        if (dot >= 0 && comma >= 0)
            t = dot > comma ? t.Replace(",", "", StringComparison.Ordinal) : t.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        else if (comma >= 0)
            t = ThousandsGroups().IsMatch(t) ? t.Replace(",", "", StringComparison.Ordinal) : t.Replace(',', '.');
        else if (t.Count(c => c == '.') > 1)
            t = t.Replace(".", "", StringComparison.Ordinal);
        if (decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            return value;
        throw new CellException($"'{original ?? text}' is not a number.");
    }

    public static int ParseInt(string text)
    {
        // "1.200" employees is German for 1,200: a whole number cannot have three decimals.
        var value = ParseNumber(DottedThousands().IsMatch(text.Trim()) ? text.Replace(".", "", StringComparison.Ordinal) : text);
        if (value != decimal.Truncate(value) || value < int.MinValue || value > int.MaxValue)
            throw new CellException($"'{text}' is not a whole number.");
        return (int)value;
    }

    /// <summary>
    /// A probability as a fraction 0–1. "40%" is always 0.4; a bare number is a percentage from
    /// Salesforce and Pipedrive (0–100) and a fraction from HubSpot (0–1), as each exports it.
    /// </summary>
    public static decimal ParsePercent(string text, SourceFormat format)
    {
        var t = text.Trim();
        var percent = t.EndsWith('%');
        var value = ParseNumber(t.TrimEnd('%'), text);
        var fraction = percent || format is not (SourceFormat.HubSpot or SourceFormat.Reach) || value > 1 ? value / 100m : value;
        if (fraction is < 0 or > 1)
            throw new CellException($"'{text}' is not a probability between 0 and 100%.");
        return fraction;
    }

    public static bool ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "y" or "x" => true,
        "false" or "0" or "no" or "n" or "" => false,
        _ => throw new CellException($"'{text}' is not true or false."),
    };

    /// <summary>An enum value by name, ignoring case, spaces, dashes and underscores ("Self service" = self_service = SelfService).</summary>
    public static T ParseEnum<T>(string text, IReadOnlyDictionary<string, T>? synonyms = null) where T : struct, Enum
    {
        var key = Squash(text);
        if (synonyms is not null && synonyms.TryGetValue(key, out var synonym))
            return synonym;
        foreach (var value in Enum.GetValues<T>())
            if (Squash(value.ToString()) == key)
                return value;
        throw new CellException($"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    /// <summary>Lower-case letters and digits only: how names are compared across sources ("Closed Won" = closedwon).</summary>
    public static string Squash(string text)
    {
        // Called for several names of every imported row: no enumerator, one string.
        Span<char> squashed = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        foreach (var c in text)
            if (char.IsLetterOrDigit(c))
                squashed[length++] = char.ToLowerInvariant(c);
        return new string(squashed[..length]);
    }

    [GeneratedRegex(@"([+-]\d{2})(\d{2})$")]
    private static partial Regex OffsetWithoutColon();

    [GeneratedRegex(@"^(\d{1,2})/(\d{1,2})/(\d{2,4})")]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex DottedThousands();

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+$")]
    private static partial Regex ThousandsGroups();

    [GeneratedRegex(@"(^[A-Za-z]{3}\s+|\s*[A-Za-z]{3}$)")]
    private static partial Regex CurrencyCode();
}
