using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Planning;
using Reach.Routing;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach plan save|list|activate</c> (the workspace's saved plan versions) and <c>reach route</c> (re-route every
/// account and lead by the active plan); the same <see cref="PlanVersions"/> and <see cref="Rerouting"/> as the web app.
/// </summary>
public static class PlanVersionCommands
{
    public static void AddTo(Command plan)
    {
        plan.Subcommands.Add(Save());
        plan.Subcommands.Add(List());
        plan.Subcommands.Add(Activate());
    }

    static Command Save()
    {
        var database = new DatabaseOptions();
        var file = new Argument<FileInfo>("file") { Description = "The plan file, YAML or JSON" };
        var name = new Option<string>("--name") { Description = "The version's name, e.g. \"2027 budget\".", Required = true };
        var activate = new Option<bool>("--activate") { Description = "Make it the active plan and re-route every account and lead by it." };
        var command = new Command("save", "Save a plan file as a named version of the workspace's plan.") { file, name, activate };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetRequiredValue(file);
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path.FullName, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"reach plan save: cannot read {path.FullName}: {e.Message}");
                return ExitCode.InvalidInput;
            }
            return await WorkspaceAction.RunAsync(result, database, async workspace =>
            {
                var version = await PlanVersions.SaveAsync(workspace.Db, result.GetValue(name), text, result.GetValue(activate), cancellationToken);
                await result.InvocationConfiguration.Output.WriteLineAsync(
                    $"Saved '{version.Name}' ({version.Id}){(version.IsActive ? " and made it the active plan; accounts and leads are re-routed." : ".")}");
            }, cancellationToken);
        });
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var command = new Command("list", "List the workspace's saved plan versions, newest first; * marks the active one.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var versions = await workspace.Db.PlanVersions.AsNoTracking().OrderByDescending(v => v.CreatedAt).ToListAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (versions.Count == 0)
                await output.WriteLineAsync("No saved plans yet: reach plan save FILE --name NAME --activate");
            foreach (var v in versions)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{(v.IsActive ? "*" : " ")} {v.Id}  {v.CreatedAt:yyyy-MM-dd HH:mm}  {v.AuthorName ?? "-",-20} {v.Name}"));
        }, cancellationToken));
        return command;
    }

    static Command Activate()
    {
        var database = new DatabaseOptions();
        var which = new Argument<string>("version") { Description = "The version's id or name (the newest of that name)." };
        var command = new Command("activate", "Make a saved version the active plan and re-route every account and lead by it.") { which };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var key = result.GetRequiredValue(which);
            var version = (Guid.TryParse(key, out var id)
                    ? await workspace.Db.PlanVersions.FirstOrDefaultAsync(v => v.Id == id, cancellationToken)
                    : await workspace.Db.PlanVersions.Where(v => v.Name == key).OrderByDescending(v => v.CreatedAt).FirstOrDefaultAsync(cancellationToken))
                ?? throw new InputException("version", $"No saved plan has the id or name '{key}'; see reach plan list.");
            var rows = await PlanVersions.ActivateAsync(workspace.Db, version, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"'{version.Name}' is the active plan; {rows:N0} accounts and leads re-routed."));
        }, cancellationToken));
        return command;
    }

    /// <summary><c>reach route</c>: re-evaluates every account's and lead's route by the active plan, and prints the counts.</summary>
    public static Command Route()
    {
        var database = new DatabaseOptions();
        var command = new Command("route", "Re-route every account and lead by the active plan and show how many went where.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var db = workspace.Db;
            var output = result.InvocationConfiguration.Output;
            var router = await Rerouting.ActiveAsync(db, cancellationToken);
            if (router is null)
                await output.WriteLineAsync("No plan is active: routes are cleared. Activate one with reach plan activate.");
            var rows = await Rerouting.RerouteAllAsync(db, router, cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} accounts and leads re-routed."));
            var groups = await db.Accounts.AsNoTracking().GroupBy(a => new { a.Segment, a.RoutedChannel, a.DeadZone })
                .Select(g => new { g.Key.Segment, g.Key.RoutedChannel, g.Key.DeadZone, Count = g.Count() }).ToListAsync(cancellationToken);
            await output.WriteLineAsync($"{"Segment",-20} {"Channel",-20} {"Dead zone",-10} {"Accounts",10}");
            foreach (var g in groups.OrderBy(g => g.Segment).ThenBy(g => g.RoutedChannel))
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{g.Segment ?? "-",-20} {g.RoutedChannel ?? "-",-20} {(g.DeadZone ? "yes" : "no"),-10} {g.Count,10:N0}"));
        }, cancellationToken));
        return command;
    }
}
