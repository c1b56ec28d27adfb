using System.CommandLine;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Cli.Commands;

/// <summary><c>reach restore FILE [--db FILE | --postgres CONNSTR]</c>: replaces a stopped workspace with a checked backup.</summary>
public static class RestoreCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A backup written by reach backup" };
        var database = new DatabaseOptions();
        var command = new Command("restore", "Replace the workspace with a backup (checked first); refuses while Reach runs on it");
        command.Arguments.Add(file);
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = database.Configuration(result);
            var workspace = Reach.Web.ReachApp.DatabaseFrom(configuration);
            var error = result.InvocationConfiguration.Error;
            using var held = WorkspaceLock.TryTake(workspace);
            if (held is null && workspace.Provider == DatabaseProvider.Sqlite)
            {
                error.WriteLine($"reach restore: a Reach server is running on {workspace.Location}; stop it first, then restore.");
                return ExitCode.RestoreRefused;
            }
            try
            {
                await WorkspaceBackup.RestoreAsync(workspace, KeyCertificate.PathFor(configuration, workspace), result.GetRequiredValue(file).FullName, cancellationToken);
                result.InvocationConfiguration.Output.WriteLine($"Restored {workspace.Describe()} from {result.GetRequiredValue(file).FullName}. Start Reach: it applies any newer migrations.");
                return ExitCode.Ok;
            }
            catch (BackupException e)
            {
                error.WriteLine($"reach restore: {e.Message}");
                return ExitCode.RestoreRefused;
            }
        });
        return command;
    }
}
