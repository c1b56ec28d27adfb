using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reach.Access;
using Reach.Data;
using Reach.Demo;
using Reach.Web;

namespace Reach.Cli.Commands;

public static class DemoCommand
{
    public const string DefaultFile = "reach-demo.db";

    /// <summary>Every demo user's password. The demo listens on the loopback address only unless told otherwise.</summary>
    public const string DemoPassword = "reach-demo-2026";

    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite file for the demo workspace.", DefaultValueFactory = _ => DefaultFile };
        var urls = new Option<string?>("--urls") { Description = $"Address(es) to listen on (default {ReachApp.DefaultUrl})." };
        var reset = new Option<bool>("--reset") { Description = "Throw the demo file away and generate it again." };
        var command = new Command("demo", "Run Reach on a generated demo workspace (SQLite; made on first run, kept afterwards).");
        command.Options.Add(db);
        command.Options.Add(urls);
        command.Options.Add(reset);
        command.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(db)!;
            if (result.GetValue(reset))
                foreach (var f in new[] { file, file + "-wal", file + "-shm" })
                    File.Delete(f);
            var fresh = !File.Exists(file);
            var overrides = new Dictionary<string, string?> { ["Reach:Db"] = file };
            if (result.GetValue(urls) is { } u)
                overrides["urls"] = u;

            await using var app = ReachApp.Build([], overrides);
            await ReachApp.PrepareAsync(app, cancellationToken);
            if (fresh)
            {
                Console.WriteLine("Generating the demo workspace…");
                await using var scope = app.Services.CreateAsyncScope();
                var workspace = scope.ServiceProvider.GetRequiredService<ReachDb>();
                var summary = await DemoWorkspace.SeedAsync(workspace, workspace.UtcNow, ct: cancellationToken);
                // One hash for every demo user: the password is printed below anyway, and hashing is slow on purpose.
                var hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, DemoPassword);
                await workspace.Users.ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash), cancellationToken);
                Console.WriteLine($"Demo workspace: {summary.Accounts} accounts, {summary.Contacts} contacts, {summary.Leads} leads, " +
                    $"{summary.Deals} deals, {summary.Activities} activities, {summary.Users} users in {summary.Teams} teams.");
            }
            await app.StartAsync(cancellationToken);
            Console.WriteLine($"Reach demo is running at {string.Join(", ", app.Urls)} on {app.Services.GetRequiredService<Database>().Describe()}.");
            await PrintLoginsAsync(app, cancellationToken);
            Console.WriteLine("API reference: " + app.Urls.First() + "/api/docs   Ctrl+C stops it.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    static async Task PrintLoginsAsync(Microsoft.AspNetCore.Builder.WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<ReachDb>().Users.AsNoTracking()
            .Where(u => u.IsActive).OrderBy(u => u.Role).ThenBy(u => u.Name).ToListAsync(cancellationToken);
        Console.WriteLine($"Sign in with the password {DemoPassword} as:");
        foreach (var user in users)
            Console.WriteLine($"  {user.Email,-22} {user.Role.ToString().ToLowerInvariant(),-8} {user.Name}");
    }
}
