using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Reach.Cli.Commands;

/// <summary>--db / --postgres, shared by every command that opens a workspace.</summary>
public sealed class DatabaseOptions
{
    public Option<string?> Db { get; } = new("--db") { Description = "SQLite file of the workspace (default: reach.db, or Reach:Db from configuration)." };
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string instead of a SQLite file (or Reach:Postgres from configuration)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Db);
        command.Options.Add(Postgres);
        OneWorkspace(command, Db, Postgres);
    }

    /// <summary>A workspace is a SQLite file or a PostgreSQL database: a command refuses both at once.</summary>
    public static void OneWorkspace(Command command, Option db, Option postgres) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(db) is { Implicit: false } && result.GetResult(postgres) is { Implicit: false })
                result.AddError("Give either --db or --postgres, not both.");
        });

    /// <summary>The options given, as configuration keys that override appsettings and the environment.</summary>
    public Dictionary<string, string?> Overrides(ParseResult result)
    {
        var overrides = new Dictionary<string, string?>();
        if (result.GetValue(Db) is { } db)
            overrides["Reach:Db"] = db;
        if (result.GetValue(Postgres) is { } postgres)
            overrides["Reach:Postgres"] = postgres;
        return overrides;
    }

    /// <summary>The workspace's configuration as `serve` reads it: appsettings.json, the environment, then these options.</summary>
    public IConfiguration Configuration(ParseResult result) => CliConfiguration.Read(Overrides(result));
}
