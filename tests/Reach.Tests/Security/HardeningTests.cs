using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Reach.Web.Access;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>The findings of the attack on a running server (issue 25), each as it was reproduced, on each provider.</summary>
public abstract partial class HardeningTests(ReachServer server)
{
    const string GoodPassword = "violet tractor under the lamp";

    static async Task<JsonObject> CreateAsync(HttpClient http, string resource, object body)
    {
        var response = await http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    [Fact]
    public async Task ANameWithAControlCharacterIsRefusedAndTheXlsxExportNeverFailsOnWhatIsStored()
    {
        foreach (var name in new[] { "nul\u0000byte", "\u0001", "bell\u0007" })
        {
            var refused = await server.Http.PostAsync("/api/v1/accounts", Json.Body(new { name }));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("control character", (string)(await refused.ReadObjectAsync())["errors"]!["name"]![0]!);
        }
        // Stored before the rule (or by a path that skipped it): the export drops what XML cannot hold.
        await using (var db = server.OpenDb())
        {
            db.Accounts.Add(new Account { Name = "Old\u0001Import " + Guid.NewGuid().ToString("N")[..6] });
            await db.SaveChangesAsync();
        }

        var export = await server.Http.GetAsync("/api/v1/exports/accounts?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.NotEmpty(await export.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SigningOutEndsTheSessionSoASavedCookieOpensNothing()
    {
        var (rita, _) = await server.AddUserAsync(UserRole.Rep, "Rita Session", password: GoodPassword);
        var (browser, cookies) = WebClient();
        await SignInAsync(browser, rita.Email!, GoodPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Deals")).StatusCode);
        var saved = cookies.GetCookieHeader(server.BaseAddress);
        Assert.Contains("reach.session=", saved);

        var signOut = await PostFormAsync(browser, "/Deals", "/sign-out", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var replay = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Deals");
        request.Headers.Add("Cookie", saved);
        var afterwards = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.Contains("/sign-in", afterwards.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EveryFailedSignInGetsTheSameAnswerAfterTheSameWork()
    {
        var (rita, _) = await server.AddUserAsync(UserRole.Rep, "Rita Timing", password: GoodPassword);
        var (gone, _) = await server.AddUserAsync(UserRole.Rep, "Gone Timing", password: GoodPassword);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            await directory.SetActiveAsync(await db.Users.SingleAsync(u => u.Id == gone.Id), false, server.Clock.UtcNow);
        }
        var (invited, _) = await server.AddUserAsync(UserRole.Rep, "Invited Timing");
        using var anonymous = server.NewClient();

        async Task<(string Detail, TimeSpan Took)> TryAsync(string email, string password)
        {
            var watch = Stopwatch.StartNew();
            var response = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email, password, name = "x" }));
            watch.Stop();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return ((string)(await response.ReadObjectAsync())["detail"]!, watch.Elapsed);
        }

        var wrong = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        var details = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            var w = await TryAsync(rita.Email!, "wrong guess number " + i);
            var u = await TryAsync($"nobody-{Guid.NewGuid():N}@test.example", "wrong guess number " + i);
            var d = await TryAsync(gone.Email!, GoodPassword);
            var n = await TryAsync(invited.Email!, "wrong guess number " + i);
            wrong.Add(w.Took);
            unknown.Add(u.Took);
            details.UnionWith([w.Detail, u.Detail, d.Detail, n.Detail]);
        }

        Assert.Equal([PasswordSignIn.Refused], details);
        // A password hash is checked either way: an unknown e-mail is not answered in a fraction of the time.
        Assert.True(Median(unknown) > Median(wrong) * 0.5, $"unknown {Median(unknown)}, wrong password {Median(wrong)}");
    }

    static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

    [Fact]
    public async Task FiveFailuresRefuseThatEmailFromThatAddressWithTheSameAnswer()
    {
        var (rita, _) = await server.AddUserAsync(UserRole.Rep, "Rita Lock", password: GoodPassword);
        using var anonymous = server.NewClient();
        var nobody = $"nobody-{Guid.NewGuid():N}@test.example";
        for (var i = 0; i < SignInFailures.Limit; i++)
        {
            await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = rita.Email, password = "wrong guess " + i, name = "x" }));
            await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = nobody, password = "wrong guess " + i, name = "x" }));
        }

        var refused = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = rita.Email, password = GoodPassword, name = "x" }));
        var refusedNobody = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = nobody, password = GoodPassword, name = "x" }));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(PasswordSignIn.Refused, (string)(await refused.ReadObjectAsync())["detail"]!);
        Assert.Equal(PasswordSignIn.Refused, (string)(await refusedNobody.ReadObjectAsync())["detail"]!);
        // The account itself is not locked: Identity's per-account lockout is off.
        await using var db = server.OpenDb();
        Assert.Null((await db.Users.SingleAsync(u => u.Id == rita.Id)).LockoutEnd);
    }

    [Theory]
    [InlineData("accounts", """{"name":"\ud800"}""", "name")]
    [InlineData("contacts", """{"firstName":"A","lastName":"\udfff b"}""", "lastName")]
    [InlineData("auth/tokens", """{"email":"x\ud800@test.example","password":"p","name":"n"}""", "email")]
    [InlineData("sequences", """{"name":"\ud800"}""", "name")]
    [InlineData("pipelines", """{"name":"x","channel":"inside","stages":[{"name":"\ud800"}]}""", "name")]
    public async Task ALoneSurrogateInAJsonBodyIsA400NamingTheField(string resource, string body, string field)
    {
        var response = await server.Http.PostAsync($"/api/v1/{resource}", Json.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        Assert.Contains("surrogate", (string)problem["errors"]![field]![0]!);
    }

    [Fact]
    public async Task ARepWhoDeletesAStageIsRefusedBeforeAnyCountIsRead()
    {
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rita Stage");
        using var rep = server.NewClient(repToken);
        var account = await CreateAsync(rep, "accounts", new { name = "Stage Co " + Guid.NewGuid().ToString("N")[..6] });
        var deal = await CreateAsync(rep, "deals", new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" });

        var response = await rep.DeleteAsync($"/api/v1/pipelines/{deal["pipelineId"]}/stages/{deal["stageId"]}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotMatch(new Regex(@"\d+ deal"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ContactsOfOtherRepsAreNeitherShownNorDescribedWhenTheirEmailIsTaken()
    {
        var (_, ritaToken) = await server.AddUserAsync(UserRole.Rep, "Rita Oracle");
        var (_, samToken) = await server.AddUserAsync(UserRole.Rep, "Sam Oracle");
        using var rita = server.NewClient(ritaToken);
        using var sam = server.NewClient(samToken);
        var email = $"secret-{Guid.NewGuid():N}@customer.example";
        var account = await CreateAsync(rita, "accounts", new { name = "Oracle Co " + Guid.NewGuid().ToString("N")[..6] });
        var hidden = await CreateAsync(rita, "contacts", new { accountId = account.Id(), firstName = "Hidden", lastName = "Person", email });

        var taken = await sam.PostAsync("/api/v1/contacts", Json.Body(new { accountId = account.Id(), firstName = "Other", lastName = "Name", email }));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var text = await taken.Content.ReadAsStringAsync();
        Assert.Contains("share", text);
        Assert.DoesNotContain(hidden.Id().ToString(), text);
        Assert.DoesNotContain("Hidden", text);
    }

    [Fact]
    public async Task AnImportRowWithAnotherRepsDealIdNeverShowsTheDatabasesText()
    {
        var (_, ritaToken) = await server.AddUserAsync(UserRole.Rep, "Rita Import");
        var (_, samToken) = await server.AddUserAsync(UserRole.Rep, "Sam Import");
        using var rita = server.NewClient(ritaToken);
        using var sam = server.NewClient(samToken);
        var account = await CreateAsync(rita, "accounts", new { name = "Import Co " + Guid.NewGuid().ToString("N")[..6] });
        var deal = await CreateAsync(rita, "deals", new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" });

        var response = await sam.PostAsync("/api/v1/imports?as=deals", new StringContent(
            $"id,name,accountId,amount,currency\n{deal.Id()},Mine now,{account.Id()},1,EUR\n", System.Text.Encoding.UTF8, "text/csv"));

        var text = await response.Content.ReadAsStringAsync();
        // Refused (the row, or the import as a rep may not write another's deal), in words of Reach's own.
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, text);
        foreach (var leak in new[] { "constraint", "SQLite", "UNIQUE", "violates", "23505", "duplicate key" })
            Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
        await using (var db = server.OpenDb())
            Assert.Equal("Pilot", (await db.Deals.IgnoreQueryFilters().SingleAsync(d => d.Id == deal.Id())).Name);

        // An id no longer visible (the deal was deleted) collides in the database itself, even for an admin: the row is
        // refused in Reach's words (the database's own text before).
        Assert.Equal(HttpStatusCode.NoContent, (await rita.DeleteAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        var again = await server.Http.PostAsync("/api/v1/imports?as=deals", new StringContent(
            $"id,name,accountId,amount,currency\n{deal.Id()},Back again,{account.Id()},1,EUR\n", System.Text.Encoding.UTF8, "text/csv"));
        var summary = await again.ReadObjectAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(ImportKeys.DuplicateMessage, (string)summary["rejected"]![0]!["reason"]!);
    }

    [Fact]
    public async Task ChangesToUsersAndTokensAreAudited()
    {
        var (rita, ritaToken) = await server.AddUserAsync(UserRole.Rep, "Rita Audit");
        using var ritaClient = server.NewClient(ritaToken);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PatchAsync($"/api/v1/users/{rita.Id}", new { role = "manager" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PatchAsync($"/api/v1/users/{rita.Id}", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PatchAsync($"/api/v1/users/{rita.Id}", new { active = true })).StatusCode);
        var (_, adminToken) = await server.AddUserAsync(UserRole.Admin, "Ada Audit");
        using var ada = server.NewClient(adminToken);
        var token = await CreateAsync(ada, "tokens", new { name = "script" });
        Assert.Equal(HttpStatusCode.NoContent, (await ada.DeleteAsync($"/api/v1/tokens/{token.Id()}")).StatusCode);

        var userTrail = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityType=user&entityId={rita.Id}"))!["items"]!.AsArray();
        var tokenTrail = (await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/audit?entityType=apiToken&entityId={token.Id()}"))!["items"]!.AsArray();

        var changes = userTrail.Select(e => e!["changes"]!.ToJsonString()).ToList();
        Assert.Contains(changes, c => c.Contains("\"role\"") && c.Contains("manager"));
        Assert.Contains(changes, c => c.Contains("\"isActive\":{\"before\":true,\"after\":false}"));
        Assert.Contains(changes, c => c.Contains("\"isActive\":{\"before\":false,\"after\":true}"));
        Assert.Equal(["create", "update"], tokenTrail.Select(e => (string)e!["action"]!).Reverse());
        Assert.Contains("revokedAt", tokenTrail[0]!["changes"]!.ToJsonString());
        foreach (var secret in new[] { "hash", "stamp", "passwordHash", "securityStamp", "userStamp" })
            Assert.DoesNotContain(secret, userTrail.ToJsonString() + tokenTrail.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheDeniedPageExistsAndSaysWhy()
    {
        var (rita, _) = await server.AddUserAsync(UserRole.Rep, "Rita Denied", password: GoodPassword);
        var (browser, _) = WebClient();
        await SignInAsync(browser, rita.Email!, GoodPassword);

        var response = await browser.GetAsync("/denied");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not yours to change", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheApisHtmlReportMayUseItsInlineStyles()
    {
        var response = await server.Http.GetAsync("/api/v1/reports/weekly?format=html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("style-src 'unsafe-inline'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task AnOverLongUrlGetsAProblemAndNoResponseNamesTheServer()
    {
        var response = await server.Http.GetAsync("/api/v1/accounts?search=" + new string('a', 9000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False((await server.Http.GetAsync("/api/v1/accounts")).Headers.Contains("Server"));
    }

    (HttpClient Client, CookieContainer Cookies) WebClient()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        return (client, cookies);
    }

    static async Task SignInAsync(HttpClient browser, string email, string password)
    {
        var response = await PostFormAsync(browser, "/sign-in", "/sign-in", [("email", email), ("password", password)]);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Reads the antiforgery token of <paramref name="page"/>, then posts the form to <paramref name="action"/>.</summary>
    static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string page, string action, (string, string)[] fields)
    {
        var html = await browser.GetStringAsync(page);
        var token = AntiforgeryToken().Match(html).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]);
        return await browser.PostAsync(action, form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

public sealed class HardeningOnSqliteTests(SqliteServer server) : HardeningTests(server), IClassFixture<SqliteServer>;

public sealed class HardeningOnPostgresTests(PostgresServer server) : HardeningTests(server), IClassFixture<PostgresServer>;
