using System.CommandLine;
using System.Text.Json;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Metrics.Reports;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach report weekly|monthly|quarterly [--rep EMAIL | --team NAME] [--period 2027-Q1|2027-03|2027-W05]
/// (--pdf OUT | --html OUT | --json | --xlsx OUT | --csv OUT) [--db FILE | --postgres CONNSTR]</c>: the same report as
/// <c>GET /api/v1/reports/{kind}</c>, run as the operator (an admin).
/// </summary>
public static class ReportCommand
{
    /// <param name="clock">The report's "now" (which period is current, run rates); tests pass a fixed one.</param>
    public static Command Create(TimeProvider? clock = null)
    {
        var kind = new Argument<ReportKind>("kind") { Description = "weekly, monthly or quarterly" };
        var rep = new Option<string?>("--rep") { Description = "One rep's report (their email)", HelpName = "EMAIL" };
        var team = new Option<string?>("--team") { Description = "One team's report (its name)", HelpName = "NAME" };
        var period = new Option<string?>("--period") { Description = "Which period (default: the current one)", HelpName = "2027-Q1|2027-03|2027-W05" };
        var pdf = new Option<FileInfo?>("--pdf") { Description = "Print the report to PDF (headless Chromium; Reach:Chromium, default /usr/bin/chromium)", HelpName = "OUT" };
        var html = new Option<FileInfo?>("--html") { Description = "Write the report as a self-contained HTML page", HelpName = "OUT" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (the API's answer)" };
        var xlsx = new Option<FileInfo?>("--xlsx") { Description = "Write the report's tables as an XLSX workbook", HelpName = "OUT" };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the report's tables as CSV", HelpName = "OUT" };
        var database = new DatabaseOptions();
        var command = new Command("report", "Weekly, monthly or quarterly report: headline against target, every metric blended and by channel, notable wins and losses");
        command.Arguments.Add(kind);
        foreach (var option in (Option[])[rep, team, period, pdf, html, json, xlsx, csv])
            command.Options.Add(option);
        database.AddTo(command);
        command.Subcommands.Add(ReportScheduleCommand.Create());
        command.Validators.Add(result =>
        {
            var outputs = new[] { result.GetValue(pdf) is not null, result.GetValue(html) is not null, result.GetValue(json), result.GetValue(xlsx) is not null, result.GetValue(csv) is not null };
            if (outputs.Count(o => o) != 1)
                result.AddError("Give one output: --pdf OUT, --html OUT, --json, --xlsx OUT or --csv OUT.");
            if (result.GetValue(rep) is not null && result.GetValue(team) is not null)
                result.AddError("Give --rep or --team, not both.");
        });
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var db = workspace.Db;
            var now = workspace.Clock.GetUtcNow().UtcDateTime;
            // Chromium starts while the report is built (seconds each, on a busy machine): the print then finds it running.
            var chromium = result.GetValue(pdf) is not null
                ? Task.Run(() => ReportPrinter.StartAsync(workspace.Configuration["Reach:Chromium"], cancellationToken), cancellationToken)
                : Task.CompletedTask;
            Report report;
            try
            {
                var reportKind = result.GetValue(kind);
                var reportPeriod = Report.PeriodOf(reportKind, result.GetValue(period), now);
                var scope = await MetricScope.ResolveAsync(db, db.Actor!, result.GetValue(rep), result.GetValue(team), cancellationToken);
                report = await Report.BuildAsync(db, reportKind, reportPeriod, scope, await WorkspaceSettings.CurrencyAsync(db, cancellationToken), now, cancellationToken);
            }
            catch (InputException e)
            {
                error.WriteLine($"reach report: {string.Join(" ", e.Errors.Select(f => $"--{f.Key}: {string.Join(" ", f.Value)}"))}");
                return ExitCode.InvalidInput;
            }
            finally
            {
                // Started, so the process's exit stops it (a Chromium half started would outlive it).
                await chromium;
            }

            try
            {
                if (result.GetValue(json))
                {
                    var options = new JsonSerializerOptions { WriteIndented = true };
                    ReachApp.Configure(options);
                    output.WriteLine(JsonSerializer.Serialize(report, options));
                    return ExitCode.Ok;
                }
                var file = (result.GetValue(pdf) ?? result.GetValue(html) ?? result.GetValue(xlsx) ?? result.GetValue(csv))!;
                if (result.GetValue(pdf) is not null)
                {
                    await ReportPrinter.PrintAsync(ReportHtmlPage.Render(report), file.FullName, workspace.Configuration["Reach:Chromium"], cancellationToken);
                }
                else if (result.GetValue(html) is not null)
                    await File.WriteAllTextAsync(file.FullName, ReportHtmlPage.Render(report), cancellationToken);
                else
                {
                    await using var stream = File.Create(file.FullName);
                    if (result.GetValue(xlsx) is not null)
                        ReportFiles.WriteXlsx(report, stream);
                    else
                        await ReportFiles.WriteCsvAsync(report, stream, cancellationToken);
                }
                output.WriteLine($"Wrote {report.Title} to {file.FullName}");
                return ExitCode.Ok;
            }
            catch (ReportPrintException e)
            {
                error.WriteLine($"reach report: {e.Message}");
                return ExitCode.PrintFailed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && !StorageFull.Is(e))
            {
                error.WriteLine($"reach report: {e.Message}");
                return ExitCode.InvalidInput;
            }
        }, clock, mustExist: true, cancellationToken));
        return command;
    }
}
