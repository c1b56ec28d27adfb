using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>
/// Reports a rep can take to the board, over real HTTP: Tom's quarter a few euros short of his target, Ann's past
/// hers, the Velocity team's per-rep table, new / expansion / renewal apart, title rows and per-channel targets in
/// the files, human labels; and CAC's costs imported from a CSV or started from the plan, with the months that lack them.
/// </summary>
public abstract class BoardReportTests(ReachServer server)
{
    const string Quarter = "2026-Q4";

    sealed record Seed(User Tom, string TomToken, User Ann, string AnnToken, User Zed, string ManagerToken, Guid Velocity);

    static readonly Dictionary<ReachServer, Task<Seed>> Seeded = [];
    static readonly Lock Gate = new();

    Task<Seed> SeedAsync()
    {
        lock (Gate)
        {
            if (!Seeded.TryGetValue(server, out var task))
                Seeded[server] = task = SeedNowAsync();
            return task;
        }
    }

    // The server's clock stands at 25 November 2026: the fourth quarter is under way.
    async Task<Seed> SeedNowAsync()
    {
        var (tom, tomToken) = await server.AddUserAsync(UserRole.Rep, "Tom", "Velocity");
        var (ann, annToken) = await server.AddUserAsync(UserRole.Rep, "Ann", "Velocity");
        var (zed, _) = await server.AddUserAsync(UserRole.Rep, "Zed", "Orbit");
        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, "Velocity Lead", "Velocity");
        await using var db = server.OpenDb();
        db.RecordsAudit = false;
        await db.Users.Where(u => u.Id == tom.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Channel, Channel.Inside));
        await db.Users.Where(u => u.Id == ann.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Channel, Channel.Field));
        var velocity = await db.Teams.Where(t => t.Name == "Velocity").Select(t => t.Id).SingleAsync();
        var pipelines = await db.Pipelines.Include(p => p.Stages).ToListAsync();
        var account = new Account { Name = "Board Ltd" };
        db.Accounts.Add(account);

        void Deal(string name, Channel channel, DealKind kind, DealStatus status, decimal amount, Guid owner, DateTime? closed, DateOnly? expected = null)
        {
            var stages = pipelines.Single(p => p.Channel == channel).Stages;
            var stage = status switch
            {
                DealStatus.Won => stages.Single(s => s.Name == "Won"),
                DealStatus.Lost => stages.Single(s => s.Name == "Lost"),
                _ => stages.OrderBy(s => s.Position).First(),
            };
            db.Deals.Add(new Deal
            {
                Name = name,
                Channel = channel,
                Kind = kind,
                Status = status,
                Amount = amount,
                Currency = "EUR",
                OwnerId = owner,
                AccountId = account.Id,
                CreatedAt = new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc),
                ClosedAt = closed,
                ExpectedClose = expected,
                StageId = stage.Id,
                PipelineId = stage.PipelineId,
                StageEnteredAt = closed ?? new DateTime(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc),
            });
        }
        static DateTime On(int month, int day) => new(2026, month, day, 10, 0, 0, DateTimeKind.Utc);
        Deal("Tom new win", Channel.Inside, DealKind.New, DealStatus.Won, 30000, tom.Id, On(10, 10));
        Deal("Tom expansion", Channel.Inside, DealKind.Expansion, DealStatus.Won, 9990, tom.Id, On(11, 2));
        Deal("Tom renewal", Channel.Inside, DealKind.Renewal, DealStatus.Won, 10000, tom.Id, On(11, 5));
        Deal("Tom new loss", Channel.Inside, DealKind.New, DealStatus.Lost, 5000, tom.Id, On(10, 20));
        Deal("Tom renewal lost", Channel.Inside, DealKind.Renewal, DealStatus.Lost, 2000, tom.Id, On(11, 6));
        Deal("Tom open", Channel.Inside, DealKind.New, DealStatus.Open, 40000, tom.Id, null, new DateOnly(2026, 12, 15));
        Deal("Ann new win", Channel.Field, DealKind.New, DealStatus.Won, 20000, ann.Id, On(10, 15));
        Deal("Ann open", Channel.Field, DealKind.New, DealStatus.Open, 5000, ann.Id, null, new DateOnly(2026, 12, 20));
        Deal("Zed renewal", Channel.Field, DealKind.Renewal, DealStatus.Won, 50000, zed.Id, On(11, 1));
        var (start, end) = (new DateOnly(2026, 10, 1), new DateOnly(2027, 1, 1));
        db.Targets.AddRange(
            new Target { Metric = "bookings", PeriodStart = start, PeriodEnd = end, UserId = tom.Id, Value = 50000 },
            new Target { Metric = "bookings", PeriodStart = start, PeriodEnd = end, UserId = ann.Id, Value = 15000 },
            new Target { Metric = "bookings", PeriodStart = start, PeriodEnd = end, TeamId = velocity, Value = 200000 },
            new Target { Metric = "bookings", PeriodStart = start, PeriodEnd = end, TeamId = velocity, Channel = Channel.Inside, Value = 60000 });
        await db.SaveChangesAsync();
        return new Seed(tom, tomToken, ann, annToken, zed, managerToken, velocity);
    }

    static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.ReadObjectAsync();
    }

    static JsonNode Coverage(JsonObject report) => report["headline"]!.AsArray().Single(m => (string)m!["metric"]!["id"]! == "pipeline_coverage")!["total"]!;

    [Fact]
    public async Task CoverageReadsTargetNearlyMetTargetMetOrADashAndNeverDividesByTheFewEurosLeft()
    {
        var seed = await SeedAsync();
        using var tom = server.NewClient(seed.TomToken);
        using var ann = server.NewClient(seed.AnnToken);

        // Tom: 49,990 of 50,000 booked, 40,000 open: 4,000× what is left, read as "target nearly met".
        var tomReport = await OkAsync(await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        Assert.Equal(MetricCatalogue.TargetNearlyMet, (string?)Coverage(tomReport)["reading"]);
        Assert.Null((decimal?)Coverage(tomReport)["value"]);
        var html = await (await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&format=html")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Pipeline coverage<b>target nearly met</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("399", html, StringComparison.Ordinal);

        // Ann: past her target.
        var annReport = await OkAsync(await ann.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        Assert.Equal(MetricCatalogue.TargetMet, (string?)Coverage(annReport)["reading"]);

        // The team: 200,000 target, 69,990 booked, 45,000 open: 45,000 ÷ 130,010.
        var team = await OkAsync(await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity"));
        Assert.Equal(0.3461m, (decimal)Coverage(team)["value"]!);
        Assert.Null((string?)Coverage(team)["reading"]);

        // The workspace has no bookings target: no figure, no reading, a note saying why.
        var workspace = await OkAsync(await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        Assert.Null((decimal?)Coverage(workspace)["value"]);
        Assert.Null((string?)Coverage(workspace)["reading"]);
        Assert.Contains(workspace["notes"]!.AsArray(), n => ((string)n!).Contains("needs a bookings target", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewExpansionAndRenewalAreApartAndRenewalsAreNotNotableNewWins()
    {
        var seed = await SeedAsync();
        using var tom = server.NewClient(seed.TomToken);

        var report = await OkAsync(await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        var kinds = report["kinds"]!.AsArray().ToDictionary(k => (string)k!["kind"]!, k => k!);
        Assert.Equal((30000m, 1, 1, 0.5m), ((decimal)kinds["new"]["bookings"]!, (int)kinds["new"]["dealsWon"]!, (int)kinds["new"]["dealsLost"]!, (decimal)kinds["new"]["winRate"]!));
        Assert.Equal((9990m, 1), ((decimal)kinds["expansion"]["bookings"]!, (int)kinds["expansion"]["dealsWon"]!));
        Assert.Equal((10000m, 1, 1), ((decimal)kinds["renewal"]["bookings"]!, (int)kinds["renewal"]["dealsWon"]!, (int)kinds["renewal"]["dealsLost"]!));
        Assert.Equal(["Tom new win", "Tom expansion"], report["wins"]!.AsArray().Select(w => (string)w!["name"]!));
        Assert.Equal(["Tom renewal"], report["renewals"]!.AsArray().Select(w => (string)w!["name"]!));

        var workspace = await OkAsync(await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        Assert.DoesNotContain(workspace["wins"]!.AsArray(), w => ((string)w!["name"]!).Contains("renewal", StringComparison.Ordinal));
        Assert.Equal(["Zed renewal", "Tom renewal"], workspace["renewals"]!.AsArray().Select(w => (string)w!["name"]!));
    }

    [Fact]
    public async Task ATeamReportHasARowPerRepAndAWorkspaceReportOnePerTeam()
    {
        var seed = await SeedAsync();
        using var manager = server.NewClient(seed.ManagerToken);

        var team = await OkAsync(await manager.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity"));
        Assert.Equal("rep", (string)team["membersAre"]!);
        var reps = team["members"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!);
        Assert.Equal(["Ann", "Tom", "Velocity Lead"], reps.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((49990m, 50000m, MetricCatalogue.TargetNearlyMet), ((decimal)reps["Tom"]["bookings"]!, (decimal)reps["Tom"]["bookingsTarget"]!, (string?)reps["Tom"]["coverageReading"]));
        Assert.Equal(0.5m, (decimal)reps["Tom"]["newWinRate"]!);
        Assert.Equal(MetricCatalogue.TargetMet, (string?)reps["Ann"]["coverageReading"]);
        var html = await (await manager.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity&format=html")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<h2>By rep</h2>", html, StringComparison.Ordinal);

        var workspace = await OkAsync(await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        Assert.Equal("team", (string)workspace["membersAre"]!);
        var teams = workspace["members"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!);
        Assert.Equal(69990m, (decimal)teams["Velocity"]["bookings"]!);
        Assert.Equal(50000m, (decimal)teams["Orbit"]["bookings"]!);

        // A rep's own report has no such table.
        using var tom = server.NewClient(seed.TomToken);
        Assert.Null((await OkAsync(await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}")))["membersAre"]);
    }

    [Fact]
    public async Task ARepsSpeedToFirstTouchIsInTheirReportAgainstItsTargetAndInTheTeamsPerRepTable()
    {
        var seed = await SeedAsync();
        using var tom = server.NewClient(seed.TomToken);
        using var manager = server.NewClient(seed.ManagerToken);
        // Tom (inside: 15 minutes) calls one lead after 10 minutes and the other after 2 hours.
        foreach (var (name, received, called) in new[] { ("Quick", On(20, 9, 0), On(20, 9, 10)), ("Slow", On(21, 9, 0), On(21, 11, 0)) })
        {
            var lead = await tom.PostAsync("/api/v1/leads", Json.Body(new { firstName = name, company = "Answered Ltd", receivedAt = received }));
            Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
            var call = await tom.PostAsync("/api/v1/activities", Json.Body(new { type = "call", subject = "First call", leadId = (await lead.ReadObjectAsync()).Id(), occurredAt = called }));
            Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        }
        var target = await manager.PostAsync("/api/v1/targets", Json.Body(new
        {
            metric = "first_touch_within_target",
            periodStart = "2026-10-01",
            periodEnd = "2027-01-01",
            userId = seed.Tom.Id,
            value = 0.8m,
        }));
        Assert.Equal(HttpStatusCode.Created, target.StatusCode);

        var own = await OkAsync(await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        JsonNode Total(string id) => own["metrics"]!.AsArray().Single(m => (string)m!["metric"]!["id"]! == id)!["total"]!;
        // Median of 10 and 120 minutes: 65 minutes, 1.08 h; one of two within 15 minutes.
        Assert.Equal(1.08m, (decimal)Total("speed_to_first_touch")["value"]!);
        Assert.Equal((0.5m, 0.8m), ((decimal)Total("first_touch_within_target")["value"]!, (decimal)Total("first_touch_within_target")["target"]!));
        var html = await (await tom.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&format=html")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("id=\"lead-response\"", html, StringComparison.Ordinal);
        Assert.Contains("Leads touched within target<b>50%</b>", html, StringComparison.Ordinal);

        var team = await OkAsync(await manager.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity"));
        var row = team["members"]!.AsArray().Single(m => (string)m!["name"]! == "Tom")!;
        Assert.Equal((1.08m, 0.5m), ((decimal)row["speedToFirstTouch"]!, (decimal)row["withinTarget"]!));
        var csv = await (await manager.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity&format=csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("speed to first touch (median hours),leads touched within target", csv, StringComparison.Ordinal);
        Assert.Contains(",1.08,0.5", csv, StringComparison.Ordinal);
    }

    static DateTime On(int day, int hour, int minute) => new(2026, 11, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public async Task CsvAndXlsxOpenWithTitleRowsAndCarryEveryChannelTargetInHumanWords()
    {
        await SeedAsync();

        var csv = await (await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity&format=csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("report,Quarterly report 2026-Q4: Velocity", lines[0]);
        Assert.Equal("whose,Velocity", lines[1]);
        Assert.Equal("period,2026-Q4 (2026-10-01 to 2026-12-31)", lines[2]);
        Assert.Contains("currency,EUR", lines);
        var targets = lines.IndexOf("Targets by channel");
        Assert.True(targets > 0, csv);
        Assert.Contains("Bookings,All channels,69990,200000,0.35,", csv, StringComparison.Ordinal);
        Assert.Contains("Bookings,Inside,49990,60000,0.8332,", csv, StringComparison.Ordinal);
        Assert.Contains("Tom,49990,50000,0.9998,3,", csv, StringComparison.Ordinal);
        Assert.Contains("target nearly met", csv, StringComparison.Ordinal);
        Assert.Contains(",Self-service,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("self_service", csv, StringComparison.Ordinal);

        var xlsx = await (await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&team=Velocity&format=xlsx")).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).ToList();
        Assert.True(sheets.Count >= 8);
        foreach (var sheet in sheets)
        {
            using var reader = new StreamReader(sheet.Open());
            var xml = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.Contains("Quarterly report 2026-Q4: Velocity", xml, StringComparison.Ordinal);
            Assert.Contains("2026-Q4 (2026-10-01 to 2026-12-31)", xml, StringComparison.Ordinal);
        }
        var workbook = await new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open()).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Targets by channel", workbook, StringComparison.Ordinal);
        Assert.Contains("By rep", workbook, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostsComeFromACsvAllOrNothingAndTheReportSaysWhichMonthsLackThem()
    {
        var seed = await SeedAsync();
        using var manager = server.NewClient(seed.ManagerToken);
        using var rep = server.NewClient(seed.TomToken);
        static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/v1/costs/import", Csv("month,channel,amount\n2026-10,inside,1\n"))).StatusCode);

        var bad = await manager.PostAsync("/api/v1/costs/import", Csv("month,channel,amount\n2026-10,inside,12000\n2026-13,inside,1\n2026-11,carrier pigeon,x\n"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains("'2026-13' is not a month", (string)errors["rows[2].month"]![0]!, StringComparison.Ordinal);
        Assert.Contains("'carrier pigeon' is not a channel", (string)errors["rows[3].channel"]![0]!, StringComparison.Ordinal);
        Assert.Contains("'x' is not an amount", (string)errors["rows[3].amount"]![0]!, StringComparison.Ordinal);
        await using (var db = server.OpenDb())
            Assert.Equal(0, await db.ChannelCosts.CountAsync(c => c.PeriodStart >= new DateOnly(2026, 10, 1) && c.PeriodStart < new DateOnly(2027, 1, 1), TestContext.Current.CancellationToken));

        var imported = await OkAsync(await manager.PostAsync("/api/v1/costs/import",
            Csv("Month,Channel,Amount,Note\n2026-10,inside,12000,Two reps\n2026-10,Field,8000,\n2026-11,Inside,12500,\n2026-10-01,Self-service,900,Ads\n2026-11,field,8100,\n")));
        Assert.Equal((5, 0), ((int)imported["created"]!, (int)imported["updated"]!));
        var again = await OkAsync(await manager.PostAsync("/api/v1/costs/import", Csv("month,channel,amount\n2026-10,inside,13000\n")));
        Assert.Equal((0, 1), ((int)again["created"]!, (int)again["updated"]!));
        await using (var db = server.OpenDb())
            Assert.Equal(13000m, await db.ChannelCosts.Where(c => c.Channel == Channel.Inside && c.PeriodStart == new DateOnly(2026, 10, 1)).Select(c => c.Amount).SingleAsync(TestContext.Current.CancellationToken));

        var report = await OkAsync(await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}"));
        var gaps = report["costGaps"]!.AsArray().ToDictionary(g => (string)g!["month"]!, g => g!["channels"]!.AsArray().Select(c => (string)c!).ToList());
        Assert.Equal(["2026-11", "2026-12"], gaps.Keys);
        Assert.Equal(["Self-service"], gaps["2026-11"]);
        Assert.Equal(["all channels"], gaps["2026-12"]);
        Assert.Contains(report["notes"]!.AsArray(), n => ((string)n!).StartsWith("No costs entered for 2026-11 (Self-service); 2026-12 (all channels)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePlansAssumedCostsAreOfferedForMonthsWithoutCosts()
    {
        var seed = await SeedAsync();
        using var manager = server.NewClient(seed.ManagerToken);

        var none = await OkAsync(await manager.GetAsync("/api/v1/costs/plan"));
        if (none["plan"] is null)
            Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsync("/api/v1/costs/plan", null)).StatusCode);
        var created = await server.Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Board plan", yaml = Reach.Demo.DemoPlan.Yaml, activate = true }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var offered = await OkAsync(await manager.GetAsync("/api/v1/costs/plan"));
        Assert.Equal("Board plan", (string)offered["plan"]!);
        var costs = offered["costs"]!.AsArray();
        Assert.NotEmpty(costs);
        Assert.All(costs, c => Assert.True((decimal)c!["amount"]! > 0));
        var first = (string)costs[0]!["month"]!;
        var ofFirst = costs.Count(c => (string)c!["month"]! == first);

        var entered = await OkAsync(await manager.PostAsync($"/api/v1/costs/plan?from={first}&to={first}", null));
        Assert.Equal(ofFirst, (int)entered["created"]!);
        var left = (await OkAsync(await manager.GetAsync("/api/v1/costs/plan")))["costs"]!.AsArray();
        Assert.DoesNotContain(left, c => (string)c!["month"]! == first);
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.GetAsync("/api/v1/costs/plan?from=October")).StatusCode);
    }

    [Fact]
    public async Task ReportsSpeakInHumanLabels()
    {
        await SeedAsync();
        var html = await (await server.Http.GetAsync($"/api/v1/reports/quarterly?period={Quarter}&format=html")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Self-service", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">self_service<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SelfService", html, StringComparison.Ordinal);
        Assert.Contains(ChannelPalette.Inside, html, StringComparison.Ordinal);
        Assert.Contains("<h2>New, expansion and renewal</h2>", html, StringComparison.Ordinal);
        // The headline's win rate counts renewals; its card names the new-business rate beside it (2 of 3 new deals won).
        Assert.Contains("new business 66.7% (renewals counted apart below)", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Renewals won (the largest five)</h2>", html, StringComparison.Ordinal);
    }
}

public sealed class BoardReportOnSqliteTests(SqliteServer server) : BoardReportTests(server), IClassFixture<SqliteServer>;

public sealed class BoardReportOnPostgresTests(PostgresServer server) : BoardReportTests(server), IClassFixture<PostgresServer>;

/// <summary>How a period reads for people: a custom range names its last day, not the day after.</summary>
public sealed class PeriodNameTests
{
    [Theory]
    [InlineData("2026-10-10..2026-11-21", "10 Oct – 20 Nov 2026")]
    [InlineData("2026-12-10..2027-01-06", "10 Dec 2026 – 5 Jan 2027")]
    [InlineData("2026-10-10..2026-10-11", "10 Oct 2026")]
    [InlineData("2026-Q4", "2026-Q4")]
    public void ACustomRangeIsNamedByItsLastDay(string label, string name) => Assert.Equal(name, Period.Parse(label)!.Name);
}
