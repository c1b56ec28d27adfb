using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reach.Access;
using Reach.Data;
using Reach.Demo;
using Reach.Leads;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Leads;

/// <summary>
/// Inbound leads over real HTTP on both databases: received now, routed, tiered by the plan and assigned at once to a
/// rep of their channel by open load; captured by a website form's token that can do nothing else; escalated when
/// untouched past their channel's response target. Each test sells through a channel of its own, so their reps never
/// compete for the same leads.
/// </summary>
public abstract class InboundLeadsApiTests(ReachServer server)
{
    /// <summary>The demo plan with tier rules: A from 50,000 EUR, B from 10,000 EUR (mid-market's 15,000 is B).</summary>
    const string TieredPlan = DemoPlan.Yaml + "\ntiers:\n  a_min_acv: 50000\n  b_min_acv: 10000\n";

    HttpClient Http => server.Http;

    async Task ActivateTieredPlanAsync()
    {
        var response = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Tiered " + Guid.NewGuid().ToString("N")[..6], yaml = TieredPlan, activate = true }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    async Task<Team> TeamAsync(string name, Channel channel, Guid? managerId = null)
    {
        await using var db = server.OpenDb();
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == name) ?? db.Teams.Add(new Team { Name = name }).Entity;
        team.Channel = channel;
        team.ManagerId = managerId;
        await db.SaveChangesAsync();
        return team;
    }

    async Task<JsonObject> CreateLeadAsync(object body)
    {
        var response = await Http.PostAsync("/api/v1/leads", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    static Guid? OwnerOf(JsonObject lead) => lead["ownerId"] is { } id ? Guid.Parse((string)id!) : null;

    [Fact]
    public async Task ALeadWithoutADateIsReceivedNowAndAnImpossibleDateIsRefused()
    {
        var before = server.Clock.UtcNow.AddSeconds(-1);
        var lead = await CreateLeadAsync(new { firstName = "Nora", email = $"nora-{Guid.NewGuid():N}@test.example" });
        var received = (DateTime)lead["receivedAt"]!;
        Assert.InRange(received.ToUniversalTime(), before, server.Clock.UtcNow.AddSeconds(1));

        var refused = await Http.PostAsync("/api/v1/leads", Json.Body(new { firstName = "Old", receivedAt = "0001-01-01T00:00:00Z" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadObjectAsync();
        Assert.Contains("2000-01-01", (string)problem["errors"]!["receivedAt"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInboundLeadGoesAtOnceToTheRepOfItsChannelWithTheFewestOpenLeadsSkippingAwayAndDisabledReps()
    {
        await ActivateTieredPlanAsync();
        var team = "Inside " + Guid.NewGuid().ToString("N")[..6];
        var (busy, _) = await server.AddUserAsync(UserRole.Rep, "Busy Rep", team);
        var (free, _) = await server.AddUserAsync(UserRole.Rep, "Free Rep", team);
        var (away, awayToken) = await server.AddUserAsync(UserRole.Rep, "Away Rep", team);
        var (gone, _) = await server.AddUserAsync(UserRole.Rep, "Gone Rep", team);
        await TeamAsync(team, Channel.Inside);
        Assert.Equal(HttpStatusCode.OK, (await server.NewClient(awayToken).PutAsync("/api/v1/me/away", Json.Body(new { away = true }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/users/{gone.Id}", new { active = false })).StatusCode);
        // The busy rep already holds an open lead, given by hand.
        await CreateLeadAsync(new { firstName = "Held", ownerId = busy.Id, employees = 60 });

        List<Guid?> owners = [];
        for (var i = 0; i < 3; i++)
            owners.Add(OwnerOf(await CreateLeadAsync(new { firstName = $"Inbound {i}", company = "Mid GmbH", employees = 60 })));

        // Free has none: first. Then both hold one, and Busy never got one by round robin: Busy. Then Free (1 against 2).
        Assert.Equal([free.Id, busy.Id, free.Id], owners);
        await using var db = server.OpenDb();
        var assigned = await db.Leads.Where(l => l.FirstName.StartsWith("Inbound ")).ToListAsync();
        Assert.All(assigned, l => Assert.NotNull(l.AssignedAt));
        Assert.DoesNotContain(assigned, l => l.OwnerId == away.Id || l.OwnerId == gone.Id);
    }

    [Fact]
    public async Task ALeadGetsItsTierFromThePlanWithTheReasonAndAHandSetTierIsKeptAndAudited()
    {
        await ActivateTieredPlanAsync();
        var lead = await CreateLeadAsync(new { firstName = "Tiered", employees = 60 });
        Assert.Equal("b", (string)lead["tier"]!);
        Assert.Contains("→ B", (string)lead["tierReason"]!, StringComparison.Ordinal);
        var big = await CreateLeadAsync(new { firstName = "Big", employees = 900 });
        Assert.Equal("a", (string)big["tier"]!);

        var set = await (await Http.PatchAsync($"/api/v1/leads/{lead.Id()}", new { tier = "a" })).ReadObjectAsync();
        Assert.Equal(("a", true, "set by hand"), ((string)set["tier"]!, (bool)set["tierSetByHand"]!, (string)set["tierReason"]!));
        // Routing again (a smaller company: self-service, C by the plan) keeps the hand-set tier.
        var moved = await (await Http.PatchAsync($"/api/v1/leads/{lead.Id()}", new { employees = 10 })).ReadObjectAsync();
        Assert.Equal(("small", "a"), ((string)moved["segment"]!, (string)moved["tier"]!));
        // Cleared, the plan decides again.
        var cleared = await (await Http.PatchAsync($"/api/v1/leads/{lead.Id()}", new { tier = (string?)null })).ReadObjectAsync();
        Assert.Equal(("c", false), ((string)cleared["tier"]!, (bool)cleared["tierSetByHand"]!));

        await using var db = server.OpenDb();
        var trail = await db.AuditEntries.Where(e => e.EntityId == lead.Id()).Select(e => e.Changes).ToListAsync();
        Assert.Contains(trail, c => c.Contains("\"tierSetByHand\"", StringComparison.Ordinal) && c.Contains("\"tier\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWebsiteFormsTokenCapturesALeadForTheRightRepAndCanDoNothingElse()
    {
        await ActivateTieredPlanAsync();
        var team = "Self " + Guid.NewGuid().ToString("N")[..6];
        var (rep, _) = await server.AddUserAsync(UserRole.Rep, "Self Rep", team);
        await TeamAsync(team, Channel.SelfService);
        var (_, capture) = await server.AddUserAsync(UserRole.Admin, "Website form", scope: TokenScope.LeadCapture);
        var form = server.NewClient(capture);

        var started = server.Clock.UtcNow;
        var response = await form.PostAsync("/api/v1/leads/capture", Json.Body(new { firstName = "Web", lastName = "Visitor", email = $"web-{Guid.NewGuid():N}@test.example", employees = 10 }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.ReadObjectAsync()).Id();
        await using (var db = server.OpenDb())
        {
            var lead = await db.Leads.SingleAsync(l => l.Id == id);
            Assert.Equal((rep.Id, LeadSource.Inbound, LeadStatus.New), (lead.OwnerId, lead.Source, lead.Status));
            Assert.InRange(lead.ReceivedAt, started.AddSeconds(-1), started.AddSeconds(5));
        }

        // Its own fields only: an owner or a status is not the form's to say.
        Assert.Equal(HttpStatusCode.BadRequest, (await form.PostAsync("/api/v1/leads/capture", Json.Body(new { firstName = "X", ownerId = rep.Id }))).StatusCode);
        // A read-write token is not a capture token.
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PostAsync("/api/v1/leads/capture", Json.Body(new { firstName = "Y" }))).StatusCode);

        // Every other operation of the API is refused to it.
        var document = await Http.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        foreach (var (path, operations) in document!["paths"]!.AsObject())
        {
            foreach (var (method, _) in operations!.AsObject())
            {
                if (path == "/api/v1/leads/capture")
                    continue;
                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.Empty.ToString());
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (method is not ("get" or "delete"))
                    request.Content = Json.Raw("{}");
                var answer = await form.SendAsync(request);
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{method.ToUpperInvariant()} {path} answered {(int)answer.StatusCode} to a capture token.");
            }
        }
    }

    [Fact]
    public async Task CapturesAreLimitedPerToken()
    {
        var (_, first) = await server.AddUserAsync(UserRole.Admin, "Form one", scope: TokenScope.LeadCapture);
        var (_, second) = await server.AddUserAsync(UserRole.Admin, "Form two", scope: TokenScope.LeadCapture);
        var one = server.NewClient(first);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < InboundLeadsServers.CapturesPerMinute + 1; i++)
            statuses.Add((await one.PostAsync("/api/v1/leads/capture", Json.Body(new { firstName = $"Flood {i}" }))).StatusCode);

        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.Created, (await server.NewClient(second).PostAsync("/api/v1/leads/capture", Json.Body(new { firstName = "Other form" }))).StatusCode);
    }

    [Fact]
    public async Task ALeadUntouchedPastItsTargetIsEscalatedOnceAndATouchedOneIsNot()
    {
        await ActivateTieredPlanAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { fieldResponseMinutes = 30 })).StatusCode);
        var settings = await Http.GetFromJsonAsync<JsonObject>("/api/v1/settings");
        Assert.Equal((30, 15, 60), ((int)settings!["fieldResponseMinutes"]!, (int)settings["insideResponseMinutes"]!, (int)settings["selfServiceResponseMinutes"]!));

        var team = "Field " + Guid.NewGuid().ToString("N")[..6];
        var (manager, _) = await server.AddUserAsync(UserRole.Manager, "Field Manager", team);
        var (rep, _) = await server.AddUserAsync(UserRole.Rep, "Field Rep", team);
        await TeamAsync(team, Channel.Field, manager.Id);
        var now = server.Clock.UtcNow;
        var late = await CreateLeadAsync(new { firstName = "Late", employees = 900, receivedAt = now.AddMinutes(-45) });
        var touched = await CreateLeadAsync(new { firstName = "Touched", employees = 900, receivedAt = now.AddMinutes(-45) });
        var fresh = await CreateLeadAsync(new { firstName = "Fresh", employees = 900, receivedAt = now.AddMinutes(-10) });
        Assert.All(new[] { late, touched, fresh }, l => Assert.Equal(rep.Id, OwnerOf(l)));
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync("/api/v1/activities", Json.Body(new { type = "call", subject = "Called back", leadId = touched.Id(), occurredAt = now.AddMinutes(-40) }))).StatusCode);

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            var first = await LeadEscalation.RunOnceAsync(db, scope.ServiceProvider.GetRequiredService<MailClient>(), default);
            var again = await LeadEscalation.RunOnceAsync(db, scope.ServiceProvider.GetRequiredService<MailClient>(), default);
            Assert.True(first.Escalated >= 1);
            Assert.Equal(0, again.Escalated);
        }

        await using var check = server.OpenDb();
        var escalated = await check.Leads.Where(l => l.Id == late.Id() || l.Id == touched.Id() || l.Id == fresh.Id()).ToDictionaryAsync(l => l.FirstName, l => l.EscalatedAt);
        Assert.NotNull(escalated["Late"]);
        Assert.Null(escalated["Touched"]);
        Assert.Null(escalated["Fresh"]);
    }

    [Fact]
    public async Task ActivatingAPlanWithOtherTiersReTiersOpenLeadsKeepsHandSetOnesAndAuditsEachChange()
    {
        await ActivateTieredPlanAsync();
        // Owned by a rep of no team, so the round robin of other tests' teams is not disturbed.
        var (holder, _) = await server.AddUserAsync(UserRole.Rep, "Tier Holder");
        var mid = await CreateLeadAsync(new { firstName = "Retier", employees = 60, ownerId = holder.Id });
        var byHand = await CreateLeadAsync(new { firstName = "ByHand", employees = 60, tier = "c", ownerId = holder.Id });
        Assert.Equal(("b", "c"), ((string)mid["tier"]!, (string)byHand["tier"]!));

        // Mid-market's 15,000 EUR is now above a_min_acv: A.
        var richer = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Richer " + Guid.NewGuid().ToString("N")[..6], yaml = DemoPlan.Yaml + "\ntiers:\n  a_min_acv: 12000\n  b_min_acv: 5000\n", activate = true }));
        Assert.Equal(HttpStatusCode.Created, richer.StatusCode);

        var retiered = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/leads/{mid.Id()}");
        Assert.Equal("a", (string)retiered!["tier"]!);
        Assert.Contains("→ A", (string)retiered["tierReason"]!, StringComparison.Ordinal);
        var kept = await Http.GetFromJsonAsync<JsonObject>($"/api/v1/leads/{byHand.Id()}");
        Assert.Equal(("c", true, "set by hand"), ((string)kept!["tier"]!, (bool)kept["tierSetByHand"]!, (string)kept["tierReason"]!));

        await using var db = server.OpenDb();
        var trail = await db.AuditEntries.Where(e => e.EntityId == mid.Id()).Select(e => e.Changes).ToListAsync();
        Assert.Contains(trail, c => c.Contains("\"tier\":{\"before\":\"b\",\"after\":\"a\"}", StringComparison.Ordinal));
        Assert.DoesNotContain(await db.AuditEntries.Where(e => e.EntityId == byHand.Id()).Select(e => e.Changes).ToListAsync(),
            c => c.Contains("\"after\":\"a\"", StringComparison.Ordinal));
        await ActivateTieredPlanAsync();
    }

    [Fact]
    public async Task TheEscalationEmailReachesTheManagerThroughTheRealMailServers()
    {
        var mail = MailServers.Require();
        await ActivateTieredPlanAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync("/api/v1/settings", new { fieldResponseMinutes = 30 })).StatusCode);
        var team = "Mailed " + Guid.NewGuid().ToString("N")[..6];
        var (manager, managerToken) = await server.AddUserAsync(UserRole.Manager, "Mailed Manager", team);
        var (rep, _) = await server.AddUserAsync(UserRole.Rep, "Mailed Rep", team);
        await TeamAsync(team, Channel.Field, manager.Id);
        using (var managerClient = server.NewClient(managerToken))
        {
            var mailbox = await managerClient.PutAsync("/api/v1/mail-account", Json.Body(new
            {
                fromName = "Mailed Manager",
                fromAddress = $"manager-{Guid.NewGuid():N}@seller.example",
                smtpHost = mail.SmtpHost,
                smtpPort = mail.SmtpPort,
                smtpSecurity = "none",
            }));
            Assert.Equal(HttpStatusCode.OK, mailbox.StatusCode);
        }
        var company = "Slowco " + Guid.NewGuid().ToString("N")[..6];
        JsonObject late;
        try
        {
            late = await CreateLeadAsync(new { firstName = "Wanda", lastName = "Waiting", company, employees = 900, ownerId = rep.Id, receivedAt = server.Clock.UtcNow.AddMinutes(-50) });
            await using var scope = server.Services.CreateAsyncScope();
            var run = await LeadEscalation.RunOnceAsync(scope.ServiceProvider.GetRequiredService<ReachDb>(), scope.ServiceProvider.GetRequiredService<MailClient>(), default);
            Assert.True(run.Mailed >= 1, $"{run.Escalated} escalated, {run.Mailed} mailed");
        }
        finally
        {
            // Out of the field team's round robin, which the other tests of this class count on.
            Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsync($"/api/v1/users/{rep.Id}", new { active = false })).StatusCode);
        }

        var message = Assert.Single(await mail.ReceivedByAsync(manager.Email!), m => m.Subject?.Contains(company, StringComparison.Ordinal) == true);
        Assert.Equal($"Lead waiting: Wanda Waiting ({company}) — 50 min untouched", message.Subject);
        Assert.Contains("the target for field leads is 30 min", message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Owner: Mailed Rep.", message.TextBody);
        Assert.Contains($"/Leads/{late.Id()}", message.TextBody);
    }
}

/// <summary>The servers of <see cref="InboundLeadsApiTests"/>: a low capture limit, so the test can reach it.</summary>
public static class InboundLeadsServers
{
    public const int CapturesPerMinute = 5;

    public static void Configure(Dictionary<string, string?> settings) =>
        settings["Reach:RateLimit:LeadCapturePerMinute"] = CapturesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class InboundSqliteServer : SqliteServer
{
    protected override void Configure(Dictionary<string, string?> settings) => InboundLeadsServers.Configure(settings);
}

public sealed class InboundPostgresServer : PostgresServer
{
    protected override void Configure(Dictionary<string, string?> settings) => InboundLeadsServers.Configure(settings);
}

public sealed class InboundLeadsApiOnSqliteTests(InboundSqliteServer server) : InboundLeadsApiTests(server), IClassFixture<InboundSqliteServer>;

public sealed class InboundLeadsApiOnPostgresTests(InboundPostgresServer server) : InboundLeadsApiTests(server), IClassFixture<InboundPostgresServer>;
