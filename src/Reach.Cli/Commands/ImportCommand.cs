using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Data;
using Reach.Imports;
using Reach.Web;
using Spectre.Console;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach import FILE --as ENTITY [--format F] [--map "Column=field" …] [--mapping NAME] [--dry-run] [--create-stages] [--owner EMAIL]
/// [--report PATH] [--encoding E] [--db FILE | --postgres CONNSTR]</c> (docs/imports.md).
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The CSV file to import" };
        var entity = new Option<ImportEntity>("--as") { Description = "What the file holds: accounts, contacts, leads, deals, activities, users, products or history (deals' stage history)", Required = true };
        var format = new Option<SourceFormat>("--format") { Description = "Who wrote it: auto (default), reach, hubspot, salesforce, pipedrive or csv", DefaultValueFactory = _ => SourceFormat.Auto };
        var map = new Option<string[]>("--map") { Description = "Read a column as a field: \"Column Name=field\" (repeatable)", AllowMultipleArgumentsPerToken = false };
        var mapping = new Option<string?>("--mapping") { Description = "Start from a column map saved on the web import page (its format too, unless --format is given)", HelpName = "NAME" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and match every row, then write nothing" };
        var createStages = new Option<bool>("--create-stages") { Description = "Create deal stages the workspace lacks instead of rejecting their rows" };
        var owner = new Option<string?>("--owner") { Description = "Email of the workspace user who owns the imported records (default: the first admin)", HelpName = "EMAIL" };
        var report = new Option<FileInfo?>("--report") { Description = "Where to write the rejected rows (default: FILE.rejected.csv beside the input)", HelpName = "PATH" };
        var encoding = new Option<string?>("--encoding") { Description = "utf-8 (default), windows-1252 or latin1" };
        var batch = new Option<int>("--batch-size") { Description = "Rows per transaction", DefaultValueFactory = _ => 500, Hidden = true };
        var database = new DatabaseOptions();
        var command = new Command("import", "Import accounts, contacts, leads, deals or activities from a CSV export (HubSpot, Salesforce, Pipedrive, Reach or any CSV)");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { entity, format, map, mapping, dryRun, createStages, owner, report, encoding, batch })
            command.Options.Add(option);
        database.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            Dictionary<string, string> columns;
            try
            {
                columns = ParseMap(result.GetValue(map) ?? []);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"reach import: {e.Message}");
                return Task.FromResult(ExitCode.InvalidInput);
            }
            var options = new ImportOptions
            {
                Entity = result.GetValue(entity),
                Format = result.GetValue(format),
                Map = columns,
                Mapping = result.GetValue(mapping),
                DryRun = result.GetValue(dryRun),
                CreateStages = result.GetValue(createStages),
                OwnerEmail = result.GetValue(owner),
                Encoding = result.GetValue(encoding),
                BatchSize = Math.Max(1, result.GetValue(batch)),
            };
            var configuration = database.Configuration(result);
            return RunAsync(result.GetRequiredValue(file), options, result.GetValue(report), ReachApp.DatabaseFrom(configuration), output, error, cancellationToken, configuration);
        });
        return command;
    }

    static Dictionary<string, string> ParseMap(IEnumerable<string> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            // The last '=' splits: column names may hold '=' more often than field names do (never).
            var eq = pair.LastIndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw new ArgumentException($"--map \"{pair}\" is not \"Column Name=field\".");
            map[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return map;
    }

    /// <summary>
    /// Imports <paramref name="file"/> into <paramref name="database"/> as the operator (the CLI's actor rule, see
    /// <see cref="Workspace"/>); <paramref name="configuration"/> is the rest of the workspace's configuration (default:
    /// appsettings.json and the environment).
    /// </summary>
    public static async Task<int> RunAsync(FileInfo file, ImportOptions options, FileInfo? reportFile, Database database, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        IConfiguration? configuration = null)
    {
        if (!file.Exists)
        {
            error.WriteLine($"reach import: no such file: {file.FullName}");
            return ExitCode.InvalidInput;
        }
        return await WorkspaceAction.RunAsync(error, "import", configuration ?? CliConfiguration.Read(), database,
            workspace => RunAsync(workspace, file, options, reportFile, output, error, cancellationToken), cancellationToken: cancellationToken);
    }

    static async Task<int> RunAsync(Workspace workspace, FileInfo file, ImportOptions options, FileInfo? reportFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var db = workspace.Db;
        var reportPath = reportFile?.FullName ?? Path.Combine(file.DirectoryName!, Path.GetFileNameWithoutExtension(file.Name) + ".rejected.csv");
        CsvOutput? report = null;
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        try
        {
            async ValueTask Reject(RejectedRow row)
            {
                if (report is null)
                {
                    report = new CsvOutput(new StreamWriter(reportPath, append: false, CsvOutput.Utf8(bom: false)));
                    await report.WriteRowAsync(["row", "column", "value", "reason"]);
                }
                await report.WriteRowAsync([row.Row.ToString(CultureInfo.InvariantCulture), row.Column, row.Value, row.Reason]);
            }

            ImportSummary summary;
            if (interactive)
            {
                summary = null!;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"Importing {file.Name}");
                        summary = await Importer.RunAsync(db, file.FullName, options, p =>
                        {
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Done;
                            task.Description = $"{file.Name}: {p.Done:N0}/{p.Total:N0} rows, {p.RowsPerSecond:N0} rows/s";
                        }, Reject, cancellationToken);
                    });
            }
            else
            {
                var lastPrinted = TimeSpan.Zero;
                summary = await Importer.RunAsync(db, file.FullName, options, p =>
                {
                    if (p.Elapsed - lastPrinted < TimeSpan.FromSeconds(1) && p.Done < p.Total)
                        return;
                    lastPrinted = p.Elapsed;
                    var eta = p.Remaining is { } r ? $", ETA {r:h\\:mm\\:ss}" : "";
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Done:N0}/{p.Total:N0} rows, {p.RowsPerSecond:N0} rows/s{eta}"));
                }, Reject, cancellationToken);
            }

            if (report is not null)
                await report.DisposeAsync();
            else if (File.Exists(reportPath))
                File.Delete(reportPath); // a report from an earlier run would describe rows that are now fine
            WriteSummary(summary, report is null ? null : reportPath, output);
            if (summary.Report.InvitedUserIds.Count > 0 && !summary.DryRun)
                await PrintInvitesAsync(workspace, summary.Report.InvitedUserIds, output, cancellationToken);
            return summary.Failed > 0 ? ExitCode.RowsRejected : ExitCode.Ok;
        }
        catch (ImportFileException e)
        {
            error.WriteLine($"reach import: {file.Name}: {e.Message}");
            return ExitCode.InvalidInput;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException && !StorageFull.Is(e))
        {
            error.WriteLine($"reach import: cannot write to {workspace.Database.Describe()}: {e.Message}");
            return ExitCode.DatabaseFailed;
        }
        finally
        {
            if (report is not null)
                await report.DisposeAsync();
        }
    }

    /// <summary>A one-time link per invited user to choose a password (no password ever travels in a file).</summary>
    static async Task PrintInvitesAsync(Workspace workspace, IReadOnlyList<Guid> ids, TextWriter output, CancellationToken cancellationToken)
    {
        var manager = workspace.Services.GetRequiredService<UserManager<User>>();
        output.WriteLine($"One-time links to choose a password (valid {UserDirectory.InviteLifetime.Days} days):");
        foreach (var user in await workspace.Db.Users.Where(u => ids.Contains(u.Id)).OrderBy(u => u.Name).ToListAsync(cancellationToken))
            output.WriteLine($"  {user.Name} <{user.Email}>: {UserDirectory.InviteLink(workspace.PublicUrl, user, await manager.GeneratePasswordResetTokenAsync(user))}");
    }

    static void WriteSummary(ImportSummary summary, string? reportPath, TextWriter output)
    {
        var w = (FormattableString s) => output.WriteLine(s.ToString(CultureInfo.InvariantCulture));
        w($"{(summary.DryRun ? "Dry run (nothing written) of" : "Imported")} {summary.Entity} from {summary.Format} format: {summary.Rows:N0} rows in {summary.Seconds:N1} s");
        w($"  inserted {summary.Inserted:N0}, updated {summary.Updated:N0}, skipped {summary.Skipped:N0}, failed {summary.Failed:N0}");
        if (summary.IgnoredColumns.Count > 0)
            w($"  ignored columns: {string.Join(", ", summary.IgnoredColumns.Take(20))}{(summary.IgnoredColumns.Count > 20 ? $" and {summary.IgnoredColumns.Count - 20} more" : "")}");
        foreach (var note in summary.Notes)
            w($"  note: {note}");
        foreach (var rejected in summary.Rejected.Take(10))
            w($"  row {rejected.Row}: {(rejected.Column.Length > 0 ? $"{rejected.Column} '{rejected.Value}': " : "")}{rejected.Reason}");
        if (reportPath is not null)
            w($"  rejected rows: {reportPath}");
        foreach (var line in summary.Report.Lines(summary))
            output.WriteLine(line);
    }
}
