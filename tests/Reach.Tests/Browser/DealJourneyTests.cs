using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Contacts;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Tests.Infrastructure;
using Reach.Web.Pages;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A rep's deal work in a real browser: the cast of characters and line items on the deal page, and the board's
/// closing moves (Won confirmed, Lost with a reason, an undo) with the column totals following at once.
/// </summary>
public abstract class DealJourneyTests(ReachServer server)
{
    // Drop near the top of a column's cards: the middle of a long column lies below the window, and scrolling in the
    // middle of a drag loses the drop.
    static readonly LocatorDragToOptions TopOfColumn = new() { TargetPosition = new() { X = 40, Y = 8 } };

    const string Shots = "/tmp/shots-deals";
    static readonly string[] UnforecastPeriods = ["custom", "week"];

    static async Task ShootAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name + ".png"), FullPage = true });
    }

    // Straight to the page wanted (the sign-in page brings the user back to it), not through My day.
    static Task SignInToAsync(IPage page, string path, string email) => Journey.SignInAsync(page, email, path);

    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task ARepCastsTwoContactsAndPricesTheDealWithTwoLines()
    {
        Deal deal;
        Guid ada, bob;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            deal = await db.Deals.Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open).OrderBy(d => d.Name).FirstAsync();
            // A known starting point: no lines and no cast on this deal, two fresh contacts at its account.
            await db.DealLineItems.Where(i => i.DealId == deal.Id).ExecuteDeleteAsync();
            await db.DealContacts.Where(l => l.DealId == deal.Id).ExecuteDeleteAsync();
            // Its primary contact is the economic buyer, not yet cast on the deal: they count with their own role.
            var eve = new Contact { FirstName = "Eve" + Guid.NewGuid().ToString("N")[..5], LastName = "Primary", Role = ContactRole.EconomicBuyer, AccountId = deal.AccountId, OwnerId = deal.OwnerId };
            db.Contacts.Add(eve);
            await db.SaveChangesAsync();
            await db.Deals.Where(d => d.Id == deal.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.PrimaryContactId, eve.Id));
            var tag = Guid.NewGuid().ToString("N")[..5];
            var first = new Contact { FirstName = "Ada" + tag, LastName = "Champion", Title = "Head of Ops", AccountId = deal.AccountId, OwnerId = tom.Id };
            var second = new Contact { FirstName = "Bob" + tag, LastName = "Budget", Title = "CFO", AccountId = deal.AccountId, OwnerId = tom.Id };
            db.Contacts.AddRange(first, second);
            await db.SaveChangesAsync();
            (ada, bob) = (first.Id, second.Id);
        }
        var products = await ProductsAsync(2);

        await Journey.RunAsync(server, "deal-cast-and-lines-" + Provider, async page =>
        {
            await SignInToAsync(page, $"/Deals/{deal.Id}", "tom@reach.demo");
            var coverage = page.GetByTestId("coverage");
            await Assertions.Expect(coverage).ToHaveTextAsync("Missing: champion. Deals without them rarely close.");
            await using (var db = server.OpenDb())
                await db.Deals.Where(d => d.Id == deal.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.PrimaryContactId, (Guid?)null));
            await page.ReloadAsync();
            await Assertions.Expect(coverage).ToContainTextAsync("Missing: champion and economic buyer");

            await page.GetByLabel("Contact", new() { Exact = true }).SelectOptionAsync(ada.ToString());
            await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("Champion");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to deal" }).ClickAsync();
            await Assertions.Expect(coverage).ToContainTextAsync("Missing: economic buyer");

            await page.GetByLabel("Contact", new() { Exact = true }).SelectOptionAsync(bob.ToString());
            await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("EconomicBuyer");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add to deal" }).ClickAsync();
            await Assertions.Expect(coverage).ToHaveTextAsync("Champion and economic buyer present.");

            await page.GetByLabel("Product").SelectOptionAsync(products[0].ToString());
            await page.GetByLabel("Quantity").Last.FillAsync("2");
            await page.GetByLabel($"Unit price ({deal.Currency})").FillAsync("1000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add line" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("lines-amount")).ToHaveTextAsync(Format.Money(2000m, deal.Currency));

            await page.GetByLabel("Product").SelectOptionAsync(products[1].ToString());
            await page.GetByLabel("Quantity").Last.FillAsync("1");
            await page.GetByLabel($"Unit price ({deal.Currency})").FillAsync("500");
            await page.GetByLabel("Discount %").Last.FillAsync("10");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add line" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("lines-amount")).ToHaveTextAsync(Format.Money(2450m, deal.Currency));
            await Assertions.Expect(page.Locator("#amount")).ToHaveValueAsync("2450");
            await ShootAsync(page, "deal-" + Provider);

            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await ShootAsync(page, "deal-390-" + Provider);

            // A period the forecast does not do is said on the page, and the picker shows the period shown.
            foreach (var period in UnforecastPeriods)
            {
                var response = await page.GotoAsync($"/Forecast?period={period}");
                Assert.Equal(200, response!.Status);
                await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"not '{period}'");
                await Assertions.Expect(page.Locator("select#period")).ToHaveValueAsync("Month");
            }
        });

        await using var check = server.OpenDb();
        Assert.Equal(2450m, (await check.Deals.SingleAsync(d => d.Id == deal.Id)).Amount);
        Assert.Equal(2, await check.DealContacts.CountAsync(l => l.DealId == deal.Id));
    }

    [Fact]
    public async Task ARepWinsOneDealLosesAnotherWithAReasonAndUndoesTheLoss()
    {
        Guid pipeline, tomId, won, lost, wonStage, lostStage, lostFrom;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            tomId = tom.Id;
            var open = await db.Deals.Include(d => d.Stage).Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open && d.Channel == Reach.Data.Channel.Inside)
                .OrderByDescending(d => d.StageEnteredAt).Take(2).ToListAsync();
            (won, lost, lostFrom, pipeline) = (open[0].Id, open[1].Id, open[1].StageId, open[0].PipelineId);
            var stages = await db.Stages.Where(s => s.PipelineId == pipeline).ToListAsync();
            wonStage = stages.Single(s => s.Outcome == StageOutcome.Won).Id;
            lostStage = stages.Single(s => s.Outcome == StageOutcome.Lost).Id;
        }

        await Journey.RunAsync(server, "board-won-lost-undo-" + Provider, async page =>
        {
            // Wide enough for every column of the inside-sales board, so each drop lands on a column in view.
            await page.SetViewportSizeAsync(1920, 1000);
            await SignInToAsync(page, $"/Pipeline?pipeline={pipeline}&owner={tomId}", "tom@reach.demo");
            var wonColumn = page.Locator($".column[data-stage='{wonStage}']");
            var lostColumn = page.Locator($".column[data-stage='{lostStage}']");
            var wonCount = int.Parse(await wonColumn.Locator(".count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
            var wonSum = await wonColumn.Locator(".sum").InnerTextAsync();
            await ShootAsync(page, "board-" + Provider);

            await page.Locator($".deal-card[data-id='{won}']").DragToAsync(wonColumn.Locator(".cards"), TopOfColumn);
            var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Mark as won?" });
            await Assertions.Expect(confirm).ToBeVisibleAsync();
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Mark won" }).ClickAsync();
            await Assertions.Expect(wonColumn.Locator($".deal-card[data-id='{won}']")).ToBeVisibleAsync();
            await Assertions.Expect(wonColumn.Locator(".count")).ToHaveTextAsync((wonCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(wonColumn.Locator(".sum")).Not.ToHaveTextAsync(wonSum);

            var lostCount = await lostColumn.Locator(".count").InnerTextAsync();
            await page.Locator($".deal-card[data-id='{lost}']").DragToAsync(lostColumn.Locator(".cards"), TopOfColumn);
            var why = page.GetByRole(AriaRole.Dialog, new() { Name = "Why was it lost?" });
            await Assertions.Expect(why).ToBeVisibleAsync();
            await why.GetByLabel("Lost reason").SelectOptionAsync("Price");
            await why.GetByRole(AriaRole.Button, new() { Name = "Mark lost" }).ClickAsync();
            await Assertions.Expect(lostColumn.Locator($".deal-card[data-id='{lost}']")).ToBeVisibleAsync();
            await Assertions.Expect(lostColumn.Locator(".count")).Not.ToHaveTextAsync(lostCount);
            await ShootAsync(page, "board-after-moves-" + Provider);

            await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
            await Assertions.Expect(page.Locator($".column[data-stage='{lostFrom}'] .deal-card[data-id='{lost}']")).ToBeVisibleAsync();
            await Assertions.Expect(lostColumn.Locator(".count")).ToHaveTextAsync(lostCount);

            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await ShootAsync(page, "board-390-" + Provider);
        });

        await using var check = server.OpenDb();
        var wonDeal = await check.Deals.SingleAsync(d => d.Id == won);
        Assert.Equal(DealStatus.Won, wonDeal.Status);
        var lostDeal = await check.Deals.SingleAsync(d => d.Id == lost);
        Assert.Equal(DealStatus.Open, lostDeal.Status);
        Assert.Equal(lostFrom, lostDeal.StageId);
        // The loss was recorded with its reason, then undone; every move names Tom.
        Assert.True(await check.DealStageChanges.AnyAsync(c => c.DealId == lost && c.ToStageId == lostStage && c.ByUserId == tomId));
        Assert.True(await check.DealStageChanges.AnyAsync(c => c.DealId == won && c.ToStageId == wonStage && c.ByUserId == tomId));
        Assert.True(await check.AuditEntries.AnyAsync(e => e.EntityId == lost && e.Changes.Contains("Price")));
    }

    async Task<List<Guid>> ProductsAsync(int count)
    {
        await using var db = server.OpenDb();
        return await db.Products.Where(p => p.IsActive).OrderBy(p => p.Name).Select(p => p.Id).Take(count).ToListAsync();
    }
}

public sealed class DealJourneyOnSqliteTests(SqliteBrowserServer server) : DealJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class DealJourneyOnPostgresTests(PostgresBrowserServer server) : DealJourneyTests(server), IClassFixture<PostgresBrowserServer>;
