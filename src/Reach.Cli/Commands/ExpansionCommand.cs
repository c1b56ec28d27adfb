using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reach.Expansion;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach expansion oversized [--json]</c>: start small, then grow at the console: the open deals the deal-size
/// guardrail flags (<see cref="DealSizeGuardrail"/>, the rule the pages and the API show).
/// </summary>
public static class ExpansionCommand
{
    public static Command Create()
    {
        var command = new Command("expansion", "Land and expand: deals out of scale with what was won.");
        command.Subcommands.Add(Oversized());
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
