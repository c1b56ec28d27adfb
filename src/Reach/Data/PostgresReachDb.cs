using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Reach.Data;

/// <summary>The team / production store: PostgreSQL, same model, its own migrations.</summary>
public sealed class PostgresReachDb : ReachDb
{
    readonly DbContextOptions<PostgresReachDb> options;

    /// <summary>The one public constructor, as EF's context pool requires; the pool's lease sets the clock (<see cref="Database.Register"/>).</summary>
    public PostgresReachDb(DbContextOptions<PostgresReachDb> options) : this(options, TimeProvider.System) { }

    internal PostgresReachDb(DbContextOptions<PostgresReachDb> options, TimeProvider clock) : base(options, clock) => this.options = options;

    private protected override ReachDb CreateSibling() => new PostgresReachDb(options, Clock);

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, pg => pg.MigrationsAssembly(typeof(PostgresReachDb).Assembly.FullName));
}

/// <summary>
/// Used by `dotnet ef migrations add … --context PostgresReachDb`, and by `dotnet ef dbcontext optimize … -- --without-query-filters`
/// (the compiled model, docs/decisions.md); needs no server.
/// </summary>
sealed class PostgresReachDbDesignFactory : IDesignTimeDbContextFactory<PostgresReachDb>
{
    public PostgresReachDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresReachDb>();
        PostgresReachDb.Configure(options, "Host=localhost;Database=reach_design");
        return new PostgresReachDb(options.Options, TimeProvider.System) { WithQueryFilters = !args.Contains(ReachDb.WithoutQueryFiltersArgument) };
    }
}
