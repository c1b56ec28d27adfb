using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Reach.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Where the workspace lives: a SQLite file (the default) or a PostgreSQL connection string.</summary>
public sealed record Database(DatabaseProvider Provider, string Location)
{
    public static Database Sqlite(string file) => new(DatabaseProvider.Sqlite, Path.GetFullPath(file));
    public static Database Postgres(string connectionString) => new(DatabaseProvider.Postgres, connectionString);

    /// <summary>The most a SQLite workspace may grow to, in megabytes (Reach:Limits:SqliteMegabytes); null: the disk's size.</summary>
    public int? MaxMegabytes { get; init; }

    /// <summary>What to print: the file, or the server and database without the password.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
            return $"SQLite {Location}";
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(Location);
        return $"PostgreSQL {pg.Host}:{pg.Port}/{pg.Database}";
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Sqlite)
            SqliteReachDb.Configure(options, Location, MaxMegabytes);
        else
            PostgresReachDb.Configure(options, Location);
        // A diagnostic: REACH_LOG_SQL=1 writes every command with its duration to stderr (the metrics benchmark's profile uses it).
        if (Environment.GetEnvironmentVariable("REACH_LOG_SQL") == "1")
            options.LogTo(Console.Error.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]);
    }

    /// <summary>
    /// The workspace and a <see cref="ReachDb"/> per request (DI scope). Contexts come from EF's pool: building one per
    /// request cost a twelfth of an API read. Each lease starts clean (<see cref="ReachDb.Lease"/>): no actor, the audit
    /// trail on, the scope's clock.
    /// </summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton(this);
        if (Provider == DatabaseProvider.Sqlite)
        {
            services.AddPooledDbContextFactory<SqliteReachDb>(Configure);
            services.AddScoped<ReachDb>(scope => Lease(scope.GetRequiredService<IDbContextFactory<SqliteReachDb>>(), scope));
        }
        else
        {
            services.AddPooledDbContextFactory<PostgresReachDb>(Configure);
            services.AddScoped<ReachDb>(scope => Lease(scope.GetRequiredService<IDbContextFactory<PostgresReachDb>>(), scope));
        }
    }

    static ReachDb Lease<T>(IDbContextFactory<T> pool, IServiceProvider scope) where T : ReachDb
    {
        var db = pool.CreateDbContext();
        db.Lease(scope.GetRequiredService<TimeProvider>());
        return db;
    }

    /// <summary>A context outside dependency injection, for the CLI and tests.</summary>
    public ReachDb Open(TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        if (Provider == DatabaseProvider.Sqlite)
        {
            var options = new DbContextOptionsBuilder<SqliteReachDb>();
            Configure(options);
            return new SqliteReachDb(options.Options, clock);
        }
        var pgOptions = new DbContextOptionsBuilder<PostgresReachDb>();
        Configure(pgOptions);
        return new PostgresReachDb(pgOptions.Options, clock);
    }

    /// <summary>Creates the database if needed and applies every pending migration.</summary>
    public async Task MigrateAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var directory = Path.GetDirectoryName(Location);
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
            // WAL is stored in the file: set once, every later connection uses it.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
