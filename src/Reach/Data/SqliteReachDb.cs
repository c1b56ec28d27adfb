using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Reach.Data;

/// <summary>The embedded default: one SQLite file in WAL mode.</summary>
public sealed class SqliteReachDb : ReachDb
{
    readonly DbContextOptions<SqliteReachDb> options;

    /// <summary>The one public constructor, as EF's context pool requires; the pool's lease sets the clock (<see cref="Database.Register"/>).</summary>
    public SqliteReachDb(DbContextOptions<SqliteReachDb> options) : this(options, TimeProvider.System) { }

    internal SqliteReachDb(DbContextOptions<SqliteReachDb> options, TimeProvider clock) : base(options, clock) => this.options = options;

    /// <summary>
    /// The closed deals by status, currency and amount (as a double: SQLite keeps decimals as text), for the largest
    /// won or lost of a period (a report's notable deals): an index on an expression, which the model cannot describe,
    /// so the baseline migration creates it in SQL. The reads name it (INDEXED BY): without statistics the planner
    /// prefers to read a period by date and sort it all.
    /// </summary>
    public const string DealAmountIndex = "IX_Deals_Status_Currency_AmountReal";

    private protected override ReachDb CreateSibling() => new SqliteReachDb(options, Clock);

    public static void Configure(DbContextOptionsBuilder options, string file, int? maxMegabytes = null) =>
        options.UseSqlite(ConnectionString(file), sqlite => sqlite.MigrationsAssembly(typeof(SqliteReachDb).Assembly.FullName))
            .AddInterceptors(maxMegabytes is { } cap ? new SqlitePragmas(cap) : SqlitePragmas.Instance);

    public static string ConnectionString(string file) =>
        new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = file,
            ForeignKeys = true,
            Pooling = true,
            // Writers wait for each other (BEGIN IMMEDIATE + busy timeout) instead of failing half-way.
            DefaultTimeout = 60,
        }.ToString();
}

/// <summary>
/// Per-connection settings SQLite does not keep in the file: committed data must survive power loss
/// (synchronous=FULL), and writers wait for each other. Reads go through a memory map of up to 2 GB (SQLite's
/// compiled-in ceiling) rather than a copy per page: reports that read many rows spend half their time copying otherwise.
/// Foreign keys are switched on by the connection string (<see cref="SqliteReachDb.ConnectionString"/>).
/// </summary>
sealed class SqlitePragmas(int? maxMegabytes = null) : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    const string Always = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000; PRAGMA mmap_size=2147418112;";

    // Reach:Limits:SqliteMegabytes caps the file (SQLite answers "database or disk is full" past it, as on a full disk).
    readonly string Pragmas = maxMegabytes is { } cap ? Always + $" PRAGMA max_page_count={(long)cap * 1024 * 1024 / 4096};" : Always;

    // The connection pool hands the same native connection out again and again, and these settings stay on it: they
    // are set when a native connection is first opened, not on every open (one request opens a connection once or more).
    readonly ConditionalWeakTable<object, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } native } || configured.TryAdd(native, native);
}

/// <summary>
/// Used by `dotnet ef migrations add … --context SqliteReachDb`, and by `dotnet ef dbcontext optimize … -- --without-query-filters`
/// (the compiled model, docs/decisions.md).
/// </summary>
sealed class SqliteReachDbDesignFactory : IDesignTimeDbContextFactory<SqliteReachDb>
{
    public SqliteReachDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteReachDb>();
        SqliteReachDb.Configure(options, "design.db");
        return new SqliteReachDb(options.Options, TimeProvider.System) { WithQueryFilters = !args.Contains(ReachDb.WithoutQueryFiltersArgument) };
    }
}
