using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Playbook;

/// <summary>
/// Documents from a deal, the weekly log, the start-selling checklist and the cast-of-characters check over real HTTP
/// on each database provider (and the real mail servers for sending).
/// </summary>
public abstract class PlaybookDocumentsApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    static string Unique(string text) => $"{text} {Guid.NewGuid().ToString("N")[..8]}";

    static async Task<JsonObject> PostAsync(HttpClient http, string url, object body, HttpStatusCode expected)
    {
        var response = await http.PostAsync(url, Json.Body(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    const string ProposalText = "Prepared for {{contact.full_name}} at {{account.name}}\n# What we propose\n{{line_items}}\n# Who\n{{contacts}}\n"
        + "- Term: {{terms.length}} from {{terms.start}} to {{terms.end}}\n- Total {{totals.total}}, valid until {{terms.valid_until}}\n{{sender.name}}";

    /// <summary>A deal owned by <paramref name="owner"/> (the admin when null) with a contact, two line items and a proposal template.</summary>
    async Task<(JsonObject Deal, JsonObject Template, string ContactEmail)> DealWithProposalAsync(HttpClient? owner = null)
    {
        var http = owner ?? Http;
        var product = await PostAsync(Http, "/api/v1/products", new { name = Unique("Reach seats"), listPrice = 1200, currency = "EUR" }, HttpStatusCode.Created);
        var onboarding = await PostAsync(Http, "/api/v1/products", new { name = Unique("Onboarding"), listPrice = 3000, currency = "EUR" }, HttpStatusCode.Created);
        var account = await PostAsync(http, "/api/v1/accounts", new { name = Unique("Müller & Söhne"), domain = $"ms-{Guid.NewGuid():N}.example", tier = "A" }, HttpStatusCode.Created);
        var email = $"ines-{Guid.NewGuid():N}@buyer.example";
        var contact = await PostAsync(http, "/api/v1/contacts", new { firstName = "Inès", lastName = "Müller", email, title = "Head of Sales", accountId = account.Id() }, HttpStatusCode.Created);
        var deal = await PostAsync(http, "/api/v1/deals", new { name = "Müller pilot", accountId = account.Id(), primaryContactId = contact.Id(), amount = 1, currency = "EUR", channel = "inside" }, HttpStatusCode.Created);
        await PostAsync(http, $"/api/v1/deals/{deal.Id()}/contacts", new { contactId = contact.Id(), role = "champion" }, HttpStatusCode.OK);
        await PostAsync(http, $"/api/v1/deals/{deal.Id()}/line-items", new { productId = product.Id(), quantity = 10, discount = 0.1 }, HttpStatusCode.Created);
        await PostAsync(http, $"/api/v1/deals/{deal.Id()}/line-items", new { productId = onboarding.Id() }, HttpStatusCode.Created);
        var template = await PostAsync(Http, "/api/v1/playbook", new { kind = "proposal", title = Unique("Proposal"), body = ProposalText }, HttpStatusCode.Created);
        return (deal, template, email);
    }

    [Fact]
    public async Task ATemplateWithAnUnknownMergeFieldIsRefusedNamingIt()
    {
        var refused = await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "order_form", title = "Order form", body = "Dear {{contact.first_name}}, you owe {{deal.price}}." }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (string)(await refused.ReadObjectAsync())["errors"]!["body"]![0]!;
        Assert.Contains("{{deal.price}}", error, StringComparison.Ordinal);
        Assert.Contains("{{totals.total}}", error, StringComparison.Ordinal);

        var unclosed = await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "agreement", title = "Agreement", body = "Between us and {{account.name" }));
        Assert.Equal(HttpStatusCode.BadRequest, unclosed.StatusCode);
        // A script is no template: its braces are the rep's own business.
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "script", title = Unique("Script"), body = "Say {{whatever}}" }))).StatusCode);
    }

    [Fact]
    public async Task AProposalIsDrawnFromTheDealAsAPdfAndKeptWithItsTemplatesVersion()
    {
        var (deal, template, _) = await DealWithProposalAsync();
        var first = await PostAsync(Http, $"/api/v1/deals/{deal.Id()}/documents", new { templateId = template.Id() }, HttpStatusCode.Created);
        Assert.Equal("proposal", (string)first["kind"]!);
        Assert.Equal(1, (int)first["templateVersion"]!);
        Assert.EndsWith("-v1.pdf", (string)first["fileName"]!, StringComparison.Ordinal);
        Assert.Null(first["content"]);

        var pdf = await Http.GetAsync($"/api/v1/deals/{deal.Id()}/documents/{first.Id()}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal((int)first["size"]!, bytes.Length);
        if (Environment.GetEnvironmentVariable("REACH_KEEP_PDF") is { Length: > 0 } keep)
            await File.WriteAllBytesAsync(keep, bytes);

        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/playbook/{template.Id()}", new { body = ProposalText + "\nThank you." })).StatusCode);
        var second = await PostAsync(Http, $"/api/v1/deals/{deal.Id()}/documents", new { templateId = template.Id() }, HttpStatusCode.Created);
        Assert.Equal(2, (int)second["templateVersion"]!);
        var list = await Http.GetFromJsonAsync<JsonArray>($"/api/v1/deals/{deal.Id()}/documents");
        Assert.Equal([2, 1], list!.Select(d => (int)d!["templateVersion"]!));

        var script = await PostAsync(Http, "/api/v1/playbook", new { kind = "script", title = Unique("Not a template") }, HttpStatusCode.Created);
        var wrong = await Http.PostAsync($"/api/v1/deals/{deal.Id()}/documents", Json.Body(new { templateId = script.Id() }));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.NotNull((await wrong.ReadObjectAsync())["errors"]!["templateId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/v1/deals/{Guid.NewGuid()}/documents")).StatusCode);
    }

    [Fact]
    public async Task TheRepSendsTheProposalFromTheirOwnMailboxWithThePdfAttached()
    {
        var mail = MailServers.Require();
        var (_, token) = await server.AddUserAsync(UserRole.Rep, "Dana Rep");
        using var rep = server.NewClient(token);
        var (deal, template, buyer) = await DealWithProposalAsync(rep);
        var document = await PostAsync(rep, $"/api/v1/deals/{deal.Id()}/documents", new { templateId = template.Id() }, HttpStatusCode.Created);

        var noMailbox = await rep.PostAsync($"/api/v1/deals/{deal.Id()}/documents/{document.Id()}/send", Json.Body(new { }));
        Assert.Equal(HttpStatusCode.BadRequest, noMailbox.StatusCode);
        Assert.NotNull((await noMailbox.ReadObjectAsync())["errors"]!["mailbox"]);

        var address = $"dana-{Guid.NewGuid():N}@seller.example";
        Assert.Equal(HttpStatusCode.OK, (await rep.PutAsync("/api/v1/mail-account", Json.Body(new
        {
            fromName = "Dana Rep",
            fromAddress = address,
            smtpHost = mail.SmtpHost,
            smtpPort = mail.SmtpPort,
            smtpSecurity = "none",
        }))).StatusCode);
        var (_, otherToken) = await server.AddUserAsync(UserRole.Rep, "Other Rep");
        using var other = server.NewClient(otherToken);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/deals/{deal.Id()}/documents/{document.Id()}/send", Json.Body(new { }))).StatusCode);

        var sent = await PostAsync(rep, $"/api/v1/deals/{deal.Id()}/documents/{document.Id()}/send", new { message = "Here it is." }, HttpStatusCode.OK);
        Assert.Equal(buyer, (string)sent["sentTo"]!);
        Assert.NotNull(sent["sentAt"]);

        var received = Assert.Single(await mail.ReceivedByAsync(buyer));
        Assert.Equal(address, received.From.Mailboxes.Single().Address);
        Assert.Equal("Proposal: Müller pilot", received.Subject);
        var attachment = Assert.Single(received.Attachments.OfType<MimePart>());
        Assert.Equal((string)document["fileName"]!, attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        var timeline = await rep.GetFromJsonAsync<JsonObject>($"/api/v1/activities?deal={deal.Id()}");
        Assert.Contains(timeline!["items"]!.AsArray(), a => (string)a!["subject"]! == "Proposal: Müller pilot");
    }

    [Fact]
    public async Task ARepLogsTheirWeekAndTheManagerPromotesTheInsightKeepingTheLink()
    {
        var team = Unique("Log team");
        var (rep, repToken) = await server.AddUserAsync(UserRole.Rep, Unique("Logging Rep"), team);
        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, Unique("Log Manager"), team);
        var (_, strangerToken) = await server.AddUserAsync(UserRole.Manager, Unique("Other Manager"), Unique("Other team"));
        using var repHttp = server.NewClient(repToken);
        using var manager = server.NewClient(managerToken);
        using var stranger = server.NewClient(strangerToken);

        var empty = await repHttp.PutAsync("/api/v1/weekly-logs/mine", Json.Body(new { worked = " " }));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.NotNull((await empty.ReadObjectAsync())["errors"]!["worked"]);
        var future = await repHttp.PutAsync("/api/v1/weekly-logs/mine", Json.Body(new { week = "2030-01-07", worked = "x" }));
        Assert.NotNull((await future.ReadObjectAsync())["errors"]!["week"]);

        var written = await repHttp.PutAsync("/api/v1/weekly-logs/mine", Json.Body(new { worked = "Calling CFOs before 9", didNotWork = "Long e-mails", insight = "Short e-mails get answers" }));
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        var log = await written.ReadObjectAsync();
        var again = await (await repHttp.PutAsync("/api/v1/weekly-logs/mine", Json.Body(new { worked = "Calling CFOs before 9", didNotWork = "Long e-mails", insight = "E-mails as short as a tweet get answers" }))).ReadObjectAsync();
        Assert.Equal(log.Id(), again.Id());
        Assert.Equal("2026-11-23", (string)again["week"]!);

        var week = await manager.GetFromJsonAsync<JsonObject>("/api/v1/weekly-logs?week=2026-11-25");
        var row = week!["reps"]!.AsArray().Single(r => (string)r!["userId"]! == rep.Id.ToString())!;
        Assert.Equal("E-mails as short as a tweet get answers", (string)row["log"]!["insight"]!);
        Assert.Contains(row["figures"]!.AsArray(), f => (string)f!["metric"]! == "touches");
        var strangers = await stranger.GetFromJsonAsync<JsonObject>("/api/v1/weekly-logs");
        Assert.DoesNotContain(strangers!["reps"]!.AsArray(), r => (string)r!["userId"]! == rep.Id.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/weekly-logs/{log.Id()}")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await repHttp.PostAsync($"/api/v1/weekly-logs/{log.Id()}/promote", Json.Body(new { kind = "difficult_qa" }))).StatusCode);
        var item = await PostAsync(manager, $"/api/v1/weekly-logs/{log.Id()}/promote", new { kind = "script", title = Unique("CEO e-mail") }, HttpStatusCode.Created);
        Assert.Equal(log.Id(), Guid.Parse((string)item["fromInsightId"]!));
        Assert.Equal("E-mails as short as a tweet get answers", (string)item["body"]!);
        var changed = await PostAsync(manager, $"/api/v1/weekly-logs/{log.Id()}/promote", new { itemId = item.Id(), body = "Hi John, 5 mins this week? Thx." }, HttpStatusCode.Created);
        Assert.Equal(2, (int)changed["version"]!);

        var after = await manager.GetFromJsonAsync<JsonObject>("/api/v1/weekly-logs");
        var promoted = after!["reps"]!.AsArray().Single(r => (string)r!["userId"]! == rep.Id.ToString())!["promoted"]!.AsArray();
        Assert.Equal(item.Id(), Guid.Parse((string)promoted.Single()!["id"]!));
    }

    [Fact]
    public async Task TheChecklistCountsSeed004sItemsFromTheWorkspacesData()
    {
        var before = await Http.GetFromJsonAsync<JsonObject>("/api/v1/playbook/checklist");
        var ids = before!["items"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
        Assert.Equal(24, ids.Count);
        Assert.Contains("key_contacts", ids);
        Assert.Contains("insights", ids);
        Assert.All(before["items"]!.AsArray(), i => Assert.StartsWith("/", (string)i!["link"]!, StringComparison.Ordinal));

        await PostAsync(Http, "/api/v1/playbook", new { kind = "agreement", title = Unique("Agreement"), body = "Between us and {{account.name}}." }, HttpStatusCode.Created);
        var after = await Http.GetFromJsonAsync<JsonObject>("/api/v1/playbook/checklist");
        var agreement = after!["items"]!.AsArray().Single(i => (string)i!["id"]! == "agreement")!;
        Assert.True((bool)agreement["done"]!);
        Assert.True((bool)after["items"]!.AsArray().Single(i => (string)i!["id"]! == "metrics")!["done"]!);
    }

    [Fact]
    public async Task ADealsContactRolesAreCheckedAgainstItsSegmentsCastOfCharacters()
    {
        await PostAsync(Http, "/api/v1/playbook", new
        {
            kind = "cast_of_characters",
            title = Unique("Cast for A"),
            segment = "A",
            body = "Champion: the head of sales (hitting the number)\nEconomic buyer: the CFO (a forecast the board trusts)\nNot a role: ignored",
        }, HttpStatusCode.Created);
        var (deal, _, _) = await DealWithProposalAsync();
        var cast = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/deals/{deal.Id()}/cast");
        Assert.Equal(["economic_buyer"], cast!["missing"]!.AsArray().Select(m => (string)m!));
        var champion = cast["roles"]!.AsArray().Single(r => (string)r!["role"]! == "champion")!;
        Assert.Equal("Inès Müller", (string)champion["playedBy"]![0]!);
        Assert.Equal("the CFO (a forecast the board trusts)", (string)cast["roles"]!.AsArray().Single(r => (string)r!["role"]! == "economic_buyer")!["caresAbout"]!);
    }
}

public sealed class PlaybookDocumentsApiOnSqliteTests(SqliteServer server) : PlaybookDocumentsApiTests(server), IClassFixture<SqliteServer>;

public sealed class PlaybookDocumentsApiOnPostgresTests(PostgresServer server) : PlaybookDocumentsApiTests(server), IClassFixture<PostgresServer>;
