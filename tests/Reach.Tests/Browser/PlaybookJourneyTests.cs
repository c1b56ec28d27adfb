using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Deals;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// A rep on a deal in Proposal finds the stage's script, the difficult questions and the competitor's row in the demo's
/// playbook, draws the proposal and the order form with the deal's line items and sends the proposal from their own
/// mailbox (real SMTP, read back over IMAP), in a real browser.
/// </summary>
public abstract class PlaybookJourneyTests(ReachServer server)
{
    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task ARepOnAProposalDealSeesTheStagesScriptAndSearchesTheQuestions()
    {
        Guid dealId;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            var deal = await db.Deals.Include(d => d.Stage).Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open).OrderBy(d => d.Name).FirstAsync();
            var proposal = await db.Stages.SingleAsync(s => s.PipelineId == deal.PipelineId && s.Name == "Proposal");
            if (deal.StageId != proposal.Id)
                db.DealStageChanges.Add(deal.MoveTo(proposal, db.UtcNow, tom.Id));
            deal.Competitor = "BigCRM";
            await db.SaveChangesAsync();
            dealId = deal.Id;
        }

        await Journey.RunAsync(server, "playbook-on-deal-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo", $"/Deals/{dealId}");
            var panel = page.GetByTestId("deal-playbook");
            await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Playbook for Proposal" })).ToBeVisibleAsync();
            await Assertions.Expect(panel).ToContainTextAsync("Proposal walkthrough call");
            await Assertions.Expect(panel).ToContainTextAsync("Your price is higher than the alternatives");
            await Assertions.Expect(panel).Not.ToContainTextAsync("Cold call opener");

            var rival = page.GetByTestId("competitor-row");
            await Assertions.Expect(rival).ToContainTextAsync("3× ours per seat");
            await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Against BigCRM" })).ToBeVisibleAsync();

            await panel.GetByText("Proposal walkthrough call").ClickAsync();
            await Assertions.Expect(panel.GetByText("Walk the proposal: scope, price, start date.", new() { Exact = false })).ToBeVisibleAsync();

            await page.GetByLabel("Search difficult questions and answers").FillAsync("spreadsheet");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync();
            var results = page.GetByTestId("qa-results");
            await Assertions.Expect(results).ToContainTextAsync("Why not keep using a spreadsheet?");
            await Assertions.Expect(results).ToContainTextAsync("Monday pipeline review");
            await Journey.SnapshotAsync(page, "playbook-on-deal-" + Provider);

            // The rep reads the playbook but is not offered to change it.
            await page.GotoAsync("/Playbook?kind=difficult_qa");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Is our data secure?" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "New item" })).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task ARepDrawsTheProposalAndTheOrderFormWithTheLineItemsAndSendsTheProposalFromTheirMailbox()
    {
        _ = server.Http;
        var mail = MailServers.Require();
        Guid dealId;
        string dealName, buyer;
        List<string> products;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            var reachable = db.Contacts.Where(c => c.Email != null).Select(c => (Guid?)c.Id);
            var deal = await db.Deals.Include(d => d.LineItems)
                .Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open && d.LineItems.Count > 1 && reachable.Contains(d.PrimaryContactId))
                .OrderByDescending(d => d.Name).FirstAsync();
            var proposal = await db.Stages.SingleAsync(s => s.PipelineId == deal.PipelineId && s.Name == "Proposal");
            if (deal.StageId != proposal.Id)
                db.DealStageChanges.Add(deal.MoveTo(proposal, db.UtcNow, tom.Id));
            await db.SaveChangesAsync();
            (dealId, dealName) = (deal.Id, deal.Name);
            var productIds = deal.LineItems.Select(i => i.ProductId).ToList();
            products = await db.Products.Where(p => productIds.Contains(p.Id)).Select(p => p.Name).ToListAsync();
            buyer = (await db.Contacts.SingleAsync(c => c.Id == deal.PrimaryContactId)).Email!;
        }
        // The sender's address is the test's own: the mail servers keep every provider's and every run's messages.
        var sender = $"tom-{Guid.NewGuid():N}@seller.example";

        await Journey.RunAsync(server, "deal-documents-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo", "/Settings/Mail");
            await page.GetByLabel("Your name").FillAsync("Tom Becker");
            await page.GetByLabel("E-mail address").FillAsync(sender);
            await page.Locator("#smtp-host").FillAsync(mail.SmtpHost);
            await page.Locator("#smtp-port").FillAsync(mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("#smtp-security").SelectOptionAsync("None");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the mailbox" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Mailbox saved." })).ToBeVisibleAsync();

            await page.GotoAsync($"/Deals/{dealId}");
            var documents = page.GetByTestId("deal-documents");
            await Assertions.Expect(documents.GetByRole(AriaRole.Heading, new() { Name = "Documents" })).ToBeVisibleAsync();
            foreach (var (template, kind) in new[] { ("Proposal template: Proposal (version 1)", "Proposal"), ("Order form template: Order form (version 1)", "Order form") })
            {
                await documents.GetByLabel("Template").SelectOptionAsync(new SelectOptionValue { Label = template });
                await documents.GetByRole(AriaRole.Button, new() { Name = "Generate PDF" }).ClickAsync();
                await Assertions.Expect(documents.GetByRole(AriaRole.Status)).ToContainTextAsync($"{kind} drawn from “{kind}” version 1.");
                await Assertions.Expect(documents).ToContainTextAsync($"{kind} · version 1");
                var link = documents.GetByRole(AriaRole.Link, new() { Name = kind, Exact = true });
                var pdf = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
                Assert.Equal(200, pdf.Status);
                var text = PdfText.Of(await pdf.BodyAsync());
                Assert.Contains(dealName, text, StringComparison.Ordinal);
                Assert.All(products, product => Assert.Contains(product, text, StringComparison.Ordinal));
            }

            var proposalRow = documents.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Proposal", Exact = true }) });
            await proposalRow.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Assertions.Expect(documents.GetByRole(AriaRole.Status)).ToContainTextAsync($"Proposal sent to {buyer} from your mailbox.");
            await Assertions.Expect(proposalRow).ToContainTextAsync($"to {buyer}");
            await Journey.SnapshotAsync(page, "deal-documents-" + Provider);
        });

        var received = Assert.Single(await mail.ReceivedByAsync(buyer), m => m.From.Mailboxes.Single().Address == sender);
        Assert.Equal($"Proposal: {dealName}", received.Subject);
        var attachment = Assert.Single(received.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.All(products, product => Assert.Contains(product, PdfText.Of(bytes.ToArray()), StringComparison.Ordinal));
    }
}

public sealed class PlaybookJourneyOnSqliteTests(SqliteBrowserServer server) : PlaybookJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class PlaybookJourneyOnPostgresTests(PostgresBrowserServer server) : PlaybookJourneyTests(server), IClassFixture<PostgresBrowserServer>;
