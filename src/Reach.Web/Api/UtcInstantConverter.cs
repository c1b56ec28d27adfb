using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reach.Web.Api;

/// <summary>
/// Instants on the wire carry their offset ("Z" or "+02:00") and are stored and answered in UTC;
/// a bare local time such as "2027-01-31T09:00:00" is refused rather than guessed.
/// </summary>
public sealed class UtcInstantConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) || !HasOffset(text))
            throw new JsonException("The value could not be converted to System.DateTime. Path");
        return instant.UtcDateTime;
    }

    const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = DateTime.SpecifyKind(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, DateTimeKind.Utc);
        // Written from the stack, not through a string: a page of deals writes four instants a deal.
        Span<byte> text = stackalloc byte[64];
        if (utc.TryFormat(text, out var written, Format, CultureInfo.InvariantCulture))
            writer.WriteStringValue(text[..written]);
        else
            writer.WriteStringValue(utc.ToString(Format, CultureInfo.InvariantCulture));
    }

    static bool HasOffset(string text)
    {
        var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (time < 0)
            return false;
        var rest = text[time..];
        return rest.EndsWith('Z') || rest.EndsWith('z') || rest.Contains('+', StringComparison.Ordinal) || rest.Contains('-', StringComparison.Ordinal);
    }
}
