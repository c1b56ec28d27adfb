using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Api;

/// <summary>The /api/v1 contract, run over real HTTP against each database provider.</summary>
public abstract class RecordsApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    async Task<JsonObject> CreateAsync(string resource, object body)
    {
        var response = await Http.PostAsync($"/api/v1/{resource}", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    async Task<JsonObject> NewAccountAsync(string name = "Acme") =>
        await CreateAsync("accounts", new { name, domain = $"https://www.{name.ToLowerInvariant()}-{Guid.NewGuid():N}.example/", employees = 120, channel = "inside", tier = "B" });

    async Task<JsonObject> NewDealAsync(Guid accountId, string channel = "inside", decimal amount = 12000m) =>
        await CreateAsync("deals", new { name = "Pilot " + Guid.NewGuid().ToString("N")[..6], accountId, amount, currency = "EUR", channel });

    async Task<int> CountAsync(string table)
    {
        await using var db = server.OpenDb();
        return table switch
        {
            "accounts" => await db.Accounts.IgnoreQueryFilters().CountAsync(),
            "deals" => await db.Deals.IgnoreQueryFilters().CountAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
    }

    [Fact]
    public async Task CreatingAnAccountReturnsItWithLocationAndETag()
    {
        var response = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Globex", domain = "HTTPS://WWW.Globex.example/about", employees = 40 }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var account = await response.ReadObjectAsync();
        Assert.Equal("globex.example", (string)account["domain"]!);
        Assert.Equal("prospect", (string)account["lifecycle"]!);
        Assert.Equal($"/api/v1/accounts/{account.Id()}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);

        var read = await Http.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Globex", (string)(await read.ReadObjectAsync())["name"]!);
    }

    [Fact]
    public async Task ANewDealStartsInTheFirstStageOfItsChannelsPipelineAndIsListedByStageName()
    {
        var account = await NewAccountAsync();
        var deal = await NewDealAsync(account.Id());

        var list = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?stage=qualified&account={account.Id()}");
        var items = list!["items"]!.AsArray();
        Assert.Single(items);
        Assert.Equal(deal.Id(), items[0]!.AsObject().Id());
        Assert.Equal("open", (string)deal["status"]!);
        Assert.Equal("inside", (string)deal["channel"]!);
    }

    [Fact]
    public async Task MovingADealToWonClosesItAndRecordsTheStageHistory()
    {
        var account = await NewAccountAsync();
        var deal = await NewDealAsync(account.Id());
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)deal["pipelineId"]!}");
        var won = pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["outcome"]! == "won");

        var response = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = won.Id() }, ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadObjectAsync();
        Assert.Equal("won", (string)updated["status"]!);
        Assert.Equal("closed", (string)updated["forecastCategory"]!);
        Assert.NotNull(updated["closedAt"]);
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        var history = await Http.GetFromJsonAsync<JsonArray>($"/api/v1/deals/{deal.Id()}/history");
        Assert.Equal(2, history!.Count);
        Assert.Equal(won.Id(), Guid.Parse((string)history[1]!["toStageId"]!));
    }

    [Fact]
    public async Task AStaleWriteGets412AndLosesNothing()
    {
        var account = await NewAccountAsync("Initech");
        var first = await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { employees = 200 }, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stale = await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { employees = 5 }, ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        var stored = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts/{account.Id()}");
        Assert.Equal(200, (int)stored!["employees"]!);
        Assert.Equal(2, (long)stored["version"]!);
    }

    [Fact]
    public async Task APatchChangesOnlyTheFieldsItNamesAndNullClearsOne()
    {
        var account = await NewAccountAsync("Hooli");

        var response = await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", JsonNode.Parse("""{"industry":"Software","tier":null}""")!);

        var updated = await response.ReadObjectAsync();
        Assert.Equal("Software", (string)updated["industry"]!);
        Assert.Null(updated["tier"]);
        Assert.Equal(120, (int)updated["employees"]!);
        Assert.Equal((string)account["domain"]!, (string)updated["domain"]!);
    }

    [Theory]
    [InlineData("""{"name":"X","employees":"many"}""", "employees", "whole number")]
    [InlineData("""{"name":"X","employees":-3}""", "employees", "between")]
    [InlineData("""{"domain":"x.example"}""", "name", "required")]
    [InlineData("""{"name":"X","colour":"red"}""", "colour", "not a known field")]
    [InlineData("""{"name":"X","channel":"carrier_pigeon"}""", "channel", "self_service")]
    [InlineData("""{"name":"X","name":"Y"}""", "name", "more than once")]
    [InlineData("""{"name":"X","ownerId":"0195a1a0-0000-7000-8000-000000000000"}""", "ownerId", "No user")]
    [InlineData("""["not","an","object"]""", "body", "JSON object")]
    [InlineData("""{"Name":"X"}""", "Name", "not a known field")]
    [InlineData("""{"name":"X","domain":"not a domain!!"}""", "domain", "not a web domain")]
    public async Task BadInputGetsAProblemNamingTheFieldAndStoresNothing(string body, string field, string reason)
    {
        var before = await CountAsync("accounts");

        var response = await Http.PostAsync("/api/v1/accounts", Json.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.ReadObjectAsync();
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"errors should name '{field}': {problem.ToJsonString()}");
        Assert.Contains(reason, errors[field]!.AsArray()[0]!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await CountAsync("accounts"));
    }

    [Fact]
    public async Task ABadPatchLeavesTheRecordAsItWas()
    {
        var account = await NewAccountAsync("Umbrella");
        var deal = await NewDealAsync(account.Id());

        var response = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { amount = -5, name = "Renamed" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("amount"));
        var stored = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}");
        Assert.Equal((string)deal["name"]!, (string)stored!["name"]!);
        Assert.Equal(1, (long)stored["version"]!);
    }

    [Fact]
    public async Task ADealReferencingAnUnknownAccountIsRefusedNamingAccountId()
    {
        var before = await CountAsync("deals");

        var response = await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Ghost", accountId = Guid.NewGuid(), amount = 10, currency = "EUR", channel = "field" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("accountId"));
        Assert.Equal(before, await CountAsync("deals"));
    }

    [Fact]
    public async Task AnOversizedBodyGets413()
    {
        var huge = new string('x', 2 * 1024 * 1024);
        var response = await Http.PostAsync("/api/v1/accounts", Json.Raw($$"""{"name":"{{huge}}"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ANonJsonBodyGets415()
    {
        var response = await Http.PostAsync("/api/v1/accounts", new StringContent("name=X", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownIdGets404ProblemJson()
    {
        var response = await Http.GetAsync($"/api/v1/deals/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("No deal has the id", (string)(await response.ReadObjectAsync())["detail"]!);
    }

    [Theory]
    [InlineData("/api/v1/deals?colour=red", "colour")]
    [InlineData("/api/v1/deals?channel=pigeon", "channel")]
    [InlineData("/api/v1/deals?limit=0", "limit")]
    [InlineData("/api/v1/deals?sort=colour", "sort")]
    [InlineData("/api/v1/deals?closedFrom=yesterday", "closedFrom")]
    [InlineData("/api/v1/accounts?cursor=%%%", "cursor")]
    [InlineData("/api/v1/deals?stage=nonexistent", "stage")]
    public async Task BadListParametersAreNamed(string url, string field)
    {
        var response = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task CursorPagesCoverEveryRecordOnceInOrder()
    {
        var account = await NewAccountAsync("Paged");
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++)
            created.Add((await NewDealAsync(account.Id(), amount: 1000 + i)).Id());

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account.Id()}&sort=-amount&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page!["items"]!.AsArray().Select(d => d!.AsObject().Id()));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task FiltersNarrowTheList()
    {
        var account = await NewAccountAsync("Filtered");
        var field = await NewDealAsync(account.Id(), channel: "field", amount: 90000);
        await NewDealAsync(account.Id(), channel: "inside");

        var list = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account.Id()}&channel=field&status=open");

        Assert.Equal([field.Id()], list!["items"]!.AsArray().Select(d => d!.AsObject().Id()));
        var search = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/accounts?q=filtered");
        Assert.Contains(search!["items"]!.AsArray(), a => a!.AsObject().Id() == account.Id());
    }

    [Fact]
    public async Task SearchOwnerAndDateRangesReadAsTheDocsSay()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var account = await NewAccountAsync("Umbrella" + tag);
        var (rep, _) = await server.AddUserAsync(Reach.Data.UserRole.Rep, "Rita " + tag);
        var deal = await CreateAsync("deals", new { name = "Pilot", accountId = account.Id(), amount = 5000m, currency = "EUR", channel = "inside", ownerId = rep.Id });
        async Task<List<Guid>> DealsAsync(string query) =>
            [.. (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals?account={account.Id()}&{query}"))!["items"]!.AsArray().Select(d => d!.AsObject().Id())];

        // q matches the deal's account name, as the Deals page does.
        Assert.Equal([deal.Id()], await DealsAsync($"q=umbrella{tag}"));
        // owner: an id or an e-mail (any case); an e-mail nobody has is a 400 naming the field.
        Assert.Equal([deal.Id()], await DealsAsync($"owner={rep.Id}"));
        Assert.Equal([deal.Id()], await DealsAsync($"owner={Uri.EscapeDataString(rep.Email!.ToUpperInvariant())}"));
        var unknown = await Http.GetAsync($"/api/v1/deals?owner=nobody-{tag}@test.example");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("owner", await unknown.Content.ReadAsStringAsync());

        // Both ends of a range are included, a date bound for its whole day.
        var pipeline = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{(string)deal["pipelineId"]!}");
        var won = pipeline!["stages"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["outcome"]! == "won");
        var closed = await (await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { stageId = won.Id() }, ifMatch: "\"1\"")).ReadObjectAsync();
        var closedAt = (DateTime)closed["closedAt"]!;
        var day = DateOnly.FromDateTime(closedAt.ToUniversalTime()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dayBefore = DateOnly.FromDateTime(closedAt.ToUniversalTime()).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([deal.Id()], await DealsAsync($"closedFrom={day}&closedTo={day}"));
        Assert.Empty(await DealsAsync($"closedTo={dayBefore}"));
        var instant = Uri.EscapeDataString(closedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([deal.Id()], await DealsAsync($"closedTo={instant}"));
        Assert.Equal([deal.Id()], await DealsAsync($"createdTo={day}&updatedTo={day}"));
    }

    [Fact]
    public async Task ADeletedRecordIsGoneUntilRestored()
    {
        var account = await NewAccountAsync("Soylent");

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/accounts/{account.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/accounts/{account.Id()}")).StatusCode);

        var restored = await Http.PostAsync($"/api/v1/accounts/{account.Id()}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/accounts/{account.Id()}")).StatusCode);
    }

    [Fact]
    public async Task ContactsActivitiesLeadsAndProductsRoundTrip()
    {
        var account = await NewAccountAsync("Wayne");
        var contact = await CreateAsync("contacts", new { accountId = account.Id(), firstName = "Lucius", lastName = "Fox", email = "Lucius@Wayne.Example", role = "economic_buyer", timeZone = "America/New_York" });
        Assert.Equal("lucius@wayne.example", (string)contact["email"]!);
        var activity = await CreateAsync("activities", new { type = "call", direction = "outbound", subject = "Intro call", contactId = contact.Id(), accountId = account.Id(), outcome = "connected" });
        Assert.Equal("call", (string)activity["type"]!);
        // Logged without a time: it happened when the workspace's clock says it was saved (the test clock, not the machine's).
        Assert.InRange(activity["occurredAt"]!.GetValue<DateTime>().ToUniversalTime(), server.Clock.UtcNow.AddHours(-1), server.Clock.UtcNow);
        var lead = await CreateAsync("leads", new { firstName = "Ada", company = "Analytical", email = "ada@analytical.example", source = "inbound" });
        Assert.Equal("new", (string)lead["status"]!);
        var product = await CreateAsync("products", new { name = "Team plan", sku = "TEAM-" + Guid.NewGuid().ToString("N")[..6], listPrice = 4800.50m, currency = "EUR" });
        Assert.Equal(4800.50m, (decimal)product["listPrice"]!);

        var touches = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/activities?contact={contact.Id()}");
        Assert.Single(touches!["items"]!.AsArray());
        var badZone = await Http.PostAsync("/api/v1/contacts", Json.Body(new { firstName = "X", timeZone = "Mars/Olympus" }));
        Assert.True((await badZone.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("timeZone"));
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("leads")]
    public async Task ContactsAndLeadsHoldAPersonAlike(string resource)
    {
        // The same e-mail rule and column lengths for both (PersonColumns, Contact.NormaliseEmail): a lead converts into
        // a contact without a character lost.
        var unique = Guid.NewGuid().ToString("N")[..8];
        var longest = new string('n', 100);
        var person = await CreateAsync(resource, new { firstName = longest, lastName = longest, email = $"Ada.{unique}@Analytical.EXAMPLE", title = new string('t', 150), phone = new string('5', 50) });
        Assert.Equal($"ada.{unique}@analytical.example", (string)person["email"]!);
        Assert.Equal(longest, (string)(await Http.GetFromJsonAsync<JsonObject>($"/api/v1/{resource}/{person.Id()}"))!["firstName"]!);

        foreach (var (field, value) in new[] { ("firstName", new string('n', 101)), ("title", new string('t', 151)), ("phone", new string('5', 51)) })
        {
            var body = new JsonObject { ["firstName"] = "Ada", [field] = value };
            var response = await Http.PostAsync($"/api/v1/{resource}", Json.Raw(body.ToJsonString()));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey(field), $"{resource}: {field} of {value.Length} characters");
        }
    }

    [Fact]
    public async Task EveryChannelHasADefaultPipelineAndStagesCanBeEdited()
    {
        var pipelines = await Http.GetFromJsonAsync<JsonObject>("/api/v1/pipelines");
        var all = pipelines!["items"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(["self_service", "inside", "field"], all.Select(p => (string)p["channel"]!).Order().Reverse().ToArray().OrderBy(c => c == "self_service" ? 0 : c == "inside" ? 1 : 2));
        var inside = all.Single(p => (string)p["channel"]! == "inside");

        var added = await Http.PostAsync($"/api/v1/pipelines/{inside.Id()}/stages", Json.Body(new { name = "Security review", probability = 0.7, position = 5 }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var duplicate = await Http.PostAsync($"/api/v1/pipelines/{inside.Id()}/stages", Json.Body(new { name = "security review" }));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);

        var account = await NewAccountAsync("Staged");
        var deal = await NewDealAsync(account.Id());
        var occupied = await Http.DeleteAsync($"/api/v1/pipelines/{inside.Id()}/stages/{(string)deal["stageId"]!}");
        Assert.Equal(HttpStatusCode.BadRequest, occupied.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"X","amount":10,"currency":"ABC","channel":"inside"}""", "currency", "not an ISO 4217")]
    // A deal may stand without an account (imported history does), but not with one the workspace lacks.
    [InlineData("""{"name":"X","amount":10,"currency":"EUR","channel":"inside","accountId":"00000000-0000-0000-0000-000000000001"}""", "accountId", "00000000-0000-0000-0000-000000000001")]
    [InlineData("""{"name":"X","amount":10,"currency":"EUR","channel":"inside","expectedClose":"2027-02-30"}""", "expectedClose", "date")]
    public async Task BadDealsAreRefusedWithTheFieldNamed(string body, string field, string reason)
    {
        var account = await NewAccountAsync();
        var json = JsonNode.Parse(body)!.AsObject();
        if (field != "accountId")
            json["accountId"] = account.Id().ToString();

        var response = await Http.PostAsync("/api/v1/deals", Json.Raw(json.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains(reason, errors[field]!.AsArray()[0]!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnInstantWithoutItsOffsetIsRefusedAndOneWithAnOffsetIsStoredInUtc()
    {
        var account = await NewAccountAsync();
        var local = await Http.PostAsync("/api/v1/activities", Json.Raw($$"""{"type":"call","subject":"Intro","accountId":"{{account.Id()}}","occurredAt":"2027-01-31T09:00:00"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, local.StatusCode);
        Assert.True((await local.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("occurredAt"));

        var offset = await Http.PostAsync("/api/v1/activities", Json.Raw($$"""{"type":"call","subject":"Intro","accountId":"{{account.Id()}}","occurredAt":"2027-01-31T09:00:00+02:00"}"""));
        Assert.Equal(HttpStatusCode.Created, offset.StatusCode);
        Assert.Equal("2027-01-31T07:00:00Z", (string)(await offset.ReadObjectAsync())["occurredAt"]!);
    }

    [Fact]
    public async Task ADealsPrimaryContactMustWorkAtItsAccount()
    {
        var account = await NewAccountAsync("Initech");
        var other = await NewAccountAsync("Umbrella");
        var stranger = await CreateAsync("contacts", new { firstName = "Ada", lastName = "Stranger", email = $"ada-{Guid.NewGuid():N}@umbrella.example", accountId = other.Id() });

        var response = await Http.PostAsync("/api/v1/deals", Json.Body(new { name = "Pilot", accountId = account.Id(), primaryContactId = stranger.Id(), amount = 10, currency = "EUR", channel = "inside" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not belong", (string)(await response.ReadObjectAsync())["errors"]!["primaryContactId"]![0]!);
    }

    [Fact]
    public async Task ChangingADealsChannelMovesItToThatChannelsPipelineAndAConflictingPairIsRefused()
    {
        var account = await NewAccountAsync();
        var deal = await NewDealAsync(account.Id(), channel: "inside");

        var moved = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { channel = "field" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await moved.ReadObjectAsync();
        Assert.Equal("field", (string)body["channel"]!);
        Assert.NotEqual((string)deal["pipelineId"]!, (string)body["pipelineId"]!);

        var conflicting = await Http.PatchAsync($"/api/v1/deals/{deal.Id()}", new { channel = "self_service", pipelineId = (string)deal["pipelineId"]! });
        Assert.Equal(HttpStatusCode.BadRequest, conflicting.StatusCode);
        Assert.True((await conflicting.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("channel"));
    }

    [Fact]
    public async Task AMalformedIfMatchIsABadRequest()
    {
        var account = await NewAccountAsync();

        var response = await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { name = "Renamed" }, ifMatch: "not-a-tag");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("If-Match"));
    }

    [Fact]
    public async Task DeletingAnAccountHidesItsContactsAndDealsAndRestoringBringsThemBack()
    {
        var account = await NewAccountAsync("Hooli");
        var contact = await CreateAsync("contacts", new { firstName = "Gavin", lastName = "Belson", email = $"gavin-{Guid.NewGuid():N}@hooli.example", accountId = account.Id() });
        var deal = await NewDealAsync(account.Id());
        var earlierDeleted = await NewDealAsync(account.Id());
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/deals/{earlierDeleted.Id()}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/v1/accounts/{account.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/contacts/{contact.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/v1/accounts/{account.Id()}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/contacts/{contact.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/v1/deals/{deal.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/deals/{earlierDeleted.Id()}")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        var document = await Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        var paths = document!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/deals"));
        Assert.True(paths.ContainsKey("/api/v1/accounts/{id}"));
        var create = paths["/api/v1/deals"]!["post"]!.AsObject();
        Assert.NotNull(create["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(create["responses"]!["201"]);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/api/docs")).StatusCode);
    }
}

public sealed class RecordsApiOnSqliteTests(SqliteServer server) : RecordsApiTests(server), IClassFixture<SqliteServer>;

public sealed class RecordsApiOnPostgresTests(PostgresServer server) : RecordsApiTests(server), IClassFixture<PostgresServer>;
