using System.CommandLine;
using Reach.Data;
using Reach.Planning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach plan FILE [--json] [--html OUT] [--db FILE | --postgres CONNSTR]</c>: evaluates a plan file offline, or
/// calibrated against a workspace's closed deals when a database is given (docs/planner.md).
/// </summary>
public static class PlanCommand
{
    /// <param name="clock">The calibration's "now"; tests pass a fixed one.</param>
    public static Command Create(TimeProvider? clock = null)
    {
        var file = new Argument<FileInfo>("file") { Description = "The plan file, YAML or JSON" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (see docs/planner.md)" };
        var html = new Option<FileInfo?>("--html")
        {
            Description = "Also write a self-contained HTML report to this file",
            HelpName = "OUT",
        };
        // Not DatabaseOptions: that one defaults to reach.db, and without a database the plan runs offline.
        var db = new Option<FileInfo?>("--db")
        {
            Description = "Calibrate against this SQLite workspace's closed deals",
            HelpName = "FILE",
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Calibrate against this PostgreSQL workspace (a connection string)",
            HelpName = "CONNSTR",
        };
        var apply = new Option<string[]>("--apply")
        {
            Description = "Apply a recommendation as a scenario beside the plan, e.g. raise_price:single-store (repeatable)",
            HelpName = "ACTION:SEGMENT",
            AllowMultipleArgumentsPerToken = false,
        };
        var sensitivity = new Option<decimal?>("--sensitivity")
        {
            Description = "The change the sensitivity analysis applies to each assumption, e.g. 0.2 for ±20% (default: the plan's, else 0.2)",
            HelpName = "CHANGE",
        };
        var command = new Command("plan", "Evaluate a go-to-market plan: channel fit, dead zones, reps and leads");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(html);
        command.Options.Add(db);
        command.Options.Add(postgres);
        command.Options.Add(apply);
        command.Options.Add(sensitivity);
        PlanVersionCommands.AddTo(command);
        DatabaseOptions.OneWorkspace(command, db, postgres);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(file),
            parseResult.GetValue(json),
            parseResult.GetValue(html),
            parseResult.GetValue(db) is { } sqlite ? Database.Sqlite(sqlite.FullName)
                : parseResult.GetValue(postgres) is { } connection ? Database.Postgres(connection) : null,
            clock ?? TimeProvider.System,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(apply) ?? [],
            parseResult.GetValue(sensitivity),
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        FileInfo file,
        bool json,
        FileInfo? html,
        Database? database,
        TimeProvider clock,
        TextWriter output,
        TextWriter error,
        IReadOnlyList<string> apply,
        decimal? sensitivity,
        CancellationToken cancellationToken = default)
    {
        PlanFile plan;
        PlanResult result;
        try
        {
            plan = PlanReader.ReadFile(file.FullName);
            if (CheckOptions(plan, apply, sensitivity, error) is false)
            {
                return ExitCode.InvalidInput;
            }

            plan = plan with
            {
                Scenario = [.. plan.Scenario, .. apply],
                Sensitivity = sensitivity ?? plan.Sensitivity,
            };
            result = Planner.EvaluateInFull(plan);
        }
        catch (PlanValidationException e)
        {
            error.WriteLine($"{file.Name}: the plan is invalid ({e.Errors.Count} error{(e.Errors.Count == 1 ? "" : "s")}):");
            foreach (var problem in e.Errors)
            {
                error.WriteLine($"{file.Name}:{problem}");
            }

            return ExitCode.InvalidInput;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error.WriteLine($"reach plan: no such file: {file.FullName}");
            return ExitCode.InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"reach plan: cannot read {file.FullName}: {e.Message}");
            return ExitCode.InvalidInput;
        }

        Calibration? calibration = null;
        if (database is not null)
        {
            // A SQLite path that does not exist would be an empty workspace to calibrate against: mustExist.
            var opened = await WorkspaceAction.RunAsync(error, "plan", CliConfiguration.Read(), database, async workspace =>
            {
                var currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(workspace.Db, cancellationToken);
                calibration = await Calibration.ComputeAsync(workspace.Db, plan, clock.GetUtcNow().UtcDateTime, currency, cancellationToken);
                return ExitCode.Ok;
            }, clock, mustExist: true, cancellationToken);
            if (opened != ExitCode.Ok)
                return opened;
        }

        if (html is not null)
        {
            try
            {
                File.WriteAllText(
                    html.FullName,
                    PlanHtmlPage.Render(plan, result, Path.GetFileNameWithoutExtension(file.Name), calibration));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"reach plan: cannot write {html.FullName}: {e.Message}");
                return ExitCode.InvalidInput;
            }
        }

        if (json)
        {
            output.WriteLine(calibration is null ? result.ToJson() : calibration.AddTo(result));
        }
        else
        {
            WriteTables(plan, result, output, calibration);
            if (calibration is not null)
            {
                WriteCalibration(plan, calibration, output);
            }

            if (html is not null)
            {
                output.WriteLine($"Wrote {html.FullName}");
            }
        }

        return ExitCode.Ok;
    }

    // --apply names a recommendation and the segment or channel of the plan it is for; --sensitivity is a change in (0, 1).
    private static bool CheckOptions(PlanFile plan, IReadOnlyList<string> apply, decimal? sensitivity, TextWriter error)
    {
        var ok = true;
        foreach (var text in apply)
        {
            if (Scenarios.Problem(text, plan.Segments, plan.Channels) is { } problem)
            {
                error.WriteLine($"reach plan: --apply {text}: {problem}");
                ok = false;
            }
        }

        if (sensitivity is { } change && change is <= 0 or >= 1)
        {
            error.WriteLine($"reach plan: --sensitivity must be in (0, 1), got {change}");
            ok = false;
        }

        return ok;
    }

    public static void WriteTables(PlanFile plan, PlanResult result, TextWriter output, Calibration? calibration = null)
    {
        var console = ConsoleFor(output);

        foreach (var table in PlanReport.Tables(plan, result))
        {
            console.Write(ToSpectre(table));
        }

        console.Write(new Text(PlanReport.TimeToTarget(plan, result) + "\n", new Style(decoration: Decoration.Bold)));
        if (result.Scenario is { } scenario)
        {
            foreach (var note in scenario.Notes)
            {
                console.Write(new Text($"! {note}\n", new Style(Color.Yellow)));
            }

            console.Write(new Text($"Scenario ({string.Join(", ", scenario.Applied)}): {PlanReport.TimeToTarget(scenario.Plan, scenario.Result)}\n"));
        }

        if (result.Recommendations is { Count: > 0 } recommendations)
        {
            console.Write(new Text("Recommendations (each applies as a scenario beside the plan)\n", new Style(decoration: Decoration.Bold)));
            foreach (var r in recommendations)
            {
                console.Write(new Text($"  --apply {r.Apply}: {PlanReport.RecommendationText(r, plan.Currency)}\n"));
            }
        }

        var warnings = PlanReport.Warnings(plan, result, calibration);
        if (warnings.Count == 0)
        {
            console.Write(new Text("No warnings: every segment has a profitable channel and fits the horizon.\n"));
            return;
        }

        console.Write(new Text("Warnings\n", new Style(decoration: Decoration.Bold)));
        foreach (var warning in warnings)
        {
            console.Write(new Text($"! {warning}\n", new Style(Color.Yellow)));
        }
    }

    public static void WriteCalibration(PlanFile plan, Calibration calibration, TextWriter output)
    {
        var console = ConsoleFor(output);
        foreach (var table in PlanReport.CalibrationTables(plan, calibration))
        {
            console.Write(ToSpectre(table));
        }

        foreach (var note in calibration.Notes)
        {
            console.Write(new Text($"! {note}\n", new Style(Color.Yellow)));
        }
    }

    private static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Out.IsTerminal)
        {
            // Redirected output has no width to detect; keep the tables' rows unwrapped for files and tests.
            console.Profile.Width = 200;
        }

        return console;
    }

    private static Table ToSpectre(PlanTable report)
    {
        var table = new Table { Title = new TableTitle(report.Title), Border = TableBorder.Rounded };
        foreach (var column in report.Columns)
        {
            // Text, not Markup: names come from the plan file and may hold '[' characters.
            table.AddColumn(new TableColumn(new Text(column.Header))
            {
                Alignment = column.Numeric ? Justify.Right : Justify.Left,
            });
        }

        foreach (var row in report.Rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        }

        return table;
    }
}
