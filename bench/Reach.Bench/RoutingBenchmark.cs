using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Reach.Bench;
using Reach.Data;
using Reach.Demo;
using Reach.Planning;
using Reach.Routing;

/// <summary>
/// Re-routing every account by the demo plan, in memory and on SQLite, each against a baseline measured in the same
/// run: in memory, a bare loop that sorts the same sizes into the same three segments with hard-coded bounds; on
/// SQLite, one bare <c>UPDATE</c> that writes fixed route values into every row (what any re-route must at least do).
/// A tenth of the accounts carry an expected ACV (50 distinct values), which routes by price instead of size.
/// </summary>
static class RoutingBenchmark
{
    public static async Task<string> RunAsync(int rows)
    {
        var loadAtStart = Machine.Load();
        var router = new Router(PlanReader.Read(DemoPlan.Yaml));
        var random = new Random(7);
        var sizes = new int?[rows];
        var acvs = new decimal?[rows];
        for (var i = 0; i < rows; i++)
        {
            sizes[i] = random.Next(20) == 0 ? null : (int)Math.Exp(random.NextDouble() * 9);
            acvs[i] = random.Next(10) == 0 ? 500 * (1 + random.Next(50)) : null;
        }

        // In memory: the router against a hard-coded switch, both writing one result per record.
        var routes = new Route[rows];
        router.Route(1, null);
        var routed = Stopwatch.StartNew();
        for (var i = 0; i < rows; i++)
            routes[i] = router.Route(sizes[i], acvs[i]);
        routed.Stop();
        var bare = new string?[rows];
        var loop = Stopwatch.StartNew();
        for (var i = 0; i < rows; i++)
            bare[i] = sizes[i] switch { null => null, < 1 => null, < 50 => "small", < 500 => "mid-market", _ => "enterprise" };
        loop.Stop();

        // SQLite: the same accounts in a fresh workspace, loaded once and kept in the cache (loading a million takes minutes).
        var directory = Directory.CreateTempSubdirectory("reach-bench-routing-").FullName;
        var database = Database.Sqlite(Path.Combine(directory, "routing.db"));
        var cached = Path.Combine(Cache.Directory(), $"routing-{rows}.db");
        var load = Stopwatch.StartNew();
        if (!File.Exists(cached))
            await LoadAsync(Database.Sqlite(cached + ".partial"), rows, sizes, acvs);
        if (File.Exists(cached + ".partial"))
            File.Move(cached + ".partial", cached);
        load.Stop();
        File.Copy(cached, database.Location);
        await using (var db = database.Open())
            await database.MigrateAsync(db);

        TimeSpan baseline, reroute;
        await using (var db = database.Open())
        {
            var watch = Stopwatch.StartNew();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await db.Database.ExecuteSqlRawAsync("UPDATE Accounts SET Segment = 'mid-market', RoutedChannel = 'inside', DeadZone = 0, RouteAction = NULL, RouteReason = '120 employees → segment mid-market (50–499) → inside; ACV 15,000 EUR, LTV/CAC 16.17'");
                await transaction.CommitAsync();
            }
            baseline = watch.Elapsed;
            watch.Restart();
            await Rerouting.RerouteAllAsync(db, router);
            reroute = watch.Elapsed;
        }

        int checkedRows;
        await using (var db = database.Open())
        {
            // The stored routes are the router's, row for row, on a sample.
            var sample = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Take(2000).ToListAsync();
            foreach (var a in sample)
            {
                var expected = router.Route(a.Employees, a.ExpectedAcv);
                if (expected != new Route(a.Segment, a.RoutedChannel, a.DeadZone, a.RouteAction, a.RouteReason))
                    throw new InvalidOperationException($"Account {a.Name} is routed {a.RouteReason}, expected {expected.Reason}.");
            }
            checkedRows = sample.Count;
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);

        Summary.Add($"re-routing {rows:N0} accounts (`Rerouting.RerouteAllAsync`, SQLite)", string.Create(CultureInfo.InvariantCulture, $"{reroute.TotalSeconds:F1} s"),
            string.Create(CultureInfo.InvariantCulture, $"{baseline.TotalSeconds:F1} s (one bare UPDATE of every row)"),
            string.Create(CultureInfo.InvariantCulture, $"{reroute.TotalSeconds / baseline.TotalSeconds:F1}×"), "≤ 3×");
        string Row(string what, TimeSpan time, TimeSpan against) => string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {time.TotalSeconds:F2} | {rows / time.TotalSeconds:N0} | {time.TotalSeconds / against.TotalSeconds:F1}× |");
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Re-routing {rows:N0} accounts by the demo plan (3 segments by employees; a tenth of the accounts have an expected ACV, 50 distinct values, which routes by price). Run with `dotnet run -c Release --project bench/Reach.Bench -- routing [ROWS]`. Baselines run in the same process on the same data: in memory a bare `switch` on the size into the same three segments; on SQLite one bare `UPDATE` writing fixed route values into every row. `Rerouting.RerouteAllAsync` (what activating a plan runs) writes each row once, in one UPDATE whose CASE per field follows the router's rules (its ACV's route, no size, each segment in order), and builds each size's reason in SQL; {checkedRows:N0} rows were checked against the in-memory router afterwards.")
            .AppendLine()
            .AppendLine("| run | seconds | accounts/s | × baseline |")
            .AppendLine("|---|---|---|---|")
            .AppendLine(Row("in memory: bare switch (baseline)", loop.Elapsed, loop.Elapsed))
            .AppendLine(Row("in memory: `Router.Route`", routed.Elapsed, loop.Elapsed))
            .AppendLine(Row("SQLite: one bare UPDATE of every row (baseline)", baseline, baseline))
            .AppendLine(Row("SQLite: `Rerouting.RerouteAllAsync`", reroute, baseline))
            .AppendLine()
            .AppendLine($"Load average at the start: {loadAtStart}; at the end: {Machine.Load()}. " + (load.Elapsed.TotalSeconds > 1
                ? string.Create(CultureInfo.InvariantCulture, $"Loading the accounts (prepared INSERTs, one transaction) took {load.Elapsed.TotalSeconds:F1} s; the file is kept in the cache for the next run.")
                : "The accounts were loaded by an earlier run (the file is kept in the cache) and copied."))
            .ToString();
    }

    static async Task LoadAsync(Database database, int rows, int?[] sizes, decimal?[] acvs)
    {
        SqliteConnection.ClearAllPools();
        File.Delete(database.Location);
        await using (var db = database.Open())
            await database.MigrateAsync(db);
        await using (var connection = new SqliteConnection($"Data Source={database.Location}"))
        {
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction();
            var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Accounts (Id, Name, Employees, ExpectedAcv, Lifecycle, CreatedAt, UpdatedAt, Version, DeadZone) VALUES ($id, $name, $employees, $acv, 'Prospect', '2026-11-23 00:00:00', '2026-11-23 00:00:00', 1, 0)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var employees = insert.Parameters.Add("$employees", SqliteType.Integer);
            var acv = insert.Parameters.Add("$acv", SqliteType.Text);
            for (var i = 0; i < rows; i++)
            {
                id.Value = Guid.CreateVersion7().ToString();
                name.Value = string.Create(CultureInfo.InvariantCulture, $"Account {i}");
                employees.Value = (object?)sizes[i] ?? DBNull.Value;
                // As EF Core writes decimals on SQLite (the re-route compares them as EF does).
                acv.Value = acvs[i] is { } a ? a.ToString("0.0###########################", CultureInfo.InvariantCulture) : DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        SqliteConnection.ClearAllPools();
    }
}
