using System.Text;

namespace Reach.Imports;

/// <summary>
/// Writes CSV (RFC 4180, CRLF) asynchronously, so it can stream into an HTTP response. Cells a
/// spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are prefixed with ',
/// and so are cells already starting with ', so Reach's own import can take exactly one back. A plain signed number
/// (-20442.18) is left as it is: it runs nothing, and a spreadsheet must read it as a number.
/// </summary>
public sealed class CsvOutput(TextWriter writer) : IAsyncDisposable
{
    public static UTF8Encoding Utf8(bool bom) => new(encoderShouldEmitUTF8Identifier: bom);

    /// <summary>The cell as a spreadsheet may safely open it.</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' && !IsSignedNumber(value) ? "'" + value : value;

    static bool IsSignedNumber(string value) =>
        value[0] is '-' or '+' && value.Length > 1 && char.IsAsciiDigit(value[1])
        && decimal.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out _);

    public async Task WriteRowAsync(IEnumerable<string?> cells)
    {
        var line = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
                line.Append(',');
            first = false;
            var value = Neutralise(cell ?? "");
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))))
                line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else
                line.Append(value);
        }
        line.Append("\r\n");
        await writer.WriteAsync(line);
    }

    bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        await writer.FlushAsync();
        await writer.DisposeAsync();
    }
}
