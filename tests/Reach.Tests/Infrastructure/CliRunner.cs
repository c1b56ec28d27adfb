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

    /// <summary>Runs a command against the workspace of a running test server, on its database provider.</summary>
    public static (int Exit, string Output, string Error) RunOn(ReachServer server, params string[] args) =>
        Run([.. args, server.Database!.Provider == Reach.Data.DatabaseProvider.Sqlite ? "--db" : "--postgres", server.Database.Location]);
}
