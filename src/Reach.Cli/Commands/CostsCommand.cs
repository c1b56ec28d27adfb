using System.CommandLine;
using System.Globalization;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach costs import FILE [--currency EUR]</c> and <c>reach costs plan [--from 2026-10] [--to 2026-12] [--enter]</c>:
/// channel costs, the numerator of CAC, from a CSV (month, channel, amount, currency, note) or from the active plan's
/// assumed spend, through <see cref="CostImport"/> as <c>/api/v1/costs/import</c> and <c>/api/v1/costs/plan</c>.
/// </summary>
public static class CostsCommand
{
    public static Command Create()
    {
        var command = new Command("costs", "Channel costs for CAC: import them from a CSV, or start from the active plan's assumed costs.");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Plan());
        return command;
    }

    static Command Import()
    {
        var database = new DatabaseOptions();
        var file = new Argument<FileInfo>("file") { Description = "A CSV with a header: month (2026-10), channel (self_service, inside, field), amount, and optionally currency and note." };
        var currency = new Option<string?>("--currency") { Description = "The currency of rows without one (default: the workspace's).", HelpName = "EUR" };
        var command = new Command("import", "Enter channel costs from a CSV: every row or none; a month and channel entered already is replaced.") { file, currency };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
                throw new InputException("file", $"There is no file {path.FullName}.");
            var rowsCurrency = result.GetValue(currency)?.ToUpperInvariant() ?? await WorkspaceSettings.CurrencyAsync(workspace.Db, cancellationToken);
            List<MonthCost> costs;
            using (var reader = new StreamReader(path.FullName))
                costs = CostImport.Read(reader, rowsCurrency);
            var saved = await CostImport.SaveAsync(workspace.Db, costs, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(
                $"Imported {costs.Count} cost(s) from {path.Name}: {saved.Created} entered, {saved.Updated} replaced ({costs.Min(c => c.Month)} to {costs.Max(c => c.Month)}).");
        }, cancellationToken));
        return command;
    }

    static Command Plan()
    {
        var database = new DatabaseOptions();
        var from = new Option<string?>("--from") { Description = "The first month (default: the plan's first).", HelpName = "2026-10" };
        var to = new Option<string?>("--to") { Description = "The last month (default: the plan's last).", HelpName = "2026-12" };
        var enter = new Option<bool>("--enter") { Description = "Enter them as costs (without it they are only listed)." };
        var command = new Command("plan", "The active plan's assumed costs for the months and channels without costs: a starting point for CAC.") { from, to, enter };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            DateOnly? Month(Option<string?> option) => result.GetValue(option) is { } text
                ? CostImport.MonthOf(text) ?? throw new InputException(option.Name.TrimStart('-'), $"'{text}' is not a month: expected 2026-10.")
                : null;
            var (plan, costs) = await CostImport.PlannedAsync(workspace.Db, Month(from), Month(to), cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (plan is null)
                throw new InputException("plan", "No plan is active: activate one (reach plan activate) to start from its assumed costs.");
            if (costs.Count == 0)
            {
                await output.WriteLineAsync($"Every month of the plan '{plan}' has its costs already: nothing to add.");
                return;
            }
            await output.WriteLineAsync($"{"Month",-8} {"Channel",-13} {"Amount",14}");
            foreach (var c in costs)
                await output.WriteLineAsync($"{c.Month,-8} {Labels.Channel(c.Channel),-13} {c.Amount.ToString("#,0.00", CultureInfo.InvariantCulture),14} {c.Currency}");
            if (!result.GetValue(enter))
            {
                await output.WriteLineAsync($"The plan '{plan}' assumes these costs for months without costs; add --enter to enter them.");
                return;
            }
            var saved = await CostImport.SaveAsync(workspace.Db, costs, cancellationToken);
            await output.WriteLineAsync($"Entered {saved.Created} cost(s) assumed by the plan '{plan}'; replace them with what was spent when you know it.");
        }, cancellationToken));
        return command;
    }
}
