using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Lists;

namespace Reach.Imports;

/// <summary>
/// Exports one entity with Reach's own header (the "reach" import format), streamed from the database
/// in id order. Filters compare an exported column's text, ignoring case. Values are written as the
/// API writes them: ISO 8601 dates, invariant numbers, snake_case enums, owners as emails.
/// </summary>
public static class Exporter
{
    /// <summary>Checks <c>field=value</c> filters against the entity's columns; throws <see cref="ImportFileException"/> naming a wrong one.</summary>
    public static IReadOnlyList<(int Column, string Value)> ParseFilters(ImportEntity entity, IEnumerable<string> filters)
    {
        var columns = ImportFields.Export(entity);
        var parsed = new List<(int, string)>();
        foreach (var filter in filters)
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new ImportFileException($"The filter '{filter}' is not field=value.", column: "filter", value: filter);
            var field = filter[..eq].Trim();
            var index = columns.ToList().FindIndex(c => string.Equals(c, field, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new ImportFileException($"The filter '{filter}' names no column of {entity.ToString().ToLowerInvariant()}: the columns are {string.Join(", ", columns)}.", column: field, value: filter);
            parsed.Add((index, filter[(eq + 1)..].Trim()));
        }
        return parsed;
    }

    /// <summary>The rows of an export, header excluded, filtered by column values and by a list's filter (the web app's lists).</summary>
    public static async IAsyncEnumerable<string?[]> RowsAsync(ReachDb db, ImportEntity entity, IReadOnlyList<(int Column, string Value)> filters,
        ListFilter? list = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        list ??= new ListFilter();
        var owners = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var stages = await db.Stages.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var pipelineNames = await db.Pipelines.AsNoTracking().Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        string? Owner(Guid? id) => id is { } o && owners.TryGetValue(o, out var email) ? email : null;

        var rows = entity switch
        {
            ImportEntity.Accounts => list.Apply(db.Accounts.AsNoTracking()).OrderBy(a => a.Id).AsAsyncEnumerable().Select(a => new[]
            {
                Id(a.Id), a.Name, a.Domain, Number(a.Employees), Number(a.AnnualRevenue), a.Industry, a.Region, Enum(a.Tier), Enum(a.Channel),
                Enum(a.Lifecycle), Owner(a.OwnerId), a.ExternalSource, a.ExternalId,
            }),
            ImportEntity.Contacts => list.Apply(db.Contacts.AsNoTracking()).OrderBy(c => c.Id).AsAsyncEnumerable().Select(c => new[]
            {
                Id(c.Id), Id(c.AccountId), c.FirstName, c.LastName, c.Email, c.Phone, c.Title, Enum(c.Role), c.CaresAbout, c.TimeZone,
                Owner(c.OwnerId), c.ExternalSource, c.ExternalId,
            }),
            ImportEntity.Leads => list.Apply(db.Leads.AsNoTracking()).OrderBy(l => l.Id).AsAsyncEnumerable().Select(l => new[]
            {
                Id(l.Id), l.FirstName, l.LastName, l.Email, l.Phone, l.Title, l.Company, l.Domain, Number(l.Employees), l.Industry,
                Enum(l.Source), Enum(l.Status), Instant(l.ReceivedAt), Owner(l.OwnerId), l.ExternalSource, l.ExternalId,
            }),
            ImportEntity.Deals => list.Apply(db.Deals.AsNoTracking()).OrderBy(d => d.Id).AsAsyncEnumerable().Select(d => new[]
            {
                Id(d.Id), d.Name, Id(d.AccountId), Id(d.PrimaryContactId), Number(d.Amount), d.Currency, pipelineNames.GetValueOrDefault(d.PipelineId),
                stages.GetValueOrDefault(d.StageId), Enum(d.Status), d.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Instant(d.ClosedAt),
                Enum(d.ForecastCategory), Enum(d.Kind), d.LostReason, d.Competitor, d.NextStep, Owner(d.OwnerId), d.ExternalSource, d.ExternalId,
            }),
            ImportEntity.Activities => list.Apply(db.Activities.AsNoTracking()).OrderBy(a => a.Id).AsAsyncEnumerable().Select(a => new[]
            {
                Id(a.Id), Enum(a.Type), Enum(a.Direction), a.Subject, a.Body, a.Outcome, Instant(a.OccurredAt), Instant(a.DueAt), Instant(a.CompletedAt),
                Id(a.AccountId), Id(a.ContactId), Id(a.DealId), Id(a.LeadId), Owner(a.OwnerId), a.ExternalSource, a.ExternalId,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(entity)),
        };
        await foreach (var row in rows.WithCancellation(cancellationToken))
            if (filters.All(f => string.Equals(row[f.Column] ?? "", f.Value, StringComparison.OrdinalIgnoreCase)))
                yield return row;
    }

    static string? Id(Guid? id) => id?.ToString();

    static string? Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);

    static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    static string? Instant(DateTime? value) => value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    static string? Enum<T>(T? value) where T : struct, System.Enum => EnumNames.Of(value);

    static string? Enum<T>(T value) where T : struct, System.Enum => EnumNames.Of(value);

    /// <summary>Writes a CSV export; returns the number of records written.</summary>
    public static async Task<int> WriteCsvAsync(ReachDb db, ImportEntity entity, IReadOnlyList<(int Column, string Value)> filters, Stream output, bool bom, CancellationToken cancellationToken = default) =>
        await WriteCsvAsync(db, entity, filters, null, output, bom, cancellationToken);

    /// <summary>Writes a CSV export of the records a list's filter selects; returns the number of records written.</summary>
    public static async Task<int> WriteCsvAsync(ReachDb db, ImportEntity entity, IReadOnlyList<(int Column, string Value)> filters, ListFilter? list, Stream output, bool bom, CancellationToken cancellationToken = default)
    {
        await using var csv = new CsvOutput(new StreamWriter(output, CsvOutput.Utf8(bom), 1 << 16, leaveOpen: true));
        await csv.WriteRowAsync(ImportFields.Export(entity));
        var count = 0;
        await foreach (var row in RowsAsync(db, entity, filters, list, cancellationToken))
        {
            await csv.WriteRowAsync(row);
            count++;
        }
        return count;
    }

    static readonly HashSet<string> NumericColumns = ["employees", "annualRevenue", "amount"];

    /// <summary>
    /// Writes an XLSX workbook with one sheet, streamed row by row (Open XML SDK's writer, inline strings:
    /// no shared-string table to hold in memory). Numbers are number cells; text is neutralised as in CSV.
    /// Needs a seekable stream (a file); the API writes a temporary file, then sends it.
    /// </summary>
    public static async Task<int> WriteXlsxAsync(ReachDb db, ImportEntity entity, IReadOnlyList<(int Column, string Value)> filters, Stream output, CancellationToken cancellationToken = default) =>
        await WriteXlsxAsync(db, entity, filters, null, output, cancellationToken);

    /// <summary>Writes an XLSX export of the records a list's filter selects; returns the number of records written.</summary>
    public static async Task<int> WriteXlsxAsync(ReachDb db, ImportEntity entity, IReadOnlyList<(int Column, string Value)> filters, ListFilter? list, Stream output, CancellationToken cancellationToken = default)
    {
        var columns = ImportFields.Export(entity);
        var count = 0;
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheetPart))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, columns, _ => false);
            await foreach (var row in RowsAsync(db, entity, filters, list, cancellationToken))
            {
                WriteRow(writer, row, i => NumericColumns.Contains(columns[i]));
                count++;
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        workbook.Workbook = new Workbook(new Sheets(new Sheet
        {
            Id = workbook.GetIdOfPart(sheetPart),
            SheetId = 1,
            Name = char.ToUpperInvariant(entity.ToString()[0]) + entity.ToString()[1..].ToLowerInvariant(),
        }));
        workbook.Workbook.Save();
        return count;
    }

    /// <summary>
    /// One row of a streamed sheet: number cells where <paramref name="isNumber"/> says so, neutralised inline text elsewhere.
    /// Characters XML cannot hold are dropped, so text stored before input refused them cannot break the export.
    /// </summary>
    public static void WriteRow(OpenXmlWriter writer, IReadOnlyList<string?> cells, Func<int, bool> isNumber)
    {
        writer.WriteStartElement(new Row());
        for (var i = 0; i < cells.Count; i++)
        {
            var value = cells[i];
            if (value is null)
            {
                writer.WriteElement(new Cell());
                continue;
            }
            if (isNumber(i))
                writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(value) });
            else
                writer.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(CsvOutput.Neutralise(TextRules.XmlSafe(value)))) });
        }
        writer.WriteEndElement();
    }
}
