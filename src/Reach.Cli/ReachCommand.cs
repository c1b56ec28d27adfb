using System.CommandLine;
using Reach.Cli.Commands;

namespace Reach.Cli;

/// <summary>The `reach` command line: every subcommand, wired explicitly.</summary>
public static class ReachCommand
{
    /// <summary>Exit code of a command stopped by a full disk (BSD's EX_IOERR).</summary>
    public const int DiskFull = 74;

    /// <summary>Runs a command line; a full disk is one line on stderr and exit code <see cref="DiskFull"/>, not a stack trace.</summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            return await Create().Parse(args).InvokeAsync(configuration);
        }
        catch (Exception e) when (Reach.Data.StorageFull.Is(e))
        {
            await configuration.Error.WriteLineAsync("reach: the disk is full (or the workspace reached Reach:Limits:SqliteMegabytes): "
                + "what was being written was not committed. Free space, then run the command again.");
            return DiskFull;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What System.CommandLine's default handler did: the failure, on stderr, exit code 1.
            await configuration.Error.WriteLineAsync("reach: " + e);
            return 1;
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
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(CoachCommand.Create());
        root.Subcommands.Add(OutreachCommand.Create());
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create());
        return root;
    }
}
