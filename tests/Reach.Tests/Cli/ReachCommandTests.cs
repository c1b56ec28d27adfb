using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Cli;

public class ReachCommandTests
{
    [Fact]
    public void HelpListsEveryCommand()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "serve", "demo", "plan", "forecast", "import", "export", "report", "user", "token" })
            Assert.Contains(command, output);
    }

    [Theory]
    [InlineData("serve", "--db", "--postgres", "--urls")]
    [InlineData("demo", "--db", "--urls", "--reset")]
    [InlineData("plan", "--json", "--html")]
    [InlineData("forecast", "--period", "--json", "--backtest", "--tune", "--db", "--postgres")]
    [InlineData("import", "--as", "--format", "--map", "--dry-run", "--create-stages", "--owner", "--report", "--db", "--postgres")]
    [InlineData("export", "--to", "--filter", "--bom", "--db", "--postgres")]
    [InlineData("report", "--rep", "--team", "--period", "--pdf", "--html", "--json", "--xlsx", "--csv", "--db", "--postgres")]
    [InlineData("metrics", "refresh")]
    public void EveryCommandHasHelp(string command, params string[] options)
    {
        var (exit, output, _) = Run(command, "--help");

        Assert.Equal(0, exit);
        foreach (var option in options)
            Assert.Contains(option, output);
    }

    [Fact]
    public void ServeRefusesTwoDatabases()
    {
        var (exit, _, error) = Run("serve", "--db", "a.db", "--postgres", "Host=x");

        Assert.NotEqual(0, exit);
        Assert.Contains("either --db or --postgres", error);
    }

    [Fact]
    public void AnUnknownCommandIsAnError()
    {
        var (exit, _, error) = Run("sell-everything");

        Assert.NotEqual(0, exit);
        Assert.Contains("sell-everything", error);
    }
}

public sealed class UserCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    [Fact]
    public void MetricsRefreshBuildsTheRollupsOnceAndThenFindsThemUpToDate()
    {
        var (exit, output, error) = Run("metrics", "refresh", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("Rollups built for the whole workspace", output);

        (exit, output, error) = Run("metrics", "refresh", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("built for the whole workspace", output);
        Assert.Contains("0 stale day(s) rebuilt", output);

        // No server on that port: a plain error, not a stack trace.
        (exit, _, error) = Run("metrics", "refresh", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=3");
        Assert.Equal(3, exit);
        Assert.Contains("reach metrics refresh: cannot use the database", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void AnAdminAddsAUserWithAnInviteLinkIssuesATokenAndDisablesThem()
    {
        var (exit, output, error) = Run("user", "add", "rita@acme.example", "--name", "Rita Rep", "--role", "Rep", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("/invite?user=", output);

        var (_, list, _) = Run("user", "list", "--db", Db);
        Assert.Contains("rita@acme.example", list);
        Assert.Contains("active", list);

        var (tokenExit, token, _) = Run("token", "create", "--user", "rita@acme.example", "--name", "script", "--scope", "Read", "--db", Db);
        Assert.Equal(0, tokenExit);
        Assert.Contains("reach_", token);

        Assert.Equal(0, Run("user", "disable", "rita@acme.example", "--db", Db).Exit);
        Assert.Contains("disabled", Run("user", "list", "--db", Db).Output);

        var (duplicateExit, _, duplicate) = Run("user", "add", "rita@acme.example", "--name", "Rita Again", "--db", Db);
        Assert.Equal(2, duplicateExit);
        Assert.Contains("exists already", duplicate);
        Assert.Contains("No user has the e-mail", Run("user", "disable", "nobody@acme.example", "--db", Db).Error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
