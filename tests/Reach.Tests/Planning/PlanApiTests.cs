using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reach.Planning;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary><c>POST /api/v1/plan</c> over real HTTP against each database provider.</summary>
public abstract class PlanApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    [Fact]
    public async Task AYamlPlanGetsThePlannersResultAndItsCalibration()
    {
        var http = Http;
        await using (var db = server.OpenDb())
            await CalibrationWorkspace.SeedAsync(db, server.Clock.UtcNow.AddDays(1));

        var response = await http.PostAsync("/api/v1/plan", Yaml(Plans.DocExampleYaml));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = await response.ReadObjectAsync();
        var planned = JsonNode.Parse(Planner.Evaluate(Plans.DocExample).ToJson())!.AsObject();
        foreach (var (key, value) in planned)
            Assert.True(JsonNode.DeepEquals(value, json[key]), key);
        Assert.Equal(7, json["timeline"]!["channels"]!.AsArray().Count + json["sensitivity"]!["inputs"]!.AsArray().Count - 2);

        // The server's clock is the real one (the data sit a day ahead of it, so the window holds the same deals);
        // only figures that do not depend on the window's length are checked.
        var channels = json["calibration"]!["channels"]!.AsArray();
        var inside = channels[1]!;
        Assert.Equal(0.6m, (decimal)inside["actual_win_rate"]!);
        Assert.Equal(60m, (decimal)inside["actual_cycle_days"]!);
        Assert.Equal(["deals_per_rep_optimistic"], inside["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(["cycle_underestimated", "win_rate_optimistic", "deals_per_rep_optimistic", "lead_to_opportunity_optimistic"], channels[2]!["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Null(channels[0]!["actual_win_rate"]);
        Assert.Equal(4500m, (decimal)json["calibration"]!["segments"]![1]!["actual_acv"]!);
    }

    [Fact]
    public async Task AJsonPlanIsAcceptedToo()
    {
        var json = """
            {"currency": "EUR", "start": "2027-01-01", "horizon_months": 12, "target": {"new_arr": 100000},
             "economics": {"gross_margin": 0.8, "annual_churn": 0.2, "max_lifetime_years": 5, "min_ltv_to_cac": 3},
             "channels": [{"name": "web", "kind": "self_service", "acquisition_cost": 100}],
             "segments": [{"name": "all", "acv": 1000, "accounts": 1000, "share_of_target": 1}]}
            """;

        var response = await Http.PostAsync("/api/v1/plan", Json.Raw(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("web", (string)body["segments"]![0]!["fit"]!);
        Assert.True(body.ContainsKey("calibration"));
    }

    [Fact]
    public async Task AnInvalidPlanIsAProblemNamingTheFieldAndLine()
    {
        var bad = Plans.DocExampleYaml.Replace("win_rate: 0.20", "win_rate: 1.5", StringComparison.Ordinal);

        var response = await Http.PostAsync("/api/v1/plan", Yaml(bad));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        var message = (string)errors["channels[1].win_rate"]![0]!;
        Assert.Equal("line 22: must be in (0, 1], got 1.5", message);
    }

    [Fact]
    public async Task BrokenYamlIsAProblemOnTheBody()
    {
        var response = await Http.PostAsync("/api/v1/plan", Yaml("currency: [EUR\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("body"));
    }

    [Fact]
    public async Task OtherContentTypesAreUnsupported()
    {
        var response = await Http.PostAsync("/api/v1/plan", new StringContent(Plans.DocExampleYaml, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRefused()
    {
        var response = await Http.PostAsync("/api/v1/plan", Yaml("# " + new string('x', (1024 * 1024) + 1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}

public sealed class PlanApiOnSqliteTests(SqliteServer server) : PlanApiTests(server), IClassFixture<SqliteServer>;

public sealed class PlanApiOnPostgresTests(PostgresServer server) : PlanApiTests(server), IClassFixture<PostgresServer>;
