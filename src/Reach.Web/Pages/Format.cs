using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>How pages write figures and times.</summary>
public static class Format
{
    public static string Money(decimal amount, string currency) =>
        (currency switch { "EUR" => "€", "USD" => "$", "GBP" => "£", _ => currency + " " }) + amount.ToString("#,##0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Date(DateTime? at) => at?.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "—";

    public static string Date(DateOnly? at) => at?.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "—";

    public static string Ago(DateTime at, DateTime now)
    {
        var span = now - at;
        return span.TotalMinutes < 60 ? $"{Math.Max(0, (int)span.TotalMinutes)} min" : span.TotalHours < 48 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalDays} d";
    }

    public static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => EnumNames.Of(value);

    /// <summary>An enum value in lower-case words ("economic buyer"); a channel as everywhere else ("self-service").</summary>
    public static string Words<TEnum>(TEnum value) where TEnum : struct, Enum =>
        value is Channel channel ? Labels.Channel(channel).ToLowerInvariant() : Wire(value).Replace('_', ' ');
}
