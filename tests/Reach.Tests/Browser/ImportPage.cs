using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>The Import page as a user drives it: upload, say what the file holds, pick fields, import, read the report.</summary>
public static class ImportPage
{
    /// <summary>
    /// Uploads <paramref name="path"/> on the Import page, checks the detected format, picks <paramref name="map"/>'s fields
    /// under their columns, imports it and answers the migration report's lines once the page shows them.
    /// </summary>
    public static async Task<string[]> ImportAsync(IPage page, string path, string holds, string format, (string Column, string Field)[] map,
        string? encoding = null, bool createStages = false)
    {
        await page.GotoAsync("/Imports");
        await page.GetByLabel("CSV file").SetInputFilesAsync(path);
        await page.GetByLabel("It holds").SelectOptionAsync(holds);
        if (encoding is not null)
            await page.GetByLabel("Encoding").SelectOptionAsync(encoding);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("detected-format")).ToHaveTextAsync(format);
        foreach (var (column, field) in map)
            await page.GetByLabel("Field for " + column, new() { Exact = true }).SelectOptionAsync(field);
        if (createStages)
            await page.GetByLabel("Create stages the pipeline lacks").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Import [0-9,]+ rows$") }).ClickAsync();
        // The page polls the running import and shows the summary when it is done: thousands of rows on two busy cores take a while.
        var report = page.GetByTestId("migration-report");
        await Assertions.Expect(report).ToBeVisibleAsync(new() { Timeout = 600_000 });
        var lines = await report.Locator("li").AllInnerTextsAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"{Path.GetFileName(path)}:\n  {string.Join("\n  ", lines)}");
        return [.. lines];
    }
}
