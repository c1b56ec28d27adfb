using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reach.Expansion;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach expansion oversized|report [--json]</c>: start small, then grow at the console: the open deals the deal-size
/// guardrail flags (<see cref="DealSizeGuardrail"/>, the rule the pages and the API show).
/// </summary>
public static class ExpansionCommand
{
    public static Command Create()
    {
        var command = new Command("expansion", "Land and expand: deals out of scale with what was won.");
        command.Subcommands.Add(Oversized());
        command.Subcommands.Add(Report());
        return command;
    }

    static Command Report()
    {
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON, as GET /api/v1/expansion/land-and-expand answers" };
        var cohort = new Option<string?>("--cohort") { Description = "List the accounts landed in this quarter (2025-Q3) with their ARR", HelpName = "YYYY-QN" };
        var command = new Command("report", "The land-and-expand report: median land, expansion rate and time to first expansion by segment and channel; net and gross revenue retention by cohort.") { json, cohort };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var report = await LandAndExpand.ReportAsync(workspace.Db, workspace.Db.UtcNow, result.GetValue(cohort), cancellationToken);
            if (result.GetValue(json))
            {
                var options = new JsonSerializerOptions { WriteIndented = true };
                ReachApp.Configure(options);
                await output.WriteLineAsync(JsonSerializer.Serialize(report, options));
                return;
            }
            var ci = CultureInfo.InvariantCulture;
            string Money(decimal? amount) => amount is { } a ? a.ToString("#,##0", ci) : "-";
            string Percent(double? value) => value is { } v ? v.ToString("P0", ci) : "-";
            await output.WriteLineAsync($"Land and expand ({report.Currency})");
            await output.WriteLineAsync($"{"Group",-28} {"Landed",7} {"Median land",12} {"Expanded",9} {"Rate",6} {"Days to 1st",11}");
            foreach (var row in report.Rows)
                await output.WriteLineAsync($"{(row.Group == "all" ? row.Name : $"{row.Group}: {row.Name}"),-28} {row.Landed,7} {Money(row.MedianLand),12} {row.Expanded,9} {Percent(row.ExpansionRate),6} {(row.MedianDaysToFirstExpansion is { } d ? Math.Round(d).ToString(ci) : "-"),11}");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"Cohort",-8} {"Accounts",8} {"ARR at land",12} {"ARR at 12m",12} {"NRR",6} {"GRR",6} {"ARR now",12}");
            foreach (var c in report.Cohorts)
            {
                await output.WriteLineAsync($"{c.Cohort,-8} {c.Accounts,8} {Money(c.StartArr),12} {Money(c.ArrAt12Months),12} {Percent(c.Nrr),6} {Percent(c.Grr),6} {Money(c.ArrNow),12}");
                foreach (var a in c.AccountList ?? [])
                    await output.WriteLineAsync($"  {a.Name}: landed {a.LandedAt:yyyy-MM-dd}, {Money(a.StartArr)} at land, {Money(a.ArrNow)} now, {a.Expansions} expansion(s)");
            }
            foreach (var note in report.Notes)
                await output.WriteLineAsync(note);
        }, cancellationToken));
        return command;
    }

    static Command Oversized()
    {
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "Print the list as JSON, as GET /api/v1/expansion/oversized-deals answers" };
        var command = new Command("oversized", "List the open deals worth more than k× the largest deal won in their segment (k: the workspace setting).") { json };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var guardrail = await DealSizeGuardrail.LoadAsync(workspace.Db, cancellationToken);
            var deals = await guardrail.OpenOversizedAsync(workspace.Db, cancellationToken);
            if (result.GetValue(json))
            {
                var options = new JsonSerializerOptions { WriteIndented = true };
                ReachApp.Configure(options);
                await output.WriteLineAsync(JsonSerializer.Serialize(new { factor = guardrail.Factor, currency = guardrail.Currency, largestWon = guardrail.LargestWon, items = deals }, options));
                return;
            }
            var k = guardrail.Factor.ToString("0.#", CultureInfo.InvariantCulture);
            if (deals.Count == 0)
            {
                await output.WriteLineAsync(guardrail.LargestWon is null
                    ? "No deal has been won yet: the guardrail has nothing to compare with."
                    : $"No open deal is above {k}× the largest deal won in its segment.");
                return;
            }
            await output.WriteLineAsync($"{deals.Count} open deal(s) above {k}× the largest deal won in their segment:");
            foreach (var d in deals)
                await output.WriteLineAsync($"  {d.Name} ({d.AccountName ?? "no account"}, {d.OwnerName ?? "no owner"}): {d.Amount.ToString("#,##0", CultureInfo.InvariantCulture)} {d.Currency}, {d.Oversized.Text}");
        }, cancellationToken));
        return command;
    }
}
