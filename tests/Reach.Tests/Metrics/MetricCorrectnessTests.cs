using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Metrics;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>
/// Every metric of the catalogue against an independent computation: plain SQL written here, run on the test database's
/// own connection (SQLite and PostgreSQL), for the blended total and each channel, this quarter and the previous one.
/// Medians, percentiles and the CAC's proration are finished in C# from rows the SQL selects.
/// </summary>
public abstract class MetricCorrectnessTests(ReachServer server)
{
    static readonly Period Quarter = Period.Parse("2027-Q1")!;
    static readonly DateTime Now = MetricsWorkspace.Now;
    static readonly string[] Touches = ["'Call'", "'Email'", "'Meeting'", "'Social'"];

    async Task<(ReachDb Db, MetricsWorkspace Workspace)> OpenAsync()
    {
        var workspace = await MetricsWorkspace.ForAsync(server);
        var db = server.OpenDb();
        await db.Database.OpenConnectionAsync();
        return (db, workspace);
    }

    bool Postgres => server.Database!.Provider == DatabaseProvider.Postgres;

    // EF stores a Guid on SQLite as upper-case text.
    string G(Guid id) => Postgres ? id.ToString() : id.ToString().ToUpperInvariant();

    string DateOf(string column) => Postgres ? $"CAST(({column} AT TIME ZONE 'UTC') AS date)" : $"date({column})";

    // The rate of a deal's currency valid on a day: the latest one from on or before it; 1 for EUR.
    static string Rate(string day) => $"""
        CASE WHEN d."Currency" = 'EUR' THEN 1 ELSE (SELECT r."Rate" FROM "ExchangeRates" r WHERE r."Currency" = d."Currency"
            AND r."DeletedAt" IS NULL AND r."ValidFrom" <= {day} ORDER BY r."ValidFrom" DESC LIMIT 1) END
        """;

    string Deals => $"""
        (SELECT d.*, CAST(d."Amount" AS DOUBLE PRECISION) AS amt,
            CAST({Rate(DateOf("d.\"ClosedAt\""))} AS DOUBLE PRECISION) AS close_rate,
            CAST({Rate(DateOf("d.\"CreatedAt\""))} AS DOUBLE PRECISION) AS created_rate,
            CAST({Rate("@today")} AS DOUBLE PRECISION) AS now_rate
         FROM "Deals" d WHERE d."DeletedAt" IS NULL) deals
        """;

    const string Leads = """
        (SELECT l.*, COALESCE((SELECT d."Channel" FROM "Deals" d WHERE d."Id" = l."ConvertedDealId" AND d."DeletedAt" IS NULL),
            (SELECT u."Channel" FROM "Users" u WHERE u."Id" = l."OwnerId")) AS ch
         FROM "Leads" l WHERE l."DeletedAt" IS NULL) leads
        """;

    const string Activities = """
        (SELECT a.*, COALESCE((SELECT d."Channel" FROM "Deals" d WHERE d."Id" = a."DealId" AND d."DeletedAt" IS NULL),
            (SELECT u."Channel" FROM "Users" u WHERE u."Id" = a."OwnerId")) AS ch
         FROM "Activities" a WHERE a."DeletedAt" IS NULL) acts
        """;

    static string Channel(string column, string? channel) => channel switch
    {
        null => "1 = 1",
        "unassigned" => $"{column} IS NULL",
        _ => $"{column} = '{channel}'",
    };

    static string Stored(string apiChannel) => apiChannel switch
    {
        "self_service" => "SelfService",
        "inside" => "Inside",
        "field" => "Field",
        _ => apiChannel,
    };

    static async Task<List<object?[]>> RowsAsync(ReachDb db, string sql, Period period)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        Add(command, "@s", period.StartsAt);
        Add(command, "@e", period.EndsAt);
        Add(command, "@now", Now);
        Add(command, "@today", DateOnly.FromDateTime(Now));
        Add(command, "@end", period.End);
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    static async Task<decimal?> ScalarAsync(ReachDb db, string sql, Period period) =>
        (await RowsAsync(db, sql, period)).Single()[0] is { } v ? Convert.ToDecimal(v, CultureInfo.InvariantCulture) : null;

    static DateTime Instant(object value) => value switch
    {
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        string s => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture), DateTimeKind.Utc),
        _ => throw new InvalidOperationException($"Not an instant: {value}"),
    };

    // A record's segment: a deal's account's; a lead's converted deal's account's, else its converted account's, else its
    // own; an activity's deal's account's, else its own account's.
    static string AccountSegment(string accountId) =>
        $"(SELECT a.\"Segment\" FROM \"Accounts\" a WHERE a.\"Id\" = {accountId} AND a.\"DeletedAt\" IS NULL)";

    static string DealSegment(string dealId) =>
        $"(SELECT {AccountSegment("d.\"AccountId\"")} FROM \"Deals\" d WHERE d.\"Id\" = {dealId} AND d.\"DeletedAt\" IS NULL)";

    /// <summary>The independent figure of one metric for one channel ("self_service"… or null for all), and one segment if named.</summary>
    async Task<decimal?> ExpectedAsync(ReachDb db, string metric, string? channel, Period p, string? segment = null)
    {
        // Costs and targets are per channel and scope, never a segment's.
        if (segment is not null && metric is "cac" or "pipeline_coverage")
            return null;
        var dc = Channel("deals.\"Channel\"", channel is null ? null : Stored(channel));
        var lc = Channel("leads.ch", channel is null ? null : Stored(channel));
        var ac = Channel("acts.ch", channel is null ? null : Stored(channel));
        if (segment is not null)
        {
            dc += $" AND {AccountSegment("deals.\"AccountId\"")} = '{segment}'";
            lc += $" AND COALESCE({DealSegment("leads.\"ConvertedDealId\"")}, {AccountSegment("leads.\"ConvertedAccountId\"")}, leads.\"Segment\") = '{segment}'";
            ac += $" AND COALESCE({DealSegment("acts.\"DealId\"")}, {AccountSegment("acts.\"AccountId\"")}) = '{segment}'";
        }
        const string won = "deals.\"Status\" = 'Won' AND deals.\"ClosedAt\" >= @s AND deals.\"ClosedAt\" < @e";
        const string lost = "deals.\"Status\" = 'Lost' AND deals.\"ClosedAt\" >= @s AND deals.\"ClosedAt\" < @e";
        const string created = "deals.\"CreatedAt\" >= @s AND deals.\"CreatedAt\" < @e";
        const string open = "deals.\"Status\" = 'Open' AND deals.\"ExpectedClose\" < @end";
        var touch = $"acts.\"OccurredAt\" >= @s AND acts.\"OccurredAt\" < @e AND acts.\"OccurredAt\" <= @now AND (acts.\"DueAt\" IS NULL OR acts.\"CompletedAt\" IS NOT NULL) AND {ac}";
        async Task<decimal?> Money(string where, string rate) =>
            await ScalarAsync(db, $"SELECT COALESCE(SUM(amt * {rate}), 0) FROM {Deals} WHERE {where} AND {rate} IS NOT NULL AND {dc}", p);
        async Task<decimal?> CountOf(string where) => await ScalarAsync(db, $"SELECT COUNT(*) FROM {Deals} WHERE {where} AND {dc}", p);
        async Task<List<decimal>> WonAmounts() =>
            [.. (await RowsAsync(db, $"SELECT amt * close_rate FROM {Deals} WHERE {won} AND close_rate IS NOT NULL AND {dc}", p)).Select(r => Convert.ToDecimal(r[0], CultureInfo.InvariantCulture))];
        async Task<List<decimal>> CycleDays() =>
            [.. (await RowsAsync(db, $"SELECT deals.\"CreatedAt\", deals.\"ClosedAt\" FROM {Deals} WHERE {won} AND {dc}", p))
                .Select(r => (decimal)(Instant(r[1]!) - Instant(r[0]!)).TotalDays)];
        async Task<decimal?> BookingsTarget()
        {
            var scope = channel is null ? "\"Channel\" IS NULL" : $"\"Channel\" = '{Stored(channel)}'";
            return await ScalarAsync(db, $"""
                SELECT SUM(CAST("Value" AS DOUBLE PRECISION)) FROM "Targets" WHERE "Metric" = 'bookings' AND "DeletedAt" IS NULL
                  AND "UserId" IS NULL AND "TeamId" IS NULL AND {scope} AND "PeriodStart" >= @sd AND "PeriodEnd" <= @end
                """.Replace("@sd", Postgres ? "CAST(@s AS date)" : "date(@s)", StringComparison.Ordinal), p);
        }

        switch (metric)
        {
            case "new_leads":
                return await ScalarAsync(db, $"SELECT COUNT(*) FROM {Leads} WHERE leads.\"ReceivedAt\" >= @s AND leads.\"ReceivedAt\" < @e AND {lc}", p);
            case "speed_to_first_touch":
                var hours = (await RowsAsync(db, $"""
                        SELECT leads."ReceivedAt", (SELECT MIN(a."OccurredAt") FROM "Activities" a WHERE a."LeadId" = leads."Id" AND a."DeletedAt" IS NULL
                            AND a."Type" IN ({string.Join(", ", Touches)})) FROM {Leads} WHERE leads."ReceivedAt" >= @s AND leads."ReceivedAt" < @e AND {lc}
                        """, p))
                    .Where(r => r[1] is not null).Select(r => (decimal)Math.Max(0, (Instant(r[1]!) - Instant(r[0]!)).TotalHours)).ToList();
                return hours.Count == 0 ? null : MetricCatalogue.Median(hours);
            case "first_touch_within_target":
                // Each lead's target in minutes from the settings' row by its channel (none: the field's), compared here.
                var minutes = (await RowsAsync(db, """
                    SELECT "SelfServiceResponseMinutes", "InsideResponseMinutes", "FieldResponseMinutes" FROM "WorkspaceSettings"
                    """, p)).Single().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
                var received = await RowsAsync(db, $"""
                        SELECT leads."ReceivedAt", (SELECT MIN(a."OccurredAt") FROM "Activities" a WHERE a."LeadId" = leads."Id" AND a."DeletedAt" IS NULL
                            AND a."Type" IN ({string.Join(", ", Touches)})), leads.ch FROM {Leads} WHERE leads."ReceivedAt" >= @s AND leads."ReceivedAt" < @e AND {lc}
                        """, p);
                var inTime = received.Count(r => r[1] is not null && (Instant(r[1]!) - Instant(r[0]!)).TotalMinutes <= ((string?)r[2] switch
                {
                    "SelfService" => minutes[0],
                    "Inside" => minutes[1],
                    _ => minutes[2],
                }));
                return received.Count == 0 ? null : Math.Round((decimal)inTime / received.Count, 4);
            case "touches":
                return await ScalarAsync(db, $"SELECT COUNT(*) FROM {Activities} WHERE acts.\"Type\" IN ({string.Join(", ", Touches)}) AND {touch}", p);
            case "touches_call" or "touches_email" or "touches_social" or "meetings_held":
                var type = metric == "meetings_held" ? "Meeting" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(metric["touches_".Length..]);
                return await ScalarAsync(db, $"SELECT COUNT(*) FROM {Activities} WHERE acts.\"Type\" = '{type}' AND {touch}", p);
            case "proposals_sent":
                return await ScalarAsync(db, $"""
                    SELECT COUNT(DISTINCT c."DealId") FROM "DealStageChanges" c JOIN "Stages" s ON s."Id" = c."ToStageId" JOIN {Deals} ON deals."Id" = c."DealId"
                    WHERE LOWER(s."Name") LIKE '%proposal%' AND c."At" >= @s AND c."At" < @e AND {dc}
                    """, p);
            case "opportunities_created":
                return await CountOf(created);
            case "pipeline_created":
                return await Money(created, "created_rate");
            case "bookings":
                return await Money(won, "close_rate");
            case "deals_won":
                return await CountOf(won);
            case "deals_lost":
                return await CountOf(lost);
            case "win_rate":
                return await ScalarAsync(db, $"""
                    SELECT SUM(CASE WHEN deals."Status" = 'Won' THEN 1.0 ELSE 0 END) / NULLIF(COUNT(*), 0) FROM {Deals}
                    WHERE deals."Status" IN ('Won', 'Lost') AND deals."ClosedAt" >= @s AND deals."ClosedAt" < @e AND {dc}
                    """, p);
            case "average_deal_size":
                return await ScalarAsync(db, $"SELECT AVG(amt * close_rate) FROM {Deals} WHERE {won} AND close_rate IS NOT NULL AND {dc}", p);
            case "median_deal_size":
                var amounts = await WonAmounts();
                return amounts.Count == 0 ? null : MetricCatalogue.Median(amounts);
            case "sales_cycle_median":
                var days = await CycleDays();
                return days.Count == 0 ? null : MetricCatalogue.Median(days);
            case "sales_cycle_p80":
                var cycle = (await CycleDays()).Order().ToList();
                return cycle.Count == 0 ? null : cycle[(int)Math.Ceiling(0.8 * cycle.Count) - 1];
            case "open_pipeline":
                return await Money(open, "now_rate");
            case "pipeline_coverage":
                var target = await BookingsTarget();
                var remaining = target - await Money(won, "close_rate");
                return remaining is > 0 ? await Money(open, "now_rate") / remaining : null;
            case "lost_pipeline":
                return await Money(lost, "close_rate");
            case "expansion_bookings":
                return await Money(won + " AND deals.\"Kind\" = 'Expansion'", "close_rate");
            case "cac":
                var newWins = await CountOf(won + " AND deals.\"Kind\" = 'New'");
                var costs = await RowsAsync(db, $"""
                    SELECT CAST(c."Amount" AS DOUBLE PRECISION), c."Currency", c."PeriodStart", c."PeriodEnd" FROM "ChannelCosts" c
                    WHERE c."DeletedAt" IS NULL AND {Channel("c.\"Channel\"", channel is null ? null : Stored(channel))}
                    """, p);
                if (costs.Count == 0 || newWins == 0)
                    return null;
                decimal total = 0;
                foreach (var cost in costs)
                {
                    var (start, end) = (DateOnly.FromDateTime(Instant(cost[2]!)), DateOnly.FromDateTime(Instant(cost[3]!)));
                    var overlap = Math.Min(end.DayNumber, p.End.DayNumber) - Math.Max(start.DayNumber, p.Start.DayNumber);
                    if (overlap <= 0)
                        continue;
                    var rate = (string)cost[1]! == "EUR" ? 1m : Convert.ToDecimal((await RowsAsync(db, $"""
                        SELECT "Rate" FROM "ExchangeRates" WHERE "Currency" = '{cost[1]}' AND "ValidFrom" <= '{start:yyyy-MM-dd}' ORDER BY "ValidFrom" DESC LIMIT 1
                        """.Replace($"'{start:yyyy-MM-dd}'", Postgres ? $"DATE '{start:yyyy-MM-dd}'" : $"'{start:yyyy-MM-dd}'", StringComparison.Ordinal), p)).Single()[0], CultureInfo.InvariantCulture);
                    total += Convert.ToDecimal(cost[0], CultureInfo.InvariantCulture) * rate * overlap / (end.DayNumber - start.DayNumber);
                }
                return total == 0 ? null : total / newWins;
            default:
                throw new InvalidOperationException($"No independent computation for {metric}: add one.");
        }
    }

    public static TheoryData<string> Metrics() => [.. MetricCatalogue.All.Select(m => m.Id)];

    [Theory]
    [MemberData(nameof(Metrics))]
    public async Task EveryMetricMatchesPlainSqlBlendedAndByChannel(string id)
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var metric = MetricCatalogue.Find(id)!;
        var result = (await MetricService.ComputeAsync(db, [metric], new MetricQuery(Quarter), "EUR", Now, TestContext.Current.CancellationToken)).Single();

        Assert.Equal(["self_service", "inside", "field"], result.Channels.Take(3).Select(c => c.Channel));
        AssertClose(await ExpectedAsync(db, id, null, Quarter), result.Total.Value, $"{id} total");
        AssertClose(await ExpectedAsync(db, id, null, Quarter.Previous()), result.Total.Previous, $"{id} total, previous quarter");
        foreach (var row in result.Channels)
        {
            AssertClose(await ExpectedAsync(db, id, row.Channel, Quarter), row.Value, $"{id} {row.Channel}");
            AssertClose(await ExpectedAsync(db, id, row.Channel, Quarter.Previous()), row.Previous, $"{id} {row.Channel}, previous quarter");
        }
    }

    // The same figures read the other way, deal by deal (what a product cut and a drill-down read): both ways against the SQL.
    [Theory]
    [MemberData(nameof(Metrics))]
    public async Task EveryMetricReadDealByDealMatchesPlainSql(string id)
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var metric = MetricCatalogue.Find(id)!;
        var query = new MetricQuery(Quarter);
        var facts = await MetricFacts.LoadDetailedAsync(db, "EUR", Now, query, TestContext.Current.CancellationToken);
        var result = MetricService.Compute(facts, metric, query, Now);

        AssertClose(await ExpectedAsync(db, id, null, Quarter), result.Total.Value, $"{id} total, deal by deal");
        AssertClose(await ExpectedAsync(db, id, null, Quarter.Previous()), result.Total.Previous, $"{id} total, previous quarter, deal by deal");
        foreach (var row in result.Channels)
            AssertClose(await ExpectedAsync(db, id, row.Channel, Quarter), row.Value, $"{id} {row.Channel}, deal by deal");
    }

    static void AssertClose(decimal? expected, decimal? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected == actual, $"{what}: expected {expected?.ToString() ?? "none"}, got {actual?.ToString() ?? "none"}");
            return;
        }
        // Ratios are rounded to 4 places and amounts to 2; SQLite sums in doubles.
        Assert.True(Math.Abs(expected.Value - actual.Value) <= 0.0001m * Math.Max(1, Math.Abs(expected.Value)) + 0.01m,
            $"{what}: expected {expected}, got {actual}");
    }

    [Fact]
    public async Task HandCheckedFiguresAgreeWithTheSql()
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var results = (await MetricService.ComputeAsync(db, MetricCatalogue.All, new MetricQuery(Quarter), "EUR", Now, TestContext.Current.CancellationToken))
            .ToDictionary(r => r.Metric.Id);

        // D1 10,000 + D2 20,000 USD at 0.8 (rate from 15 Feb) + D3 100,000 USD at 0.9 + D4 30,000 + D5 1,200. Left out: D6 (GBP, no rate),
        // D14 (CHF, rate only from June), D10 (won without close date), D15 (deleted), D9 (reopened).
        var bookings = results["bookings"];
        Assert.Equal(147200m, bookings.Total.Value);
        Assert.Equal((1200m, 26000m, 120000m), (bookings.Channels[0].Value!.Value, bookings.Channels[1].Value!.Value, bookings.Channels[2].Value!.Value));
        Assert.Equal(["D14 field won CHF", "D6 self-service GBP"], bookings.Excluded.Select(d => d.Name));
        Assert.Contains(bookings.Notes, n => n.Contains("1 deal(s) in GBP left out", StringComparison.Ordinal));
        Assert.Equal(9000m, bookings.Total.Previous);
        Assert.Equal(200000m, bookings.Total.Target);
        Assert.Equal(30000m, bookings.Channels[1].Target);
        Assert.Equal(Math.Round(147200m / 200000m, 4), bookings.Total.Attainment);
        // 68.5 of 90 days elapsed on 10 March, noon.
        Assert.Equal(Math.Round(147200m / (68.5m / 90m), 2), bookings.Total.Projection);

        Assert.Equal(7m, results["deals_won"].Total.Value);
        Assert.Equal(Math.Round(7m / 9m, 4), results["win_rate"].Total.Value);
        Assert.Equal(0.5m, results["win_rate"].Total.Target);
        Assert.Equal(Math.Round(7m / 9m, 4), results["win_rate"].Total.Projection);
        Assert.Equal(2m, results["proposals_sent"].Total.Value);
        Assert.Equal(30000m, results["expansion_bookings"].Total.Value);
        // D7 5,000 (inside, 10 February) and D8 50,000 (field, 5 March), both EUR.
        Assert.Equal((55000m, 5000m, 50000m), (results["lost_pipeline"].Total.Value!.Value, results["lost_pipeline"].Channels[1].Value!.Value, results["lost_pipeline"].Channels[2].Value!.Value));
        // Open before 1 April: D9 7,000 and D12 60,000 USD at today's 0.8; D11 closes later, D16 has no date.
        Assert.Equal(55000m, results["open_pipeline"].Total.Value);
        // A snapshot: its run rate is itself.
        Assert.Equal(55000m, results["open_pipeline"].Total.Projection);
        Assert.Equal(Math.Round(55000m / (200000m - 147200m), 4), results["pipeline_coverage"].Total.Value);
        // The planned meeting on 20 March and the open task of 5 March are not held; the one of 8 March is.
        Assert.Equal(2m, results["meetings_held"].Total.Value);
        // Rep C's email (a rep without a channel) and the email to lead L3 (no owner, no deal): touches without a channel.
        Assert.Equal(2m, results["touches"].Channels.Single(c => c.Channel == "unassigned").Value);
        // Leads L1 2 h, L2 24 h, L3 0.5 h: median 2 h; L4 untouched.
        Assert.Equal(2m, results["speed_to_first_touch"].Total.Value);
        // Within the default targets: L3 (self-service, 60 min) after 30 min; L1 (Rep A's inside, 15 min) after 2 h and L2 (Rep B's
        // field, 240 min) after 24 h are late; L4, L6 and L7 untouched. 1 of the 6 leads of the quarter; self-service 1 of 1.
        Assert.Equal(Math.Round(1m / 6m, 4), results["first_touch_within_target"].Total.Value);
        Assert.Equal(1m, results["first_touch_within_target"].Channels.Single(c => c.Channel == "self_service").Value);
        Assert.Contains(results["sales_cycle_median"].Notes, n => n.Contains("1 won deal(s) have no close date", StringComparison.Ordinal));
        // Inside: 30,000 over its 2 new wins (D1, D2); field: 8,900 USD at 0.9 × 59/89 days over D3 and D14 (D10 has no close date).
        Assert.Equal(Math.Round(30000m / 2, 2), results["cac"].Channels[1].Value);
        Assert.Equal(Math.Round(8900m * 0.9m * 59 / 89 / 2, 2), results["cac"].Channels[2].Value);
    }

    [Fact]
    public async Task CutsByRepTeamTierAndProductMatchTheSql()
    {
        var (db, workspace) = await OpenAsync();
        await using var _db = db;
        async Task<decimal?> Bookings(MetricQuery query) =>
            (await MetricService.ComputeAsync(db, [MetricCatalogue.Find("bookings")!], query, "EUR", Now, TestContext.Current.CancellationToken)).Single().Total.Value;
        async Task<decimal?> Sql(string where) => await ScalarAsync(db, $"""
            SELECT COALESCE(SUM(amt * close_rate), 0) FROM {Deals}
            WHERE deals."Status" = 'Won' AND deals."ClosedAt" >= @s AND deals."ClosedAt" < @e AND close_rate IS NOT NULL AND {where}
            """, Quarter);

        Assert.Equal(await Sql($"deals.\"OwnerId\" = '{G(workspace.RepA.Id)}'"),
            await Bookings(new MetricQuery(Quarter) { RepId = workspace.RepA.Id }));
        Assert.Equal(26000m, await Bookings(new MetricQuery(Quarter) { TeamId = workspace.EastTeam }));
        Assert.Equal(await Sql("deals.\"AccountId\" IN (SELECT \"Id\" FROM \"Accounts\" WHERE \"Tier\" = 'A')"), await Bookings(new MetricQuery(Quarter) { Tier = Tier.A }));
        Assert.Equal(await Sql($"deals.\"Id\" IN (SELECT \"DealId\" FROM \"DealLineItems\" WHERE \"ProductId\" = '{G(workspace.ProductId)}')"),
            await Bookings(new MetricQuery(Quarter) { ProductId = workspace.ProductId }));
        Assert.Equal(120000m, await Bookings(new MetricQuery(Quarter) { Channel = Reach.Data.Channel.Field }));
    }

    [Theory]
    [InlineData("Mid-market")]
    [InlineData("SMB")]
    public async Task EveryMetricCutBySegmentMatchesPlainSql(string segment)
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var query = new MetricQuery(Quarter) { Segment = segment };
        var results = await MetricService.ComputeAsync(db, MetricCatalogue.All, query, "EUR", Now, TestContext.Current.CancellationToken);

        foreach (var result in results)
        {
            var id = result.Metric.Id;
            AssertClose(await ExpectedAsync(db, id, null, Quarter, segment), result.Total.Value, $"{id} {segment}");
            AssertClose(await ExpectedAsync(db, id, null, Quarter.Previous(), segment), result.Total.Previous, $"{id} {segment}, previous quarter");
            foreach (var row in result.Channels)
                AssertClose(await ExpectedAsync(db, id, row.Channel, Quarter, segment), row.Value, $"{id} {segment} {row.Channel}");
            Assert.Null(result.Total.Target);
            Assert.Contains(MetricSegments.Note, result.Notes);
        }
    }

    [Fact]
    public async Task HandCheckedFiguresOfASegment()
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var results = (await MetricService.ComputeAsync(db, MetricCatalogue.All, new MetricQuery(Quarter) { Segment = "SMB" }, "EUR", Now,
            TestContext.Current.CancellationToken)).ToDictionary(r => r.Metric.Id);

        // Tier B's account: D2 won (20,000 USD at 0.8), D7 lost; D9 (reopened) and D16 open. Lead L3 falls back on its own
        // route (its deal's account has none); L2 has no segment; L6 and L7, routed SMB, went to Mid-market accounts.
        // Touches: D9's meeting of 8 March (the one of the 5th is an open task) and its e-mail of the 9th, logged on a
        // Mid-market account; L3's email has no deal or account, so no segment.
        Assert.Equal(16000m, results["bookings"].Total.Value);
        Assert.Equal(0.5m, results["win_rate"].Total.Value);
        Assert.Equal(1m, results["new_leads"].Total.Value);
        Assert.Equal(2m, results["touches"].Total.Value);
        Assert.Null(results["cac"].Total.Value);

        // Mid-market: leads L4 (its own route), L6 (its deal's account) and L7 (its account); touches D1's call and D3's meeting.
        var mid = (await MetricService.ComputeAsync(db, [MetricCatalogue.Find("new_leads")!, MetricCatalogue.Find("touches")!],
            new MetricQuery(Quarter) { Segment = "Mid-market" }, "EUR", Now, TestContext.Current.CancellationToken)).ToDictionary(r => r.Metric.Id);
        Assert.Equal((3m, 2m), (mid["new_leads"].Total.Value!.Value, mid["touches"].Total.Value!.Value));
        Assert.Equal(["Mid-market", "SMB"], await MetricSegments.ListAsync(db, TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<InputException>(() => MetricSegments.ReadAsync(db, "Enterprise", TestContext.Current.CancellationToken));
        Assert.Contains("segments: Mid-market, SMB", unknown.Errors["segment"].Single(), StringComparison.Ordinal);
        Assert.Equal("SMB", await MetricSegments.ReadAsync(db, "smb", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task APeriodWithoutDealsHasZerosAndNoRates()
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var results = (await MetricService.ComputeAsync(db, MetricCatalogue.All, new MetricQuery(Period.Parse("2031-Q1")!), "EUR", Now, TestContext.Current.CancellationToken))
            .ToDictionary(r => r.Metric.Id);

        Assert.Equal(0m, results["bookings"].Total.Value);
        Assert.Equal(0m, results["deals_won"].Total.Value);
        Assert.Null(results["win_rate"].Total.Value);
        Assert.Null(results["median_deal_size"].Total.Value);
        Assert.Null(results["sales_cycle_p80"].Total.Value);
        Assert.Null(results["bookings"].Total.Projection);
        Assert.All(results.Values, r => Assert.Equal(3, r.Channels.Count));
    }

    [Fact]
    public async Task WeeksMonthsAndCustomRangesCompareWithThePeriodBefore()
    {
        var (db, _) = await OpenAsync();
        await using var _db = db;
        var bookings = MetricCatalogue.Find("bookings")!;
        var week = (await MetricService.ComputeAsync(db, [bookings], new MetricQuery(Period.Parse("2027-W05")!), "EUR", Now, TestContext.Current.CancellationToken)).Single();
        Assert.Equal(("2027-W05", "2027-W04"), (week.Period.Label, week.PreviousPeriod.Label));
        // D3 won on Monday 1 February (W05) at 0.9, D5 on the 3rd; W04 had nothing convertible (D14 is CHF).
        Assert.Equal((91200m, 0m), (week.Total.Value!.Value, week.Total.Previous!.Value));

        var range = (await MetricService.ComputeAsync(db, [bookings], new MetricQuery(Period.Range(new DateOnly(2027, 2, 15), new DateOnly(2027, 3, 2))), "EUR", Now,
            TestContext.Current.CancellationToken)).Single();
        Assert.Equal("2027-01-31", range.PreviousPeriod.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(46000m, range.Total.Value);
        Assert.Equal(await ExpectedAsync(db, "bookings", null, Period.Range(new DateOnly(2027, 2, 15), new DateOnly(2027, 3, 2))), range.Total.Value);
    }
}

public sealed class MetricCorrectnessOnSqliteTests(SqliteServer server) : MetricCorrectnessTests(server), IClassFixture<SqliteServer>;

public sealed class MetricCorrectnessOnPostgresTests(PostgresServer server) : MetricCorrectnessTests(server), IClassFixture<PostgresServer>;
