using System.CommandLine;
using Reach.Cli;

namespace Reach.Tests.Infrastructure;

/// <summary>Runs a `reach` command in the test's process, as the console would, and keeps what it printed.</summary>
public static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ReachCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
