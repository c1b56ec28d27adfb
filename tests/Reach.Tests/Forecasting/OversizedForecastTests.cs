using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary>
/// An oversized open deal in the forecast, through the API, the page and <c>reach forecast</c> on each database (this
/// class has a server of its own). The history is <see cref="OversizedOddsTests"/>' in the database, in the inside
/// pipeline's Qualified stage (the team's prior 0.10), dated from the server's clock: 11 closed deals, 6 won; 4 of them
/// were oversized on their last open day, 1 won. The open 200,000 deal is 4.0× the 50,000 won in mid-market.
/// </summary>
public abstract partial class OversizedForecastTests(ReachServer server)
{
    const string Password = "copper kettle on the stove";

    // The stage and kind at 3 days, default smoothing: stage (6 + 1 × 0.1) / 12, kind (6 + 10 × that) / 21.
    static readonly double StageOdds = (6 + (10 * (6.1 / 12))) / 21;

    // Scaled by the similar deals' rate, (1 + 5 × 6/11) / (4 + 5) = 41/99, over the workspace's 6/11: × 41/54.
    static readonly double OversizedOdds = StageOdds * 41 / 54;

    const string Guardrail = "4.0× the largest deal won in mid-market, €50k";
    const string OddsUsed = "1 of 4 similar deals won: 40 % instead of the stage's 53 %";

    Guid bigId;
    DateTime seededAt;

    async Task SeedAsync()
    {
        _ = server.Http;
        await using var db = server.OpenDb();
        if (await db.Deals.AnyAsync(d => d.Amount == 200_000m))
        {
            bigId = await db.Deals.Where(d => d.Amount == 200_000m).Select(d => d.Id).SingleAsync();
            seededAt = (await db.Deals.SingleAsync(d => d.Id == bigId)).CreatedAt.AddDays(3);
            return;
        }
        var now = seededAt = server.Clock.UtcNow;
        await DefaultPipelines.EnsureAsync(db);
        var pipeline = await db.Pipelines.Include(p => p.Stages).FirstAsync(p => p.Channel == Channel.Inside);
        var qualified = pipeline.Stages.First(s => s.Name == "Qualified");
        var won = pipeline.Stages.First(s => s.Outcome == StageOutcome.Won);
        var lost = pipeline.Stages.First(s => s.Outcome == StageOutcome.Lost);
        var account = new Account { Name = "Mid-market customer" };
        db.Accounts.Add(account);

        Deal New(decimal amount, double createdDaysAgo)
        {
            var created = now.AddDays(-createdDaysAgo);
            var deal = new Deal
            {
                Name = $"Deal {amount} {created:yyyy-MM-dd}",
                AccountId = account.Id,
                Amount = amount,
                Currency = "EUR",
                Channel = Channel.Inside,
                PipelineId = pipeline.Id,
                StageId = qualified.Id,
                StageEnteredAt = created,
                CreatedAt = created,
            };
            db.Deals.Add(deal);
            db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, ToStageId = qualified.Id, At = created });
            return deal;
        }

        void Close(Deal deal, Stage stage, double daysAgo) => db.DealStageChanges.Add(deal.MoveTo(stage, now.AddDays(-daysAgo), null));

        Close(New(10_000, 420), won, 400);
        for (var i = 0; i < 3; i++)
            Close(New(50_000, 330), lost, 300);
        Close(New(50_000, 230), won, 200);
        for (var i = 0; i < 6; i++)
            Close(New(5_000, 180), i < 4 ? won : lost, 150);
        var big = New(200_000, 3);
        big.Name = "Company-wide licence";
        New(5_000, 3).Name = "Team licence";
        await db.SaveChangesAsync();
        // Set after the save: a save routes the account by the active plan.
        await db.Accounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Segment, "mid-market"));
        bigId = big.Id;
    }

    [Fact]
    public async Task TheApiGivesTheOversizedDealTheOddsOfSimilarDealsAndSaysWhich()
    {
        await SeedAsync();

        var json = await (await server.Http.GetAsync("/api/v1/forecast?trials=500")).ReadObjectAsync();

        var deal = json["oversizedDeals"]!.AsArray().Single()!.AsObject();
        Assert.Equal(bigId, deal.Id());
        Assert.Equal(OversizedOdds, (double)deal["winProbability"]!, 9);
        Assert.Equal(Guardrail, (string)deal["oversized"]!["text"]!);
        Assert.Equal(4.0m, (decimal)deal["oversized"]!["ratio"]!);
        var similar = deal["similarDeals"]!;
        Assert.Equal((4, 1), ((int)similar["deals"]!, (int)similar["won"]!));
        Assert.Equal(StageOdds, (double)similar["stageWinProbability"]!, 9);
        Assert.Equal(6 / 11.0, (double)similar["workspaceWinRate"]!, 9);
        Assert.Equal(OddsUsed, (string)similar["text"]!);
        // The forecast books it with those odds: every win came 20 or 30 days after entering the stage, so both open
        // deals are booked by the end of next month if won.
        var pipeline = json["periods"]!.AsArray().Sum(p => (decimal)p!["total"]!["expectedFromPipeline"]!);
        var expected = (200_000 * (decimal)OversizedOdds) + (5_000 * (decimal)StageOdds);
        Assert.True(Math.Abs(expected - pipeline) <= 0.02m, $"{pipeline} booked from the pipeline, {expected} expected");
    }

    [Fact]
    public async Task TheForecastPageShowsTheOddsUsed()
    {
        await SeedAsync();
        var (admin, _) = await server.AddUserAsync(UserRole.Admin, "Page Admin", password: Password);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/sign-in")).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("email", admin.Email!), new("password", Password)]);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/sign-in", form)).StatusCode);

        var page = WebUtility.HtmlDecode(await browser.GetStringAsync("/Forecast"));

        var row = Regex.Match(page, $"<tr data-deal=\"{bigId}\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("Company-wide licence", row, StringComparison.Ordinal);
        Assert.Contains(Guardrail, row, StringComparison.Ordinal);
        Assert.Contains($"<td data-odds>{OddsUsed}</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-win>40 %</td>", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Team licence", Regex.Match(page, "<section[^>]*data-oversized.*?</section>", RegexOptions.Singleline).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandSaysWhichOddsItUsedInItsTableAndItsJson()
    {
        await SeedAsync();
        var asOf = seededAt.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

        var (exit, output, error) = CliRunner.RunOn(server, "forecast", "--as-of", asOf, "--trials", "500");
        var (jsonExit, json, _) = CliRunner.RunOn(server, "forecast", "--as-of", asOf, "--trials", "500", "--json");

        Assert.True(exit == 0, error);
        Assert.Contains("Deals far out of scale with what was won (1)", output, StringComparison.Ordinal);
        var line = output.Split('\n').Single(l => l.Contains("Company-wide licence", StringComparison.Ordinal));
        Assert.Contains($"{Guardrail}; {OddsUsed}", line, StringComparison.Ordinal);
        Assert.Contains("40.1%", line, StringComparison.Ordinal);
        Assert.Equal(0, jsonExit);
        var deal = JsonNode.Parse(json)!["oversizedDeals"]!.AsArray().Single()!;
        Assert.Equal(OversizedOdds, (double)deal["winProbability"]!, 9);
        Assert.Equal(OddsUsed, (string)deal["similarDeals"]!["text"]!);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

public sealed class OversizedForecastOnSqliteTests(SqliteServer server) : OversizedForecastTests(server), IClassFixture<SqliteServer>;

public sealed class OversizedForecastOnPostgresTests(PostgresServer server) : OversizedForecastTests(server), IClassFixture<PostgresServer>;
