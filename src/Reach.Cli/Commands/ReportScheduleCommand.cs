using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Data;
using Reach.Metrics.Reports;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach report schedule add|list|remove|run</c>: report e-mails. A schedule is made as its user (<c>--user</c>), with
/// their rights and sent from their mailbox, by the same <see cref="ReportScheduleService"/> as the API and page.
/// </summary>
public static class ReportScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Report e-mails: schedule a report to be sent after each period closes, list, remove, or send the due ones now.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Run());
        return command;
    }

    static Command Add()
    {
        var database = new DatabaseOptions();
        var kind = new Argument<ReportKind>("kind") { Description = "weekly, monthly or quarterly" };
        var user = new Option<string>("--user") { Description = "Whose schedule: it is sent from their mailbox and shows what they may see", HelpName = "EMAIL", Required = true };
        var to = new Option<string>("--to") { Description = "Recipients, comma-separated", HelpName = "EMAIL,EMAIL", Required = true };
        var rep = new Option<string?>("--rep") { Description = "One rep's figures (their email; a rep may name only themselves)", HelpName = "EMAIL" };
        var team = new Option<string?>("--team") { Description = "One team's figures (its name; a manager's own teams, any for an admin)", HelpName = "NAME" };
        var command = new Command("add", "Schedule a report e-mail for a user.") { kind, user, to, rep, team };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var owner = await workspace.Users.MustFindAsync(result.GetValue(user)!, cancellationToken);
            // Made as the user, never as the operator: the scope is checked against their rights.
            workspace.Db.Actor = await Actor.ForAsync(workspace.Db, owner, cancellationToken);
            var service = workspace.Services.GetRequiredService<ReportScheduleService>();
            var schedule = await service.CreateAsync(new ReportScheduleInput
            {
                Kind = result.GetValue(kind),
                Rep = result.GetValue(rep),
                Team = result.GetValue(team),
                Recipients = [.. result.GetValue(to)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            }, cancellationToken);
            var view = await service.ViewAsync(schedule, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Scheduled {schedule.Kind.ToString().ToLowerInvariant()} report {schedule.Id} ({schedule.ScopeLabel}) to {string.Join(", ", schedule.RecipientList)}; first sent {view.NextSendAt:yyyy-MM-dd HH:mm} UTC."));
        }, cancellationToken));
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "Print the schedules as JSON." };
        var command = new Command("list", "Every report schedule with its next and last send and its error, if any.") { json };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var schedules = await workspace.Services.GetRequiredService<ReportScheduleService>().ListAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                var options = new JsonSerializerOptions { WriteIndented = true };
                ReachApp.Configure(options);
                await output.WriteLineAsync(JsonSerializer.Serialize(schedules, options));
                return;
            }
            await output.WriteLineAsync($"{"Id",-36} {"Report",-9} {"Scope",-20} {"Owner",-28} {"Next send",-16} {"Last sent",-10} Recipients / status");
            foreach (var s in schedules)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Id,-36} {s.Kind.ToString().ToLowerInvariant(),-9} {s.Scope,-20} {s.OwnerEmail,-28} {(s.Paused ? "paused" : s.NextSendAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),-16} {s.LastPeriod ?? "never",-10} {string.Join(", ", s.Recipients)}{(s.LastError is null ? "" : " — " + s.LastError)}"));
        }, cancellationToken));
        return command;
    }

    static Command Remove()
    {
        var database = new DatabaseOptions();
        var id = new Argument<Guid>("id") { Description = "The schedule's id (reach report schedule list)." };
        var command = new Command("remove", "Delete a report schedule.") { id };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var service = workspace.Services.GetRequiredService<ReportScheduleService>();
            var schedule = await service.FindAsync(result.GetValue(id), cancellationToken)
                ?? throw new InputException("id", $"No report schedule has the id {result.GetValue(id)}.");
            await service.DeleteAsync(schedule, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Removed report schedule {schedule.Id}.");
        }, cancellationToken));
        return command;
    }

    static Command Run()
    {
        var database = new DatabaseOptions();
        var command = new Command("run", "Send the reports whose period has closed and that are not sent yet (what `reach serve` does every 5 minutes).");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var run = await workspace.Services.GetRequiredService<ReportMailer>().RunOnceAsync(cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Sent} report(s) sent, {run.Failed} failed (retried with backoff; see reach report schedule list)."));
        }, cancellationToken));
        return command;
    }
}
