using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Reach.Imports;

namespace Reach.Metrics.Reports;

/// <summary>
/// A report's tables as CSV (one file, tables one after another under their title) or XLSX (a sheet per table), each
/// opening with the report's title rows (<see cref="Report.TitleRows"/>: whose report, which period, the currency).
/// </summary>
public static class ReportFiles
{
    /// <summary>CSV with Reach's formula-neutralising writer; a blank line between tables, each headed by its title.</summary>
    public static async Task WriteCsvAsync(Report report, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = new CsvOutput(new StreamWriter(output, CsvOutput.Utf8(false), 1 << 16, leaveOpen: true));
        foreach (var row in report.TitleRows())
            await csv.WriteRowAsync(row);
        foreach (var table in report.Tables())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await csv.WriteRowAsync([]);
            await csv.WriteRowAsync([table.Title]);
            await csv.WriteRowAsync(table.Columns);
            foreach (var row in table.Rows)
                await csv.WriteRowAsync(row);
        }
    }

    /// <summary>XLSX, a sheet per table; numbers are number cells. Needs a seekable stream (a file).</summary>
    public static void WriteXlsx(Report report, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var sheets = new Sheets();
        uint id = 1;
        foreach (var table in report.Tables())
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(part))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                foreach (var title in report.TitleRows())
                    Exporter.WriteRow(writer, title, _ => false);
                Exporter.WriteRow(writer, [], _ => false);
                Exporter.WriteRow(writer, table.Columns, _ => false);
                // A number column's words ("target met") stay text cells.
                foreach (var row in table.Rows)
                    Exporter.WriteRow(writer, row, c => table.IsNumber(c) && ReportTable.IsNumberText(row[c]));
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            // Sheet names: at most 31 characters, none of : \ / ? * [ ].
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = SheetName(table.Title) });
        }
        workbook.Workbook = new Workbook(sheets);
        workbook.Workbook.Save();
    }

    static string SheetName(string title)
    {
        var name = string.Concat(title.Select(c => ":\\/?*[]".Contains(c, StringComparison.Ordinal) ? '-' : c));
        return name.Length > 31 ? name[..31] : name;
    }
}
