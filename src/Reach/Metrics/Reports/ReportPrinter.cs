using System.Diagnostics;

namespace Reach.Metrics.Reports;

/// <summary>
/// Prints a report's HTML page to PDF with headless Chromium (QuestPDF is not available here). The page is
/// self-contained, so Chromium loads nothing from the network.
/// </summary>
public static class ReportPrinter
{
    /// <summary>Where Chromium is looked for when configuration (Reach:Chromium) names none.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    public static async Task PrintAsync(string html, string pdfPath, string? chromium, CancellationToken cancellationToken = default)
    {
        chromium = string.IsNullOrWhiteSpace(chromium) ? DefaultChromium : chromium;
        if (!File.Exists(chromium))
            throw new ReportPrintException($"Cannot print the PDF: Chromium is not at {chromium}. Install it (apt-get install chromium) or set Reach:Chromium (Reach__Chromium) to its path; --html gives the same report as a page.");
        var directory = Directory.CreateTempSubdirectory("reach-report-");
        try
        {
            var page = Path.Combine(directory.FullName, "report.html");
            await File.WriteAllTextAsync(page, html, cancellationToken);
            var output = Path.GetFullPath(pdfPath);
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                         $"--user-data-dir={Path.Combine(directory.FullName, "profile")}", $"--print-to-pdf={output}", new Uri(page).AbsoluteUri])
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new ReportPrintException($"Cannot start {chromium}.");
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new ReportPrintException("Chromium did not print the PDF within 60 seconds.");
            }
            if (process.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
                throw new ReportPrintException($"Chromium failed to print the PDF (exit {process.ExitCode}): {(await errors).Trim()}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>The PDF could not be printed; the message says why and what to do.</summary>
public sealed class ReportPrintException(string message) : Exception(message);
