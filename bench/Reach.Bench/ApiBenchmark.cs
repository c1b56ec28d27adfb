using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reach.Access;
using Reach.Data;
using Reach.Demo;
using Reach.Web;

namespace Reach.Bench;

/// <summary>
/// The API's reads on the demo workspace (SQLite), 8 concurrent clients, each against a bare ASP.NET Core endpoint
/// measured in the same run with the same client: a single record against one returning the same JSON from memory,
/// a list against one running the same page as raw SQL (Microsoft.Data.Sqlite, the rows written as JSON). Reach runs
/// every check (token, actor, access filter, ETag, rate limit: set high enough never to refuse). The endpoints take
/// turns in short rounds, so a change in the machine's load falls on both sides of each ratio.
/// </summary>
static class ApiBenchmark
{
    const int Workers = 8;
    const int Rounds = 4;

    public static async Task<string> RunAsync(int seconds)
    {
        var loadAtStart = Machine.Load();
        var directory = Directory.CreateTempSubdirectory("reach-bench-api-").FullName;
        var file = Path.Combine(directory, "bench.db");
        await using var reach = ReachApp.Build([], new Dictionary<string, string?>
        {
            ["Reach:Db"] = file,
            ["Reach:KeyCertificate"] = Path.Combine(directory, "keys.pfx"),
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Reach:RateLimit:ApiPerMinute"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
            ["Reach:Rollups:Enabled"] = "false",
            ["Reach:Outreach:Enabled"] = "false",
            ["Reach:ReportMail:Enabled"] = "false",
        });
        await ReachApp.PrepareAsync(reach);
        List<Guid> ids, repIds;
        string adminToken, repToken;
        await using (var scope = reach.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            await DemoWorkspace.SeedAsync(db, new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc));
            ids = await db.Deals.Select(d => d.Id).ToListAsync();
            var users = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var admin = await db.Users.FirstAsync(u => u.Role == UserRole.Admin);
            var rep = await db.Users.FirstAsync(u => u.Email == "tom@reach.demo");
            repIds = await db.Deals.Where(d => d.OwnerId == rep.Id).Select(d => d.Id).ToListAsync();
            adminToken = (await users.IssueTokenAsync(admin, "bench", TokenScope.Read, 1, DateTime.UtcNow, default)).Secret;
            repToken = (await users.IssueTokenAsync(rep, "bench", TokenScope.Read, 1, DateTime.UtcNow, default)).Secret;
        }
        await reach.StartAsync();
        var api = reach.Urls.First();

        string sample;
        using (var probe = new HttpClient { DefaultRequestHeaders = { Authorization = new("Bearer", adminToken) } })
            sample = await probe.GetStringAsync($"{api}/api/v1/deals/{ids[0]}");

        var bareBuilder = WebApplication.CreateSlimBuilder();
        bareBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        bareBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var bare = bareBuilder.Build();
        var connection = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        bare.MapGet("/deals/{id:guid}", (Guid id) => Results.Text(sample, "application/json"));
        bare.MapGet("/deals", async (int limit, string? stage, HttpContext http) =>
        {
            // The page the API's default sort returns (newest first, ties by id), one more row to know there is a next page.
            var sql = stage is null
                ? "SELECT d.* FROM Deals d WHERE d.DeletedAt IS NULL ORDER BY d.CreatedAt DESC, d.Id DESC LIMIT $limit"
                : "SELECT d.* FROM Deals d WHERE d.DeletedAt IS NULL AND d.StageId IN (SELECT Id FROM Stages WHERE Name = $stage COLLATE NOCASE) ORDER BY d.CreatedAt DESC, d.Id DESC LIMIT $limit";
            await using var sqlite = new SqliteConnection(connection);
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$limit", limit + 1);
            if (stage is not null)
                command.Parameters.AddWithValue("$stage", stage);
            await using var reader = await command.ExecuteReaderAsync();
            http.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(http.Response.BodyWriter);
            json.WriteStartObject();
            json.WriteStartArray("items");
            var rows = 0;
            while (await reader.ReadAsync() && rows++ < limit)
            {
                json.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var name = JsonNamingPolicy.CamelCase.ConvertName(reader.GetName(i));
                    if (reader.IsDBNull(i))
                        json.WriteNull(name);
                    else if (reader.GetFieldType(i) == typeof(long))
                        json.WriteNumber(name, reader.GetInt64(i));
                    else if (reader.GetFieldType(i) == typeof(double))
                        json.WriteNumber(name, reader.GetDouble(i));
                    else
                        json.WriteString(name, reader.GetString(i));
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("nextCursor", rows > limit ? "next" : null);
            json.WriteEndObject();
        });
        await bare.StartAsync();
        var bareUrl = bare.Urls.First();

        var pairs = new (string Workload, string Baseline, Endpoint Bare, Endpoint Reach, string Goal)[]
        {
            ("single-record read, `GET /api/v1/deals/{id}` (admin)", "bare endpoint, same JSON from memory",
                new(id => $"{bareUrl}/deals/{id}", ids, adminToken), new(id => $"{api}/api/v1/deals/{id}", ids, adminToken), "≥ 50 % throughput, p99 ≤ 3×"),
            ("single-record read, `GET /api/v1/deals/{id}` (rep, own deals)", "bare endpoint, same JSON from memory",
                new(id => $"{bareUrl}/deals/{id}", repIds, repToken), new(id => $"{api}/api/v1/deals/{id}", repIds, repToken), "≥ 50 % throughput, p99 ≤ 3×"),
            ("list, `GET /api/v1/deals?limit=50` (admin)", "bare endpoint running the page as raw SQL",
                new(_ => $"{bareUrl}/deals?limit=50", ids, adminToken), new(_ => $"{api}/api/v1/deals?limit=50", ids, adminToken), "≥ 50 % throughput"),
            ("list, `GET /api/v1/deals?stage=proposal&limit=20` (admin)", "bare endpoint running the page as raw SQL",
                new(_ => $"{bareUrl}/deals?limit=20&stage=proposal", ids, adminToken), new(_ => $"{api}/api/v1/deals?stage=proposal&limit=20", ids, adminToken), "≥ 50 % throughput"),
        };

        var table = new StringBuilder()
            .AppendLine("| workload | side | requests/s | p50 ms | p99 ms | throughput vs baseline | p99 × baseline |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (workload, baseline, bareEndpoint, reachEndpoint, goal) in pairs)
        {
            var (b, r) = await AlternateAsync(bareEndpoint, reachEndpoint, seconds);
            table.AppendLine(Row(workload, $"baseline: {baseline}", b, b))
                .AppendLine(Row(workload, "Reach", r, b));
            Summary.Add(workload, string.Create(CultureInfo.InvariantCulture, $"{r.PerSecond:N0} req/s, p99 {r.P99:F1} ms"),
                string.Create(CultureInfo.InvariantCulture, $"{b.PerSecond:N0} req/s, p99 {b.P99:F1} ms ({baseline})"),
                string.Create(CultureInfo.InvariantCulture, $"{r.PerSecond / b.PerSecond:P0} throughput, p99 {r.P99 / b.P99:F1}×"), goal);
        }

        Directory.Delete(directory, recursive: true);
        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"The demo workspace ({ids.Count:N0} deals, SQLite). {Workers} concurrent clients; each workload runs its baseline and Reach in turn, {Rounds} rounds of {seconds / (double)Rounds:F1} s each, so both see the same load; client and servers share the machine. Reach runs every check: the token, the actor with its team, the access filter, the ETag and the rate limit (its limit set high enough never to refuse). Nothing is written during the run, so after its first read a token's actor and a record as its reader sees it come from the read cache (`ReadCache`, kept until the next commit to the workspace), as they do for a client polling between writes; the lists run their query every time. The admin's token reads every deal; the rep's reads their own ({repIds.Count:N0}) through the access filter. Read-only tokens. Run with `dotnet run -c Release --project bench/Reach.Bench -- api [SECONDS]`.")
            .AppendLine()
            .Append(table)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average at the start: {loadAtStart}; at the end: {Machine.Load()} (2 cores, shared).")
            .ToString();
    }

    sealed record Endpoint(Func<Guid, string> Url, List<Guid> Ids, string Token);

    sealed record Result(double PerSecond, double P50, double P99);

    static async Task<(Result Bare, Result Reach)> AlternateAsync(Endpoint bare, Endpoint reach, int seconds)
    {
        List<double> bareLatencies = [], reachLatencies = [];
        TimeSpan bareTime = default, reachTime = default;
        var round = TimeSpan.FromSeconds(seconds / (double)Rounds);
        await WarmAsync(bare);
        await WarmAsync(reach);
        for (var i = 0; i < Rounds; i++)
        {
            bareTime += await LoadAsync(bare, round, bareLatencies);
            reachTime += await LoadAsync(reach, round, reachLatencies);
        }
        return (Summarise(bareLatencies, bareTime), Summarise(reachLatencies, reachTime));
    }

    static async Task WarmAsync(Endpoint endpoint)
    {
        using var http = Client(endpoint);
        for (var i = 0; i < 300; i++)
            (await http.GetAsync(endpoint.Url(endpoint.Ids[i % endpoint.Ids.Count]))).EnsureSuccessStatusCode();
    }

    static HttpClient Client(Endpoint endpoint) => new() { DefaultRequestHeaders = { Authorization = new("Bearer", endpoint.Token) } };

    static async Task<TimeSpan> LoadAsync(Endpoint endpoint, TimeSpan duration, List<double> latencies)
    {
        // Both servers get the same header, so the baseline's client does the same work.
        using var http = Client(endpoint);
        var perWorker = new List<double>[Workers];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async w =>
        {
            var random = new Random(w);
            perWorker[w] = [];
            while (stop.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(endpoint.Url(endpoint.Ids[random.Next(endpoint.Ids.Count)]));
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                perWorker[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = stop.Elapsed;
        foreach (var list in perWorker)
            latencies.AddRange(list);
        return elapsed;
    }

    static Result Summarise(List<double> latencies, TimeSpan time)
    {
        latencies.Sort();
        return new(latencies.Count / time.TotalSeconds, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }

    static string Row(string workload, string side, Result r, Result baseline) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {workload} | {side} | {r.PerSecond:N0} | {r.P50:F2} | {r.P99:F2} | {r.PerSecond / baseline.PerSecond:P0} | {r.P99 / baseline.P99:F1}× |");
}
