using System.CommandLine;
using Reach.Cli;
using Xunit;

namespace Reach.Tests.Cli;

/// <summary>Every command's failures exit with a code from the one table (ExitCode, the README's "Exit codes").</summary>
public sealed class ExitCodeTests
{
    // One workspace for the class: the first command makes it, the others find its schema current.
    static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("reach-exit-").FullName;
    static readonly string Workspace = Path.Combine(Directory, "reach.db");
    static readonly string Missing = Path.Combine(Directory, "missing");
    const string NoServer = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=3";
    const string Nobody = "nobody@acme.example";

    /// <summary>For each command as typed after `reach`: a command line that fails, and the code it must exit with.</summary>
    public static TheoryData<string, string[], int> Failures => new()
    {
        { "serve", ["--db", "a.db", "--postgres", "Host=x"], ExitCode.InvalidInput },
        { "demo", ["--no-such-option"], ExitCode.InvalidInput },
        { "plan", [Missing + ".yaml"], ExitCode.InvalidInput },
        { "plan save", [Missing + ".yaml", "--name", "x", "--db", Workspace], ExitCode.InvalidInput },
        { "plan list", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "plan activate", ["no-such-plan", "--db", Workspace], ExitCode.InvalidInput },
        { "route", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "forecast", ["--db", Missing + ".db"], ExitCode.InvalidInput },
        { "import", [Missing + ".csv", "--as", "accounts", "--db", Workspace], ExitCode.InvalidInput },
        { "export", ["deals", "--to", Path.Combine(Directory, "deals.txt"), "--db", Workspace], ExitCode.InvalidInput },
        { "report", ["weekly", "--json", "--db", Missing + ".db"], ExitCode.InvalidInput },
        { "report schedule add", ["weekly", "--user", Nobody, "--to", "boss@acme.example", "--db", Workspace], ExitCode.InvalidInput },
        { "report schedule list", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "report schedule remove", [Guid.Empty.ToString(), "--db", Workspace], ExitCode.InvalidInput },
        { "report schedule run", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "metrics refresh", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "coach", [Missing + ".txt"], ExitCode.InvalidInput },
        { "outreach run", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "outreach status", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "backup", ["--db", Missing + ".db"], ExitCode.DatabaseFailed },
        { "restore", [Missing + ".bak", "--db", Workspace], ExitCode.RestoreRefused },
        { "user add", ["not an e-mail", "--name", "X", "--db", Workspace], ExitCode.InvalidInput },
        { "user list", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "user disable", [Nobody, "--db", Workspace], ExitCode.InvalidInput },
        { "user enable", [Nobody, "--db", Workspace], ExitCode.InvalidInput },
        { "user reset-password", [Nobody, "--db", Workspace], ExitCode.InvalidInput },
        { "user import", [Missing + ".csv", "--db", Workspace], ExitCode.InvalidInput },
        { "team add", ["Hunters", "--manager", Nobody, "--db", Workspace], ExitCode.InvalidInput },
        { "team list", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "team rename", ["No Such Team", "Other", "--db", Workspace], ExitCode.InvalidInput },
        { "team remove", ["No Such Team", "--db", Workspace], ExitCode.InvalidInput },
        { "token create", ["--user", Nobody, "--name", "script", "--db", Workspace], ExitCode.InvalidInput },
        { "token list", ["--user", Nobody, "--postgres", NoServer], ExitCode.DatabaseFailed },
        { "token revoke", [Guid.Empty.ToString(), "--db", Workspace], ExitCode.InvalidInput },
        { "costs import", [Missing + ".csv", "--db", Workspace], ExitCode.InvalidInput },
        { "costs plan", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "playbook list", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "playbook export", [Path.Combine(Directory, "playbook"), "--postgres", NoServer], ExitCode.DatabaseFailed },
        { "playbook import", [Missing, "--db", Workspace], ExitCode.InvalidInput },
        { "playbook document", ["no-such-deal", "--template", "proposal", "--db", Workspace], ExitCode.InvalidInput },
        { "expansion oversized", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "expansion report", ["--cohort", "2025-Q9", "--db", Workspace], ExitCode.InvalidInput },
        { "references", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "references consent", ["no-such-account", "--agreed-by", "Ann", "--call", "--postgres", NoServer], ExitCode.DatabaseFailed },
        { "usage import", [Missing + ".jsonl", "--db", Workspace], ExitCode.InvalidInput },
        { "usage accounts", ["--postgres", NoServer], ExitCode.DatabaseFailed },
        { "usage candidates", ["--postgres", NoServer], ExitCode.DatabaseFailed },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task EveryFailureExitsWithItsCodeFromTheTable(string command, string[] args, int expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ReachCommand.RunAsync([.. command.Split(' '), .. args], new InvocationConfiguration { Output = output, Error = error });

        Assert.Contains(ExitCode.Table, row => row.Code == exit);
        Assert.True(exit == expected, $"reach {command} exited {exit}, not {expected}: {error}");
        Assert.NotEqual("", error.ToString().Trim());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Fact]
    public void EveryCommandHasAFailureAbove()
    {
        var covered = Failures.Select(row => (string)((ITheoryDataRow)row).GetData()[0]!).ToHashSet();

        var missing = Runnable(ReachCommand.Create(), "").Where(c => !covered.Contains(c)).ToList();

        Assert.True(missing.Count == 0, "No failing command line for: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheReadmeListsTheTable()
    {
        var readme = File.ReadAllText(Path.Combine(Reach.Tests.Planning.Plans.RepositoryRoot(), "README.md"));

        foreach (var (code, meaning) in ExitCode.Table)
            Assert.Contains($"| {code} | {meaning} |", readme);
    }

    static IEnumerable<string> Runnable(Command command, string path)
    {
        foreach (var sub in command.Subcommands)
        {
            var name = (path + " " + sub.Name).Trim();
            if (sub.Action is not null)
                yield return name;
            foreach (var deeper in Runnable(sub, name))
                yield return deeper;
        }
    }
}
