using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Pipelines;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>A rep's and a manager's day in a real browser against the real server. Each failure leaves a screenshot.</summary>
public abstract partial class WebAppTests(ReachServer server)
{
    Task InBrowserAsync(string name, Func<IPage, Task> journey, ViewportSize? viewport = null) => Journey.RunAsync(server, name, journey, viewport);

    static Task SnapshotAsync(IPage page, string name) => Journey.SnapshotAsync(page, name);

    static Task SignInAsync(IPage page, string email) => Journey.SignInAsync(page, email);

    async Task<(Deal Deal, Stage Next)> OpenDealOfAsync(string email)
    {
        await using var db = server.OpenDb();
        var owner = await db.Users.SingleAsync(u => u.Email == email);
        var deals = await db.Deals.Include(d => d.Stage).Where(d => d.OwnerId == owner.Id && d.Status == DealStatus.Open).ToListAsync();
        foreach (var deal in deals.OrderBy(d => d.Name))
        {
            var next = await db.Stages.Where(s => s.PipelineId == deal.PipelineId && s.Position > deal.Stage!.Position && s.Outcome == StageOutcome.Open).OrderBy(s => s.Position).FirstOrDefaultAsync();
            if (next is not null)
                return (deal, next);
        }
        throw new InvalidOperationException($"{email} has no open deal with a next open stage in the demo data.");
    }

    [Fact]
    public async Task ARepSignsInFindsAnAccountBySearchAndLogsACall()
    {
        string account;
        await using (var db = server.OpenDb())
        {
            account = (await db.Accounts.OrderBy(a => a.Name).FirstAsync()).Name;
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            var month = Period.Containing(server.Clock.UtcNow, PeriodKind.Month);
            // The demo's own quarterly target for Tom is replaced by one this test knows.
            db.RemoveRange(await db.Targets.Where(t => t.UserId == tom.Id).ToListAsync());
            db.Add(new Reach.Metrics.Target { Metric = "bookings", PeriodStart = month.Start, PeriodEnd = month.End, UserId = tom.Id, Value = 987_000m });
            await db.SaveChangesAsync();
        }

        await InBrowserAsync("search-and-log", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            Assert.Equal("Good day, Tom", await page.Locator("h1").InnerTextAsync());
            // My day shows this month's bookings against the rep's own target, the figure the reports compute.
            await Assertions.Expect(page.Locator(".stat").Filter(new() { HasText = "Bookings target" })).ToContainTextAsync("of €987,000");
            await SnapshotAsync(page, "my-day");

            await page.GetByLabel("Search").FillAsync(account);
            await page.GetByLabel("Search").PressAsync("Enter");
            await page.GetByRole(AriaRole.Link, new() { Name = account, Exact = true }).First.ClickAsync();
            Assert.Equal(account, (await page.Locator("h1").InnerTextAsync()).Split('\n')[0].Trim().Replace(" self-service", "", StringComparison.Ordinal).Replace(" inside", "", StringComparison.Ordinal).Replace(" field", "", StringComparison.Ordinal));

            var subject = "Called about the renewal " + Guid.NewGuid().ToString("N")[..6];
            await page.GetByLabel("Subject").FillAsync(subject);
            await page.GetByLabel("Notes").FillAsync("They want a proposal by Friday.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Call logged" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".timeline").GetByText(subject)).ToBeVisibleAsync();
            await SnapshotAsync(page, "account");
        });
    }

    [Fact]
    public async Task ARepDragsADealToTheNextStageAndItStaysThereAfterReload()
    {
        var (deal, next) = await OpenDealOfAsync("tom@reach.demo");

        await InBrowserAsync("drag-deal", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync($"/Pipeline?pipeline={deal.PipelineId}");
            var card = page.Locator($".deal-card[data-id='{deal.Id}']");
            await card.DragToAsync(page.Locator($".column[data-stage='{next.Id}'] .cards"), new() { TargetPosition = new() { X = 40, Y = 8 } });
            await Assertions.Expect(page.Locator($".column[data-stage='{next.Id}'] .deal-card[data-id='{deal.Id}']")).ToBeVisibleAsync();

            await page.ReloadAsync();
            await Assertions.Expect(page.Locator($".column[data-stage='{next.Id}'] .deal-card[data-id='{deal.Id}']")).ToBeVisibleAsync();
        });

        await using var db = server.OpenDb();
        Assert.Equal(next.Id, (await db.Deals.SingleAsync(d => d.Id == deal.Id)).StageId);
        Assert.True(await db.DealStageChanges.AnyAsync(c => c.DealId == deal.Id && c.ToStageId == next.Id));
    }

    [Fact]
    public async Task ARepIsRefusedAnotherRepsDealInThePageAndThroughItsForm()
    {
        var (other, _) = await OpenDealOfAsync("priya@reach.demo");

        await InBrowserAsync("refused-deal", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            var response = await page.GotoAsync($"/Deals/{other.Id}");
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found");

            // The edit form posted by hand, with a valid antiforgery token from one of Tom's own pages.
            await page.GotoAsync("/Deals");
            var token = await page.Locator("input[name='__RequestVerificationToken']").First.InputValueAsync();
            var post = await page.Context.APIRequest.PostAsync($"/Deals/{other.Id}?handler=Save", new()
            {
                Form = FormOf(page, ("__RequestVerificationToken", token), ("Edit.Name", "Hijacked"), ("Edit.Amount", "1"), ("Edit.Currency", "EUR"), ("Edit.Version", other.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                MaxRedirects = 0,
            });
            Assert.Equal((int)HttpStatusCode.NotFound, post.Status);
        });

        await using var db = server.OpenDb();
        var stored = await db.Deals.SingleAsync(d => d.Id == other.Id);
        Assert.Equal((other.Name, other.Amount, other.Version), (stored.Name, stored.Amount, stored.Version));
    }

    [Fact]
    public async Task ABadFormShowsTheErrorNextToTheFieldAndKeepsWhatWasTyped()
    {
        var (deal, _) = await OpenDealOfAsync("tom@reach.demo");

        await InBrowserAsync("bad-form", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync($"/Deals/{deal.Id}");
            await page.GetByLabel("Currency").FillAsync("ABC");
            await page.GetByLabel("Next step", new() { Exact = true }).FillAsync("Send the security questionnaire");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

            await Assertions.Expect(page.Locator("#currency-error")).ToContainTextAsync("not an ISO 4217 currency code");
            await Assertions.Expect(page.GetByLabel("Currency")).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(page.GetByLabel("Next step", new() { Exact = true })).ToHaveValueAsync("Send the security questionnaire");
            await SnapshotAsync(page, "deal-with-error");

            // As you type: the browser checks the same rule the server has (the name is required).
            await page.GetByLabel("Name").FillAsync("");
            await page.GetByLabel("Name").BlurAsync();
            await Assertions.Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");
        });

        await using var db = server.OpenDb();
        Assert.Equal(deal.Currency, (await db.Deals.SingleAsync(d => d.Id == deal.Id)).Currency);
    }

    [Fact]
    public async Task ACrossSiteFormPostWithoutTheAntiforgeryTokenIsRejected()
    {
        var (deal, _) = await OpenDealOfAsync("tom@reach.demo");

        await InBrowserAsync("antiforgery", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            var post = await page.Context.APIRequest.PostAsync($"/Deals/{deal.Id}?handler=Save", new()
            {
                Form = FormOf(page, ("Edit.Name", "Forged"), ("Edit.Amount", "1"), ("Edit.Currency", "EUR")),
                Headers = new Dictionary<string, string> { ["Origin"] = "https://evil.example" },
                MaxRedirects = 0,
            });
            Assert.Equal((int)HttpStatusCode.BadRequest, post.Status);
        });

        await using var db = server.OpenDb();
        Assert.Equal(deal.Name, (await db.Deals.SingleAsync(d => d.Id == deal.Id)).Name);
    }

    [Fact]
    public async Task ADisabledUsersOpenSessionEndsOnTheNextPage()
    {
        await InBrowserAsync("disabled-session", async page =>
        {
            await SignInAsync(page, "james@reach.demo");
            await page.GotoAsync("/Deals");
            Assert.EndsWith("/Deals", page.Url);

            Guid james;
            await using (var db = server.OpenDb())
                james = (await db.Users.SingleAsync(u => u.Email == "james@reach.demo")).Id;
            var disable = await server.Http.PatchAsync($"/api/v1/users/{james}", new StringContent("""{"active":false}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

            await page.GotoAsync("/Deals");
            Assert.Contains("/sign-in", page.Url);
        });
    }

    [Fact]
    public async Task ADealDueTomorrowFromAnEarlyStageIsFlaggedOnItsPageInMyDayInTheDealsListAndOnTheForecast()
    {
        Guid id;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "marco@reach.demo");
            var deal = await db.Deals.Include(d => d.Stage).Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open).OrderBy(d => d.Stage!.Position).ThenBy(d => d.Name).FirstAsync();
            deal.ExpectedClose = DateOnly.FromDateTime(server.Clock.UtcNow.AddDays(1));
            await db.SaveChangesAsync();
            id = deal.Id;
        }

        await InBrowserAsync("cycle-flag", async page =>
        {
            await SignInAsync(page, "marco@reach.demo");
            await Assertions.Expect(page.Locator("#cycle + p, #cycle ~ ul").Locator($"a[href='/Deals/{id}']")).ToBeVisibleAsync();
            await page.GotoAsync($"/Deals/{id}");
            await Assertions.Expect(page.Locator("#outlook-heading")).ToContainTextAsync("cycle underestimated");
            await page.GotoAsync("/Deals");
            await Assertions.Expect(page.Locator("tr", new() { Has = page.Locator($"a[href='/Deals/{id}']") })).ToContainTextAsync("cycle underestimated");
            await page.GotoAsync("/Forecast");
            await Assertions.Expect(page.Locator("svg[role='img']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#flagged ~ .table-wrap a[href='/Deals/{id}']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-track-record]")).ToContainTextAsync("Track record");
            await SnapshotAsync(page, "forecast");
        });
    }

    [Fact]
    public async Task ARepOpensTheirMonthlyReportFromTheReportsPage()
    {
        await InBrowserAsync("report", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
            await page.GetByLabel("Format").SelectOptionAsync("html");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/reports/monthly", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Tom Becker");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Bookings");
            await SnapshotAsync(page, "monthly-report");
        });
    }

    [Fact]
    public async Task AManagerIsToldOfABadPeriodOnTheReportsPageAndOpensOneRepsReport()
    {
        await InBrowserAsync("report-manager", async page =>
        {
            await SignInAsync(page, "sofia@reach.demo");
            await page.GotoAsync("/Reports");
            await page.GetByLabel("Report", new() { Exact = true }).SelectOptionAsync("weekly");
            await page.GetByLabel("Period (empty: the current one)").FillAsync("2026-11");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();
            // Said on the page, beside the field, with what was typed kept.
            await Assertions.Expect(page.Locator("#period-error")).ToContainTextAsync("not a week");
            await Assertions.Expect(page.GetByLabel("Period (empty: the current one)")).ToHaveValueAsync("2026-11");

            await page.GetByLabel("Report", new() { Exact = true }).SelectOptionAsync("monthly");
            await page.GetByLabel("Whose numbers").SelectOptionAsync(new SelectOptionValue { Label = "Priya Nair" });
            await page.GetByLabel("Format").SelectOptionAsync("html");
            await page.GetByRole(AriaRole.Button, new() { Name = "Open the report" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/reports/monthly", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Monthly report 2026-11: Priya Nair");
        });
    }

    [Fact]
    public async Task LoggingAnEmailOnAContactCountsAsATouchOnItsPageAndItsAccounts()
    {
        Guid id, accountId;
        int before;
        string name;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            var contact = await db.Contacts.Where(c => c.OwnerId == tom.Id && c.AccountId != null).OrderBy(c => c.LastName).FirstAsync();
            id = contact.Id;
            before = await Reach.Activities.Touches.Held(db.Activities.Where(a => a.ContactId == id), server.Clock.UtcNow).CountAsync();
            accountId = contact.AccountId!.Value;
            name = contact.FullName;
        }

        await InBrowserAsync("contact-touch", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync($"/Contacts/{id}");
            var log = page.GetByRole(AriaRole.Region, new() { Name = "Log an activity" });
            await log.GetByLabel("Type").SelectOptionAsync("Email");
            await log.GetByLabel("Subject").FillAsync("Short note on the pilot");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log it" }).ClickAsync();
            await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync($"{before + 1} of 7");

            // The account's cast shows each contact's touches against the same rule.
            await page.GotoAsync($"/Accounts/{accountId}");
            var cast = page.Locator("li", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
            await Assertions.Expect(cast).ToContainTextAsync(before + 1 < 7 ? $"{before + 1} of 7 touches" : $"{before + 1} touches");
            await Assertions.Expect(page.GetByTestId("account-touches")).ToContainTextAsync("touches in all");
            await SnapshotAsync(page, "account-touches");
        });
    }

    [Fact]
    public async Task AManagerReviewsTheTeamsBoardAndMyDayOnAPhoneSizedScreen()
    {
        await InBrowserAsync("manager-phone", async page =>
        {
            await SignInAsync(page, "sofia@reach.demo");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deals with no next step" })).ToBeVisibleAsync();
            await page.GotoAsync("/Pipeline");
            Assert.True(await page.Locator(".deal-card").CountAsync() > 0);
            await SnapshotAsync(page, "pipeline-phone");
        }, new ViewportSize { Width = 390, Height = 844 });
    }

    [Fact]
    public async Task ARepImportsAHubSpotContactsFileRemapsAColumnAndDownloadsTheRejectedRows()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        // HubSpot's contacts export (data/export_formats.md): "Record ID" first, property labels as headers.
        // "Time Zone" is a HubSpot column Reach does not read by default: the user maps it by hand.
        var csv = $"""
            "Record ID","First Name","Last Name","Email","Job Title","Phone Number","Time Zone","Lifecycle Stage"
            "91{tag[..4]}01","Ada","Import{tag}","ada.{tag}@example.org","CTO","+1 202 555 0101","Europe/Berlin","lead"
            "91{tag[..4]}02","Bob","Import{tag}","bob.{tag}@example.org","CFO","","=Mars/Olympus","lead"
            "91{tag[..4]}03","Cy","Import{tag}","cy.{tag}@example.org","VP Sales","","America/New_York","customer"

            """;

        await InBrowserAsync("import-hubspot", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Import" }).ClickAsync();
            await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "hubspot-crm-exports-all-contacts-2026-11-23.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
            await page.GetByLabel("It holds").SelectOptionAsync("Contacts");
            await SnapshotAsync(page, "import-upload");
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();

            await Assertions.Expect(page.GetByTestId("detected-format")).ToHaveTextAsync("HubSpot");
            Assert.Equal("email", await page.GetByLabel("Field for Email").InputValueAsync());
            Assert.Equal("", await page.GetByLabel("Field for Time Zone").InputValueAsync());
            await page.GetByLabel("Field for Time Zone").SelectOptionAsync("timeZone");
            await page.GetByLabel("Save this mapping as").FillAsync("HubSpot contacts " + tag);
            await SnapshotAsync(page, "import-preview");

            await page.GetByRole(AriaRole.Button, new() { Name = "Import 3 rows" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("inserted")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("failed")).ToHaveTextAsync("1");
            await SnapshotAsync(page, "import-summary");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the rejected rows (CSV)" }).ClickAsync());
            var report = await File.ReadAllTextAsync((await download.PathAsync())!);
            var lines = report.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("row,column,value,reason", lines[0]);
            // Row 3 of the file (the header is row 1), its column named, the value neutralised against formulas.
            Assert.StartsWith("3,Time Zone,'=Mars/Olympus,", lines[1], StringComparison.Ordinal);
            Assert.Equal(2, lines.Length);

            // The saved mapping is on the Import page, where its author renames it, then deletes it.
            await page.GotoAsync("/Imports");
            await page.GetByLabel("Name of HubSpot contacts " + tag).FillAsync("HubSpot monthly " + tag);
            await page.Locator("tr", new() { Has = page.GetByLabel("Name of HubSpot contacts " + tag) }).GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Name of HubSpot monthly " + tag)).ToHaveValueAsync("HubSpot monthly " + tag);
            await SnapshotAsync(page, "import-mappings");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete HubSpot monthly " + tag }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Name of HubSpot monthly " + tag)).ToHaveCountAsync(0);
        });

        await using var db = server.OpenDb();
        var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
        var imported = await db.Contacts.Where(c => c.LastName == "Import" + tag).OrderBy(c => c.FirstName).ToListAsync();
        Assert.Equal(["Ada", "Cy"], imported.Select(c => c.FirstName));
        Assert.Equal(["Europe/Berlin", "America/New_York"], imported.Select(c => c.TimeZone));
        Assert.All(imported, c => Assert.Equal(tom.Id, c.OwnerId));
        var mapping = await db.ImportMappings.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).SingleAsync(m => m.Name == "HubSpot monthly " + tag);
        Assert.Equal(("timeZone", "-", tom.Id), (mapping.Map["Time Zone"], mapping.Map["Lifecycle Stage"], mapping.OwnerId));
        Assert.NotNull(mapping.DeletedAt);
    }

    [Fact]
    public async Task ARepExportsTheDealsListAndGetsOnlyTheDealsTheyMaySee()
    {
        HashSet<string> visible;
        int all;
        await using (var db = server.OpenDb())
        {
            all = await db.Deals.CountAsync(d => d.Status == DealStatus.Open);
            db.Actor = Reach.Access.Actor.For(await db.Users.SingleAsync(u => u.Email == "tom@reach.demo"));
            visible = [.. (await db.Deals.Where(d => d.Status == DealStatus.Open).Select(d => d.Id).ToListAsync()).Select(id => id.ToString())];
        }
        Assert.InRange(visible.Count, 1, all - 1);

        await InBrowserAsync("export-deals", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            await page.GotoAsync("/Deals");
            await SnapshotAsync(page, "deals-export");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Group, new() { Name = "Export this list" }).GetByRole(AriaRole.Link, new() { Name = "CSV", Exact = true }).ClickAsync());
            Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
            var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("id,name,accountId,", lines[0], StringComparison.Ordinal);
            Assert.Equal(visible, lines.Skip(1).Select(l => l.Split(',')[0]).ToHashSet());
        });
    }

    static readonly string[] DashboardChannels = ["field", "inside", "self_service"];

    [Fact]
    public async Task AManagerOpensTheDashboardSwitchesToQuarterAndSeesTheDealsBehindAChannelsBookings()
    {
        await InBrowserAsync("dashboard-manager", async page =>
        {
            await SignInAsync(page, "daniel@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
            // A manager picks whose figures: their team by default, themselves, or one of their reps.
            Assert.True(await page.Locator("#scope option").CountAsync() >= 3);

            await page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("quarter");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("kind=quarter", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync("-Q");
            await SnapshotAsync(page, "dashboard-quarter");

            // Every channel's bookings figure is a link; the first with deals behind it opens them.
            string? figure = null;
            var count = 0;
            foreach (var channel in DashboardChannels)
            {
                var link = page.Locator($"a[data-figure='bookings-{channel}']");
                count = int.Parse(await link.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                if (count > 0)
                {
                    figure = channel;
                    await link.ClickAsync();
                    break;
                }
            }
            Assert.NotNull(figure);
            await page.WaitForURLAsync(url => url.Contains("/Dashboard/Deals", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#deal-count")).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Deals in a currency with no exchange rate are listed too, marked, but left out of the amount and its count.
            var leftOut = await page.Locator("#left-out").CountAsync() == 0 ? 0 : int.Parse(await page.Locator("#left-out").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(count + leftOut, await page.Locator("#behind tbody tr").CountAsync());
            Assert.Equal(leftOut, await page.Locator("#behind tbody tr", new() { HasText = "no rate" }).CountAsync());
            Assert.Contains("kind=quarter", page.Url, StringComparison.Ordinal);
            await SnapshotAsync(page, "dashboard-drill-down");
        });
    }

    [Fact]
    public async Task AnAdminCutsTheDashboardByThePlansSegmentAndSeesThatSegmentsDealsBehindAFigure()
    {
        // The demo plan routed every account: take its most populated segment and count its deals won this quarter.
        var quarter = Period.Containing(server.Clock.UtcNow, PeriodKind.Quarter);
        string segment;
        int won;
        await using (var db = server.OpenDb())
        {
            segment = await db.Accounts.Where(a => a.Segment != null).GroupBy(a => a.Segment!).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            won = await db.Deals.CountAsync(d => d.Status == DealStatus.Won && d.ClosedAt >= quarter.StartsAt && d.ClosedAt < quarter.EndsAt
                && db.Accounts.Any(a => a.Id == d.AccountId && a.Segment == segment));
        }
        Assert.True(won > 0, $"no deal of segment {segment} won in {quarter.Label} in the demo data");

        await InBrowserAsync("dashboard-segment", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            await page.GotoAsync("/Dashboard?kind=quarter");
            await page.GetByLabel("Segment", new() { Exact = true }).SelectOptionAsync(segment);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("segment=", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync($"segment {segment}");
            await SnapshotAsync(page, "dashboard-segment");

            var figure = page.Locator("a[data-figure='deals_won-all']");
            Assert.Equal(won, int.Parse(await figure.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            await figure.ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Dashboard/Deals", StringComparison.Ordinal) && url.Contains("segment=", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#deal-count")).ToHaveTextAsync(won.ToString(System.Globalization.CultureInfo.InvariantCulture));

            // A segment no plan or record knows is refused with the field named.
            var bad = await page.GotoAsync("/Dashboard?segment=No%20such%20segment");
            Assert.Equal((int)HttpStatusCode.BadRequest, bad!.Status);
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("segment:");
        });
    }

    [Fact]
    public async Task AnAdminCutsTheDashboardByACustomRangeAndTierAndOpensTheTouchesAndLeadsBehindAFigure()
    {
        await InBrowserAsync("dashboard-cuts", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            await page.GotoAsync("/Dashboard");
            var today = server.Clock.UtcNow.Date;
            var from = today.AddDays(-179).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var to = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            await page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("custom");
            await page.GetByLabel("From", new() { Exact = true }).FillAsync(from);
            await page.GetByLabel("To", new() { Exact = true }).FillAsync(to);
            await page.GetByLabel("Tier", new() { Exact = true }).SelectOptionAsync("A");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("kind=custom", StringComparison.Ordinal) && url.Contains("tier=A", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{today.AddDays(-179):d MMM} – {today:d MMM yyyy}"));
            await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync("tier A");
            await SnapshotAsync(page, "dashboard-custom-tier");

            // The touches behind the figure: as many as it counts, each of the range, and the cuts carried along.
            var touches = page.Locator("a[data-figure='touches-all']");
            var count = int.Parse(await touches.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(count > 0, "no touches with tier A accounts in the last 180 days of the demo");
            await touches.ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Dashboard/Touches", StringComparison.Ordinal));
            Assert.Contains("tier=A", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("#touch-count")).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Math.Min(count, 500), await page.Locator("#behind tbody tr").CountAsync());
            await SnapshotAsync(page, "dashboard-touches-behind");

            // And the leads behind new leads, for the same cuts.
            await page.GetByRole(AriaRole.Link, new() { Name = "← Back to the dashboard" }).ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Dashboard?", StringComparison.Ordinal) && url.Contains("kind=custom", StringComparison.Ordinal));
            var leads = page.Locator("a[data-figure='new_leads-all']");
            var leadCount = int.Parse(await leads.GetAttributeAsync("data-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            await leads.ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("/Dashboard/Leads", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#lead-count")).ToHaveTextAsync(leadCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Math.Min(leadCount, 500), await page.Locator("#behind tbody tr").CountAsync());

            // A range that ends before it starts is refused with the field named.
            var bad = await page.GotoAsync($"/Dashboard?kind=custom&from={to}&to={from}");
            Assert.Equal((int)HttpStatusCode.BadRequest, bad!.Status);
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("to:");
            // So is a range wider than three years, or one that runs off the calendar.
            Assert.Equal((int)HttpStatusCode.BadRequest, (await page.GotoAsync("/Dashboard?kind=custom&from=2000-01-01&to=2026-01-01"))!.Status);
            Assert.Equal((int)HttpStatusCode.BadRequest, (await page.GotoAsync("/Dashboard?kind=custom&from=2026-01-01&to=9999-12-31"))!.Status);
        });
    }

    [Fact]
    public async Task AManagerSetsARunOfTargetsForARepChangesAndDeletesOneAndSeesThemAgainstWhatWasReached()
    {
        Guid priya, velocity;
        await using (var db = server.OpenDb())
        {
            priya = (await db.Users.SingleAsync(u => u.Email == "priya@reach.demo")).Id;
            velocity = (await db.Teams.SingleAsync(t => t.Name == "Velocity")).Id;
        }
        var month = Period.Containing(server.Clock.UtcNow, PeriodKind.Month);
        var first = month.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await InBrowserAsync("targets", async page =>
        {
            await SignInAsync(page, "sofia@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Targets", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Targets", Exact = true })).ToBeVisibleAsync();

            // The team's bookings targets from the demo's plan: this month's against the figure the dashboard computes.
            var thisMonth = page.Locator($"#targets tr[data-period='{month.Label}'][data-channel='all']");
            await Assertions.Expect(thisMonth).ToHaveCountAsync(1);
            await using (var db = server.OpenDb())
            {
                var bookings = (await MetricService.ComputeAsync(db, [MetricCatalogue.Find("bookings")!], new MetricQuery(month) { TeamId = velocity }, "EUR",
                    server.Clock.UtcNow)).Single();
                await Assertions.Expect(thisMonth.Locator("[data-actual]")).ToHaveTextAsync(
                    Reach.Web.Pages.Dashboard.DashboardCharts.Format(MetricUnit.Money, bookings.Total.Value, "EUR"));
            }

            // Three months of meetings held for one of the team's reps, in one go.
            async Task SetAsync()
            {
                await page.Locator("#form-scope").SelectOptionAsync($"rep:{priya}");
                await page.Locator("#form-metric").SelectOptionAsync("meetings_held");
                await page.Locator("#form-kind").SelectOptionAsync("Month");
                await page.Locator("#form-from").FillAsync(first);
                await page.Locator("#form-repeat").FillAsync("3");
                await page.Locator("#form-value").FillAsync("40");
                await page.GetByRole(AriaRole.Button, new() { Name = "Set targets" }).ClickAsync();
            }
            await SetAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("3 targets set");
            await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Meetings held — Priya Nair");
            await Assertions.Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(3);
            // Next month has reached nothing yet: no figure rather than a zero.
            await Assertions.Expect(page.Locator($"#targets tr[data-period='{month.Next().Label}'] [data-actual]")).ToHaveTextAsync("—");

            // The same months again would be counted twice: refused, naming the month already covered.
            await SetAsync();
            await Assertions.Expect(page.Locator("#form-from-error")).ToContainTextAsync($"already covers {first}");
            await Assertions.Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(3);
            // Leaving out how many periods is an error, not a silent default.
            await page.Locator("#form-repeat").FillAsync("");
            await page.Locator("#form-value").FillAsync("40");
            await page.GetByRole(AriaRole.Button, new() { Name = "Set targets" }).ClickAsync();
            await Assertions.Expect(page.Locator("#form-repeat-error")).ToContainTextAsync("how many periods");

            // This month's changed, the last one deleted.
            var row = page.Locator($"#targets tr[data-period='{month.Label}']");
            await row.Locator("input[name=value]").FillAsync("50");
            await row.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Target changed");
            await Assertions.Expect(page.Locator($"#targets tr[data-period='{month.Label}'] td").Nth(2)).ToHaveTextAsync("50");
            await page.Locator($"#targets tr[data-period='{month.Next().Next().Label}']").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Target deleted");
            await Assertions.Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(2);
            await SnapshotAsync(page, "targets");

            // The workspace's targets are an admin's to see and set.
            Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync("/Targets?scope=workspace"))!.Status);
        });

        await using (var db = server.OpenDb())
        {
            var stored = await db.Targets.Where(t => t.UserId == priya && t.Metric == "meetings_held").OrderBy(t => t.PeriodStart).ToListAsync();
            Assert.Equal([month.Start, month.Next().Start], stored.Select(t => t.PeriodStart));
            Assert.Equal([50m, 40m], stored.Select(t => t.Value));
        }

        // The rep reads them, and has nothing to set them with.
        await InBrowserAsync("targets-rep", async page =>
        {
            await SignInAsync(page, "priya@reach.demo");
            await page.GotoAsync("/Targets?metric=meetings_held");
            await Assertions.Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(2);
            Assert.Equal(0, await page.Locator("#set-targets").CountAsync());
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).CountAsync());
        });
    }

    [Fact]
    public async Task AnAdminEntersAQuarterOfChannelCostsAndSeesCacWhileARepIsRefused()
    {
        var next = Period.Containing(server.Clock.UtcNow, PeriodKind.Month).Next();
        var note = $"Webinar tooling {Guid.NewGuid():N}"[..24];

        await InBrowserAsync("costs", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            await page.GotoAsync("/Targets");
            await page.GetByRole(AriaRole.Link, new() { Name = "Channel costs" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Channel costs", Exact = true })).ToBeVisibleAsync();
            // The demo's costs give this quarter's CAC, blended and per channel.
            await Assertions.Expect(page.Locator("#cac")).ToContainTextAsync("CAC");
            await Assertions.Expect(page.Locator(".stat[data-channel='all'] b")).ToContainTextAsync("€");

            await page.Locator("#cost-channel").SelectOptionAsync("Inside");
            await page.Locator("#cost-kind").SelectOptionAsync("Month");
            await page.Locator("#cost-from").FillAsync(next.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#cost-repeat").FillAsync("3");
            await page.Locator("#cost-amount").FillAsync("1234");
            await page.Locator("#cost-note").FillAsync(note);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enter costs" }).ClickAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync($"3 costs entered, {next.Label} to {next.Next().Next().Label}");
            var entered = page.Locator("#costs tbody tr", new() { HasText = note });
            await Assertions.Expect(entered).ToHaveCountAsync(3);
            await Assertions.Expect(entered.First).ToContainTextAsync("€1,234");
            await SnapshotAsync(page, "costs");

            await entered.First.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Cost deleted");
            await Assertions.Expect(page.Locator("#costs tbody tr", new() { HasText = note })).ToHaveCountAsync(2);
        });

        await using (var db = server.OpenDb())
            Assert.Equal(2, await db.ChannelCosts.CountAsync(c => c.Note == note && c.Channel == Channel.Inside && c.Amount == 1234m));

        await InBrowserAsync("costs-rep", async page =>
        {
            await SignInAsync(page, "tom@reach.demo");
            Assert.Equal((int)HttpStatusCode.Forbidden, (await page.GotoAsync("/Costs"))!.Status);
        });
    }

    [Fact]
    public async Task DatesTypedOnTheDashboardShowThatRangeWithoutPickingCustomFirst()
    {
        await InBrowserAsync("dashboard-typed-dates", async page =>
        {
            await SignInAsync(page, "admin@reach.demo");
            await page.GotoAsync("/Dashboard?kind=month");
            var first = server.Clock.UtcNow.Date.AddDays(-40);
            var last = server.Clock.UtcNow.Date.AddDays(-10);
            await page.GetByLabel("From", new() { Exact = true }).FillAsync(first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("To", new() { Exact = true }).FillAsync(last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first:d MMM} – {last:d MMM yyyy}"));
            await Assertions.Expect(page.GetByLabel("Period", new() { Exact = true })).ToHaveValueAsync("custom");

            // Changing only the period picker still moves to that kind of period.
            await page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("quarter");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Period", new() { Exact = true })).ToHaveValueAsync("quarter");
        });
    }

    [Fact]
    public async Task ARepSeesOnlyTheirOwnFiguresOnTheDashboard()
    {
        await using (var db = server.OpenDb())
        {
            var team = await db.Teams.FirstAsync();
            await InBrowserAsync("dashboard-rep", async page =>
            {
                await SignInAsync(page, "tom@reach.demo");
                await page.GotoAsync("/Dashboard?kind=quarter");
                await Assertions.Expect(page.Locator("#showing")).ToContainTextAsync("Tom Becker");
                Assert.Equal(0, await page.Locator("#scope").CountAsync());
                await SnapshotAsync(page, "dashboard-rep");

                // Asking for the workspace's or a team's figures by hand is refused with the reason.
                var workspace = await page.GotoAsync("/Dashboard?scope=workspace");
                Assert.Equal((int)HttpStatusCode.Forbidden, workspace!.Status);
                var other = await page.GotoAsync($"/Dashboard?scope=team:{team.Id}");
                Assert.Equal((int)HttpStatusCode.Forbidden, other!.Status);
                await Assertions.Expect(page.Locator("body")).ToContainTextAsync("own figures");

                // The deals behind the rep's pipeline created are all the rep's.
                await page.GotoAsync("/Dashboard?kind=quarter");
                await page.Locator("a[data-figure='pipeline_created-all']").ClickAsync();
                await page.WaitForURLAsync(url => url.Contains("/Dashboard/Deals", StringComparison.Ordinal));
                var owners = await page.Locator("#behind tbody tr td:nth-child(5)").AllInnerTextsAsync();
                Assert.NotEmpty(owners);
                Assert.All(owners, o => Assert.Equal("Tom Becker", o.Trim()));
            });
        }
    }

    static IFormData FormOf(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
            form.Set(name, value);
        return form;
    }
}

public sealed class WebAppOnSqliteTests(SqliteBrowserServer server) : WebAppTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class WebAppOnPostgresTests(PostgresBrowserServer server) : WebAppTests(server), IClassFixture<PostgresBrowserServer>;
