using Reach.Metrics;
using Reach.Metrics.Reports;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>The report page: self-contained, every channel beside the blend, charts, notes, and nothing unencoded.</summary>
public sealed class ReportHtmlPageTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    async Task<Report> QuarterAsync()
    {
        await MetricsWorkspace.ForAsync(server);
        await using var db = server.OpenDb();
        return await Report.BuildAsync(db, ReportKind.Quarterly, Period.Parse("2027-Q1")!, MetricScope.Workspace, "EUR", MetricsWorkspace.Now,
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ThePageIsSelfContainedWithChannelsChartsAndNotes()
    {
        var html = ReportHtmlPage.Render(await QuarterAsync());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("<svg").Length - 1);
        Assert.Contains("<th class=\"num\">Self-service</th><th class=\"num\">Inside</th><th class=\"num\">Field</th>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"card\">Bookings<b>147,200</b>", html, StringComparison.Ordinal);
        Assert.Contains("target 200,000 · 73.6% reached", html, StringComparison.Ordinal);
        // The tables are written as people read them (the CSV and XLSX keep plain numbers): win rate 7 of 9.
        Assert.Contains("<td>Win rate</td><td class=\"num\">77.8%</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Bookings</td><td class=\"num\">147,200</td>", html, StringComparison.Ordinal);
        Assert.Contains("1 deal(s) in GBP left out of the amounts", html, StringComparison.Ordinal);
        Assert.Contains("Amounts in EUR; each deal converted at the exchange rate valid on its date.", html, StringComparison.Ordinal);
        Assert.Contains("D8 field lost", html, StringComparison.Ordinal);
        Assert.Contains("Competitor", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextFromTheWorkspaceIsEncoded()
    {
        var report = await QuarterAsync();
        var hostile = report with
        {
            Title = "<script>alert(1)</script>",
            Wins = [report.Wins[0] with { Name = "<img src=x onerror=alert(1)>" }],
        };

        var html = ReportHtmlPage.Render(hostile);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }
}
