using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Reach.Access;
using Reach.Data;
using Reach.Demo;
using Reach.Metrics;
using Reach.Pipelines;

/// <summary>
/// A SQLite workspace of 1,000,000 deals and 10,000,000 activities for the metrics benchmark: the demo workspace (its
/// people, pipelines, products and plan) grown to 8 teams of 24 reps, 100,000 accounts, 300,000 leads, one line item
/// per deal, a proposal stage change for the deals that reached one, targets and USD exchange rates, spread over 19
/// months up to <see cref="Now"/> in the three channels. Rows go in through prepared INSERTs in one transaction with
/// the tables' indexes dropped and rebuilt afterwards (what a bulk load does); the file is kept and reused.
/// </summary>
static class MetricsWorkspace
{
    public static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Start = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    const int Teams = 8;
    const int RepsPerTeam = 24;
    const int Accounts = 100_000;
    const int Leads = 300_000;

    sealed record Rep(string Id, Channel Channel);

    /// <summary>Builds the file unless it is there already (with at least <paramref name="deals"/> deals); returns how long building took.</summary>
    public static async Task<TimeSpan?> EnsureAsync(string file, int deals, int activities)
    {
        if (File.Exists(file))
        {
            await using var check = new SqliteConnection($"Data Source={file}");
            await check.OpenAsync();
            var cmd = check.CreateCommand();
            cmd.CommandText = "SELECT (SELECT count(*) FROM Deals) >= $d AND (SELECT count(*) FROM Activities) >= $a AND EXISTS (SELECT 1 FROM Targets)";
            cmd.Parameters.AddWithValue("$d", deals);
            cmd.Parameters.AddWithValue("$a", activities);
            try
            {
                if ((long)(await cmd.ExecuteScalarAsync())! == 1)
                    return null;
            }
            catch (SqliteException)
            {
                // A half-built file: build it again.
            }
            SqliteConnection.ClearAllPools();
        }
        foreach (var f in new[] { file, file + "-wal", file + "-shm" })
            File.Delete(f);

        var watch = Stopwatch.StartNew();
        var database = Database.Sqlite(file);
        await using (var db = database.Open())
        {
            await database.MigrateAsync(db);
            await DemoWorkspace.SeedAsync(db, Now);
            await AddPeopleTargetsAndRatesAsync(db);
        }
        SqliteConnection.ClearAllPools();
        await BulkAsync(file, deals, activities);
        return watch.Elapsed;
    }

    static async Task AddPeopleTargetsAndRatesAsync(ReachDb db)
    {
        db.RecordsAudit = false;
        var channels = new[] { Channel.SelfService, Channel.Inside, Channel.Inside, Channel.Field };
        for (var t = 0; t < Teams; t++)
        {
            var team = new Team { Name = $"Team {t + 1:00}" };
            db.Teams.Add(team);
            var manager = NewUser($"manager{t + 1:00}@bench.reach", $"Manager {t + 1:00}", UserRole.Manager, team.Id, null);
            team.ManagerId = manager.Id;
            db.Users.Add(manager);
            for (var r = 0; r < RepsPerTeam; r++)
                db.Users.Add(NewUser($"rep{t + 1:00}-{r + 1:00}@bench.reach", $"Rep {t + 1:00}-{r + 1:00}", UserRole.Rep, team.Id, channels[t % channels.Length]));
            // Bookings targets per team and month.
            for (var m = Start; m < Now.AddMonths(2); m = m.AddMonths(1))
                db.Add(new Target { Metric = "bookings", TeamId = team.Id, PeriodStart = DateOnly.FromDateTime(m), PeriodEnd = DateOnly.FromDateTime(m.AddMonths(1)), Value = 4_000_000m });
        }
        for (var m = Start; m < Now.AddMonths(2); m = m.AddMonths(1))
        {
            var (from, to) = (DateOnly.FromDateTime(m), DateOnly.FromDateTime(m.AddMonths(1)));
            db.Add(new Target { Metric = "bookings", PeriodStart = from, PeriodEnd = to, Value = 40_000_000m });
            foreach (var (channel, value) in new[] { (Channel.SelfService, 2_000_000m), (Channel.Inside, 14_000_000m), (Channel.Field, 24_000_000m) })
                db.Add(new Target { Metric = "bookings", Channel = channel, PeriodStart = from, PeriodEnd = to, Value = value });
            db.Add(new Target { Metric = "new_leads", PeriodStart = from, PeriodEnd = to, Value = 16_000m });
            db.Add(new Target { Metric = "win_rate", PeriodStart = from, PeriodEnd = to, Value = 0.3m });
            db.Add(new ExchangeRate { Currency = "USD", Rate = 0.9m + m.Month / 100m, ValidFrom = from });
        }
        await db.SaveChangesAsync();
    }

    static User NewUser(string email, string name, UserRole role, Guid team, Channel? channel) => new()
    {
        Name = name,
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
        Role = role,
        TeamId = team,
        Channel = channel,
        CreatedAt = Start.AddDays(-60),
    };

    // As EF Core writes them on SQLite, so the application's queries compare like with like.
    static string G(Guid id) => id.ToString().ToUpperInvariant();
    static string T(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    static string M(decimal amount) => amount.ToString("0.0###########################", CultureInfo.InvariantCulture);
    static Guid Id(DateTime at, Random random) => Guid.CreateVersion7(new DateTimeOffset(at.AddMilliseconds(random.Next(1000))));

    static async Task BulkAsync(string file, int dealCount, int activityCount)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        async Task<List<T>> Read<T>(string sql, Func<SqliteDataReader, T> row)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await using var reader = await cmd.ExecuteReaderAsync();
            var list = new List<T>();
            while (await reader.ReadAsync())
                list.Add(row(reader));
            return list;
        }
        var reps = await Read("SELECT Id, Channel FROM Users WHERE Role = 'Rep' AND Channel IS NOT NULL", r => new Rep(r.GetString(0), Enum.Parse<Channel>(r.GetString(1))));
        var stages = await Read("SELECT s.Id, s.Name, s.Outcome, p.Channel, p.Id FROM Stages s JOIN Pipelines p ON p.Id = s.PipelineId ORDER BY s.Position",
            r => (Id: r.GetString(0), Name: r.GetString(1), Outcome: Enum.Parse<StageOutcome>(r.GetString(2)), Channel: Enum.Parse<Channel>(r.GetString(3)), Pipeline: r.GetString(4)));
        var products = await Read("SELECT Id, ListPrice FROM Products", r => (Id: r.GetString(0), Price: decimal.Parse(r.GetString(1), CultureInfo.InvariantCulture)));
        var repsOf = reps.GroupBy(r => r.Channel).ToDictionary(g => g.Key, g => g.ToArray());

        // Indexes are rebuilt once after the load: far faster than maintaining them row by row.
        var indexes = await Read("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Accounts', 'Leads', 'Deals', 'Activities', 'DealLineItems', 'DealStageChanges')",
            r => (Name: r.GetString(0), Sql: r.GetString(1)));
        await Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;");
        foreach (var index in indexes)
            await Exec($"DROP INDEX \"{index.Name}\"");

        var random = new Random(8);
        var span = (Now - Start).TotalSeconds;
        // Business grows: later months have more of everything (the square root skews dates towards the end).
        DateTime When() => Start.AddSeconds(span * Math.Sqrt(random.NextDouble()));

        await using var transaction = connection.BeginTransaction();
        var accountIds = new string[Accounts];
        var accountTier = new string[Accounts];
        {
            var insert = Prepare("INSERT INTO Accounts (Id, Name, Domain, Employees, Tier, Channel, Lifecycle, OwnerId, CreatedAt, UpdatedAt, Version, DeadZone) VALUES ($1, $2, $3, $4, $5, $6, 'Prospect', $7, $8, $8, 1, 0)", 8);
            for (var i = 0; i < Accounts; i++)
            {
                var rep = reps[random.Next(reps.Count)];
                var at = Start.AddDays(-random.Next(400));
                accountIds[i] = G(Id(at, random));
                accountTier[i] = random.Next(10) switch { 0 => "A", < 4 => "B", _ => "C" };
                await Run(insert, accountIds[i], $"Bench company {i}", $"bench{i}.example", random.Next(5, 5000), accountTier[i], rep.Channel.ToString(), rep.Id, T(at));
            }
        }

        var leadIds = new string[Leads];
        var leadAt = new DateTime[Leads];
        var leadOwner = new string?[Leads];
        {
            var insert = Prepare("INSERT INTO Leads (Id, FirstName, LastName, Email, Company, Source, Status, ReceivedAt, OwnerId, CreatedAt, UpdatedAt, Version, DeadZone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $8, 1, 0)", 9);
            var sources = Enum.GetNames<Reach.Leads.LeadSource>();
            for (var i = 0; i < Leads; i++)
            {
                leadAt[i] = When();
                leadIds[i] = G(Id(leadAt[i], random));
                leadOwner[i] = random.Next(20) == 0 ? null : reps[random.Next(reps.Count)].Id;
                await Run(insert, leadIds[i], "Lead", $"Number {i}", $"lead{i}@bench{i % 50_000}.example", $"Bench company {i % 50_000}", sources[random.Next(sources.Length)],
                    random.Next(3) == 0 ? "Working" : "New", T(leadAt[i]), leadOwner[i]);
            }
        }

        var dealId = new string[dealCount];
        var dealOpened = new DateTime[dealCount];
        var dealEnd = new DateTime[dealCount];
        var dealOwner = new string[dealCount];
        var dealAccount = new int[dealCount];
        {
            var insert = Prepare("INSERT INTO Deals (Id, Name, AccountId, Amount, Currency, Channel, PipelineId, StageId, StageEnteredAt, ExpectedClose, ForecastCategory, Kind, Status, ClosedAt, LostReason, OwnerId, CreatedAt, UpdatedAt, Version) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, 1)", 17);
            var change = Prepare("INSERT INTO DealStageChanges (DealId, FromStageId, ToStageId, At) VALUES ($1, $2, $3, $4)", 4);
            var line = Prepare("INSERT INTO DealLineItems (Id, DealId, ProductId, Quantity, UnitPrice, Discount) VALUES ($1, $2, $3, $4, $5, '0.0')", 5);
            var reasons = new[] { "Price", "No decision", "Competitor", "Timing", "Missing feature" };
            for (var i = 0; i < dealCount; i++)
            {
                var channel = (Channel)(random.Next(10) switch { < 5 => 0, < 8 => 1, _ => 2 });
                var rep = repsOf[channel][random.Next(repsOf[channel].Length)];
                var pipeline = stages.Where(s => s.Channel == channel).ToArray();
                var created = When();
                var (cycle, amount) = channel switch
                {
                    Channel.SelfService => (random.Next(1, 30), 700m + random.Next(3000)),
                    Channel.Inside => (random.Next(14, 120), 5_000m + random.Next(25_000)),
                    _ => (random.Next(45, 300), 30_000m + random.Next(270_000)),
                };
                var closes = created.AddDays(cycle).AddHours(random.Next(24));
                var won = random.NextDouble() < channel switch { Channel.SelfService => 0.45, Channel.Inside => 0.3, _ => 0.22 };
                var open = closes > Now || random.Next(50) == 0;
                var stage = open ? pipeline.Where(s => s.Outcome == StageOutcome.Open).ElementAt(random.Next(pipeline.Count(s => s.Outcome == StageOutcome.Open)))
                    : pipeline.First(s => s.Outcome == (won ? StageOutcome.Won : StageOutcome.Lost));
                var status = open ? "Open" : won ? "Won" : "Lost";
                dealId[i] = G(Id(created, random));
                dealOpened[i] = created;
                dealEnd[i] = open ? Now : closes;
                dealOwner[i] = rep.Id;
                dealAccount[i] = random.Next(Accounts);
                var kind = random.Next(20) switch { < 16 => "New", < 19 => "Expansion", _ => "Renewal" };
                await Run(insert, dealId[i], $"Deal {i}", accountIds[dealAccount[i]], M(amount), random.Next(20) == 0 ? "USD" : "EUR", channel.ToString(),
                    stage.Pipeline, stage.Id, T(open ? created : closes), open ? (closes > Now ? closes : Now.AddDays(random.Next(90))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                    open ? "Pipeline" : "Closed", kind, status, open ? null : T(closes), !open && !won ? reasons[random.Next(reasons.Length)] : null, rep.Id, T(created));
                // Half the deals reach the proposal stage, a little before they close.
                if (random.Next(2) == 0)
                {
                    var proposal = pipeline.FirstOrDefault(s => s.Name.Contains("proposal", StringComparison.OrdinalIgnoreCase));
                    var at = created.AddSeconds((dealEnd[i] - created).TotalSeconds * 0.7);
                    if (proposal.Id is not null && at <= Now)
                        await Run(change, dealId[i], pipeline[0].Id, proposal.Id, T(at));
                }
                var product = products[random.Next(products.Count)];
                await Run(line, G(Guid.CreateVersion7()), dealId[i], product.Id, M(Math.Max(1, Math.Round(amount / product.Price))), M(product.Price));
            }
        }

        {
            var insert = Prepare("INSERT INTO Activities (Id, Type, Direction, Subject, OccurredAt, DueAt, CompletedAt, AccountId, DealId, LeadId, OwnerId, CreatedAt, UpdatedAt, Version) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $5, $5, 1)", 11);
            for (var i = 0; i < activityCount; i++)
            {
                string type = random.Next(100) switch { < 40 => "Email", < 65 => "Call", < 75 => "Meeting", < 90 => "Note", < 97 => "Social", _ => "Task" };
                string? account = null, deal = null, lead = null, owner;
                DateTime at;
                var on = random.Next(100);
                if (on < 75)
                {
                    var d = random.Next(dealCount);
                    at = dealOpened[d].AddSeconds((dealEnd[d] - dealOpened[d]).TotalSeconds * random.NextDouble());
                    (deal, account, owner) = (dealId[d], accountIds[dealAccount[d]], dealOwner[d]);
                }
                else if (on < 90)
                {
                    var l = random.Next(Leads);
                    at = leadAt[l].AddHours(random.NextDouble() * random.NextDouble() * 24 * 20);
                    (lead, owner) = (leadIds[l], leadOwner[l] ?? reps[random.Next(reps.Count)].Id);
                }
                else
                {
                    at = When();
                    (account, owner) = (accountIds[random.Next(Accounts)], reps[random.Next(reps.Count)].Id);
                }
                // Nothing happens after now: what would fall later is spread over the month before (not piled up on one instant).
                if (at > Now)
                    at = type == "Task" ? Now : Now.AddSeconds(-random.Next(30 * 86_400));
                // Tasks are planned: due on the day, done unless they are among the latest.
                var task = type == "Task";
                await Run(insert, G(Id(at, random)), type, type is "Email" or "Call" ? (random.Next(2) == 0 ? "Outbound" : "Inbound") : "None", type, T(at),
                    task ? T(at) : null, task && at < Now.AddDays(-3) ? T(at) : null, account, deal, lead, owner);
                if (i % 1_000_000 == 999_999)
                    Console.Error.WriteLine($"  {i + 1:N0} activities");
            }
        }
        await transaction.CommitAsync();
        foreach (var index in indexes)
            await Exec(index.Sql);
        await Exec("PRAGMA journal_mode = WAL;");

        async Task Exec(string sql)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync();
        }
        SqliteCommand Prepare(string sql, int parameters)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            for (var p = 1; p <= parameters; p++)
                cmd.Parameters.Add("$" + p, SqliteType.Text);
            cmd.Prepare();
            return cmd;
        }
        static async Task Run(SqliteCommand cmd, params object?[] values)
        {
            for (var p = 0; p < values.Length; p++)
                cmd.Parameters[p].Value = values[p] ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
