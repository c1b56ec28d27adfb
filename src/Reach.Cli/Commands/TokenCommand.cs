using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Access;

namespace Reach.Cli.Commands;

/// <summary>`reach token create|list|revoke`: personal API tokens, made at the console for a user.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Create, list and revoke personal API tokens.");
        command.Subcommands.Add(CreateToken());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    static Command CreateToken()
    {
        var database = new DatabaseOptions();
        var email = new Option<string>("--user") { Description = "The e-mail of the user the token acts as.", Required = true };
        var name = new Option<string>("--name") { Description = "What the token is for (a script's name).", Required = true };
        var scope = new Option<TokenScope>("--scope") { Description = "Read, ReadWrite, LeadCapture (only POST /api/v1/leads/capture, for a website form) or Usage (only POST /api/v1/usage, for the product; an admin's).", DefaultValueFactory = _ => TokenScope.ReadWrite };
        var days = new Option<int?>("--days") { Description = $"Lifetime in days (default {UserDirectory.DefaultTokenLifetime.Days}, at most {UserDirectory.MaxTokenLifetime.Days})." };
        var command = new Command("create", "Create a token and print it once: it is stored only as a hash.") { email, name, scope, days };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var user = await workspace.Users.MustFindAsync(result.GetValue(email)!, cancellationToken);
            var (secret, token) = await workspace.Users.IssueTokenAsync(user, result.GetValue(name)!, result.GetValue(scope), result.GetValue(days), workspace.Clock.GetUtcNow().UtcDateTime, cancellationToken);
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"Token '{token.Name}' for {user.Email} ({token.Scope}, expires {token.ExpiresAt:yyyy-MM-dd}). It is shown only now:");
            await output.WriteLineAsync(secret);
        }, cancellationToken));
        return command;
    }

    static Command List()
    {
        var database = new DatabaseOptions();
        var email = new Option<string>("--user") { Description = "The e-mail of the user whose tokens to list.", Required = true };
        var command = new Command("list", "List a user's tokens (never their secrets).") { email };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var user = await workspace.Users.MustFindAsync(result.GetValue(email)!, cancellationToken);
            var tokens = await workspace.Db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
            var output = result.InvocationConfiguration.Output;
            foreach (var t in tokens)
            {
                var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= workspace.Clock.GetUtcNow().UtcDateTime ? "expired" : "active";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t.Id}  {t.Hint}…  {t.Name,-20} {t.Scope,-9} expires {t.ExpiresAt:yyyy-MM-dd}  {state}"));
            }
        }, cancellationToken));
        return command;
    }

    static Command Revoke()
    {
        var database = new DatabaseOptions();
        var id = new Argument<Guid>("id") { Description = "The token's id (from `reach token list`)." };
        var command = new Command("revoke", "Revoke a token: it stops working at once.") { id };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var token = await workspace.Db.ApiTokens.FirstOrDefaultAsync(t => t.Id == result.GetValue(id), cancellationToken)
                ?? throw new Reach.Data.InputException("id", $"No token has the id {result.GetValue(id)}.");
            token.RevokedAt ??= workspace.Clock.GetUtcNow().UtcDateTime;
            await workspace.Db.SaveChangesAsync(cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Token '{token.Name}' is revoked.");
        }, cancellationToken));
        return command;
    }
}
