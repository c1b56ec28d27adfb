using System.Net;
using System.Text;
using Reach.Access;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Coaching;

/// <summary><c>POST /api/v1/coach</c> over real HTTP against each database provider.</summary>
public abstract class CoachApiTests(ReachServer server)
{
    [Fact]
    public async Task TheBadEmailGetsItsFindingsWithSpansAndTheCountdown()
    {
        var response = await server.Http.PostAsync("/api/v1/coach", Json.Body(new { subject = "Partnership", body = EmailCoachTests.BadEmail }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadObjectAsync();
        Assert.Equal(400 - EmailCoachTests.BadEmail.Length, (int)report["charactersLeft"]!);
        Assert.Equal(0, (int)report["score"]!);
        Assert.Equal("rewrite", (string)report["verdict"]!);
        var findings = report["findings"]!.AsArray();
        var regards = findings.Single(f => (string)f!["excerpt"]! == "Kind Regards")!;
        Assert.Equal("formal", (string)regards["rule"]!);
        Assert.Equal("body", (string)regards["field"]!);
        Assert.Equal("warning", (string)regards["severity"]!);
        Assert.Equal(EmailCoachTests.BadEmail.IndexOf("Kind Regards", StringComparison.Ordinal), (int)regards["start"]!);
        Assert.Equal(12, (int)regards["length"]!);
        Assert.Equal("Sign off with \"Thx\" or just your name.", (string)regards["suggestion"]!);
        Assert.Equal(2, findings.Count(f => (string)f!["rule"]! == "one-ask"));
    }

    [Fact]
    public async Task AReadOnlyTokenOfARepMayAskTheCoach()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Coached Rep", scope: TokenScope.Read);
        using var rep = server.NewClient(token);

        var response = await rep.PostAsync("/api/v1/coach", Json.Body(new { body = EmailCoachTests.BetterEmail }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadObjectAsync();
        Assert.Empty(report["findings"]!.AsArray());
        Assert.Equal("ready", (string)report["verdict"]!);
        Assert.Equal(100, (int)report["score"]!);
    }

    [Fact]
    public async Task WithoutATokenTheCoachAnswers401()
    {
        using var anonymous = server.NewClient();

        var response = await anonymous.PostAsync("/api/v1/coach", Json.Body(new { body = "Hi" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"subject": "Hi"}""", "body")]
    [InlineData("""{"body": 5}""", "body")]
    [InlineData("""{"body": "Hi", "cc": "x"}""", "cc")]
    public async Task BadDraftsAreProblemsNamingTheField(string json, string field)
    {
        var response = await server.Http.PostAsync("/api/v1/coach", Json.Raw(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(field), json);
    }

    [Fact]
    public async Task ABodyOverTheCoachesLimitIsRefusedWithTheLimit()
    {
        var response = await server.Http.PostAsync("/api/v1/coach", Json.Body(new { body = new string('x', 20_001) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        Assert.Contains("20000", (string)problem["errors"]!["body"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTextIsUnsupported()
    {
        var response = await server.Http.PostAsync("/api/v1/coach", new StringContent("Hi John", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheDraftAndTheReport()
    {
        var document = (await (await server.Http.GetAsync("/openapi/v1.json")).ReadObjectAsync());

        var coach = document["paths"]!["/api/v1/coach"]!["post"]!;
        Assert.NotNull(coach["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(coach["responses"]!["200"]);
        var text = document.ToJsonString();
        Assert.Contains("charactersLeft", text, StringComparison.Ordinal);
    }
}

public sealed class CoachApiOnSqliteTests(SqliteServer server) : CoachApiTests(server), IClassFixture<SqliteServer>;

public sealed class CoachApiOnPostgresTests(PostgresServer server) : CoachApiTests(server), IClassFixture<PostgresServer>;
