using System.CommandLine;
using Reach.Cli.Commands;

namespace Reach.Cli;

/// <summary>The `reach` command line: every subcommand, wired explicitly.</summary>
public static class ReachCommand
{
    /// <summary>
    /// Runs a command line, the one way `reach` runs: a wrong command line exits <see cref="ExitCode.InvalidInput"/>, a full
    /// disk is one line on stderr and <see cref="ExitCode.DiskFull"/>, anything unexpected <see cref="ExitCode.Failed"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            var parsed = Create().Parse(args);
            var exit = await parsed.InvokeAsync(configuration);
            // System.CommandLine's own answer to a parse error is 1, which the table keeps for bugs.
            return parsed.Errors.Count > 0 && exit == ExitCode.Failed ? ExitCode.InvalidInput : exit;
        }
        catch (Exception e) when (Reach.Data.StorageFull.Is(e))
        {
            await configuration.Error.WriteLineAsync("reach: the disk is full (or the workspace reached Reach:Limits:SqliteMegabytes): "
                + "what was being written was not committed. Free space, then run the command again.");
            return ExitCode.DiskFull;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What System.CommandLine's default handler did: the failure, on stderr, exit code 1.
            await configuration.Error.WriteLineAsync("reach: " + e);
            return ExitCode.Failed;
        }
    }

    public static RootCommand Create()
    {
        var root = new RootCommand("Reach: the go-to-market operating system for B2B startups.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(PlanVersionCommands.Route());
        root.Subcommands.Add(UserCommand.Create());
        root.Subcommands.Add(TeamCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(ForecastCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(CostsCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(CoachCommand.Create());
        root.Subcommands.Add(PlaybookCommand.Create());
        root.Subcommands.Add(OutreachCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create());
        root.Subcommands.Add(ExpansionCommand.Create());
        root.Subcommands.Add(ReferencesCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        return root;
    }
}
