using System.CommandLine;
using System.Net;
using Reach.Cli;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Playbook;

/// <summary>`reach playbook list|export|import` against the workspace of a running server, on each database provider.</summary>
public abstract class PlaybookCommandTests(ReachServer server) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("reach-playbook-").FullName;

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] database = [server.Database!.Provider == DatabaseProvider.Sqlite ? "--db" : "--postgres", server.Database.Location];
        var exit = ReachCommand.Create().Parse([.. args, .. database]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

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
