using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Access;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>Administration in a real browser (the patterns of <see cref="WebAppTests"/>): an admin's changes, and a rep and a manager refused.</summary>
public abstract class AdminJourneyTests(ReachServer server)
{
    /// <summary>Pictures of the admin pages for review, at desktop and phone width.</summary>
    public static readonly string Shots = "/tmp/shots-admin";

    Task InBrowserAsync(string name, Func<IPage, Task> journey, ViewportSize? viewport = null) => Journey.RunAsync(server, name, journey, viewport);

    static Task SignInAsync(IPage page, string email) => Journey.SignInAsync(page, email);

    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"{name}-{Provider}.png"), FullPage = true });
        await Journey.SnapshotAsync(page, $"admin-{name}-{Provider}");
    }

    static ILocator Notice(IPage page) => page.Locator(".notice[role=status]");

    static string[] AdminPages => ["/Admin", "/Admin/Users", "/Admin/Teams", "/Admin/Pipelines", "/Admin/Products", "/Admin/Settings"];

    [Fact]
    public async Task AnAdminCreatesATeamAddsAUserToItAddsAStageAndChangesTheWorkspaceCurrency()
    {
        Guid inside;
        await using (var db = server.OpenDb())
            inside = (await db.Pipelines.SingleAsync(p => p.Channel == Channel.Inside)).Id;

        await InBrowserAsync("admin-journey", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Administration" })).ToBeVisibleAsync();
            await ShotAsync(page, "hub");

            // A team, its manager, then a member.
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Administration" }).GetByRole(AriaRole.Link, new() { Name = "Teams" }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Growth");
            await page.Locator("#team-manager").SelectOptionAsync(new SelectOptionValue { Label = "Sofia Brandt" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the team" }).ClickAsync();
            await Assertions.Expect(Notice(page)).ToHaveTextAsync("The team Growth is created.");
            var growth = page.Locator("section.pipeline", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Growth", Exact = true }) });
            await Assertions.Expect(growth.GetByLabel("Manager")).ToHaveValueAsync(await SofiaAsync());
            await growth.GetByLabel("Add a member").SelectOptionAsync(new SelectOptionValue { Label = "James Whitaker (moves from Enterprise)" });
            await growth.GetByRole(AriaRole.Button, new() { Name = "Add to Growth" }).ClickAsync();
            await Assertions.Expect(Notice(page)).ToHaveTextAsync("James Whitaker is in the team Growth now.");
            await Assertions.Expect(growth.GetByRole(AriaRole.Heading, new() { Name = "1 member" })).ToBeVisibleAsync();
            await Assertions.Expect(growth.Locator("li")).ToContainTextAsync("James Whitaker");
            await ShotAsync(page, "teams");
            // A refresh after the redirect sends nothing again.
            await page.ReloadAsync();
            await Assertions.Expect(growth.Locator("li")).ToHaveCountAsync(1);

            // A stage in the inside-sales pipeline.
            await page.GotoAsync("/Admin/Pipelines");
            var pipeline = page.Locator($"#pipeline-{inside}");
            await pipeline.GetByLabel("Stage name").FillAsync("Security review");
            await pipeline.GetByLabel("Probability %", new() { Exact = true }).FillAsync("70");
            await pipeline.GetByLabel("Usual days", new() { Exact = true }).FillAsync("10");
            await pipeline.GetByLabel("Exit criteria", new() { Exact = true }).FillAsync("Questionnaire answered and approved.");
            await pipeline.GetByRole(AriaRole.Button, new() { Name = "Add the stage to Inside sales" }).ClickAsync();
            await Assertions.Expect(Notice(page)).ToHaveTextAsync("The stage Security review is added to Inside sales.");
            await Assertions.Expect(pipeline.Locator("input[name=name][value='Security review']")).ToHaveCountAsync(1);
            await pipeline.GetByRole(AriaRole.Button, new() { Name = "Move Security review up" }).ClickAsync();
            await Assertions.Expect(Notice(page)).ToHaveTextAsync("The stage Security review is moved up.");
            await ShotAsync(page, "pipelines");

            // The workspace currency, with the warning about exchange rates.
            await page.GotoAsync("/Admin/Settings");
            await Assertions.Expect(page.Locator("#ws-currency-note")).ToContainTextAsync("rates are relative to it");
            await page.GetByLabel("Currency").FillAsync("usd");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
            await Assertions.Expect(Notice(page)).ToContainTextAsync("The workspace currency is USD now. Exchange rates are relative to it");
            await Assertions.Expect(page.GetByLabel("Currency")).ToHaveValueAsync("USD");
            await ShotAsync(page, "settings");

            // A bad value is said beside its field, and what was typed stays.
            await page.GetByLabel("Currency").FillAsync("XYZ");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
            await Assertions.Expect(page.Locator("#ws-currency-error")).ToContainTextAsync("not an ISO 4217 currency code");
            await Assertions.Expect(page.GetByLabel("Currency")).ToHaveValueAsync("XYZ");

            foreach (var (path, name) in new[] { ("/Admin/Users", "users"), ("/Admin/Products", "products"), ("/Settings/Tokens", "tokens") })
            {
                await page.GotoAsync(path);
                await ShotAsync(page, name);
            }
        });

        await using var check = server.OpenDb();
        var team = await check.Teams.SingleAsync(t => t.Name == "Growth");
        Assert.Equal(await SofiaAsync(), team.ManagerId.ToString());
        Assert.Equal(team.Id, (await check.Users.SingleAsync(u => u.Email == "james@reach.demo")).TeamId);
        var stages = await check.Stages.Where(s => s.PipelineId == inside).OrderBy(s => s.Position).ToListAsync();
        var added = stages.Single(s => s.Name == "Security review");
        Assert.Equal((0.7m, 10, "Questionnaire answered and approved."), (added.Probability, added.UsualDaysInStage!.Value, added.ExitCriteria));
        Assert.Equal("Security review", stages[stages.FindIndex(s => s.Name == "Negotiation") - 1].Name);
        Assert.Equal("USD", await WorkspaceSettings.CurrencyAsync(check, default));
        Assert.True(await check.AuditEntries.AnyAsync(e => e.EntityId == team.Id && e.ActorName == "Alex Morgan"));
    }

    async Task<string> SofiaAsync()
    {
        await using var db = server.OpenDb();
        return (await db.Users.SingleAsync(u => u.Email == "sofia@reach.demo")).Id.ToString();
    }

    [Fact]
    public async Task TheAdminPagesFitAPhone()
    {
        await InBrowserAsync("admin-phone", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            foreach (var (path, name) in new[] { ("/Admin/Users", "users"), ("/Admin/Teams", "teams"), ("/Admin/Pipelines", "pipelines"), ("/Admin/Products", "products"), ("/Admin/Settings", "settings"), ("/Settings/Tokens", "tokens") })
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
                // Nothing wider than the screen: no sideways scrolling of the page.
                Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} is wider than the phone.");
                await ShotAsync(page, name + "-phone");
            }
        }, new ViewportSize { Width = 390, Height = 844 });
    }

    [Fact]
    public async Task ARepIsRefusedEveryAdminPageAndEveryAdminFormPost()
    {
        var before = await StoredAsync();

        await InBrowserAsync("admin-rep-refused", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);
            foreach (var path in AdminPages)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Status == (int)HttpStatusCode.Forbidden, $"GET {path}: {response.Status}");
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("403");
            }
            await AssertPostsRefusedAsync(page);
        });

        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task AManagerReadsTheAdminPagesButEveryChangeIsRefused()
    {
        var before = await StoredAsync();

        await InBrowserAsync("admin-manager-refused", async page =>
        {
            await SignInAsync(page, "sofia@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByText("only an admin changes them")).ToBeVisibleAsync();
            foreach (var path in AdminPages)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Status == (int)HttpStatusCode.OK, $"GET {path}: {response.Status}");
                await Assertions.Expect(page.Locator("main button[type=submit]")).ToHaveCountAsync(0);
            }
            await AssertPostsRefusedAsync(page);
        });

        Assert.Equal(before, await StoredAsync());
    }

    // Every admin form posted by hand, with a valid antiforgery token from a page the user may open.
    async Task AssertPostsRefusedAsync(IPage page)
    {
        Guid team, user, pipeline, stage, product;
        await using (var db = server.OpenDb())
        {
            team = (await db.Teams.FirstAsync()).Id;
            user = (await db.Users.FirstAsync(u => u.Email == "priya@reach.demo")).Id;
            var p = await db.Pipelines.Include(x => x.Stages).FirstAsync(x => x.Channel == Channel.Inside);
            (pipeline, stage) = (p.Id, p.Stages.OrderBy(s => s.Position).First().Id);
            product = (await db.Products.FirstAsync()).Id;
        }
        await page.GotoAsync("/Settings/Tokens");
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.InputValueAsync();
        (string Url, (string, string)[] Fields)[] posts =
        [
            ("/Admin/Users?handler=Invite", [("Invite.Email", "new@acme.example"), ("Invite.Name", "New"), ("Invite.Role", "Admin")]),
            ($"/Admin/Users?handler=Change&id={user}", [("role", "Admin"), ("team", "")]),
            ($"/Admin/Users?handler=Active&id={user}", [("active", "false")]),
            ($"/Admin/Users?handler=Reset&id={user}", []),
            ("/Admin/Teams?handler=Create", [("New.Name", "Mine")]),
            ($"/Admin/Teams?handler=Change&id={team}", [("name", "Mine")]),
            ($"/Admin/Teams?handler=Member&id={team}", [("userId", user.ToString())]),
            ($"/Admin/Teams?handler=Delete&id={team}", []),
            ("/Admin/Pipelines?handler=Create", [("name", "Mine"), ("channel", "Field")]),
            ($"/Admin/Pipelines?handler=AddStage&id={pipeline}", [("NewStage.Name", "Mine")]),
            ($"/Admin/Pipelines?handler=Stage&id={pipeline}&stageId={stage}", [("name", "Mine"), ("percent", "99")]),
            ($"/Admin/Pipelines?handler=DeleteStage&id={pipeline}&stageId={stage}", []),
            ("/Admin/Products?handler=Create", [("New.Name", "Mine"), ("New.ListPrice", "1"), ("New.Currency", "EUR")]),
            ($"/Admin/Products?handler=Save&id={product}", [("name", "Mine"), ("listPrice", "1"), ("currency", "EUR")]),
            ($"/Admin/Products?handler=Delete&id={product}", []),
            ("/Admin/Settings", [("Form.Currency", "USD"), ("Form.Name", "Mine")]),
        ];
        foreach (var (url, fields) in posts)
        {
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            foreach (var (name, value) in fields)
                form.Set(name, value);
            var response = await page.Context.APIRequest.PostAsync(url, new() { Form = form, MaxRedirects = 0 });
            Assert.True(response.Status == (int)HttpStatusCode.Forbidden, $"POST {url}: {response.Status}");
            Assert.DoesNotContain("deal", await response.TextAsync(), StringComparison.OrdinalIgnoreCase);
        }
    }

    async Task<string> StoredAsync()
    {
        await using var db = server.OpenDb();
        var users = await db.Users.OrderBy(u => u.Id).Select(u => $"{u.Id}:{u.Role}:{u.IsActive}:{u.TeamId}:{u.SecurityStamp}").ToListAsync();
        var teams = await db.Teams.OrderBy(t => t.Id).Select(t => $"{t.Id}:{t.Name}:{t.ManagerId}").ToListAsync();
        var stages = await db.Stages.OrderBy(s => s.Id).Select(s => $"{s.Id}:{s.Name}:{s.Probability}:{s.Position}").ToListAsync();
        var products = await db.Products.IgnoreQueryFilters().OrderBy(p => p.Id).Select(p => $"{p.Id}:{p.Name}:{p.Version}").ToListAsync();
        var settings = await db.WorkspaceSettings.Select(s => $"{s.Name}:{s.Currency}").ToListAsync();
        return string.Join("\n", [.. users, .. teams, .. stages, .. products, .. settings, (await db.Pipelines.CountAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }
}

public sealed class AdminJourneyOnSqliteTests(SqliteBrowserServer server) : AdminJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class AdminJourneyOnPostgresTests(PostgresBrowserServer server) : AdminJourneyTests(server), IClassFixture<PostgresBrowserServer>;
