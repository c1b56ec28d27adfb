using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Cli.Commands;

/// <summary>`reach user add|list|disable|enable|reset-password`: the admin's user management at the console.</summary>
public static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Add, list, disable and enable users, and reset passwords.");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetActive("disable", active: false, "Disable a user: every session and token of theirs stops at once."));
        command.Subcommands.Add(SetActive("enable", active: true, "Enable a disabled user again (they sign in anew)."));
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(Import());
        return command;
    }

    static Command Import()
    {
        var database = new DatabaseOptions();
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header: email, name, role, team, manager (the team manager's e-mail), channel." };
        var command = new Command("import", "Add many users at once, in one transaction, printing each new user's one-time link; users that exist already are left unchanged, so running it again changes nothing.") { file };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
                throw new InputException("file", $"No such file: {path.FullName}");
            List<UserImportRow> rows;
            using (var reader = path.OpenText())
                rows = UserImportCsv.Read(reader);
            var import = await workspace.Users.ImportUsersAsync(rows, cancellationToken);
            var output = result.InvocationConfiguration.Output;
            foreach (var (row, user, token) in import.Users)
            {
                if (token is null)
                    await output.WriteLineAsync($"row {row}: {user.Email} exists already; unchanged.");
                else
                    await output.WriteLineAsync($"row {row}: added {user.Name} <{user.Email}> as {user.Role.ToString().ToLowerInvariant()}: {UserDirectory.InviteLink(workspace.PublicUrl, user, token)}");
            }
            await output.WriteLineAsync($"{import.Added} user(s) added, {import.Users.Count - import.Added} unchanged"
                + (import.TeamsCreated.Count > 0 ? $"; teams added: {string.Join(", ", import.TeamsCreated)}." : "."));
            if (import.Added > 0)
                await output.WriteLineAsync($"Each link works once, for {UserDirectory.InviteLifetime.Days} days: send it to its user.");
        }, cancellationToken));
        return command;
    }

    static Command Add()
    {
        var database = new DatabaseOptions();
        var email = new Argument<string>("email") { Description = "The user's e-mail; they sign in with it." };
        var name = new Option<string>("--name") { Description = "Full name.", Required = true };
        var role = new Option<UserRole>("--role") { Description = "admin, manager or rep.", DefaultValueFactory = _ => UserRole.Rep };
        var team = new Option<string?>("--team") { Description = "Team name (an existing team)." };
        var channel = new Option<Channel?>("--channel") { Description = "The channel a rep sells through: SelfService, Inside or Field." };
        var command = new Command("add", "Add a user and print the one-time link where they choose a password.") { email, name, role, team, channel };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var (user, token) = await workspace.Users.AddAsync(new NewUser
            {
                Email = result.GetValue(email),
                Name = result.GetValue(name),
                Role = result.GetValue(role),
                Team = result.GetValue(team),
                Channel = result.GetValue(channel),
            }, cancellationToken);
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"Added {user.Name} <{user.Email}> as {user.Role.ToString().ToLowerInvariant()}.");
            await output.WriteLineAsync($"One-time link to choose a password (valid {UserDirectory.InviteLifetime.Days} days):");
            await output.WriteLineAsync(UserDirectory.InviteLink(workspace.PublicUrl, user, token));
        }, cancellationToken));
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var command = new Command("list", "List the workspace's users.");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var users = await workspace.Db.Users.AsNoTracking().Include(u => u.Team).OrderBy(u => u.Name).ToListAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{"E-mail",-32} {"Name",-24} {"Role",-8} {"Team",-16} State");
            foreach (var u in users)
                await output.WriteLineAsync($"{u.Email,-32} {u.Name,-24} {u.Role.ToString().ToLowerInvariant(),-8} {u.Team?.Name ?? "-",-16} {(u.IsActive ? "active" : "disabled")}");
        }, cancellationToken));
        return command;
    }

    static Command SetActive(string verb, bool active, string description)
    {
        var database = new DatabaseOptions();
        var email = new Argument<string>("email") { Description = "The user's e-mail." };
        var command = new Command(verb, description) { email };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var user = await workspace.Users.MustFindAsync(result.GetValue(email)!, cancellationToken);
            await workspace.Users.SetActiveAsync(user, active, workspace.Clock.GetUtcNow().UtcDateTime);
            await result.InvocationConfiguration.Output.WriteLineAsync($"{user.Email} is {(active ? "enabled" : "disabled; their sessions and tokens no longer work")}.");
        }, cancellationToken));
        return command;
    }

    static Command ResetPassword()
    {
        var database = new DatabaseOptions();
        var email = new Argument<string>("email") { Description = "The user's e-mail." };
        var command = new Command("reset-password", "Remove a user's password (signing them out everywhere) and print a one-time link to choose a new one.") { email };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var user = await workspace.Users.MustFindAsync(result.GetValue(email)!, cancellationToken);
            var token = await workspace.Users.ResetPasswordAsync(user);
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{user.Email} is signed out everywhere. One-time link to choose a new password:");
            await output.WriteLineAsync(UserDirectory.InviteLink(workspace.PublicUrl, user, token));
        }, cancellationToken));
        return command;
    }
}
