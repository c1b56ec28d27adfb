using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach playbook list|export|import</c>: the playbook at the console, and as a folder of Markdown files a team keeps
/// in git (<see cref="PlaybookFiles"/>). Import goes through the same input rules as the API and the pages.
/// </summary>
public static class PlaybookCommand
{
    public static Command Create()
    {
        var command = new Command("playbook", "List the playbook, or export and import it as Markdown files.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Import());
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var kind = new Option<string?>("--kind") { Description = "Only items of this kind: " + EnumNames.List<PlaybookKind>() + "." };
        var text = new Option<string?>("--search") { Description = "Only items whose title or text contains this.", HelpName = "TEXT" };
        var command = new Command("list", "List the playbook's items with their kind, tags and version.") { kind, text };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            PlaybookKind? only = null;
            if (result.GetValue(kind) is { } k)
                only = EnumNames.Parse<PlaybookKind>(k) ?? throw new InputException("kind", $"'{k}' is not a kind: {EnumNames.List<PlaybookKind>()}.");
            var items = await new PlaybookFilter { Kind = only, Text = result.GetValue(text) }.Apply(workspace.Db.PlaybookItems.AsNoTracking()).ToListAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (items.Count == 0)
            {
                await output.WriteLineAsync("No playbook items. Add them in the web app (Playbook) or with `reach playbook import FOLDER`.");
                return;
            }
            await output.WriteLineAsync($"{"Kind",-18} {"Segment",-7} {"Channel",-12} {"Stage",-12} {"Ver",3}  Title");
            foreach (var i in items)
                await output.WriteLineAsync($"{EnumNames.Of(i.Kind),-18} {i.Segment?.ToString() ?? "-",-7} {EnumNames.Of(i.Channel) ?? "-",-12} {i.Stage ?? "-",-12} {i.Version,3}  {i.Title}");
        }, cancellationToken));
        return command;
    }

    static Command Export()
    {
        var database = new DatabaseOptions();
        var folder = new Argument<string>("folder") { Description = "The folder to write one Markdown file per item into (made if missing)." };
        var command = new Command("export", "Write the playbook as Markdown files with front matter (kind, title, segment, channel, stage, link).") { folder };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var path = result.GetValue(folder)!;
            var count = await PlaybookFiles.ExportAsync(workspace.Db, path, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Wrote {count} playbook item{(count == 1 ? "" : "s")} to {Path.GetFullPath(path)}.");
        }, cancellationToken));
        return command;
    }

    static Command Import()
    {
        var database = new DatabaseOptions();
        var folder = new Argument<string>("folder") { Description = "A folder of Markdown files as `reach playbook export` writes them." };
        var command = new Command("import", "Create or update playbook items from Markdown files; a file that did not change changes nothing.") { folder };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var done = await PlaybookFiles.ImportAsync(workspace.Db, result.GetValue(folder)!, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Playbook imported: {done.Created} created, {done.Changed} changed, {done.Unchanged} unchanged.");
        }, cancellationToken));
        return command;
    }
}
