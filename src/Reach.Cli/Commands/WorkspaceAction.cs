using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Reach.Access;
using Reach.Data;

namespace Reach.Cli.Commands;

/// <summary>
/// How every command that uses a workspace runs: it opens the workspace one way (<see cref="Workspace"/>,
/// acting as the operator), runs the command, and turns the failures a user can cause into one line on stderr and a
/// code from <see cref="ExitCode"/>. Anything else is a bug, reported by <see cref="ReachCommand.RunAsync"/>.
/// </summary>
public static class WorkspaceAction
{
    public static Task<int> RunAsync(ParseResult result, DatabaseOptions database, Func<Workspace, Task> action, CancellationToken cancellationToken = default) =>
        RunAsync(result, database, async workspace =>
        {
            await action(workspace);
            return ExitCode.Ok;
        }, cancellationToken: cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on the workspace the options name, at <paramref name="clock"/>'s "now" (tests pass a
    /// fixed one). With <paramref name="mustExist"/> (commands that only read), a SQLite file that does not exist is bad
    /// input, not a new workspace.
    /// </summary>
    public static Task<int> RunAsync(ParseResult result, DatabaseOptions database, Func<Workspace, Task<int>> action,
        TimeProvider? clock = null, bool mustExist = false, CancellationToken cancellationToken = default) =>
        RunAsync(result.InvocationConfiguration.Error, CommandPath(result.CommandResult), database.Configuration(result), null, action, clock, mustExist, cancellationToken);

    /// <summary>
    /// The same for a caller that holds its own writers: <paramref name="name"/> is the command as typed after `reach`
    /// ("user add"), which starts each error line; <paramref name="database"/> the workspace when the caller names it,
    /// else the one <paramref name="configuration"/> names.
    /// </summary>
    public static async Task<int> RunAsync(TextWriter error, string name, IConfiguration configuration, Database? database, Func<Workspace, Task<int>> action,
        TimeProvider? clock = null, bool mustExist = false, CancellationToken cancellationToken = default)
    {
        Workspace workspace;
        try
        {
            database ??= Reach.Web.ReachApp.DatabaseFrom(configuration);
            workspace = await Workspace.OpenAsync(configuration, database, clock, mustExist, cancellationToken);
        }
        catch (InputException e)
        {
            await error.WriteLineAsync($"reach {name}: {string.Join(" ", e.Errors.Values.SelectMany(m => m))}");
            return ExitCode.InvalidInput;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException && !StorageFull.Is(e))
        {
            // An unreachable server, a wrong password, a file that is not a Reach database: said plainly, not as a stack trace.
            await error.WriteLineAsync($"reach {name}: cannot use the database {Describe(database)}: {e.Message}");
            return ExitCode.DatabaseFailed;
        }
        await using (workspace)
        {
            try
            {
                return await action(workspace);
            }
            catch (InputException e)
            {
                await error.WriteLineAsync($"reach {name}: {e.Message}");
                return ExitCode.InvalidInput;
            }
            catch (AccessDeniedException e)
            {
                await error.WriteLineAsync($"reach {name}: {e.Message}");
                return ExitCode.InvalidInput;
            }
            catch (DbException e) when (!StorageFull.Is(e))
            {
                await error.WriteLineAsync($"reach {name}: cannot use the database {workspace.Database.Describe()}: {e.Message}");
                return ExitCode.DatabaseFailed;
            }
        }
    }

    static string Describe(Database? database)
    {
        try
        {
            return database?.Describe() ?? "the configuration names";
        }
        catch (ArgumentException)
        {
            return "(its connection string is not valid)";
        }
    }

    /// <summary>"metrics refresh", "token create": the command as typed after `reach`.</summary>
    public static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult { Command: not RootCommand } parent ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;
}
