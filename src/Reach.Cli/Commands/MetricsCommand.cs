using System.CommandLine;
using Reach.Metrics.Rollups;

namespace Reach.Cli.Commands;

/// <summary>`reach metrics refresh`: builds or brings up to date the stored rollups the figures read, as the web app's worker does.</summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var command = new Command("metrics", "The stored figures behind the dashboard and the reports.");
        command.Subcommands.Add(Refresh());
        return command;
    }

    static Command Refresh()
    {
        var database = new DatabaseOptions();
        var command = new Command("refresh",
            "Build the stored rollups (the first time) or rebuild the days writes made stale, until none is left. The web app's "
            + "worker does this every few seconds; run it where only the CLI runs (reports, imports) on a large workspace.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var (built, days, rows) = (false, 0, 0);
            while (true)
            {
                var run = await RollupRefresh.RunAsync(workspace.Db, cancellationToken: cancellationToken);
                if (run.Built)
                    await output.WriteLineAsync($"Rollups built for the whole workspace: {run.Rows:N0} rows over {run.Days:N0} days.");
                (built, days, rows) = run.Built ? (true, days, rows) : (built, days + run.Days, rows + run.Rows);
                if (run.StaleLeft == 0 || (!run.Built && run.Days == 0))
                    break;
            }
            if (!built || days > 0)
                await output.WriteLineAsync($"{days:N0} stale day(s) rebuilt ({rows:N0} rows); the rollups are up to date.");
        }, cancellationToken));
        return command;
    }
}
