using System.Text.RegularExpressions;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary><c>reach report schedule add|list|remove|run</c> on a SQLite file: the same rules as the API.</summary>
public sealed partial class ReportScheduleCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-schedule-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.Run([.. args, "--db", Db]);

    [GeneratedRegex("report ([0-9a-f-]{36})")]
    private static partial Regex ScheduleId();

    [Fact]
    public void AScheduleIsAddedAsItsUserListedRunAndRemoved()
    {
        Assert.Equal(0, Run("user", "add", "rita@seller.example", "--name", "Rita Rep", "--role", "rep").Exit);

        var teamAsked = Run("report", "schedule", "add", "weekly", "--user", "rita@seller.example", "--team", "Velocity", "--to", "board@investor.example");
        Assert.Equal(2, teamAsked.Exit);
        Assert.Contains("A rep may see their own figures only", teamAsked.Error, StringComparison.Ordinal);
        var badRecipient = Run("report", "schedule", "add", "weekly", "--user", "rita@seller.example", "--to", "board@investor.example,nobody");
        Assert.Equal(2, badRecipient.Exit);
        Assert.Contains("'nobody' is not an e-mail address", badRecipient.Error, StringComparison.Ordinal);

        var added = Run("report", "schedule", "add", "weekly", "--user", "rita@seller.example", "--to", "board@investor.example");
        Assert.True(added.Exit == 0, added.Error);
        Assert.Contains("(Rita Rep) to board@investor.example", added.Output, StringComparison.Ordinal);
        var id = ScheduleId().Match(added.Output).Groups[1].Value;
        var list = Run("report", "schedule", "list");
        Assert.Contains(id, list.Output, StringComparison.Ordinal);
        Assert.Contains("rita@seller.example", list.Output, StringComparison.Ordinal);

        // Made just now: its first week has not closed, so a run sends nothing.
        var run = Run("report", "schedule", "run");
        Assert.Equal(0, run.Exit);
        Assert.StartsWith("0 report(s) sent, 0 failed", run.Output, StringComparison.Ordinal);

        Assert.Equal(0, Run("report", "schedule", "remove", id).Exit);
        Assert.DoesNotContain(id, Run("report", "schedule", "list").Output, StringComparison.Ordinal);
        Assert.Equal(2, Run("report", "schedule", "remove", id).Exit);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
