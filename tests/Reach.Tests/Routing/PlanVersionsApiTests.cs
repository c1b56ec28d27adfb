using System.Net;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;
using Reach.Demo;
using Reach.Leads;
using Reach.Planning;
using Reach.Routing;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Routing;

/// <summary><c>/api/v1/plans</c> and routing over real HTTP against each database provider.</summary>
public abstract class PlanVersionsApiTests(ReachServer server)
{
    HttpClient Http => server.Http;

    [Fact]
    public async Task ARepReadsPlanVersionsButCannotSaveOrActivateOneAManagerCan()
    {
        var (_, repToken) = await server.AddUserAsync(UserRole.Rep, "Rita Rep", "Plans");
        var (_, managerToken) = await server.AddUserAsync(UserRole.Manager, "Mona Manager", "Plans");
        using var rep = server.NewClient(repToken);
        using var manager = server.NewClient(managerToken);

        var refused = await rep.PostAsync("/api/v1/plans", Json.Body(new { name = "Rep's plan", yaml = DemoPlan.Yaml }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("managers and admins", (string)(await refused.ReadObjectAsync())["detail"]!, StringComparison.Ordinal);

        var created = await manager.PostAsync("/api/v1/plans", Json.Body(new { name = "Manager's plan", yaml = DemoPlan.Yaml }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadObjectAsync()).Id();

        var listed = await rep.GetAsync("/api/v1/plans");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("Manager's plan", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var read = await rep.GetAsync($"/api/v1/plans/{id}");
        Assert.Equal(DemoPlan.Yaml, (string)(await read.ReadObjectAsync())["yaml"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/api/v1/plans/{id}/activate", null)).StatusCode);
        var activated = await manager.PostAsync($"/api/v1/plans/{id}/activate", null);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal(id, (await (await rep.GetAsync("/api/v1/plans/active")).ReadObjectAsync()).Id());

        await using var db = server.OpenDb();
        Assert.Equal(1, await db.PlanVersions.CountAsync(v => v.IsActive));
        var trail = await db.AuditEntries.Where(e => e.EntityId == id).Select(e => e.ActorName).ToListAsync();
        Assert.Contains("Mona Manager", trail);
    }

    [Fact]
    public async Task AnInvalidPlanIsRefusedNamingTheFieldAndLineAndNothingIsStored()
    {
        var before = await CountAsync();
        var response = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Broken", yaml = DemoPlan.Yaml.Replace("win_rate: 0.25", "win_rate: 1.5", StringComparison.Ordinal) }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains("must be in (0, 1]", (string)errors["channels[1].win_rate"]![0]!, StringComparison.Ordinal);
        Assert.StartsWith("line ", (string)errors["channels[1].win_rate"]![0]!, StringComparison.Ordinal);

        var unnamed = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = " ", yaml = DemoPlan.Yaml }));
        Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task ActivatingRoutesEveryAccountAndLeadExactlyAsSavingEachOneDoes()
    {
        int?[] sizes = [null, 0, 1, 49, 50, 120, 499, 500, 1234, 20000];
        decimal?[] acvs = [null, null, null, 4000m, 20000m, 600m];
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using (var db = server.OpenDb())
        {
            db.Actor = Actor.Operator;
            var i = 0;
            foreach (var size in sizes)
            {
                foreach (var acv in acvs)
                {
                    db.Accounts.Add(new Account { Name = $"Routed {tag} {i}", Employees = size, ExpectedAcv = acv });
                    db.Leads.Add(new Lead { FirstName = $"Routed {tag} {i}", Employees = size, ExpectedAcv = acv });
                    i++;
                }
            }
            await db.SaveChangesAsync();
        }

        var response = await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Bulk " + tag, yaml = DemoPlan.Yaml, activate = true }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var router = new Router(PlanReader.Read(DemoPlan.Yaml));
        await using (var db = server.OpenDb())
        {
            var accounts = await db.Accounts.Where(a => a.Name.StartsWith($"Routed {tag}")).ToListAsync();
            var leads = await db.Leads.Where(l => l.FirstName.StartsWith($"Routed {tag}")).ToListAsync();
            Assert.Equal(sizes.Length * acvs.Length, accounts.Count);
            foreach (var record in accounts.Cast<IRouted>().Concat(leads))
            {
                var expected = router.Route(record.Employees, record.ExpectedAcv);
                Assert.Equal(expected, new Route(record.Segment, record.RoutedChannel, record.DeadZone, record.RouteAction, record.RouteReason));
            }
        }

        // A new record is routed when saved, and again when its size changes.
        var created = await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Freshly routed " + tag, employees = 120 }));
        var account = await created.ReadObjectAsync();
        Assert.Equal(("mid-market", "inside", false), ((string?)account["segment"], (string?)account["routedChannel"], (bool)account["deadZone"]!));
        var patched = await (await Http.PatchAsync($"/api/v1/accounts/{account.Id()}", new { expectedAcv = 4000 })).ReadObjectAsync();
        Assert.Equal(("small", true, "push_to_self_service"), ((string?)patched["segment"], (bool)patched["deadZone"]!, (string?)patched["routeAction"]));
        Assert.StartsWith("expected ACV 4,000 EUR → segment small", (string)patched["routeReason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountAndLeadListsFilterByRoute()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync("/api/v1/plans", Json.Body(new { name = "Filters " + tag, yaml = DemoPlan.Yaml, activate = true }))).StatusCode);
        await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Filter big " + tag, employees = 900 }));
        await Http.PostAsync("/api/v1/accounts", Json.Body(new { name = "Filter dead " + tag, employees = 900, expectedAcv = 4000 }));
        await Http.PostAsync("/api/v1/leads", Json.Body(new { firstName = "Filter " + tag, employees = 60 }));

        var field = await (await Http.GetAsync($"/api/v1/accounts?q=filter%20big%20{tag}&routedChannel=field&segment=enterprise")).ReadObjectAsync();
        Assert.Single(field["items"]!.AsArray());
        var dead = await (await Http.GetAsync($"/api/v1/accounts?q={tag}&deadZone=true")).ReadObjectAsync();
        Assert.Equal(["Filter dead " + tag], dead["items"]!.AsArray().Select(a => (string)a!["name"]!));
        var leads = await (await Http.GetAsync($"/api/v1/leads?q={tag}&routedChannel=inside")).ReadObjectAsync();
        Assert.Single(leads["items"]!.AsArray());

        var bad = await Http.GetAsync("/api/v1/accounts?deadZone=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("deadZone", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    async Task<int> CountAsync()
    {
        _ = Http;
        await using var db = server.OpenDb();
        return await db.PlanVersions.CountAsync();
    }
}

public sealed class PlanVersionsApiOnSqliteTests(SqliteServer server) : PlanVersionsApiTests(server), IClassFixture<SqliteServer>;

public sealed class PlanVersionsApiOnPostgresTests(PostgresServer server) : PlanVersionsApiTests(server), IClassFixture<PostgresServer>;
