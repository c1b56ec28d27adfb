using System.CommandLine;
using Reach.Cli.Commands;

namespace Reach.Cli;

/// <summary>The `reach` command line: every subcommand, wired explicitly.</summary>
public static class ReachCommand
{
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
        return root;
    }
}
