using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A rep's day with records in the browser: create an account, its contacts and a deal, log a call with notes, schedule a
/// task and tick it off on My day, convert a lead into an existing account; a manager reassigns a rep's deals in bulk; a
/// delete undone and a record restored from the trash. Pictures of each page at desktop and phone width go to /tmp/shots-records.
/// </summary>
public abstract class RecordJourneyTests(ReachServer server)
{
    static readonly string Shots = "/tmp/shots-records";

    // As generous as the browser context's own timeouts (BrowserHost): two cores run both providers' journeys and the
    // rest of the suite at once, and a page after a post may take longer than Playwright's default five seconds.
    static RecordJourneyTests() => Assertions.SetDefaultExpectTimeout(30_000);

    static async Task ShootAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name + ".png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name + "-390.png"), FullPage = true });
        await page.SetViewportSizeAsync(1360, 900);
    }

    static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..6];

    async Task<Guid> UserIdAsync(string email)
    {
        await using var db = server.OpenDb();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task AnAccountsPageShowsItsTierFromThePlanWithTheReasonAndARepSetsItByHandAndBack()
    {
        _ = server.Http;
        var account = Unique("Tiered");
        await Journey.RunAsync(server, "records-tier", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo", "/Accounts/Edit");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(account);
            await page.GetByLabel("Employees").FillAsync("120");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(account);
            // The demo plan has no tier rules: A starts at the median segment ACV, mid-market's 15,000 EUR.
            await Assertions.Expect(page.Locator("#account-tier")).ToContainTextAsync("A");
            await Assertions.Expect(page.Locator("#account-tier-reason")).ToContainTextAsync("segment mid-market ACV 15,000 EUR ≥ 15,000 EUR (the median segment ACV)");
            await Assertions.Expect(page.Locator("#account-tier-reason")).ToContainTextAsync("→ A");
            await ShootAsync(page, "account-tier");
            var accountUrl = page.Url;

            await page.GotoAsync(accountUrl.Replace("/Accounts/", "/Accounts/Edit/", StringComparison.Ordinal));
            await Assertions.Expect(page.GetByLabel("Tier")).ToHaveValueAsync("");
            await page.GetByLabel("Tier").SelectOptionAsync("C");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.Locator("#account-tier-reason")).ToHaveTextAsync("set by hand");
            await Assertions.Expect(page.Locator("#account-tier")).ToContainTextAsync("C");

            await page.GotoAsync(accountUrl.Replace("/Accounts/", "/Accounts/Edit/", StringComparison.Ordinal));
            await Assertions.Expect(page.GetByLabel("Tier")).ToHaveValueAsync("C");
            await page.GetByLabel("Tier").SelectOptionAsync(new SelectOptionValue { Label = "From the plan" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.Locator("#account-tier-reason")).ToContainTextAsync("→ A");
        });
        await using var db = server.OpenDb();
        var id = await db.Accounts.Where(a => a.Name == account).Select(a => a.Id).SingleAsync();
        var trail = await db.AuditEntries.Where(e => e.EntityId == id).Select(e => e.Changes).ToListAsync();
        Assert.Contains(trail, c => c.Contains("\"tier\":{\"before\":\"a\",\"after\":\"c\"}", StringComparison.Ordinal));
        Assert.Contains(trail, c => c.Contains("\"tier\":{\"before\":\"c\",\"after\":\"a\"}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARepCreatesAnAccountContactsAndADealLogsACallAndTicksOffATask()
    {
        _ = server.Http;
        var account = Unique("Northwind");
        await Journey.RunAsync(server, "records-day", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");

            // Quick add from any page, by its shortcut (once the deferred script listens: on a busy machine it runs late).
            await Assertions.Expect(page.Locator("#quick-add[data-shortcut=ready]")).ToBeAttachedAsync();
            await page.Keyboard.PressAsync("n");
            await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Account" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("New account");
            // A rule broken: said beside the field, nothing typed lost.
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync(account);
            await page.GetByLabel("Employees").FillAsync("many");
            await page.GetByLabel("Channel").SelectOptionAsync("Inside");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Assertions.Expect(page.Locator("#employees-error")).ToContainTextAsync("not a whole number");
            await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(account);
            await page.GetByLabel("Employees").FillAsync("120");
            await ShootAsync(page, "account-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(account);
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "created" })).ToBeVisibleAsync();
            var accountUrl = page.Url;

            foreach (var (first, role) in new[] { ("Maya", "EconomicBuyer"), ("Ravi", "Champion") })
            {
                await page.GetByRole(AriaRole.Link, new() { Name = "New contact" }).ClickAsync();
                await page.GetByLabel("First name").FillAsync(first);
                await page.GetByLabel("Last name").FillAsync("Lindqvist");
                await page.GetByLabel("Role in the deal").SelectOptionAsync(role);
                await page.GetByRole(AriaRole.Button, new() { Name = "Create contact" }).ClickAsync();
                await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(first + " Lindqvist");
                await page.GotoAsync(accountUrl);
            }
            await Assertions.Expect(page.Locator("section[aria-labelledby=cast-heading] li")).ToHaveCountAsync(2);

            await page.GetByRole(AriaRole.Link, new() { Name = "New deal" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(account + " — new business");
            await page.GetByLabel("Amount (annual contract value)").FillAsync("15000");
            await page.GetByLabel("Primary contact").SelectOptionAsync(new SelectOptionValue { Label = "Ravi Lindqvist" });
            await ShootAsync(page, "deal-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create deal" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Deals/", StringComparison.Ordinal) && !url.Contains("/New", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(account + " — new business");

            // A call logged with notes on the contact: the page comes back by a redirect (a refresh sends nothing again).
            await page.GotoAsync(accountUrl);
            await page.GetByRole(AriaRole.Link, new() { Name = "Ravi Lindqvist" }).ClickAsync();
            var contactUrl = page.Url;
            await page.Locator("#log-subject").FillAsync("Discovery call");
            await page.Locator("#log-body").FillAsync("Budget approved for Q3; wants SSO.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Call logged." })).ToBeVisibleAsync();
            Assert.DoesNotContain("handler", page.Url, StringComparison.OrdinalIgnoreCase);
            var touches = page.Locator("section[aria-labelledby=touches-heading]");
            await Assertions.Expect(touches).ToContainTextAsync("Budget approved for Q3; wants SSO.");
            await Assertions.Expect(touches).ToContainTextAsync("Tom Becker");
            await page.ReloadAsync();
            await Assertions.Expect(touches.Locator("li", new() { HasText = "Discovery call" })).ToHaveCountAsync(1);

            // The next task, scheduled from the contact, ticked off on My day.
            await page.Locator("#task-subject").FillAsync("Send the SSO one-pager");
            await page.GetByRole(AriaRole.Button, new() { Name = "Schedule task" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "scheduled" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("section[aria-labelledby=tasks-heading]")).ToContainTextAsync("Send the SSO one-pager");
            await ShootAsync(page, "contact");
            Assert.Equal(contactUrl, page.Url);
            await page.GetByRole(AriaRole.Link, new() { Name = "My day" }).ClickAsync();
            var task = page.Locator("section[aria-labelledby=due] li", new() { HasText = "Send the SSO one-pager" });
            await Assertions.Expect(task).ToBeVisibleAsync();
            await ShootAsync(page, "my-day");
            await task.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Done: “Send the SSO one-pager”." })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("section[aria-labelledby=due] li", new() { HasText = "Send the SSO one-pager" })).ToHaveCountAsync(0);
            await page.GotoAsync(accountUrl);
            await ShootAsync(page, "account");
        });
    }

    [Fact]
    public async Task ARepConvertsALeadIntoAnExistingAccount()
    {
        _ = server.Http;
        var tom = await UserIdAsync("tom@reach.demo");
        var accountName = Unique("Existing");
        Guid leadId, accountId;
        await using (var db = server.OpenDb())
        {
            var account = new Account { Name = accountName, Channel = Channel.Inside, OwnerId = tom };
            var lead = new Lead { FirstName = "Nina", LastName = "Holm", Email = $"nina-{Guid.NewGuid():N}@holm.example", Company = "Holm AB", Source = LeadSource.Referral, Campaign = "Partner week", OwnerId = tom, ReceivedAt = server.Clock.UtcNow };
            db.AddRange(account, lead);
            await db.SaveChangesAsync();
            (leadId, accountId) = (lead.Id, account.Id);
        }
        await Journey.RunAsync(server, "records-convert", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync("/Search?q=Holm");
            await page.GetByRole(AriaRole.Link, new() { Name = "Nina Holm" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Nina Holm");
            await page.GetByText("Convert…").ClickAsync();
            await page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = accountName });
            await page.GetByLabel("Amount (EUR)").FillAsync("18000");
            await page.GetByLabel("Expected close").FillAsync("2030-06-30");
            await ShootAsync(page, "lead");
            await page.GetByRole(AriaRole.Button, new() { Name = "Convert", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Deals/", StringComparison.Ordinal));
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Converted" })).ToBeVisibleAsync();
        });
        await using var check = server.OpenDb();
        var converted = await check.Leads.SingleAsync(l => l.Id == leadId);
        Assert.Equal(LeadStatus.Converted, converted.Status);
        Assert.Equal(accountId, converted.ConvertedAccountId);
        var deal = await check.Deals.SingleAsync(d => d.Id == converted.ConvertedDealId);
        Assert.Equal((18000m, "EUR", LeadSource.Referral, "Partner week", new DateOnly(2030, 6, 30)), (deal.Amount, deal.Currency, deal.Source!.Value, deal.Campaign!, deal.ExpectedClose!.Value));
        Assert.Equal(accountId, deal.AccountId);
    }

    [Fact]
    public async Task AManagerReassignsARepsDealsInBulk()
    {
        _ = server.Http;
        var tom = await UserIdAsync("tom@reach.demo");
        var priya = await UserIdAsync("priya@reach.demo");
        var prefix = Unique("Bulk");
        List<Guid> ids;
        await using (var db = server.OpenDb())
        {
            var account = new Account { Name = prefix + " account", OwnerId = tom, Channel = Channel.Inside };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            var pipeline = await db.Pipelines.Include(p => p.Stages).Where(p => p.Channel == Channel.Inside).OrderBy(p => p.CreatedAt).FirstAsync();
            ids = [];
            foreach (var n in new[] { 1, 2 })
            {
                var input = new DealInput { Name = $"{prefix} deal {n}", AccountId = account.Id, Amount = 1000m * n, Currency = "EUR", PipelineId = pipeline.Id, OwnerId = tom };
                var deal = input.ToNew();
                await input.ApplyAsync(db, deal, CancellationToken.None);
                db.Deals.Add(deal);
                ids.Add(deal.Id);
            }
            await db.SaveChangesAsync();
        }
        await Journey.RunAsync(server, "records-bulk", async page =>
        {
            // A rep is not offered the choice.
            await Journey.SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync("/Deals?q=" + Uri.EscapeDataString(prefix));
            await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reassign" })).ToHaveCountAsync(0);
            // A bad value in the address is said on the page, not a raw error.
            await page.GotoAsync("/Deals?status=bogus");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'bogus' is not a valid status");
        });
        await Journey.RunAsync(server, "records-bulk-manager", async page =>
        {
            await Journey.SignInAsync(page, "sofia@reach.demo");
            await page.GotoAsync("/Deals?q=" + Uri.EscapeDataString(prefix));
            await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(2);
            await page.GetByLabel("Select all deals shown").CheckAsync();
            await Assertions.Expect(page.Locator("[data-selected]")).ToHaveTextAsync("2 selected");
            await page.GetByLabel("Owner", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Priya Nair" });
            await ShootAsync(page, "deals-bulk");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
            var file = await download.PathAsync();
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(3, lines.Length);
            Assert.Contains(lines, l => l.Contains(prefix + " deal 1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains(prefix + " deal 2", StringComparison.Ordinal));
            await page.GetByRole(AriaRole.Button, new() { Name = "Reassign" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "2 deals handed to Priya Nair." })).ToBeVisibleAsync();
        });
        await using var check = server.OpenDb();
        Assert.All(await check.Deals.Where(d => ids.Contains(d.Id)).ToListAsync(), d => Assert.Equal(priya, d.OwnerId));
    }

    [Fact]
    public async Task ADeleteIsUndoneAndARecordIsRestoredFromTheTrash()
    {
        _ = server.Http;
        var tom = await UserIdAsync("tom@reach.demo");
        var name = Unique("Fleeting");
        Guid id, contactId, leadId;
        await using (var db = server.OpenDb())
        {
            var account = new Account { Name = name, OwnerId = tom };
            var contact = new Contact { FirstName = "Gone", LastName = name, OwnerId = tom, DeletedAt = server.Clock.UtcNow };
            var lead = new Lead { FirstName = "Gone", LastName = name, OwnerId = tom, ReceivedAt = server.Clock.UtcNow, DeletedAt = server.Clock.UtcNow };
            db.AddRange(account, contact, lead);
            await db.SaveChangesAsync();
            (id, contactId, leadId) = (account.Id, contact.Id, lead.Id);
        }
        await Journey.RunAsync(server, "records-trash", async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync($"/Accounts/{id}");
            await page.GetByText("Delete…").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith("/Accounts", StringComparison.Ordinal));
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Account “{name}” deleted." })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Account “{name}” restored." })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();

            await page.GotoAsync($"/Accounts/{id}");
            await page.GetByText("Delete…").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "deleted" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Trash" }).ClickAsync();
            await ShootAsync(page, "trash");
            await page.GetByRole(AriaRole.Button, new() { Name = "Restore " + name }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Account “{name}” restored." })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);

            // A deleted record's own address still opens it, read-only, with its undo (as a deal's page does).
            await page.GetByText("Delete…").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "deleted" })).ToBeVisibleAsync();
            await page.GotoAsync($"/Accounts/{id}");
            await Assertions.Expect(page.GetByTestId("in-trash")).ToContainTextAsync("This account is in the trash since");
            await Assertions.Expect(page.GetByText("Delete…")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log it" })).ToHaveCountAsync(0);
            await ShootAsync(page, "account-in-trash");
            await page.GetByRole(AriaRole.Button, new() { Name = "Undo: restore it" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Account “{name}” restored." })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("in-trash")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("Delete…")).ToBeVisibleAsync();

            foreach (var (kind, path) in new[] { ("contact", $"/Contacts/{contactId}"), ("lead", $"/Leads/{leadId}") })
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.GetByTestId("in-trash")).ToContainTextAsync($"This {kind} is in the trash since");
                await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log it" })).ToHaveCountAsync(0);
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Undo: restore it" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "restored." })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log it" })).ToBeVisibleAsync();
        });
        await using var check = server.OpenDb();
        Assert.Null((await check.Accounts.SingleAsync(a => a.Id == id)).DeletedAt);
        Assert.Null((await check.Leads.SingleAsync(l => l.Id == leadId)).DeletedAt);
    }
}

public sealed class RecordJourneyOnSqliteTests(SqliteBrowserServer server) : RecordJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class RecordJourneyOnPostgresTests(PostgresBrowserServer server) : RecordJourneyTests(server), IClassFixture<PostgresBrowserServer>;
