using System.CommandLine;
using Reach.Imports;

namespace Reach.Cli.Commands;

/// <summary><c>reach export ENTITY --to FILE.csv|FILE.xlsx [--filter field=value …] [--bom] [--db FILE | --postgres CONNSTR]</c>.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var entity = new Argument<ImportEntity>("entity") { Description = "accounts, contacts, leads, deals or activities" };
        var to = new Option<FileInfo>("--to") { Description = "The file to write: .csv or .xlsx", Required = true, HelpName = "FILE" };
        var filter = new Option<string[]>("--filter") { Description = "Only records whose column has this value: field=value (repeatable, ignores case)" };
        var bom = new Option<bool>("--bom") { Description = "Start the CSV with a UTF-8 byte order mark (for Excel on Windows)" };
        var database = new DatabaseOptions();
        var command = new Command("export", "Export records to CSV (Reach's import format) or XLSX; formula-like cells are neutralised");
        command.Arguments.Add(entity);
        command.Options.Add(to);
        command.Options.Add(filter);
        command.Options.Add(bom);
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var file = result.GetRequiredValue(to);
            var what = result.GetValue(entity);
            var xlsx = file.Extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase);
            if (!xlsx && !file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine($"reach export: --to {file.Name}: write a .csv or an .xlsx file.");
                return ExitCode.InvalidInput;
            }
            return await WorkspaceAction.RunAsync(result, database, async workspace =>
            {
                try
                {
                    var filters = Exporter.ParseFilters(what, result.GetValue(filter) ?? []);
                    // Written beside the target and moved over it: a failed export leaves no half file behind.
                    var partial = file.FullName + ".partial";
                    int count;
                    await using (var stream = File.Create(partial))
                        count = xlsx
                            ? await Exporter.WriteXlsxAsync(workspace.Db, what, filters, stream, cancellationToken)
                            : await Exporter.WriteCsvAsync(workspace.Db, what, filters, stream, result.GetValue(bom), cancellationToken);
                    File.Move(partial, file.FullName, overwrite: true);
                    output.WriteLine($"Exported {count:N0} {what.ToString().ToLowerInvariant()} to {file.FullName}");
                    return ExitCode.Ok;
                }
                catch (ImportFileException e)
                {
                    error.WriteLine($"reach export: {e.Message}");
                    return ExitCode.InvalidInput;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException && !Reach.Data.StorageFull.Is(e))
                {
                    error.WriteLine($"reach export: cannot write {file.FullName}: {e.Message}");
                    return ExitCode.InvalidInput;
                }
            }, cancellationToken: cancellationToken);
        });
        return command;
    }
}
