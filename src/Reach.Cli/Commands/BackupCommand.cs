using System.CommandLine;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Cli.Commands;

/// <summary><c>reach backup [--to FILE] [--db FILE | --postgres CONNSTR]</c>: a consistent copy of a workspace (running or not) and its key certificate.</summary>
public static class BackupCommand
{
    public static Command Create(TimeProvider? clock = null)
    {
        var to = new Option<FileInfo?>("--to") { Description = "The backup file (default: beside the workspace, named with the time)", HelpName = "FILE" };
        var database = new DatabaseOptions();
        var command = new Command("backup", "Copy the workspace while it runs (SQLite's online backup, or pg_dump) with its key certificate");
        command.Options.Add(to);
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = database.Configuration(result);
            var workspace = Reach.Web.ReachApp.DatabaseFrom(configuration);
            var target = result.GetValue(to)?.FullName ?? WorkspaceBackup.DefaultTarget(workspace, (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime);
            try
            {
                var written = await WorkspaceBackup.BackupAsync(workspace, KeyCertificate.PathFor(configuration, workspace), target, cancellationToken);
                result.InvocationConfiguration.Output.WriteLine($"Backed up {workspace.Describe()} to {written}");
                if (File.Exists(WorkspaceBackup.KeysOf(written)))
                    result.InvocationConfiguration.Output.WriteLine($"and its key certificate to {WorkspaceBackup.KeysOf(written)}: keep both, and keep them apart from people who should not sign in as your users.");
                return ExitCode.Ok;
            }
            catch (BackupException e)
            {
                result.InvocationConfiguration.Error.WriteLine($"reach backup: {e.Message}");
                return ExitCode.DatabaseFailed;
            }
        });
        return command;
    }
}
