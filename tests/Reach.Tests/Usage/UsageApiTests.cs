using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Usage;

/// <summary>Product usage through the API: ingest, idempotency, matching by domain, the limit, bad input, the token's scope and the threshold rule.</summary>
public abstract class UsageApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    static string Unique() => Guid.NewGuid().ToString("N")[..8];

    async Task<HttpClient> ProductAsync()
    {
        var (_, token) = await server.AddUserAsync(UserRole.Admin, "Product analytics", scope: TokenScope.Usage);
        return server.NewClient(token);
    }

    async Task<JsonObject> AccountAsync(string domain, int? employees = null, Guid? ownerId = null)
    {
        var response = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Co " + domain, domain, employees, ownerId }));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    object Event(string email, double hoursAgo = 1, string? id = null, string name = "document.created") =>
        new { eventId = id ?? "e-" + Guid.NewGuid().ToString("N"), time = server.Clock.UtcNow.AddHours(-hoursAgo), email, name, properties = new { plan = "free" } };

    static async Task<JsonObject> SendAsync(HttpClient product, params object[] events)
    {
        var response = await product.PostAsync("/api/v1/usage", Json.Body(events));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task EventsAreStoredOnceByTheirIdAndMatchedByDomainButNeverByFreeMail()
    {
        var product = await ProductAsync();
        var acme = $"acme-{Unique()}.example";
        var newco = $"newco-{Unique()}.example";
        var account = await AccountAsync(acme, employees: 500);
        object[] events = [Event($"ann@{acme}", id: "a-" + Unique()), Event($"Bob@{acme.ToUpperInvariant()}", hoursAgo: 30, id: "b-" + Unique()), Event("carl@gmail.com", id: "c-" + Unique()), Event($"dora@{newco}", id: "d-" + Unique())];

        var first = await SendAsync(product, events);
        Assert.Equal((4, 4, 0, 2, 2), ((int)first["received"]!, (int)first["stored"]!, (int)first["duplicates"]!, (int)first["matched"]!, (int)first["unmatched"]!));
        var again = await SendAsync(product, events);
        Assert.Equal((4, 0, 4), ((int)again["received"]!, (int)again["stored"]!, (int)again["duplicates"]!));

        var usage = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/usage/accounts/{account.Id()}");
        Assert.Equal((1, 2, 2), ((int)usage!["usage"]!["dailyActiveUsers"]!, (int)usage["usage"]!["weeklyActiveUsers"]!, (int)usage["usage"]!["monthlyActiveUsers"]!));
        Assert.Equal(0.4m, (decimal)usage["usage"]!["employeeSharePercent"]!);
        Assert.False((bool)usage["usage"]!["overThreshold"]!);
        Assert.NotEmpty(usage["usage"]!["scoreParts"]!.AsArray());

        var candidates = (await Http.GetFromJsonAsync<JsonArray>("/api/v1/usage/candidates"))!.Select(c => (string)c!["domain"]!).ToList();
        Assert.Contains(newco, candidates);
        Assert.DoesNotContain("gmail.com", candidates);
        Assert.DoesNotContain(acme, candidates);

        // A candidate that becomes an account takes its events with it.
        var later = await AccountAsync(newco);
        await SendAsync(product, Event($"ed@{acme}"));
        var moved = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/usage/accounts/{later.Id()}");
        Assert.Equal(1, (int)moved!["usage"]!["weeklyActiveUsers"]!);
    }

    [Fact]
    public async Task EventsCanComeOneALineAndAnAccountHintWinsOverAFreeMailAddress()
    {
        var product = await ProductAsync();
        var domain = $"hinted-{Unique()}.example";
        var account = await AccountAsync(domain);
        var lines = string.Join('\n',
            $$"""{"eventId":"l1-{{Unique()}}","time":"{{server.Clock.UtcNow.AddHours(-2):yyyy-MM-ddTHH:mm:ssZ}}","email":"someone@gmail.com","accountHint":"{{account.Id()}}","name":"login"}""",
            $$"""{"eventId":"l2-{{Unique()}}","time":"{{server.Clock.UtcNow.AddHours(-3):yyyy-MM-ddTHH:mm:ssZ}}","userId":"u-42","accountHint":"{{domain}}","name":"login"}""");
        var response = await product.PostAsync("/api/v1/usage", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(2, (int)(await response.ReadObjectAsync())["matched"]!);
        var usage = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/usage/accounts/{account.Id()}");
        Assert.Equal(2, (int)usage!["usage"]!["weeklyActiveUsers"]!);
    }

    [Fact]
    public async Task BadEventsAreNamedByIndexFieldAndValueAndNothingOfTheCallIsStored()
    {
        var product = await ProductAsync();
        var domain = $"bad-{Unique()}.example";
        var good = Event($"good@{domain}", id: "good-" + Unique());
        object[] events =
        [
            good,
            new { eventId = "late-" + Unique(), time = server.Clock.UtcNow.AddDays(30), email = $"x@{domain}", name = "login" },
            new { eventId = "who-" + Unique(), time = server.Clock.UtcNow, email = "not-an-address", name = "login" },
            new { eventId = "", time = server.Clock.UtcNow, email = $"y@{domain}" },
        ];

        var response = await product.PostAsync("/api/v1/usage", Json.Body(events));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains("more than a day after now", (string)errors["events[1].time"]![0]!);
        Assert.Contains("'not-an-address'", (string)errors["events[2].email"]![0]!);
        Assert.True(errors.ContainsKey("events[3].eventId"));
        Assert.True(errors.ContainsKey("events[3].name"));
        Assert.False(errors.ContainsKey("events[0].time"));
        // The good event was not stored: sent alone now, it is new.
        Assert.Equal(1, (int)(await SendAsync(product, good))["stored"]!);

        var wrongType = await product.PostAsync("/api/v1/usage", Json.Raw("""[{"eventId":"t","time":"yesterday","email":"a@b.example","name":"x"}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True((await wrongType.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("events[0].time"));
        var unknown = await product.PostAsync("/api/v1/usage", Json.Raw("""[{"eventId":"t","time":"2026-11-25T10:00:00Z","email":"a@b.example","name":"x","plan":"pro"}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task MoreEventsThanTheLimitAreRefusedNamingTheLimitAndNoneIsStored()
    {
        var product = await ProductAsync();
        var domain = $"flood-{Unique()}.example";
        var prefix = "flood-" + Unique();
        var time = server.Clock.UtcNow.AddHours(-1);
        var events = Enumerable.Range(0, 10_001).Select(i => new { eventId = $"{prefix}-{i}", time, email = $"u{i % 50}@{domain}", name = "login" }).ToArray();

        var response = await product.PostAsync("/api/v1/usage", Json.Body(events));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("10,000", (string)(await response.ReadObjectAsync())["detail"]!);
        await using var db = server.OpenDb();
        Assert.False(await db.UsageEvents.AnyAsync(e => e.EventId.StartsWith(prefix)));
        // Exactly the limit is fine.
        var ok = await SendAsync(product, [.. events.Take(10_000)]);
        Assert.Equal(10_000, (int)ok["stored"]!);
    }

    [Fact]
    public async Task AUsageTokenSendsEventsAndDoesNothingElseAndNoOtherTokenSendsThem()
    {
        var product = await ProductAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PostAsync("/api/v1/usage", Json.Body(Array.Empty<object>()))).StatusCode);
        var (_, repUsage) = await server.AddUserAsync(UserRole.Rep, "Rep product", scope: TokenScope.Usage);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.NewClient(repUsage).PostAsync("/api/v1/usage", Json.Body(Array.Empty<object>()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await product.PostAsync("/api/v1/usage", Json.Body(Array.Empty<object>()))).StatusCode);

        var document = await Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        foreach (var (path, operations) in document!["paths"]!.AsObject())
        {
            foreach (var (method, _) in operations!.AsObject())
            {
                if (path.TrimEnd('/') == "/api/v1/usage" && method == "post")
                    continue;
                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.Empty.ToString());
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (method is not ("get" or "delete"))
                    request.Content = Json.Raw("{}");
                var answer = await product.SendAsync(request);
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{method.ToUpperInvariant()} {path} answered {(int)answer.StatusCode} to a usage token.");
            }
        }
    }

    [Fact]
    public async Task CrossingTheThresholdOpensOneExpansionDealForTheOwnerWithItsEvidence()
    {
        var product = await ProductAsync();
        var (rep, _) = await server.AddUserAsync(UserRole.Rep, "Una Owner");
        var domain = $"team-{Unique()}.example";
        var account = await AccountAsync(domain, employees: 2_000, ownerId: rep.Id);
        // Three users the week before, nine this week: not yet.
        var before = await SendAsync(product, [.. Enumerable.Range(0, 3).Select(i => Event($"p{i}@{domain}", hoursAgo: 24 * 9)), .. Enumerable.Range(0, 9).Select(i => Event($"u{i}@{domain}", hoursAgo: 30))]);
        Assert.Empty(before["opened"]!.AsArray());

        var events = Enumerable.Range(0, 3).Select(i => Event($"u{9 + i}@{domain}", hoursAgo: 2, id: $"x{i}-{account.Id()}")).ToArray();
        var crossing = await SendAsync(product, events);

        var opened = Assert.Single(crossing["opened"]!.AsArray())!.AsObject();
        Assert.Equal(account.Id(), (Guid)opened["accountId"]!);
        var dealId = (Guid)opened["dealId"]!;
        var deal = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{dealId}");
        Assert.Equal(("expansion", rep.Id, account.Id()), ((string)deal!["kind"]!, (Guid)deal["ownerId"]!, (Guid)deal["accountId"]!));
        Assert.Contains("12 weekly active users ≥ 10", (string)deal["nextStep"]!);

        // Again and again: the same events, more users, an evaluation: still one deal.
        await SendAsync(product, events);
        await SendAsync(product, [.. Enumerable.Range(0, 5).Select(i => Event($"more{i}@{domain}"))]);
        await using (var db = server.OpenDb())
        {
            Assert.Equal(1, await db.Deals.CountAsync(d => d.AccountId == account.Id() && d.Kind == DealKind.Expansion));
            Assert.Equal(1, await db.UsageCrossings.CountAsync(c => c.AccountId == account.Id()));
            var note = await db.Activities.SingleAsync(a => a.DealId == dealId);
            Assert.Contains("Rule met: 12 weekly active users ≥ 10.", note.Body!);
            Assert.Contains("Growth: 3 → 12 weekly users (+300 %)", note.Body!);
            Assert.Contains("Product-qualified score", note.Body!);
            var trail = await db.AuditEntries.Where(e => e.EntityId == account.Id()).Select(e => e.EntityType).ToListAsync();
            Assert.Contains("usageCrossing", trail);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityId == dealId && e.Action == Reach.Audit.AuditAction.Create));
            await Reach.Usage.UsageRule.EvaluateAsync(db, null, default);
            Assert.Equal(1, await db.Deals.CountAsync(d => d.AccountId == account.Id()));
        }

        var crossed = await Http.GetFromJsonAsync<JsonObject>("/api/v1/usage/accounts?crossed=true");
        var row = crossed!["items"]!.AsArray().Select(i => i!.AsObject()).Single(i => (Guid)i["accountId"]! == account.Id());
        Assert.Equal(dealId, (Guid)row["dealId"]!);
        Assert.Equal(10, (int)crossed["weeklyActiveUsersThreshold"]!);
        Assert.Equal("Una Owner", (string)row["ownerName"]!);
    }

    [Fact]
    public async Task AShareOfASmallCompanysStaffCrossesTooAndTheThresholdIsAWorkspaceSetting()
    {
        var product = await ProductAsync();
        var small = $"small-{Unique()}.example";
        var account = await AccountAsync(small, employees: 40);
        // Two of 40 is 5 %, but two people are not a team yet; three (7.5 %) are.
        Assert.Empty((await SendAsync(product, Event($"a@{small}"), Event($"b@{small}")))["opened"]!.AsArray());
        Assert.Single((await SendAsync(product, Event($"c@{small}")))["opened"]!.AsArray());

        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 2, usageEmployeeSharePercent = 50 })).StatusCode);
        try
        {
            var pair = $"pair-{Unique()}.example";
            await AccountAsync(pair);
            Assert.Single((await SendAsync(product, Event($"a@{pair}"), Event($"b@{pair}")))["opened"]!.AsArray());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 10, usageEmployeeSharePercent = 5 })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/api/v1/usage/accounts")).StatusCode);
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rita Rep");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.NewClient(repToken).GetAsync("/api/v1/usage/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.NewClient(repToken).GetAsync($"/api/v1/usage/accounts/{account.Id()}")).StatusCode);
    }

    [Fact]
    public async Task LoweringTheThresholdOpensTheDealOfAnAccountNowOverItAtOnceAndOnlyOnce()
    {
        var product = await ProductAsync();
        var (rep, _) = await server.AddUserAsync(UserRole.Rep, "Lou Lower");
        var domain = $"four-{Unique()}.example";
        var account = await AccountAsync(domain, ownerId: rep.Id);
        Assert.Empty((await SendAsync(product, [.. Enumerable.Range(0, 4).Select(i => Event($"u{i}@{domain}"))]))["opened"]!.AsArray());
        async Task<int> ExpansionDealsAsync()
        {
            await using var db = server.OpenDb();
            return await db.Deals.CountAsync(d => d.AccountId == account.Id() && d.Kind == DealKind.Expansion);
        }
        Assert.Equal(0, await ExpansionDealsAsync());

        try
        {
            // No event comes after the change: the change itself runs the rule.
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 4 })).StatusCode);
            Assert.Equal(1, await ExpansionDealsAsync());
            await using (var db = server.OpenDb())
            {
                var crossing = await db.UsageCrossings.SingleAsync(c => c.AccountId == account.Id());
                Assert.Equal("4 weekly active users ≥ 4", crossing.Rule);
                Assert.Equal(rep.Id, (await db.Deals.SingleAsync(d => d.Id == crossing.DealId)).OwnerId);
            }

            // Up and down again: still the one deal.
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 10 })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 3 })).StatusCode);
            Assert.Equal(1, await ExpansionDealsAsync());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { usageWeeklyActiveUsers = 10, usageEmployeeSharePercent = 5 })).StatusCode);
        }
    }
}

public sealed class UsageApiOnSqliteTests(SqliteServer server) : UsageApiTests(server), IClassFixture<SqliteServer>;

public sealed class UsageApiOnPostgresTests(PostgresServer server) : UsageApiTests(server), IClassFixture<PostgresServer>;
