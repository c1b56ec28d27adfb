using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Reach.Playbook;

/// <summary>
/// Draws a deal document to an A4 PDF with PDFsharp, in process (no browser). The template's text reads as written:
/// a line "# Title" is a heading, "## Part" a subheading, "- point" a bullet, a blank line a gap; a line holding only
/// <c>{{line_items}}</c> becomes the table of line items with their totals, one holding only <c>{{contacts}}</c> a line per contact.
/// </summary>
public static class DealDocumentPdf
{
    const double Margin = 56;
    const double PageWidth = 595.28, PageHeight = 841.89;
    const double Bottom = PageHeight - Margin - 18;

    public static byte[] Render(string title, string template, DealDocumentValues values)
    {
        DocumentFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"{title}: {values.DealName}";
        document.Info.Author = values.SenderName;
        document.Info.Creator = "Reach";
        var writer = new Writer(document);
        writer.Heading(title, 20);
        writer.Small($"{values.AccountName} · {values.DealName} · {DealDocumentFields.Known["date.today"](values)}");
        writer.Gap(10);
        foreach (var raw in template.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            switch (DealDocumentFields.AloneOnLine(line))
            {
                case DealDocumentFields.LineItems:
                    writer.Table(values);
                    continue;
                case DealDocumentFields.Contacts:
                    foreach (var contact in values.Contacts)
                        writer.Bullet(contact);
                    continue;
            }
            var text = DealDocumentFields.Render(line, values);
            if (string.IsNullOrWhiteSpace(text))
                writer.Gap(6);
            else if (text.StartsWith("## ", StringComparison.Ordinal))
                writer.Heading(text[3..].Trim(), 12.5);
            else if (text.StartsWith("# ", StringComparison.Ordinal))
                writer.Heading(text[2..].Trim(), 15);
            else if (text.StartsWith("- ", StringComparison.Ordinal) || text.StartsWith("* ", StringComparison.Ordinal))
                writer.Bullet(text[2..].Trim());
            else
                writer.Paragraph(text);
        }
        writer.Finish($"{values.AccountName} · {title} · template version {values.TemplateVersion}");
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    sealed class Writer(PdfDocument document)
    {
        static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        readonly XFont body = new(DocumentFonts.Family, 10.5, XFontStyleEx.Regular, Unicode);
        readonly XFont bold = new(DocumentFonts.Family, 10.5, XFontStyleEx.Bold, Unicode);
        readonly XFont small = new(DocumentFonts.Family, 8.5, XFontStyleEx.Regular, Unicode);
        static readonly XBrush Ink = new XSolidBrush(XColor.FromArgb(33, 37, 41));
        static readonly XBrush Grey = new XSolidBrush(XColor.FromArgb(108, 117, 125));
        static readonly XPen Rule = new(XColor.FromArgb(206, 212, 218), 0.6);
        XGraphics? graphics;
        double y;

        XGraphics G => graphics ?? NewPage();

        XGraphics NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
            return graphics;
        }

        void Room(double height)
        {
            if (graphics is null || y + height > Bottom)
                NewPage();
        }

        public void Gap(double points) => y += points;

        public void Heading(string text, double size)
        {
            var font = new XFont(DocumentFonts.Family, size, XFontStyleEx.Bold, Unicode);
            Room(size * 2.2);
            y += size * 0.5;
            foreach (var line in Wrap(text, font, PageWidth - 2 * Margin))
            {
                Room(size * 1.3);
                G.DrawString(line, font, Ink, new XPoint(Margin, y + size), XStringFormats.BaseLineLeft);
                y += size * 1.3;
            }
            y += 2;
        }

        public void Small(string text)
        {
            Room(12);
            G.DrawString(text, small, Grey, new XPoint(Margin, y + 9), XStringFormats.BaseLineLeft);
            y += 12;
        }

        public void Paragraph(string text) => Lines(text, Margin, body);

        public void Bullet(string text)
        {
            Room(14);
            G.DrawString("•", body, Ink, new XPoint(Margin + 4, y + 10.5), XStringFormats.BaseLineLeft);
            Lines(text, Margin + 16, body);
        }

        void Lines(string text, double left, XFont font)
        {
            foreach (var part in text.Split('\n'))
            {
                foreach (var line in Wrap(part, font, PageWidth - Margin - left))
                {
                    Room(14.5);
                    G.DrawString(line, font, Ink, new XPoint(left, y + 10.5), XStringFormats.BaseLineLeft);
                    y += 14.5;
                }
            }
            y += 2;
        }

        public void Table(DealDocumentValues values)
        {
            string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
            var width = PageWidth - 2 * Margin;
            // Product takes what the four figure columns leave.
            double[] widths = [width - 4 * 78, 78, 78, 78, 78];
            string[] heads = ["Product", "Quantity", $"Unit price ({values.Currency})", "Discount", $"Total ({values.Currency})"];
            Room(40);
            Row(heads, widths, bold, shade: true);
            if (values.Lines.Count == 0)
                Row([values.DealName, "1", Money(values.Amount), "", Money(values.Amount)], widths, body, shade: false);
            foreach (var line in values.Lines)
                Row([line.Product, line.Quantity.ToString("0.##", CultureInfo.InvariantCulture), Money(line.UnitPrice),
                    line.Discount == 0 ? "" : (line.Discount * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %", Money(line.Total)], widths, body, shade: false);
            y += 4;
            Sum("Subtotal", Money(values.Subtotal), body);
            if (values.Subtotal != values.Total)
                Sum("Discount", "−" + Money(values.Subtotal - values.Total), body);
            Sum($"Total ({values.Currency}, per year)", Money(values.Total), bold);
            y += 6;
        }

        void Row(string[] cells, double[] widths, XFont font, bool shade)
        {
            var wrapped = cells.Select((c, i) => Wrap(c, font, widths[i] - 8)).ToList();
            var height = wrapped.Max(w => w.Count) * 13 + 6;
            Room(height);
            if (shade)
                G.DrawRectangle(new XSolidBrush(XColor.FromArgb(241, 243, 245)), Margin, y, widths.Sum(), height);
            var x = Margin;
            for (var i = 0; i < cells.Length; i++)
            {
                var lineY = y + 3;
                foreach (var line in wrapped[i])
                {
                    var point = i == 0 ? new XPoint(x + 4, lineY + 10) : new XPoint(x + widths[i] - 4, lineY + 10);
                    G.DrawString(line, font, Ink, point, i == 0 ? XStringFormats.BaseLineLeft : XStringFormats.BaseLineRight);
                    lineY += 13;
                }
                x += widths[i];
            }
            y += height;
            G.DrawLine(Rule, Margin, y, Margin + widths.Sum(), y);
        }

        void Sum(string label, string amount, XFont font)
        {
            Room(15);
            var right = PageWidth - Margin - 4;
            G.DrawString(label, font, Ink, new XPoint(right - 100, y + 11), XStringFormats.BaseLineRight);
            G.DrawString(amount, font, Ink, new XPoint(right, y + 11), XStringFormats.BaseLineRight);
            y += 15;
        }

        List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && G.MeasureString(candidate, font).Width > width)
                {
                    lines.Add(current);
                    current = word;
                }
                else
                {
                    current = candidate;
                }
            }
            lines.Add(current);
            return lines;
        }

        /// <summary>Writes each page's footer (the document's name, "page 2 of 3") once the page count is known.</summary>
        public void Finish(string footer)
        {
            _ = G;
            graphics?.Dispose();
            graphics = null;
            for (var i = 0; i < document.PageCount; i++)
            {
                using var g = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
                g.DrawLine(Rule, Margin, PageHeight - Margin + 2, PageWidth - Margin, PageHeight - Margin + 2);
                g.DrawString(footer, small, Grey, new XPoint(Margin, PageHeight - Margin + 14), XStringFormats.BaseLineLeft);
                g.DrawString($"page {i + 1} of {document.PageCount}", small, Grey, new XPoint(PageWidth - Margin, PageHeight - Margin + 14), XStringFormats.BaseLineRight);
            }
        }
    }
}
