using System.Net;
using System.Net.Http.Json;
using Reach.Cli;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Playbook;

/// <summary>`reach playbook list|export|import|document` against the workspace of a running server, on each database provider.</summary>
public abstract class PlaybookCommandTests(ReachServer server) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("reach-playbook-").FullName;

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.RunOn(server, args);

    [Fact]
    public async Task ExportThenImportChangesNothingAndAnEditedFileIsANewVersion()
    {
        var title = "Budget objection " + Guid.NewGuid().ToString("N")[..6];
        var created = await server.Http.PostAsync("/api/v1/playbook", Json.Body(new { kind = "difficult_qa", title, body = "Q: Too expensive?\nA: Compare it to a hire.", segment = "A", stage = "Proposal", channel = "inside" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadObjectAsync()).Id();

        var (exit, output, error) = Run("playbook", "export", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("Wrote", output, StringComparison.Ordinal);
        var file = Directory.GetFiles(folder, "difficult-qa-budget-objection-*.md").Single();
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith($"---\nid: {id}\nkind: difficult_qa\ntitle: {title}\nsegment: A\nchannel: inside\nstage: Proposal\n---\nQ: Too expensive?\nA: Compare it to a hire.\n", text, StringComparison.Ordinal);

        (exit, output, error) = Run("playbook", "import", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("0 created, 0 changed", output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, text.Replace("Compare it to a hire.", "Compare it to a hire, then to doing nothing.", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "new.md"), $"---\nkind: urgency_angle\ntitle: Quarter end {title}\n---\nPrices rise in January.\n");
        (exit, output, error) = Run("playbook", "import", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("1 created, 1 changed", output, StringComparison.Ordinal);
        var item = await (await server.Http.GetAsync($"/api/v1/playbook/{id}")).ReadObjectAsync();
        Assert.Equal(2, (int)item["version"]!);
        Assert.Equal("operator", (string)item["updatedByName"]!);

        (exit, output, _) = Run("playbook", "list", "--search", title);
        Assert.Equal(0, exit);
        Assert.Matches(@"difficult_qa\s+A\s+inside\s+Proposal\s+2\s+Budget objection", output);
        Assert.Matches(@"urgency_angle\s+-\s+-\s+-\s+1\s+Quarter end", output);
    }

    [Fact]
    public async Task DocumentDrawsADealsProposalWithItsLineItemsToAPdfKeptOnTheDeal()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        async Task<string> PostAsync(string url, object body)
        {
            var response = await server.Http.PostAsync(url, Json.Body(body));
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return (string?)(await response.ReadObjectAsync())["id"] ?? "";
        }
        var product = await PostAsync("/api/v1/products", new { name = $"Reach seats {tag}", listPrice = 1200, currency = "EUR" });
        var account = await PostAsync("/api/v1/accounts", new { name = $"Acme {tag}", domain = $"acme-{tag}.example" });
        var deal = await PostAsync("/api/v1/deals", new { name = $"Acme pilot {tag}", accountId = account, amount = 1, currency = "EUR", channel = "inside" });
        await PostAsync($"/api/v1/deals/{deal}/line-items", new { productId = product, quantity = 12 });
        await PostAsync("/api/v1/playbook", new { kind = "proposal", title = $"Proposal {tag}", body = "# What we propose\n{{line_items}}\nTotal {{totals.total}}" });
        var pdf = Path.Combine(folder, "proposal.pdf");

        var (exit, output, error) = Run("playbook", "document", $"ACME PILOT {tag}", "--template", $"proposal {tag}", "--pdf", pdf);

        Assert.True(exit == 0, error);
        Assert.Contains($"Proposal for 'Acme pilot {tag}' drawn from 'Proposal {tag}' version 1: {pdf}", output, StringComparison.Ordinal);
        var text = PdfText.Of(await File.ReadAllBytesAsync(pdf));
        Assert.Contains($"Reach seats {tag}", text, StringComparison.Ordinal);
        Assert.Contains("14,400.00", text, StringComparison.Ordinal);
        var kept = (await server.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/v1/deals/{deal}/documents"))!.Single()!;
        Assert.Equal("operator", (string)kept["createdByName"]!);

        (exit, _, error) = Run("playbook", "document", $"Acme pilot {tag}", "--template", "Price list");
        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("No proposal, order form or agreement template is 'Price list'", error, StringComparison.Ordinal);
        Assert.Contains($"'Proposal {tag}' (proposal)", error, StringComparison.Ordinal);
        (exit, _, error) = Run("playbook", "document", "No such deal", "--template", "proposal");
        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("No deal is named 'No such deal'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileAtFaultIsNamedWithItsFieldAndNothingIsSaved()
    {
        var title = "Never saved " + Guid.NewGuid().ToString("N")[..6];
        File.WriteAllText(Path.Combine(folder, "a-good.md"), $"---\nkind: script\ntitle: {title}\n---\nHello.\n");
        File.WriteAllText(Path.Combine(folder, "b-bad.md"), "---\nkind: sonnet\ntitle: Shall I compare thee\n---\n");

        var (exit, _, error) = Run("playbook", "import", folder);

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("b-bad.md", error, StringComparison.Ordinal);
        Assert.Contains("'sonnet' is not a kind", error, StringComparison.Ordinal);
        Assert.DoesNotContain(title, Run("playbook", "list").Output, StringComparison.Ordinal);
    }
}

public sealed class PlaybookCommandOnSqliteTests(SqliteServer server) : PlaybookCommandTests(server), IClassFixture<SqliteServer>;

public sealed class PlaybookCommandOnPostgresTests(PostgresServer server) : PlaybookCommandTests(server), IClassFixture<PostgresServer>;
