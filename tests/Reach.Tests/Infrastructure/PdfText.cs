using UglyToad.PdfPig;

namespace Reach.Tests.Infrastructure;

/// <summary>The text a person reads in a PDF (PdfPig), to check what a drawn document says rather than only that it is one.</summary>
public static class PdfText
{
    /// <summary>The words of every page, one space between them (a table's cells and a wrapped line read as one run).</summary>
    public static string Of(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPages().SelectMany(page => page.GetWords()).Select(word => word.Text));
    }
}
