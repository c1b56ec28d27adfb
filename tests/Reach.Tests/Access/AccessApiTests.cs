using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Reach.Web.Access;
using Xunit;

namespace Reach.Tests.Access;

/// <summary>Who may read and change what over /api/v1, and the ASVS settings, on each provider.</summary>
public abstract class AccessApiTests(ReachServer server)
{
    const string GoodPassword = "correct horse battery staple";

    static async Task<JsonObject> CreateAsync(HttpClient http, string resource, object body)
    {
        var response = await http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    async Task<(HttpClient Http, User User)> UserAsync(UserRole role, string name, string? team = null, TokenScope scope = TokenScope.ReadWrite, string? password = null)
    {
        var (user, token) = await server.AddUserAsync(role, name, team, scope, password);
        return (server.NewClient(token), user);
    }

    static async Task<JsonObject> DealOfAsync(HttpClient rep)
    {
        var account = await CreateAsync(rep, "accounts", new { name = "Acme " + Guid.NewGuid().ToString("N")[..6] });
        return await CreateAsync(rep, "deals", new { name = "Pilot", accountId = account.Id(), amount = 1000, currency = "EUR", channel = "inside" });
    }

    async Task<(string Name, decimal Amount, Guid? Owner, DateTime? Deleted)> StoredDealAsync(Guid id)
    {
        await using var db = server.OpenDb();
        var deal = await db.Deals.IgnoreQueryFilters().SingleAsync(d => d.Id == id);
        return (deal.Name, deal.Amount, deal.OwnerId, deal.DeletedAt);
    }

    [Fact]
    public async Task WithoutATokenTheApiAnswers401AndSaysHowToSignIn()
    {
        using var anonymous = server.NewClient();

        var response = await anonymous.GetAsync("/api/v1/deals");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Bearer", (string)(await response.ReadObjectAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.NewClient("reach_made-up").GetAsync("/api/v1/deals")).StatusCode);
    }

    [Fact]
    public async Task ARepCannotReadChangeOrDeleteAnotherRepsDealById()
    {
        var (rita, _) = await UserAsync(UserRole.Rep, "Rita");
        var (ravi, _) = await UserAsync(UserRole.Rep, "Ravi");
        var deal = await DealOfAsync(rita);
        var before = await StoredDealAsync(deal.Id());

        Assert.Equal(HttpStatusCode.NotFound, (await ravi.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.DeleteAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.GetAsync($"/api/v1/deals/{deal.Id()}/history")).StatusCode);
        var list = await ravi.GetFromJsonAsync<JsonObject>("/api/v1/deals?limit=500");
        Assert.DoesNotContain(list!["items"]!.AsArray(), d => d!.AsObject().Id() == deal.Id());

        Assert.Equal(before, await StoredDealAsync(deal.Id()));
    }

    [Fact]
    public async Task ARepReadsAnotherRepsAccountButCannotChangeIt()
    {
        var (rita, _) = await UserAsync(UserRole.Rep, "Rita");
        var (ravi, _) = await UserAsync(UserRole.Rep, "Ravi");
        var account = await CreateAsync(rita, "accounts", new { name = "Globex" });

        Assert.Equal(HttpStatusCode.OK, (await ravi.GetAsync($"/api/v1/accounts/{account.Id()}")).StatusCode);
        var response = await ravi.PatchAsync($"/api/v1/accounts/{account.Id()}", new { name = "Mine now" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = server.OpenDb();
        Assert.Equal("Globex", (await db.Accounts.SingleAsync(a => a.Id == account.Id())).Name);
    }

    [Fact]
    public async Task ARepCannotGiveTheirDealAwayNorMakeOneForSomeoneElse()
    {
        var (rita, ritaUser) = await UserAsync(UserRole.Rep, "Rita");
        var (_, raviUser) = await UserAsync(UserRole.Rep, "Ravi");
        var deal = await DealOfAsync(rita);
        Assert.Equal(ritaUser.Id.ToString(), (string)deal["ownerId"]!);
        var before = await StoredDealAsync(deal.Id());

        var handOver = await rita.PatchAsync($"/api/v1/deals/{deal.Id()}", new { ownerId = raviUser.Id, amount = 5 });
        Assert.Equal(HttpStatusCode.Forbidden, handOver.StatusCode);
        Assert.Equal("ownerId", (string)(await handOver.ReadObjectAsync())["field"]!);
        Assert.Equal(before, await StoredDealAsync(deal.Id()));

        var forRavi = await rita.PostAsync("/api/v1/accounts", Json.Body(new { name = "Initech", ownerId = raviUser.Id }));
        Assert.Equal(HttpStatusCode.Forbidden, forRavi.StatusCode);
    }

    [Fact]
    public async Task ARepCannotChangeTheirOwnRoleOrAddUsers()
    {
        var (rita, ritaUser) = await UserAsync(UserRole.Rep, "Rita");

        var promote = await rita.PatchAsync($"/api/v1/users/{ritaUser.Id}", new { role = "admin" });
        var add = await rita.PostAsync("/api/v1/users", Json.Body(new { email = "new@test.example", name = "New" }));
        var unknownField = await rita.PostAsync("/api/v1/accounts", Json.Body(new { name = "X", role = "admin" }));

        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        await using var db = server.OpenDb();
        Assert.Equal(UserRole.Rep, (await db.Users.SingleAsync(u => u.Id == ritaUser.Id)).Role);
        Assert.False(await db.Users.AnyAsync(u => u.Email == "new@test.example"));
    }

    [Fact]
    public async Task AManagerSeesAndChangesTheirTeamsDealsButNotAnotherTeams()
    {
        var team = "Velocity " + Guid.NewGuid().ToString("N")[..6];
        var (manager, managerUser) = await UserAsync(UserRole.Manager, "Mia", team);
        await using (var db = server.OpenDb())
        {
            var t = await db.Teams.SingleAsync(x => x.Name == team);
            t.ManagerId = managerUser.Id;
            await db.SaveChangesAsync();
        }
        var (mine, _) = await UserAsync(UserRole.Rep, "Tom", team);
        var (other, _) = await UserAsync(UserRole.Rep, "Olga", "Other " + Guid.NewGuid().ToString("N")[..6]);
        var teamDeal = await DealOfAsync(mine);
        var otherDeal = await DealOfAsync(other);

        Assert.Equal(HttpStatusCode.OK, (await manager.PatchAsync($"/api/v1/deals/{teamDeal.Id()}", new { nextStep = "Call CFO" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/deals/{otherDeal.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mine.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task OnlyAnAdminCreatesRepricesDeletesOrRestoresAProduct()
    {
        var sku = "P-" + Guid.NewGuid().ToString("N")[..6];
        var product = await CreateAsync(server.Http, "products", new { name = "Seat " + sku, sku, listPrice = 600, currency = "EUR" });
        var (rep, _) = await UserAsync(UserRole.Rep, "Rita");
        var (manager, _) = await UserAsync(UserRole.Manager, "Mia", "Products " + sku);

        foreach (var user in new[] { rep, manager })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsync("/api/v1/products", Json.Body(new { name = "Cheap " + sku, listPrice = 1, currency = "EUR" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await user.PatchAsync($"/api/v1/products/{product.Id()}", new { listPrice = 1 })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await user.DeleteAsync($"/api/v1/products/{product.Id()}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/v1/products/{product.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/api/v1/products/{product.Id()}/restore", null)).StatusCode);

        await using var db = server.OpenDb();
        var stored = await db.Products.IgnoreQueryFilters().SingleAsync(p => p.Id == product.Id());
        Assert.Equal(600m, stored.ListPrice);
        Assert.NotNull(stored.DeletedAt);
        Assert.False(await db.Products.IgnoreQueryFilters().AnyAsync(p => p.Name == "Cheap " + sku));
    }

    [Fact]
    public async Task AReadOnlyTokenCannotWrite()
    {
        var (rita, _) = await UserAsync(UserRole.Rep, "Rita");
        var deal = await DealOfAsync(rita);
        var (_, readOnly) = await server.AddUserAsync(UserRole.Admin, "Auditor", scope: TokenScope.Read);
        using var reader = server.NewClient(readOnly);
        var before = await StoredDealAsync(deal.Id());

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        var write = await reader.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("read-only", (string)(await write.ReadObjectAsync())["detail"]!);
        Assert.Equal(before, await StoredDealAsync(deal.Id()));
    }

    [Fact]
    public async Task ExpiredAndRevokedTokensStopWorking()
    {
        var (rita, ritaUser) = await UserAsync(UserRole.Rep, "Rita");
        var created = await CreateAsync(rita, "tokens", new { name = "script", scope = "read_write", expiresInDays = 30 });
        using var script = server.NewClient((string)created["token"]!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await rita.DeleteAsync($"/api/v1/tokens/{created.Id()}")).StatusCode);
        var revoked = await script.PostAsync("/api/v1/accounts", Json.Body(new { name = "After revoke" }));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", (string)(await revoked.ReadObjectAsync())["detail"]!);

        var (secret, token) = ApiToken.Issue(ritaUser, "old", TokenScope.ReadWrite, server.Clock.UtcNow.AddDays(-10), TimeSpan.FromDays(1));
        await using (var db = server.OpenDb())
        {
            token.UserStamp = (await db.Users.SingleAsync(u => u.Id == ritaUser.Id)).SecurityStamp!;
            db.ApiTokens.Add(token);
            await db.SaveChangesAsync();
        }
        var expired = await server.NewClient(secret).PostAsync("/api/v1/accounts", Json.Body(new { name = "After expiry" }));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", (string)(await expired.ReadObjectAsync())["detail"]!);

        await using var check = server.OpenDb();
        Assert.False(await check.Accounts.AnyAsync(a => a.Name.StartsWith("After ")));
    }

    [Fact]
    public async Task DisablingAUserEndsTheirTokensAtOnce()
    {
        var (rita, ritaUser) = await UserAsync(UserRole.Rep, "Rita");
        Assert.Equal(HttpStatusCode.OK, (await rita.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PatchAsync($"/api/v1/users/{ritaUser.Id}", new { active = false })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await rita.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PatchAsync($"/api/v1/users/{ritaUser.Id}", new { active = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rita.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task ChangingThePasswordEndsEveryToken()
    {
        var (rita, _) = await UserAsync(UserRole.Rep, "Rita", password: GoodPassword);

        var change = await rita.PostAsync("/api/v1/me/password", Json.Body(new { currentPassword = GoodPassword, newPassword = "another long phrase to remember" }));

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rita.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task APasswordGetsATokenAndRepeatedFailuresRefuseThatEmailFromThatAddress()
    {
        var (_, rita) = await UserAsync(UserRole.Rep, "Rita", password: GoodPassword);
        using var anonymous = server.NewClient();

        var ok = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = rita.Email, password = GoodPassword, name = "laptop" }));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var token = (string)(await ok.ReadObjectAsync())["token"]!;
        Assert.StartsWith(ApiToken.Prefix, token);
        Assert.Equal(HttpStatusCode.OK, (await server.NewClient(token).GetAsync("/api/v1/me")).StatusCode);

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = rita.Email, password = "wrong guess " + i, name = "x" }))).StatusCode);
        var locked = await anonymous.PostAsync("/api/v1/auth/tokens", Json.Body(new { email = rita.Email, password = GoodPassword, name = "laptop" }));

        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal(PasswordSignIn.Refused, (string)(await locked.ReadObjectAsync())["detail"]!);
    }

    [Theory]
    [InlineData("short", "at least 12")]
    [InlineData("password1234", "most common")]
    [InlineData("123456789012", "most common")]
    [InlineData("aaaaaaaaaaaaaaaa", "most common")]
    public async Task WeakPasswordsAreRefusedNamingThePasswordField(string password, string reason)
    {
        var invited = await CreateAsync(server.Http, "users", new { email = $"new-{Guid.NewGuid():N}@test.example", name = "Newcomer" });
        var link = new Uri((string)invited["inviteLink"]!);
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        using var anonymous = server.NewClient();

        var response = await anonymous.PostAsync("/api/v1/auth/invite", Json.Body(new { userId = query["user"], token = query["token"], password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (string)(await response.ReadObjectAsync())["errors"]!["password"]![0]!);
    }

    [Fact]
    public async Task AnInviteLinkSetsThePasswordOnceWithOwaspsHashStrength()
    {
        var invited = await CreateAsync(server.Http, "users", new { email = $"new-{Guid.NewGuid():N}@test.example", name = "Newcomer", role = "rep" });
        var query = System.Web.HttpUtility.ParseQueryString(new Uri((string)invited["inviteLink"]!).Query);
        using var anonymous = server.NewClient();
        var accept = new { userId = query["user"], token = query["token"], password = GoodPassword };

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsync("/api/v1/auth/invite", Json.Body(accept))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync("/api/v1/auth/invite", Json.Body(accept))).StatusCode);

        await using var db = server.OpenDb();
        var hash = Convert.FromBase64String((await db.Users.SingleAsync(u => u.Id == Guid.Parse(query["user"]!))).PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(ReachAccess.HashIterations, (int)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4)));
        // The key ring that signed the link is in the database, encrypted by the certificate outside it.
        var keys = await db.ProtectionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.Contains("EncryptedData", xml));
    }

    [Fact]
    public async Task ASharedDealCanBeReadButNotChangedByTheOtherRep()
    {
        var (rita, _) = await UserAsync(UserRole.Rep, "Rita");
        var (ravi, raviUser) = await UserAsync(UserRole.Rep, "Ravi");
        var deal = await DealOfAsync(rita);

        // Ravi cannot share Rita's deal with himself: to him it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.PostAsync($"/api/v1/deals/{deal.Id()}/shares", Json.Body(new { userId = raviUser.Id }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await rita.PostAsync($"/api/v1/deals/{deal.Id()}/shares", Json.Body(new { userId = raviUser.Id }))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ravi.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ravi.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = 1 })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await rita.DeleteAsync($"/api/v1/deals/{deal.Id()}/shares/{raviUser.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);

        // Both are in the deal's history, with who did it and whom it concerned.
        var trail = await (await server.Http.GetAsync($"/api/v1/audit?entityId={deal.Id()}&entityType=share")).ReadObjectAsync();
        var entries = trail["items"]!.AsArray();
        Assert.Equal(["unshare", "share"], entries.Select(e => (string)e!["action"]!));
        Assert.All(entries, e => Assert.Equal(raviUser.Id.ToString(), (string?)(e!["changes"]!["userId"]!["before"] ?? e["changes"]!["userId"]!["after"])));
    }

    [Fact]
    public async Task AContactsPersonalDataIsExportedAndErasedWhileTheDealKeepsItsAmount()
    {
        var account = await CreateAsync(server.Http, "accounts", new { name = "Soylent" });
        var email = $"sol-{Guid.NewGuid():N}@soylent.example";
        var contact = await CreateAsync(server.Http, "contacts", new { firstName = "Sol", lastName = "Roth", email, phone = "+1 555 0100", accountId = account.Id() });
        await CreateAsync(server.Http, "activities", new { type = "call", subject = "Called Sol about the pilot", contactId = contact.Id() });
        var deal = await CreateAsync(server.Http, "deals", new { name = "Soylent pilot", accountId = account.Id(), primaryContactId = contact.Id(), amount = 4200, currency = "EUR", channel = "inside" });
        var (rep, _) = await UserAsync(UserRole.Rep, "Rita");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/api/v1/contacts/{contact.Id()}/erase", null)).StatusCode);

        var export = await server.Http.GetStringAsync($"/api/v1/contacts/{contact.Id()}/personal-data");
        Assert.Contains(email, export);
        Assert.Contains("Called Sol about the pilot", export);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"/api/v1/contacts/{contact.Id()}/erase", null)).StatusCode);

        var after = await server.Http.GetStringAsync($"/api/v1/contacts/{contact.Id()}/personal-data");
        Assert.DoesNotContain(email, after);
        Assert.DoesNotContain("Sol", after.Replace("Soylent", "", StringComparison.Ordinal));
        var trail = await server.Http.GetStringAsync($"/api/v1/audit?entityId={contact.Id()}");
        Assert.DoesNotContain(email, trail);
        Assert.Equal(4200m, (decimal)(await server.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}"))!["amount"]!);
    }

    [Fact]
    public async Task TheUserListNeverShowsSecrets()
    {
        var users = await server.Http.GetStringAsync("/api/v1/users");

        Assert.DoesNotContain("passwordHash", users, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securityStamp", users, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"role\":\"admin\"", users);
    }
}

public sealed class AccessApiOnSqliteTests(SqliteServer server) : AccessApiTests(server), IClassFixture<SqliteServer>;

public sealed class AccessApiOnPostgresTests(PostgresServer server) : AccessApiTests(server), IClassFixture<PostgresServer>;
