using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Deals;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>A rep on a deal in Proposal finds the stage's script and the difficult questions in the demo's playbook, in a real browser.</summary>
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
    public async Task ARepDrawsTheProposalOfADealAsAPdfFromThePage()
    {
        Guid dealId;
        await using (var db = server.OpenDb())
        {
            var tom = await db.Users.SingleAsync(u => u.Email == "tom@reach.demo");
            dealId = await db.Deals.Where(d => d.OwnerId == tom.Id && d.Status == DealStatus.Open).OrderByDescending(d => d.Name).Select(d => d.Id).FirstAsync();
        }

        await Journey.RunAsync(server, "deal-documents-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "tom@reach.demo", $"/Deals/{dealId}");
            var documents = page.GetByTestId("deal-documents");
            await Assertions.Expect(documents.GetByRole(AriaRole.Heading, new() { Name = "Documents" })).ToBeVisibleAsync();
            await documents.GetByLabel("Template").SelectOptionAsync(new SelectOptionValue { Label = "Proposal template: Proposal (version 1)" });
            await documents.GetByRole(AriaRole.Button, new() { Name = "Generate PDF" }).ClickAsync();
            await Assertions.Expect(documents.GetByRole(AriaRole.Status)).ToContainTextAsync("Proposal drawn from “Proposal” version 1.");
            var link = documents.GetByRole(AriaRole.Link, new() { Name = "Proposal", Exact = true });
            await Assertions.Expect(link).ToBeVisibleAsync();
            await Assertions.Expect(documents).ToContainTextAsync("Proposal · version 1");
            var pdf = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
            Assert.Equal(200, pdf.Status);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]));
            await Journey.SnapshotAsync(page, "deal-documents-" + Provider);
        });
    }
}

public sealed class PlaybookJourneyOnSqliteTests(SqliteBrowserServer server) : PlaybookJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class PlaybookJourneyOnPostgresTests(PostgresBrowserServer server) : PlaybookJourneyTests(server), IClassFixture<PostgresBrowserServer>;
