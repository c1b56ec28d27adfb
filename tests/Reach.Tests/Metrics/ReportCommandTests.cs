using System.CommandLine;
using System.Text.Json.Nodes;
using Reach.Cli;
using Reach.Cli.Commands;
using Reach.Metrics.Reports;
using Reach.Tests.Forecasting;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary><c>reach report</c> on <see cref="MetricsWorkspace"/> in a SQLite file, at the workspace's fixed now.</summary>
public sealed class ReportCommandTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    readonly DirectoryInfo output = Directory.CreateTempSubdirectory("reach-report-");

    async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        await MetricsWorkspace.ForAsync(server);
        var root = new RootCommand { ReportCommand.Create(new FixedClock(MetricsWorkspace.Now)) };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await root.Parse(["report", .. args, "--db", server.Database!.Location]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Why the PDF test cannot run here; CI has Chromium, so a missing one there is a failure, not a skip.</summary>
    static string? ChromiumUnavailable()
    {
        if (File.Exists(ReportPrinter.DefaultChromium))
            return null;
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
            throw new InvalidOperationException($"{ReportPrinter.DefaultChromium} is missing in CI: .ci/run must install chromium.");
        return $"PDF test skipped: no Chromium at {ReportPrinter.DefaultChromium} (apt-get install chromium).";
    }

    [Fact]
    public async Task JsonHasTheQuartersFiguresBlendedAndByChannel()
    {
        var (exit, stdout, stderr) = await InvokeAsync("quarterly", "--period", "2027-Q1", "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("Quarterly report 2027-Q1: Workspace", (string)json["title"]!);
        var bookings = json["headline"]![0]!;
        Assert.Equal(147200m, (decimal)bookings["total"]!["value"]!);
        Assert.Equal([1200m, 26000m, 120000m], bookings["channels"]!.AsArray().Select(c => (decimal)c!["value"]!));
        var winRate = json["metrics"]!.AsArray().Single(m => (string)m!["metric"]!["id"]! == "win_rate")!;
        Assert.Equal(0.7778m, (decimal)winRate["total"]!["value"]!);
        Assert.Contains(json["notes"]!.AsArray(), n => ((string)n!).Contains("1 deal(s) in CHF left out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARepsMonthlyReportHoldsTheirDealsOnly()
    {
        var workspace = await MetricsWorkspace.ForAsync(server);
        var (exit, stdout, stderr) = await InvokeAsync("monthly", "--period", "2027-02", "--rep", workspace.RepA.Email!, "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("Rep A", (string)json["scope"]!);
        // February: D2 (20,000 USD at 0.8); D9 was won on 1 February and reopened, so it is not booked.
        Assert.Equal(16000m, (decimal)json["headline"]![0]!["total"]!["value"]!);
        Assert.Equal(["D2 inside won USD"], json["wins"]!.AsArray().Select(w => (string)w!["name"]!));
    }

    [Fact]
    public async Task WritesHtmlCsvAndXlsx()
    {
        foreach (var (option, file) in new[] { ("--html", "r.html"), ("--csv", "r.csv"), ("--xlsx", "r.xlsx") })
        {
            var path = Path.Combine(output.FullName, file);
            var (exit, stdout, stderr) = await InvokeAsync("weekly", "--period", "2027-W05", option, path);
            Assert.True(exit == 0, stderr);
            Assert.Contains("Weekly report 2027-W05", stdout, StringComparison.Ordinal);
            Assert.True(new FileInfo(path).Length > 0);
        }
        Assert.Contains("Bookings,91200,", await File.ReadAllTextAsync(Path.Combine(output.FullName, "r.csv"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintsThePdfWithHeadlessChromium()
    {
        if (ChromiumUnavailable() is { } reason)
            Assert.Skip(reason);
        var path = Path.Combine(output.FullName, "report.pdf");

        var (exit, _, stderr) = await InvokeAsync("quarterly", "--period", "2027-Q1", "--pdf", path);

        Assert.True(exit == 0, stderr);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
    }

    [Fact]
    public async Task AMissingChromiumIsAClearError()
    {
        await MetricsWorkspace.ForAsync(server);
        Environment.SetEnvironmentVariable("Reach__Chromium", "/nonexistent/chromium");
        try
        {
            var (exit, _, stderr) = await InvokeAsync("monthly", "--pdf", Path.Combine(output.FullName, "x.pdf"));
            Assert.Equal(ExitCode.PrintFailed, exit);
            Assert.Contains("Chromium is not at /nonexistent/chromium", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Reach__Chromium", null);
        }
    }

    [Theory]
    [InlineData("monthly --json --period 2027-Q1", "--period")]
    [InlineData("monthly", "Give one output")]
    [InlineData("monthly --json --rep nobody@example.com", "No user")]
    public async Task BadInputIsRefused(string args, string message)
    {
        var (exit, _, stderr) = await InvokeAsync(args.Split(' '));

        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
