using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>
/// The reference pool in a real browser on the demo: a customer's consent is recorded on its account page, then a
/// prospect of the same industry finds it as its best reference, explained, and asks for a call.
/// </summary>
public abstract class ReferenceJourneyTests(ReachServer server)
{
    string Provider => server.Database!.Provider.ToString().ToLowerInvariant();

    [Fact]
    public async Task ACustomersConsentIsRecordedAndAProspectFindsAndAsksIt()
    {
        Guid customerId, prospectId;
        string customer, industry;
        await using (var db = server.OpenDb())
        {
            var customers = await db.Accounts.Where(a => a.Lifecycle == Lifecycle.Customer && a.Industry != null).OrderBy(a => a.Name).ToListAsync();
            var prospects = await db.Accounts.Where(a => a.Lifecycle == Lifecycle.Prospect && a.Industry != null).OrderBy(a => a.Name).ToListAsync();
            var pick = customers.First(c => prospects.Any(p => p.Industry == c.Industry));
            (customerId, customer, industry) = (pick.Id, pick.Name, pick.Industry!);
            prospectId = prospects.First(p => p.Industry == industry).Id;
        }

        await Journey.RunAsync(server, "references-" + Provider, async page =>
        {
            await Journey.SignInAsync(page, "admin@reach.demo", $"/Accounts/{customerId}");
            var form = page.GetByRole(AriaRole.Form, new() { Name = "Consent to be a reference" });
            // Nothing ticked: refused, and what was typed is still in the form.
            await form.GetByLabel("Who agreed").FillAsync("Ada Agreed");
            await form.GetByLabel("Note").FillAsync("Prefers calls on Tuesdays");
            await form.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            await Assertions.Expect(form.GetByLabel("Who agreed")).ToHaveValueAsync("Ada Agreed");
            await Assertions.Expect(form.GetByLabel("Note")).ToHaveValueAsync("Prefers calls on Tuesdays");
            await form.GetByLabel("reference calls").CheckAsync();
            await form.GetByLabel("case study").CheckAsync();
            await form.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("reference-consent")).ToContainTextAsync("Ada Agreed agreed on");
            await Assertions.Expect(page.GetByTestId("reference-consent")).ToContainTextAsync("call, case study");
            await Journey.SnapshotAsync(page, "references-consent-" + Provider);

            await page.GotoAsync($"/Expansion/References?prospect={prospectId}");
            var row = page.Locator($"tr[data-reference='{customerId}']");
            await Assertions.Expect(row).ToContainTextAsync($"same industry ({industry})");
            await Assertions.Expect(row).ToContainTextAsync("0 of 2");
            await Journey.SnapshotAsync(page, "references-ranked-" + Provider);
            await row.GetByRole(AriaRole.Button, new() { Name = "Ask" }).ClickAsync();
            await Assertions.Expect(page.GetByText(new Regex($"Reference ask: a call with {Regex.Escape(customer)} for .+ Its owner has the task"))).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"tr[data-reference='{customerId}']")).ToContainTextAsync("1 of 2");
        });
    }
}

public sealed class ReferenceJourneyOnSqliteTests(SqliteBrowserServer server) : ReferenceJourneyTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class ReferenceJourneyOnPostgresTests(PostgresBrowserServer server) : ReferenceJourneyTests(server), IClassFixture<PostgresBrowserServer>;
