using System.Globalization;
using System.Text;
using CsvHelper;

namespace Reach.Imports;

/// <summary>
/// A file that is not a readable CSV at all (wrong encoding, unbalanced quotes, no header, binary):
/// one clear error, nothing written. Names the row, column and value when there is one.
/// </summary>
public sealed class ImportFileException(string message, int? row = null, string? column = null, string? value = null) : Exception(message)
{
    public int? Row { get; } = row;
    public string? Column { get; } = column;
    public string? Value { get; } = value;
}

/// <summary>
/// A CSV file read twice, in constant memory: <see cref="InspectAsync"/> checks the whole file
/// (encoding, quotes, header) and counts its rows before anything is written, then
/// <see cref="ReadRowsAsync"/> streams the records.
/// </summary>
public sealed class CsvInput
{
    CsvInput(string path, Encoding encoding, char delimiter, string[] header, int rows)
    {
        Path = path;
        Encoding = encoding;
        Delimiter = delimiter;
        Header = header;
        Rows = rows;
    }

    public string Path { get; }
    public Encoding Encoding { get; }
    public char Delimiter { get; }
    public IReadOnlyList<string> Header { get; }

    /// <summary>Data records (the header excluded), counted by the inspection; the progress total.</summary>
    public int Rows { get; }

    /// <summary>The encoding a name stands for: utf-8 (the default, strict), windows-1252/cp1252, latin1.</summary>
    public static Encoding EncodingNamed(string? name)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "utf-8" or "utf8":
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            case "windows-1252" or "cp1252" or "1252":
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            case "latin1" or "iso-8859-1":
                return Encoding.Latin1;
            default:
                throw new ImportFileException($"Unknown encoding '{name}': use utf-8, windows-1252 or latin1.");
        }
    }

    public static async Task<CsvInput> InspectAsync(string path, Encoding? encoding = null, CancellationToken cancellationToken = default)
    {
        encoding ??= EncodingNamed(null);
        await using (var probe = File.OpenRead(path))
        {
            var head = new byte[8192];
            var length = await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            if (length == 0)
                throw new ImportFileException("The file is empty: a CSV with a header row is needed.");
            CheckNotBinary(head.AsSpan(0, length));
            if (length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
                encoding = length >= 2 && head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
        }

        // The whole file through a strict decoder and a quote state machine: a bad byte or an unclosed quote
        // on the last line is found here, before the first batch is written, not after.
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var buffer = new char[1 << 16];
        var line = 1;
        var quoteOpenedAt = 0;
        var inQuotes = false;
        var atFieldStart = true;
        var records = 0;
        var recordHasContent = false;
        var firstLine = new StringBuilder();
        var previous = '\0';
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (records == 0 && (inQuotes || c is not ('\r' or '\n')) && firstLine.Length < 100_000)
                        firstLine.Append(c);
                    if (c == '\0')
                        throw new ImportFileException($"Line {line} holds a NUL character: this is a binary file, not a CSV.", line);
                    if (inQuotes)
                    {
                        if (c == '"')
                            inQuotes = false; // a doubled quote reopens at once below
                        else if (c == '\n')
                            line++;
                        previous = c;
                        continue;
                    }
                    switch (c)
                    {
                        case '"' when atFieldStart || previous == '"':
                            inQuotes = true;
                            quoteOpenedAt = line;
                            recordHasContent = true;
                            atFieldStart = false;
                            break;
                        case '\n':
                            line++;
                            if (recordHasContent)
                                records++;
                            recordHasContent = false;
                            atFieldStart = true;
                            break;
                        case '\r':
                            break;
                        case ',' or ';' or '\t':
                            atFieldStart = true;
                            recordHasContent = true;
                            break;
                        default:
                            atFieldStart = false;
                            recordHasContent = true;
                            break;
                    }
                    previous = c;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            var (badLine, bytes) = await FindUndecodableAsync(path, encoding, cancellationToken);
            throw new ImportFileException(
                $"Line {badLine} is not valid {encoding.WebName} (byte {bytes}): the file has another encoding. Save it as UTF-8, or pass --encoding windows-1252 for files from older Salesforce Data Loader or Excel.",
                badLine, value: bytes);
        }
        if (inQuotes)
            throw new ImportFileException($"The quote opened on line {quoteOpenedAt} is never closed: the file is cut off or its quotes are unbalanced.", quoteOpenedAt);
        if (recordHasContent)
            records++;
        if (records == 0)
            throw new ImportFileException("The file holds no rows: a CSV with a header row is needed.");

        var delimiter = DelimiterOf(firstLine.ToString());
        var header = ParseLine(firstLine.ToString(), delimiter);
        CheckHeader(header);
        return new CsvInput(path, encoding, delimiter, header, records - 1);
    }

    // Only on the error path: where exactly the first byte the encoding refuses is, for the message.
    static async Task<(int Line, string Bytes)> FindUndecodableAsync(string path, Encoding encoding, CancellationToken cancellationToken)
    {
        var decoder = encoding.GetDecoder();
        var line = 1;
        var chars = new char[8];
        await using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        int read;
        var first = true;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var start = first && read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            first = false;
            for (var i = start; i < read; i++)
            {
                try
                {
                    decoder.GetChars(buffer, i, 1, chars, 0, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    return (line, $"0x{buffer[i]:X2}");
                }
                if (buffer[i] == (byte)'\n')
                    line++;
            }
        }
        return (line, "at the end of the file");
    }

    static void CheckNotBinary(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\u0003\u0004"u8))
            throw new ImportFileException("This is a ZIP archive (or an .xlsx workbook), not a CSV: unzip it, or save the sheet as CSV (UTF-8).");
        if (head.StartsWith("%PDF"u8))
            throw new ImportFileException("This is a PDF, not a CSV.");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
            throw new ImportFileException("This is an old Excel (.xls) workbook, not a CSV: save the sheet as CSV (UTF-8).");
        var utf16 = head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        if (!utf16 && head.IndexOf((byte)0) >= 0)
            throw new ImportFileException("The file holds NUL bytes: it is a binary file, not a CSV.");
    }

    // Excel in European locales writes ';', some tools tab: the first line says which.
    static readonly char[] Delimiters = [',', ';', '\t'];

    static char DelimiterOf(string firstLine)
    {
        var counts = Delimiters.Select(d => (d, n: firstLine.Count(c => c == d))).OrderByDescending(x => x.n).First();
        return counts.n == 0 ? ',' : counts.d;
    }

    static string[] ParseLine(string line, char delimiter)
    {
        using var reader = CsvReader.Create(new StringReader(line), Options(delimiter), false);
        return reader.Read() ? Cells(reader) : [];
    }

    static string[] Cells(CsvReader reader)
    {
        var cells = new string[reader.FieldCount];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = reader.GetString(i);
        return cells;
    }

    static void CheckHeader(string[] header)
    {
        for (var i = 0; i < header.Length; i++)
        {
            var cell = header[i].Trim();
            var looksLikeData = cell.Contains('@', StringComparison.Ordinal)
                || decimal.TryParse(cell, NumberStyles.Any, CultureInfo.InvariantCulture, out _)
                || DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            if (looksLikeData)
                throw new ImportFileException(
                    $"The first row holds data ('{cell}' in column {i + 1}), not column names: the file has no header row. Add one, e.g. the field names of docs/imports.md.",
                    1, $"column {i + 1}", cell);
        }
        if (header.All(string.IsNullOrWhiteSpace))
            throw new ImportFileException("The first row is empty: the file has no header row.", 1);
    }

    static CsvReaderOptions Options(char delimiter) => new()
    {
        Separator = delimiter,
        HasHeader = false,
        Mode = CsvMode.Rfc4180,
        SkipEmptyLines = true,
        AllowLineBreaksInQuotes = true,
        TrimWhitespace = false,
        // The inspection has already refused unbalanced quotes; a stray quote inside a field is kept as text.
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
    };

    /// <summary>The data records with their 1-based row number (the header is row 1), streamed.</summary>
    public async IAsyncEnumerable<(int Row, string[] Cells)> ReadRowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(Path, Encoding, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        await using var csv = CsvReader.Create(reader, Options(Delimiter), false);
        var row = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            row++;
            if (row == 1)
                continue;
            yield return (row, Cells(csv));
        }
    }
}
