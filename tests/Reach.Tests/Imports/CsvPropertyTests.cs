using FsCheck;
using FsCheck.Fluent;
using Reach.Imports;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>The CSV reader and the cell parsers on arbitrary input: no crash, no silent corruption.</summary>
public class CsvPropertyTests
{
    // Cells from the characters that break CSV readers: delimiters, quotes, line breaks, formula starts, spaces, non-ASCII.
    static readonly Gen<string> Cell =
        Gen.Elements('a', 'Z', '7', ',', ';', '\t', '"', '\'', '\r', '\n', ' ', '=', '+', '-', '@', 'é', '€', '日')
            .ArrayOf().Select(chars => new string(chars));

    static readonly Gen<string[][]> Rows = Cell.ArrayOf(3).NonEmptyListOf().Select(rows => rows.ToArray());

    [Theory]
    [InlineData("-20442.18", "-20442.18")]
    [InlineData("+5", "+5")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("-Ann", "'-Ann")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("-", "'-")]
    [InlineData("-1e5", "'-1e5")]
    public void FormulasAreNeutralisedButASignedNumberStaysANumber(string cell, string written) =>
        Assert.Equal(written, CsvOutput.Neutralise(cell));

    [Fact]
    public void WhatCsvOutputWritesCsvInputReadsBackCellForCell() =>
        Prop.ForAll(Rows.ToArbitrary(), rows =>
        {
            var path = Path.GetTempFileName();
            try
            {
                using (var stream = File.Create(path))
                {
                    var csv = new CsvOutput(new StreamWriter(stream, CsvOutput.Utf8(bom: false)));
                    csv.WriteRowAsync(["a", "b", "c"]).GetAwaiter().GetResult();
                    foreach (var row in rows)
                        csv.WriteRowAsync(row).GetAwaiter().GetResult();
                    csv.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                var input = CsvInput.InspectAsync(path).GetAwaiter().GetResult();
                var read = input.ReadRowsAsync().ToBlockingEnumerable().Select(r => r.Cells).ToList();
                // A row of empty cells is a blank line to a reader; what is written neutralised reads back neutralised.
                var expected = rows.Where(r => r.Any(c => c.Length > 0)).Select(r => r.Select(CsvOutput.Neutralise).ToArray()).ToList();
                var kept = read.Where(r => r.Any(c => c.Length > 0)).ToList();
                Assert.Equal(["a", "b", "c"], input.Header);
                Assert.Equal(expected.Count, kept.Count);
                for (var i = 0; i < expected.Count; i++)
                    Assert.Equal(expected[i], kept[i].Take(3));
            }
            finally
            {
                File.Delete(path);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void TheCellParsersAnswerAValueOrACellErrorForAnyText() =>
        Prop.ForAll(Cell.ToArbitrary(), ArbMap.Default.ArbFor<string>(), (odd, any) =>
        {
            foreach (var text in new[] { odd, any ?? "", "1" + odd, odd + "%", "$" + odd })
            {
                Try(() => CellParser.ParseDateTime(text));
                Try(() => CellParser.ParseMoney(text));
                Try(() => CellParser.ParseNumber(text));
                Try(() => CellParser.ParseInt(text));
                Try(() => CellParser.ParsePercent(text, SourceFormat.HubSpot));
                Try(() => CellParser.ParsePercent(text, SourceFormat.Salesforce));
                Try(() => CellParser.ParseBool(text));
                Try(() => CellParser.ParseEnum<ImportEntity>(text));
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AParsedNumberIsTheNumberThatWasWritten() =>
        Prop.ForAll(ArbMap.Default.ArbFor<decimal>(), value =>
        {
            var text = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(value, CellParser.ParseNumber(text));
            Assert.Equal(value, CellParser.ParseMoney("$" + value.ToString("#,##0.############################", System.Globalization.CultureInfo.InvariantCulture)).Amount);
        }).QuickCheckThrowOnFailure();

    static void Try(Action parse)
    {
        try
        {
            parse();
        }
        catch (CellException)
        {
            // The row is rejected naming the cell: the expected answer to bad text.
        }
    }
}
