using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reach.Access;
using Reach.Data;
using Reach.Web;

namespace Reach.Cli.Commands;

public static class ServeCommand
{
    public static Command Create()
    {
        var database = new DatabaseOptions();
        var urls = new Option<string?>("--urls") { Description = $"Address(es) to listen on (default {ReachApp.DefaultUrl})." };
        var backupTo = new Option<DirectoryInfo?>("--backup-to") { Description = "Back the workspace up into this directory daily, keeping 14 (Reach:Backup:Directory, :Keep, :HourUtc).", HelpName = "DIR" };
        var command = new Command("serve", "Run Reach on a workspace database; it is created and migrated on start.");
        database.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(backupTo);
        command.SetAction(async (result, cancellationToken) =>
        {
            var overrides = database.Overrides(result);
            if (result.GetValue(urls) is { } u)
                overrides["urls"] = u;
            if (result.GetValue(backupTo) is { } directory)
                overrides["Reach:Backup:Directory"] = directory.FullName;
            await using var app = ReachApp.Build([], overrides);
            await ReachApp.PrepareAsync(app, cancellationToken);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var email = app.Configuration["Reach:AdminEmail"] is { Length: > 0 } configured ? configured : "admin@localhost";
                if (await scope.ServiceProvider.GetRequiredService<UserDirectory>().EnsureFirstAdminAsync(email, cancellationToken) is { } first)
                {
                    Console.WriteLine($"This workspace had no users: created the admin {first.User.Email} with the one-time password");
                    Console.WriteLine($"  {first.Password}");
                    Console.WriteLine("It is shown only now; you choose your own at the first sign-in.");
                }
            }
            await app.StartAsync(cancellationToken);
            Console.WriteLine($"Reach is running at {string.Join(", ", app.Urls)} on {app.Services.GetRequiredService<Database>().Describe()}. Ctrl+C stops it.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
