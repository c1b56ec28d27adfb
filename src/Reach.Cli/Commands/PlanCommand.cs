using System.CommandLine;
using Reach.Planning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reach.Cli.Commands;

/// <summary><c>reach plan FILE [--json] [--html OUT]</c>: evaluates a plan file offline (docs/planner.md).</summary>
public static class PlanCommand
{
    /// <summary>Exit code for a plan file that is missing or invalid.</summary>
    public const int InvalidInput = 2;

    /// <summary>Exit code when the HTML report cannot be written.</summary>
    public const int OutputFailed = 1;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The plan file, YAML or JSON" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (see docs/planner.md)" };
        var html = new Option<FileInfo?>("--html")
        {
            Description = "Also write a self-contained HTML report to this file",
            HelpName = "OUT",
        };
        var command = new Command("plan", "Evaluate a go-to-market plan: channel fit, dead zones, reps and leads");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(html);
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(file),
            parseResult.GetValue(json),
            parseResult.GetValue(html),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(FileInfo file, bool json, FileInfo? html, TextWriter output, TextWriter error)
    {
        PlanFile plan;
        PlanResult result;
        try
        {
            plan = PlanReader.ReadFile(file.FullName);
            result = Planner.Evaluate(plan);
        }
        catch (PlanValidationException e)
        {
            error.WriteLine($"{file.Name}: the plan is invalid ({e.Errors.Count} error{(e.Errors.Count == 1 ? "" : "s")}):");
            foreach (var problem in e.Errors)
            {
                error.WriteLine($"{file.Name}:{problem}");
            }

            return InvalidInput;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error.WriteLine($"reach plan: no such file: {file.FullName}");
            return InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"reach plan: cannot read {file.FullName}: {e.Message}");
            return InvalidInput;
        }

        if (html is not null)
        {
            try
            {
                File.WriteAllText(html.FullName, PlanHtmlPage.Render(plan, result, Path.GetFileNameWithoutExtension(file.Name)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"reach plan: cannot write {html.FullName}: {e.Message}");
                return OutputFailed;
            }
        }

        if (json)
        {
            output.WriteLine(result.ToJson());
        }
        else
        {
            WriteTables(plan, result, output);
            if (html is not null)
            {
                output.WriteLine($"Wrote {html.FullName}");
            }
        }

        return 0;
    }

    public static void WriteTables(PlanFile plan, PlanResult result, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Out.IsTerminal)
        {
            // Redirected output has no width to detect; keep the tables' rows unwrapped for files and tests.
            console.Profile.Width = 200;
        }

        foreach (var table in new[]
                 {
                     PlanReport.SegmentTable(plan, result), PlanReport.CapacityTable(plan, result),
                     PlanReport.ChannelTable(plan, result),
                 })
        {
            console.Write(ToSpectre(table));
        }

        var warnings = PlanReport.Warnings(plan, result);
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

    private static Table ToSpectre(ReportTable report)
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
