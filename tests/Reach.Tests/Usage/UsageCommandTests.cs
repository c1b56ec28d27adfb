using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Cli;
using Reach.Deals;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Usage;

/// <summary>`reach usage import|accounts|candidates` against the workspace of a running server, on each database provider.</summary>
public abstract class UsageCommandTests(ReachServer server) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("reach-usage-").FullName;

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.RunOn(server, args);

    // The CLI evaluates as of the server's test clock, never the machine's.
    string At => server.Clock.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    string Time(double hoursAgo) => server.Clock.UtcNow.AddHours(-hoursAgo).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AFileOfEventsIsImportedOnceAndTheAccountThatCrossedIsListedWithItsDeal()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var domain = $"cli-{unique}.example";
        var account = await (await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Cli Co " + unique, domain, employees = 300 }))).ReadObjectAsync();
        var jsonl = Path.Combine(folder, "events.jsonl");
        await File.WriteAllLinesAsync(jsonl, Enumerable.Range(0, 11).Select(i =>
            $$"""{"eventId":"{{unique}}-{{i}}","time":"{{Time(i + 1)}}","email":"user{{i}}@{{domain}}","name":"login","properties":{"seat":{{i}} } }"""));
        var csv = Path.Combine(folder, "events.csv");
        await File.WriteAllTextAsync(csv, $"eventId,time,email,userId,accountHint,name,properties\n{unique}-c1,{Time(2)},someone@gmail.com,,,login,\n{unique}-c2,{Time(3)},,u-7,{domain},login,\"{{\"\"plan\"\":\"\"pro\"\"}}\"\n");

        var (exit, output, error) = Run("usage", "import", jsonl, "--at", At);
        Assert.True(exit == 0, error);
        Assert.Contains("11 event(s): 11 stored, 0 already known; 11 matched to an account, 0 not.", output);
        Assert.Contains("crossed the threshold (11 weekly active users ≥ 10)", output);

        (exit, output, error) = Run("usage", "import", jsonl, "--at", At);
        Assert.True(exit == 0, error);
        Assert.Contains("11 event(s): 0 stored, 11 already known", output);
        Assert.DoesNotContain("crossed", output);

        (exit, output, error) = Run("usage", "import", csv, "--at", At);
        Assert.True(exit == 0, error);
        Assert.Contains("2 event(s): 2 stored, 0 already known; 1 matched to an account, 1 not.", output);

        await using (var db = server.OpenDb())
            Assert.Equal(1, await db.Deals.CountAsync(d => d.AccountId == account.Id() && d.Kind == DealKind.Expansion));

        (exit, output, error) = Run("usage", "accounts", "--crossed", "--at", At);
        Assert.True(exit == 0, error);
        Assert.Matches($@"Cli Co {unique}\s+\d+\s+12\s+12\s+new\s+4%\s+\d+\s+\d{{4}}-\d\d-\d\d \(deal ", output);

        (exit, output, error) = Run("usage", "accounts", "--json", "--at", At);
        Assert.True(exit == 0, error);
        Assert.Contains($"\"accountName\": \"Cli Co {unique}\"", output);

        (exit, _, error) = Run("usage", "candidates");
        Assert.True(exit == 0, error);
    }

    [Fact]
    public async Task ABadFileStoresNothingAndNamesTheEventFieldAndValue()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var jsonl = Path.Combine(folder, "bad.jsonl");
        await File.WriteAllLinesAsync(jsonl,
        [
            $$"""{"eventId":"{{unique}}-ok","time":"{{Time(1)}}","email":"a@bad-{{unique}}.example","name":"login"}""",
            $$"""{"eventId":"{{unique}}-bad","time":"{{Time(1)}}","email":"no address","name":"login"}""",
        ]);

        var (exit, _, error) = Run("usage", "import", jsonl, "--at", At);

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("events[1].email 'no address' is not an e-mail address.", error);
        await using var db = server.OpenDb();
        Assert.False(await db.UsageEvents.AnyAsync(e => e.EventId.StartsWith(unique)));

        await File.WriteAllTextAsync(jsonl, "{\"eventId\": 3}\n");
        (exit, _, error) = Run("usage", "import", jsonl);
        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("line 1", error);
    }
}

public sealed class UsageCommandOnSqliteTests(SqliteServer server) : UsageCommandTests(server), IClassFixture<SqliteServer>;

public sealed class UsageCommandOnPostgresTests(PostgresServer server) : UsageCommandTests(server), IClassFixture<PostgresServer>;
