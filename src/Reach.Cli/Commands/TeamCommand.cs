using System.CommandLine;
using Reach.Access;
using Reach.Data;
using Reach.Web.Api;

namespace Reach.Cli.Commands;

/// <summary>`reach team add|list|rename|remove`: the admin's teams at the console, through the rules the API and pages use (<see cref="TeamEditor"/>).</summary>
public static class TeamCommand
{
    public static Command Create()
    {
        var command = new Command("team", "Add, list, rename and remove teams.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Rename());
        command.Subcommands.Add(Remove());
        return command;
    }

    static Command Add()
    {
        var database = new DatabaseOptions();
        var name = new Argument<string>("name") { Description = "The team's name." };
        var manager = new Option<string?>("--manager") { Description = "E-mail of the user who manages the team (a manager or an admin)." };
        var channel = new Option<string?>("--channel") { Description = "The channel the team sells through: inside, field or self_service." };
        var command = new Command("add", "Add a team.") { name, manager, channel };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var team = await TeamEditor.CreateAsync(workspace.Db, new TeamInput
            {
                Name = result.GetValue(name),
                Channel = ChannelOf(result.GetValue(channel)),
                ManagerId = result.GetValue(manager) is { } email ? (await workspace.Users.MustFindAsync(email, cancellationToken)).Id : null,
            }, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Added the team {team.Name}.");
        }, cancellationToken));
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var command = new Command("list", "List the teams with their managers and members.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var teams = await TeamsApi.ViewsAsync(workspace.Db, cancellationToken);
            var output = result.InvocationConfiguration.Output;
            if (teams.Count == 0)
            {
                await output.WriteLineAsync("No teams yet: add one with `reach team add NAME`.");
                return;
            }
            await output.WriteLineAsync($"{"Team",-24} {"Channel",-13} {"Manager",-24} Members");
            foreach (var t in teams)
                await output.WriteLineAsync($"{t.Name,-24} {(t.Channel is { } c ? MetricsChannel(c) : "-"),-13} {t.Manager ?? "-",-24} {t.Members}");
        }, cancellationToken));
        return command;
    }

    static Command Rename()
    {
        var database = new DatabaseOptions();
        var old = new Argument<string>("old") { Description = "The team's name now." };
        var @new = new Argument<string>("new") { Description = "Its new name." };
        var command = new Command("rename", "Rename a team.") { old, @new };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var team = await TeamEditor.MustFindAsync(workspace.Db, result.GetValue(old)!, cancellationToken);
            var before = team.Name;
            await TeamEditor.ChangeAsync(workspace.Db, team, new TeamInput { Name = result.GetValue(@new) }, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Renamed the team {before} to {team.Name}.");
        }, cancellationToken));
        return command;
    }

    static Command Remove()
    {
        var database = new DatabaseOptions();
        var name = new Argument<string>("name") { Description = "The team to remove; it must have no members." };
        var command = new Command("remove", "Remove a team that has no members (its targets go with it).") { name };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var team = await TeamEditor.MustFindAsync(workspace.Db, result.GetValue(name)!, cancellationToken);
            await TeamEditor.RemoveAsync(workspace.Db, team, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Removed the team {team.Name}.");
        }, cancellationToken));
        return command;
    }

    static string MetricsChannel(Channel channel) => EnumNames.Of(channel);

    /// <summary>A channel as the API writes it (inside, field, self_service), or as the enum is named.</summary>
    internal static Channel? ChannelOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var compact = text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return !char.IsAsciiDigit(compact[0]) && Enum.TryParse<Channel>(compact, ignoreCase: true, out var channel)
            ? channel
            : throw new InputException("channel", $"'{text}' is not a channel: expected inside, field or self_service.");
    }
}
