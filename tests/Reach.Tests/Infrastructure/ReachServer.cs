using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reach.Access;
using Reach.Data;
using Reach.Web;
using Xunit;

namespace Reach.Tests.Infrastructure;

/// <summary>
/// A real Reach server on a free loopback port over a fresh database, shared by one test class.
/// Subclasses choose the provider; the same test classes run against each.
/// </summary>
public abstract class ReachServer : IAsyncLifetime
{
    WebApplication? app;
    HttpClient? client;
    readonly string keyDirectory = Directory.CreateTempSubdirectory("reach-keys-").FullName;

    public Database? Database { get; private set; }

    /// <summary>
    /// The server's clock, which the web app uses (its <see cref="TimeProvider"/>) and so should a test: it starts at
    /// <see cref="TestClock.Wednesday"/> whatever the day the tests run.
    /// </summary>
    public TestClock Clock => clock ??= new(ClockStart);
    TestClock? clock;

    /// <summary>Where <see cref="Clock"/> starts.</summary>
    protected virtual DateTimeOffset ClockStart => TestClock.Wednesday;

    /// <summary>Why this provider is not available here; tests skip with it, and CI never skips.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The HTTP client of the server; skips the calling test when the provider is unavailable.</summary>
    public HttpClient Http
    {
        get
        {
            if (SkipReason is not null)
                Assert.Skip(SkipReason);
            return client!;
        }
    }

    public Uri BaseAddress => client!.BaseAddress!;

    protected abstract Task<(Database? Database, string? SkipReason)> CreateDatabaseAsync();

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    /// <summary>Data a fixture needs before the server starts (the demo workspace, say).</summary>
    protected virtual Task SeedAsync(IServiceProvider services) => Task.CompletedTask;

    /// <summary>Settings a fixture needs beyond the defaults (a low rate limit, say).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async ValueTask InitializeAsync()
    {
        (Database, SkipReason) = await CreateDatabaseAsync();
        if (Database is null)
            return;
        var overrides = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        };
        overrides[Database.Provider == DatabaseProvider.Sqlite ? "Reach:Db" : "Reach:Postgres"] = Database.Location;
        overrides["Reach:KeyCertificate"] = Path.Combine(keyDirectory, "keys.pfx");
        // Every test signs in from 127.0.0.1; the sign-in limit has a test of its own (HttpHardeningTests).
        overrides["Reach:RateLimit:SignInPerMinute"] = "10000";
        // Tests run the outreach sender's passes themselves, with a clock they move (OutreachTests).
        overrides["Reach:Outreach:Enabled"] = "false";
        overrides["Reach:ReportMail:Enabled"] = "false";
        overrides["Reach:LeadEscalation:Enabled"] = "false";
        overrides["Reach:Rollups:Enabled"] = "false";
        // The test mail servers listen on 127.0.0.1 and odd ports; MailHostsTests checks the rule with this off.
        overrides["Reach:Mail:AllowInternalHosts"] = "true";
        Configure(overrides);
        app = ReachApp.Build([], overrides, builder => builder.Services.AddSingleton<TimeProvider>(Clock));
        await ReachApp.PrepareAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
            await SeedAsync(scope.ServiceProvider);
        await app.StartAsync();
        client = NewClient();
        var (_, token) = await AddUserAsync(UserRole.Admin, "admin");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A client of the server with no credentials.</summary>
    public HttpClient NewClient(string? bearer = null)
    {
        _ = Http;
        var http = new HttpClient { BaseAddress = new Uri(app!.Urls.First()) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearer is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    /// <summary>Adds a user (no password) with a personal token, straight through the server's own services.</summary>
    public async Task<(User User, string Token)> AddUserAsync(UserRole role, string name, string? team = null, TokenScope scope = TokenScope.ReadWrite, string? password = null)
    {
        _ = Http;
        await using var scope1 = app!.Services.CreateAsyncScope();
        var directory = scope1.ServiceProvider.GetRequiredService<UserDirectory>();
        var db = scope1.ServiceProvider.GetRequiredService<ReachDb>();
        if (team is not null && !db.Teams.Any(t => t.Name == team))
        {
            db.Teams.Add(new Team { Name = team });
            await db.SaveChangesAsync();
        }
        var email = $"{name.ToLowerInvariant().Replace(' ', '.')}-{Guid.NewGuid():N}@test.example";
        var (user, invite) = await directory.AddAsync(new NewUser { Email = email, Name = name, Role = role, Team = team }, default);
        if (password is not null)
            await directory.AcceptInviteAsync(user.Id, invite, password, default);
        var (secret, _) = await directory.IssueTokenAsync(user, "tests", scope, null, Clock.UtcNow, default);
        return (user, secret);
    }

    /// <summary>The running server's services (for a scope with the real UserDirectory, clock…).</summary>
    public IServiceProvider Services
    {
        get
        {
            _ = Http;
            return app!.Services;
        }
    }

    /// <summary>A database context on the server's database (on the server's clock), to check what was stored independently of the API.</summary>
    public ReachDb OpenDb()
    {
        _ = Http;
        return Database!.Open(Clock);
    }

    public virtual async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await DropDatabaseAsync();
        Directory.Delete(keyDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public class SqliteServer : ReachServer
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-test-").FullName;

    protected override Task<(Database?, string?)> CreateDatabaseAsync() =>
        Task.FromResult<(Database?, string?)>((Reach.Data.Database.Sqlite(Path.Combine(directory, "reach.db")), null));

    protected override Task DropDatabaseAsync()
    {
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL named by REACH_TEST_POSTGRES (a connection string to a server where the user may
/// create databases). Each fixture gets a database of its own, dropped afterwards.
/// </summary>
public class PostgresServer : ReachServer
{
    public const string Variable = "REACH_TEST_POSTGRES";
    string? adminConnection;
    string? name;

    public static string? Unavailable()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            return null;
        // CI installs and starts PostgreSQL; a missing server there is a failure, not a skip.
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
            throw new InvalidOperationException($"{Variable} is not set in CI: .ci/run must start PostgreSQL and set it.");
        return $"PostgreSQL tests skipped: set {Variable} to a connection string (e.g. Host=127.0.0.1;Username=reach;Password=…;Database=postgres).";
    }

    protected override async Task<(Database?, string?)> CreateDatabaseAsync()
    {
        if (Unavailable() is { } reason)
            return (null, reason);
        adminConnection = Environment.GetEnvironmentVariable(Variable)!;
        name = "reach_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(adminConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name };
        return (Reach.Data.Database.Postgres(builder.ConnectionString), null);
    }

    protected override async Task DropDatabaseAsync()
    {
        if (name is null)
            return;
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        // FORCE must stop every session in the database, and a role without pg_signal_backend may not stop an
        // autovacuum worker that happens to be busy there: wait for it to finish, a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}

/// <summary>
/// The servers of the outreach tests, which read real mail: a real IMAP server stamps each arrival with the machine's
/// time, and Reach reads only mail that arrived after a mailbox was connected, so here Reach's clock starts at the
/// machine's time (then moves only as the tests move it). On the fixed <see cref="TestClock.Wednesday"/>, every message
/// of every earlier run would count as new to a mailbox connected today, and an old reply from the same address would
/// stop a sequence. The sends are on weekdays whatever the day: the tests move their clock to each step's due time.
/// </summary>
public sealed class MailSqliteServer : SqliteServer
{
    protected override DateTimeOffset ClockStart => TimeProvider.System.GetUtcNow();
}

/// <inheritdoc cref="MailSqliteServer"/>
public sealed class MailPostgresServer : PostgresServer
{
    protected override DateTimeOffset ClockStart => TimeProvider.System.GetUtcNow();
}
