using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Outreach;

namespace Reach.Cli.Commands;

/// <summary>`reach outreach run|status`: one pass of the sender (sequences and drip tracks), and where every sequence and track stands.</summary>
public static class OutreachCommand
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var command = new Command("outreach", "Run the sender once (sequences and drip tracks), or show the sequences' enrolments, the drip tracks and what is failing.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Status());
        return command;
    }

    static Command Run()
    {
        var database = new DatabaseOptions();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("run", "Read replies and send the steps that are due now (what `reach serve` does every minute).") { json };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var run = await workspace.Services.GetRequiredService<OutreachSender>().RunOnceAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(run, Json));
            else
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Sent} sent, {run.TasksCreated} task(s) created, {run.Failed} failed, {run.Postponed} postponed, {run.RepliesFound} repl(ies) found, {run.Stopped} enrolment(s) stopped; drips: {run.DripsScheduled} queued, {run.DripsSent} sent, {run.DripsFailed} failed."));
        }, cancellationToken));
        return command;
    }

    static Command Status()
    {
        var database = new DatabaseOptions();
        var command = new Command("status", "Each sequence's enrolments by status, each drip track's pieces sent and waiting, and what waits on an error.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var db = workspace.Db;
            var output = result.InvocationConfiguration.Output;
            var sequences = await db.Sequences.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.Paused }).ToListAsync(cancellationToken);
            var counts = await db.Enrolments.GroupBy(e => new { e.SequenceId, e.Status }).Select(g => new { g.Key.SequenceId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
            await output.WriteLineAsync($"{"Sequence",-40} {"Active",7} {"Paused",7} {"Finished",9} {"Stopped",8}");
            foreach (var s in sequences)
            {
                int Count(EnrolmentStatus status) => counts.FirstOrDefault(c => c.SequenceId == s.Id && c.Status == status)?.Count ?? 0;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Name + (s.Paused ? " (paused)" : ""),-40} {Count(EnrolmentStatus.Active),7} {Count(EnrolmentStatus.Paused),7} {Count(EnrolmentStatus.Finished),9} {Count(EnrolmentStatus.Stopped),8}"));
            }
            var failing = await db.EnrolmentSteps.AsNoTracking().Where(s => s.Status == StepStatus.Retrying || s.Status == StepStatus.Failed)
                .OrderBy(s => s.DueAt).Take(50).ToListAsync(cancellationToken);
            foreach (var step in failing)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"step {step.Position} of enrolment {step.EnrolmentId}: {step.Status.ToString().ToLowerInvariant()} — {step.LastError}"));

            var tracks = await db.DripTracks.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.Paused, Pieces = t.Pieces.Count }).ToListAsync(cancellationToken);
            var sends = await db.DripSends.GroupBy(s => new { s.TrackId, s.Status }).Select(g => new { g.Key.TrackId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"Drip track",-40} {"Pieces",7} {"Sent",7} {"Waiting",8} {"Failed",7}");
            foreach (var t in tracks)
            {
                int Count(params StepStatus[] statuses) => sends.Where(c => c.TrackId == t.Id && statuses.Contains(c.Status)).Sum(c => c.Count);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Name + (t.Paused ? " (paused)" : ""),-40} {t.Pieces,7} {Count(StepStatus.Sent),7} {Count(StepStatus.Scheduled, StepStatus.Sending, StepStatus.Retrying),8} {Count(StepStatus.Failed),7}"));
            }
            var failingDrips = await db.DripSends.AsNoTracking().Where(s => s.Status == StepStatus.Retrying || s.Status == StepStatus.Failed)
                .OrderBy(s => s.DueAt).Take(50).ToListAsync(cancellationToken);
            foreach (var send in failingDrips)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"piece {send.Position} of track {send.TrackId} to contact {send.ContactId}: {send.Status.ToString().ToLowerInvariant()} — {send.LastError}"));
        }, cancellationToken));
        return command;
    }
}
