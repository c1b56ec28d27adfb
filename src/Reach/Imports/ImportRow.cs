namespace Reach.Imports;

/// <summary>Which columns of the file feed which field, in priority order.</summary>
public sealed class ColumnPlan
{
    readonly Dictionary<string, List<int>> columns = new(StringComparer.Ordinal);

    ColumnPlan(IReadOnlyList<string> header) => Header = header;

    public IReadOnlyList<string> Header { get; }

    public List<string> Ignored { get; } = [];

    /// <summary>Columns holding the date a deal entered a stage (HubSpot's <c>Date entered "Stage (Pipeline)"</c>).</summary>
    public List<(string Stage, int Column)> StageDateColumns { get; } = [];

    /// <summary>The stage a "Date entered …" column is about, without its pipeline in parentheses; null for other columns.</summary>
    public static string? StageOfDateColumn(string header)
    {
        const string prefix = "Date entered ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return null;
        var stage = header[prefix.Length..].Trim().Trim('"', '\'', '“', '”').Trim();
        if (stage.EndsWith(')') && stage.LastIndexOf(" (", StringComparison.Ordinal) is > 0 and var open)
            stage = stage[..open];
        return stage.Length > 0 ? stage : null;
    }

    public bool Has(string field) => columns.ContainsKey(field);

    public IReadOnlyList<int> ColumnsOf(string field) => columns.TryGetValue(field, out var c) ? c : [];

    /// <summary>The header of the column a field is read from first, for messages.</summary>
    public string ColumnName(string field) => columns.TryGetValue(field, out var c) ? Header[c[0]] : field;

    /// <summary>The field a column feeds, or null when it is ignored.</summary>
    public string? FieldAt(int column) => columns.FirstOrDefault(c => c.Value.Contains(column)).Key;

    /// <summary>The field name in a map that says "ignore this column".</summary>
    public const string Ignore = "-";

    /// <summary>
    /// The plan for a header: the user's --map first ("Column=-" ignores a column), then the source's
    /// known headers (in their priority order), then columns named exactly like a Reach field.
    /// </summary>
    public static ColumnPlan Build(IReadOnlyList<string> header, SourceFormat format, ImportEntity entity, IReadOnlyDictionary<string, string> map)
    {
        var plan = new ColumnPlan(header);
        var fields = ImportFields.All(entity);
        var canonical = header.Select(SourceHeaders.Canonical).ToList();
        var used = new HashSet<int>();

        foreach (var (column, field) in map)
        {
            if (field.Trim() == Ignore)
            {
                var ignored = canonical.FindIndex(h => string.Equals(h, SourceHeaders.Canonical(column), StringComparison.OrdinalIgnoreCase));
                if (ignored >= 0 && used.Add(ignored))
                    plan.Ignored.Add(header[ignored]);
                continue;
            }
            var target = fields.FirstOrDefault(f => string.Equals(f, field.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new ImportFileException($"--map {column}={field}: '{field}' is not a field of {entity.ToString().ToLowerInvariant()}; the fields are {string.Join(", ", fields)}.", column: column, value: field);
            var index = canonical.FindIndex(h => string.Equals(h, SourceHeaders.Canonical(column), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new ImportFileException($"--map {column}={field}: the file has no column '{column}'; its columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.", 1, column);
            plan.Add(target, index);
            used.Add(index);
        }

        foreach (var (known, field) in SourceHeaders.For(format, entity))
        {
            var index = canonical.FindIndex(h => string.Equals(h, known, StringComparison.OrdinalIgnoreCase));
            if (index >= 0 && used.Add(index))
                plan.Add(field, index);
        }

        for (var i = 0; i < canonical.Count; i++)
        {
            if (used.Contains(i))
                continue;
            var field = fields.FirstOrDefault(f => string.Equals(f, canonical[i], StringComparison.OrdinalIgnoreCase));
            if (field is not null)
                plan.Add(field, i);
            else if (entity == ImportEntity.Deals && StageOfDateColumn(canonical[i]) is { } stage)
                plan.StageDateColumns.Add((stage, i));
            else if (header[i].Trim().Length > 0)
                plan.Ignored.Add(header[i]);
        }
        return plan;
    }

    void Add(string field, int index)
    {
        if (!columns.TryGetValue(field, out var list))
            columns[field] = list = [];
        list.Add(index);
    }
}

/// <summary>One record of the file as field values; a cell that cannot be read is collected as a rejection, not thrown.</summary>
public sealed class ImportRow(int number, string[] cells, ColumnPlan plan, SourceFormat format)
{
    public int Number { get; } = number;
    public SourceFormat Format { get; } = format;
    public List<RejectedRow> Errors { get; } = [];

    public bool IsBlank => Array.TrueForAll(cells, string.IsNullOrWhiteSpace);

    /// <summary>Salesforce report exports end with a blank line and footer rows (confidentiality, copyright, totals).</summary>
    public bool IsFooter
    {
        get
        {
            // Asked of every row: look for the one filled cell without making a list.
            string? filled = null;
            foreach (var cell in cells)
            {
                if (string.IsNullOrWhiteSpace(cell))
                    continue;
                if (filled is not null)
                    return false;
                filled = cell;
            }
            if (filled is null)
                return false;
            var text = filled.Trim();
            return text.StartsWith("Confidential Information", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("Copyright", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("Grand Total", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("Generated By", StringComparison.OrdinalIgnoreCase);
        }
    }

    public int CellCount => cells.Length;

    /// <summary>The stage dates the row carries (see <see cref="ColumnPlan.StageDateColumns"/>); a date that cannot be read rejects the row.</summary>
    public List<(string Stage, DateTime At)> StageDates()
    {
        var dates = new List<(string, DateTime)>();
        foreach (var (stage, index) in plan.StageDateColumns)
        {
            if (index >= cells.Length || cells[index].Trim() is not { Length: > 0 } text)
                continue;
            try
            {
                dates.Add((stage, CellParser.ParseDateTime(text)));
            }
            catch (CellException e)
            {
                Errors.Add(new RejectedRow(Number, plan.Header[index], text, e.Message));
            }
        }
        return dates;
    }

    public bool HasFilledCellsBeyond(int count) => cells.Skip(count).Any(c => !string.IsNullOrWhiteSpace(c));

    /// <summary>The first non-empty cell of the field's columns, trimmed; null when none.</summary>
    public string? Text(string field)
    {
        foreach (var index in plan.ColumnsOf(field))
        {
            if (index >= cells.Length)
                continue;
            var value = cells[index].Trim();
            if (value.Length == 0)
                continue;
            // Reach's export neutralises formula-like cells with a leading '; its own format takes it back.
            if (Format == SourceFormat.Reach && value.StartsWith('\''))
                value = value[1..];
            return value;
        }
        return null;
    }

    public string Column(string field) => plan.ColumnName(field);

    public T? Read<T>(string field, Func<string, T> parse) where T : struct => TryRead(field, parse, out var value) ? value : null;

    public string? ReadString(string field, Func<string, string> parse) => TryRead(field, parse, out var value) ? value : null;

    /// <summary>The field's text parsed: false when the row has none, or when it cannot be read (rejected with the parser's reason).</summary>
    bool TryRead<T>(string field, Func<string, T> parse, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
    {
        value = default;
        if (Text(field) is not { } text)
            return false;
        try
        {
            value = parse(text);
            return true;
        }
        catch (CellException e)
        {
            Reject(field, text, e.Message);
            return false;
        }
    }

    public Guid? ReadId(string field) => Read(field, t => Guid.TryParse(t, out var id) ? id : throw new CellException($"'{t}' is not a Reach id (a UUID)."));

    public void Reject(string field, string? value, string reason) => Errors.Add(new RejectedRow(Number, Column(field), value ?? Text(field) ?? "", reason));
}
