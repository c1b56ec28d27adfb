using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reach.Planning;

/// <summary>
/// A decimal as the planner writes it, in its JSON (plan results, calibration) and its plan files: every digit it has
/// and no trailing zeros. decimal keeps the scale of its inputs (0.80 × 4000 × 5 = 16000.00); people and diffs want
/// 16000, and 0.6000 reads as 0.6.
/// </summary>
public sealed class PlainDecimal : JsonConverter<decimal>
{
    public static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(Text(value));
}
