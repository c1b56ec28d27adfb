using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Reach.Imports;

namespace Reach.Metrics.Reports;

/// <summary>A report's tables as CSV (one file, tables one after another under their title) or XLSX (a sheet per table).</summary>
public static class ReportFiles
{
    /// <summary>CSV with Reach's formula-neutralising writer; a blank line between tables, each headed by its title.</summary>
    public static async Task WriteCsvAsync(Report report, Stream output, CancellationToken cancellationToken = default)
    {
        await using var csv = new CsvOutput(new StreamWriter(output, CsvOutput.Utf8(false), 1 << 16, leaveOpen: true));
        var first = true;
        foreach (var table in report.Tables())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!first)
                await csv.WriteRowAsync([]);
            first = false;
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
                Exporter.WriteRow(writer, table.Columns, _ => false);
                foreach (var row in table.Rows)
                    Exporter.WriteRow(writer, row, table.IsNumber);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            // Sheet names: at most 31 characters, none of : \ / ? * [ ].
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = table.Title.Length > 31 ? table.Title[..31] : table.Title });
        }
        workbook.Workbook = new Workbook(sheets);
        workbook.Workbook.Save();
    }
}
