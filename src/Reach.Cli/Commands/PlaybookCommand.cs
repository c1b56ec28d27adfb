using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach playbook list|export|import|document</c>: the playbook at the console, as a folder of Markdown files a team
/// keeps in git (<see cref="PlaybookFiles"/>), and a deal's proposal, order form or agreement drawn to PDF
/// (<see cref="DealDocuments"/>). Import and documents go through the same rules as the API and the pages.
/// </summary>
public static class PlaybookCommand
{
    public static Command Create()
    {
        var command = new Command("playbook", "List the playbook, or export and import it as Markdown files.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Document());
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

    static Command Document()
    {
        var database = new DatabaseOptions();
        var deal = new Argument<string>("deal") { Description = "The deal: its id or its name (any case)." };
        var template = new Option<string>("--template")
        {
            Description = "The template: its id, its title, or its kind (proposal, order_form, agreement) when the playbook has one of that kind.",
            HelpName = "TEMPLATE",
            Required = true,
        };
        var pdf = new Option<string?>("--pdf") { Description = "Where to write the PDF (default: its file name in the current folder).", HelpName = "FILE" };
        var command = new Command("document", "Draw a deal's proposal, order form or agreement from a playbook template to a PDF, kept on the deal as the web app keeps it.") { deal, template, pdf };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var db = workspace.Db;
            var target = await DealAsync(db, result.GetRequiredValue(deal), cancellationToken);
            var document = await DealDocuments.GenerateAsync(db, target, await TemplateIdAsync(db, result.GetRequiredValue(template), cancellationToken), cancellationToken);
            var path = Path.GetFullPath(result.GetValue(pdf) ?? document.FileName);
            await File.WriteAllBytesAsync(path, document.Content, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(
                $"{DealDocuments.Words(document.Kind)} for '{target.Name}' drawn from '{document.TemplateTitle}' version {document.TemplateVersion}: {path}");
        }, cancellationToken));
        return command;
    }

    // A deal named at the console: its id or its exact name (any case).
    static async Task<Reach.Deals.Deal> DealAsync(ReachDb db, string text, CancellationToken cancellationToken)
    {
        var t = text.Trim();
        if (Guid.TryParse(t, out var id))
            return await db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new InputException("deal", $"No deal has the id {id}.");
        var lower = t.ToLowerInvariant();
        var found = await db.Deals.Where(d => d.Name.ToLower() == lower).Take(2).ToListAsync(cancellationToken);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InputException("deal", $"No deal is named '{t}'."),
            _ => throw new InputException("deal", $"More than one deal is named '{t}'; give its id."),
        };
    }

    // A template named at the console: its id, its title (any case), or its kind when the playbook has one of that kind.
    static async Task<Guid> TemplateIdAsync(ReachDb db, string text, CancellationToken cancellationToken)
    {
        var t = text.Trim();
        if (Guid.TryParse(t, out var id))
            return id;
        var templates = await DealDocuments.TemplatesAsync(db, cancellationToken);
        var kind = EnumNames.Parse<PlaybookKind>(t);
        var found = templates.Where(i => i.Title.Equals(t, StringComparison.OrdinalIgnoreCase) || i.Kind == kind).ToList();
        if (found.Count == 1)
            return found[0].Id;
        var known = templates.Count == 0 ? "the playbook has none yet" : string.Join(", ", templates.Select(i => $"'{i.Title}' ({EnumNames.Of(i.Kind)})"));
        throw new InputException("template", found.Count == 0
            ? $"No proposal, order form or agreement template is '{t}': {known}."
            : $"More than one template is '{t}': {known}; give its title or id.");
    }
}
