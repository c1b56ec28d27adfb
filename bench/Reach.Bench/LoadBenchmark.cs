using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Reach.Access;
using Reach.Data;
using Reach.Web;

namespace Reach.Bench;

/// <summary>
/// `load [--minutes N] [--postgres CONNSTR]`: several users at once over real HTTP on 127.0.0.1 — reads, lists, writes and
/// small imports — with a bounded number of requests in flight, for N minutes (default 10) on SQLite, then on PostgreSQL
/// when REACH_TEST_POSTGRES or --postgres names a server. Reports the server errors (there must be none) and the
/// latency percentiles of each kind.
/// </summary>
public static class LoadBenchmark
{
    const int Users = 8;
    const int InFlight = 8;

    public static async Task<string> RunAsync(string[] args)
    {
        var minutes = Option(args, "--minutes") is { } m ? double.Parse(m, CultureInfo.InvariantCulture) : 10;
        var postgres = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("REACH_TEST_POSTGRES");
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{Users} users (6 reps, 2 managers in 2 teams), {InFlight} requests in flight, {minutes:0.#} minutes per database, 127.0.0.1. Kinds: read = one deal; list = 50 deals or accounts; write = create an account and a deal, then change the deal; import = 20 accounts as CSV.");
        report.AppendLine();
        report.AppendLine("| database | kind | requests | server errors | other refusals | p50 ms | p95 ms | p99 ms | max ms |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var loads = new List<string>();
        var directory = Directory.CreateTempSubdirectory("reach-load-").FullName;
        try
        {
            loads.Add(await RunOnAsync("SQLite", Database.Sqlite(Path.Combine(directory, "load.db")), directory, minutes, report));
            if (!string.IsNullOrEmpty(postgres))
            {
                var name = "reach_load_" + Guid.NewGuid().ToString("N")[..10];
                await ExecuteAsync(postgres, $"CREATE DATABASE {name}");
                try
                {
                    loads.Add(await RunOnAsync("PostgreSQL", Database.Postgres(new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString), directory, minutes, report));
                }
                finally
                {
                    NpgsqlConnection.ClearAllPools();
                    await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                }
            }
            else
            {
                report.AppendLine("| PostgreSQL | not run: set REACH_TEST_POSTGRES or pass --postgres | | | | | | | |");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        report.AppendLine();
        report.AppendLine("Load average (1, 5, 15 min) at the start and end of each run: " + string.Join("; ", loads) + ".");
        return report.ToString();
    }

    static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    static async Task ExecuteAsync(string connection, string sql)
    {
        await using var admin = new NpgsqlConnection(connection);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    sealed record Sample(string Kind, double Milliseconds, int Status);

    static async Task<string> RunOnAsync(string label, Database database, string directory, double minutes, StringBuilder report)
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Reach:RateLimit:ApiPerMinute"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
            ["Reach:KeyCertificate"] = Path.Combine(directory, label + "-keys.pfx"),
            ["Reach:Outreach:Enabled"] = "false",
            ["Reach:ReportMail:Enabled"] = "false",
        };
        settings[database.Provider == DatabaseProvider.Sqlite ? "Reach:Db" : "Reach:Postgres"] = database.Location;
        await using var app = ReachApp.Build([], settings);
        await ReachApp.PrepareAsync(app);
        await app.StartAsync();
        var baseAddress = new Uri(app.Urls.First());

        // Users with tokens, made through the server's own directory.
        var tokens = new List<(string Token, string Email)>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directoryOfUsers = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            db.Teams.AddRange(new Team { Name = "East" }, new Team { Name = "West" });
            await db.SaveChangesAsync();
            for (var i = 0; i < Users; i++)
            {
                var role = i < 2 ? UserRole.Manager : UserRole.Rep;
                var (user, _) = await directoryOfUsers.AddAsync(new NewUser { Email = $"load{i}@load.example", Name = $"Load User {i}", Role = role, Team = i % 2 == 0 ? "East" : "West" }, default);
                var (secret, _) = await directoryOfUsers.IssueTokenAsync(user, "load", TokenScope.ReadWrite, null, DateTime.UtcNow, default);
                tokens.Add((secret, user.Email!));
            }
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = InFlight };
        var samples = new System.Collections.Concurrent.ConcurrentBag<Sample>();
        var loadAtStart = LoadAverage();
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        var workers = Enumerable.Range(0, InFlight).Select(worker => Task.Run(async () =>
        {
            var (token, email) = tokens[worker % tokens.Count];
            using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var random = new Random(worker);
            var mine = new List<string>();
            var n = 0;
            while (DateTime.UtcNow < deadline)
            {
                n++;
                var pick = random.Next(100);
                if (mine.Count == 0 || pick < 25)
                {
                    var account = await TimeAsync(samples, "write", () => http.PostAsync("/api/v1/accounts", Body(new JsonObject { ["name"] = $"Load {worker}-{n}" })));
                    if (account is not { } a)
                        continue;
                    var deal = await TimeAsync(samples, "write", () => http.PostAsync("/api/v1/deals", Body(new JsonObject
                    {
                        ["name"] = $"Load deal {worker}-{n}",
                        ["amount"] = 1000 + n,
                        ["currency"] = "EUR",
                        ["channel"] = "inside",
                        ["accountId"] = (string)a["id"]!,
                    })));
                    if (deal is not { } d)
                        continue;
                    mine.Add((string)d["id"]!);
                    using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/deals/{d["id"]}") { Content = Body(new JsonObject { ["name"] = $"Load deal {worker}-{n} (changed)", ["amount"] = 2000 + n, ["currency"] = "EUR" }) };
                    await TimeAsync(samples, "write", () => http.SendAsync(patch));
                }
                else if (pick < 65)
                {
                    var id = mine[random.Next(mine.Count)];
                    await TimeAsync(samples, "read", () => http.GetAsync($"/api/v1/deals/{id}"));
                }
                else if (pick < 95)
                {
                    var list = pick % 2 == 0 ? "/api/v1/deals?limit=50" : "/api/v1/accounts?limit=50";
                    await TimeAsync(samples, "list", () => http.GetAsync(list));
                }
                else
                {
                    var csv = new StringBuilder("name,domain\n");
                    for (var row = 0; row < 20; row++)
                        csv.Append(CultureInfo.InvariantCulture, $"Imported {worker}-{n}-{row},load-{worker}-{n}-{row}.example\n");
                    await TimeAsync(samples, "import", () => http.PostAsync($"/api/v1/imports?as=accounts&owner={Uri.EscapeDataString(email)}",
                        new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")));
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var loadAtEnd = LoadAverage();
        await app.StopAsync();

        foreach (var kind in new[] { "read", "list", "write", "import" })
        {
            var of = samples.Where(s => s.Kind == kind).ToList();
            var times = of.Select(s => s.Milliseconds).Order().ToList();
            double P(double q) => times.Count == 0 ? 0 : times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {kind} | {of.Count:N0} | {of.Count(s => s.Status >= 500)} | {of.Count(s => s.Status is >= 400 and < 500)} | {P(0.50):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {(times.Count == 0 ? 0 : times[^1]):0.0} |");
        }
        return $"{label} {loadAtStart} → {loadAtEnd}";
    }

    static StringContent Body(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    static async Task<JsonObject?> TimeAsync(System.Collections.Concurrent.ConcurrentBag<Sample> samples, string kind, Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        int status;
        string text;
        try
        {
            using var response = await send();
            text = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // A connection the server dropped counts as a server error.
            samples.Add(new Sample(kind, watch.Elapsed.TotalMilliseconds, 599));
            return null;
        }
        samples.Add(new Sample(kind, watch.Elapsed.TotalMilliseconds, status));
        if (status >= 400)
            Console.Error.WriteLine($"{kind} {status}: {text[..Math.Min(text.Length, 300)]}");
        return status is >= 200 and < 300 && text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null;
    }
}
