using System.CommandLine;
using System.Text.Json.Nodes;
using Reach.Cli;
using Reach.Cli.Commands;
using Xunit;

namespace Reach.Tests.Coaching;

public sealed class CoachCommandTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-coach-");

    public void Dispose() => directory.Delete(recursive: true);

    private static (int Exit, string Output, string Error) Invoke(string? stdin, params string[] args)
    {
        var root = new RootCommand { CoachCommand.Create(new StringReader(stdin ?? "")) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = root.Parse(["coach", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TheBadEmailsFindingsArePrintedWithLineAndColumn()
    {
        var path = Write("bad.txt", EmailCoachTests.BadEmail);

        var (exit, output, error) = Invoke(null, path);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"{EmailCoachTests.BadEmail.Length} of 400 characters ({EmailCoachTests.BadEmail.Length - 400} characters over)", output, StringComparison.Ordinal);
        Assert.Contains("Score 0/100: rewrite it", output, StringComparison.Ordinal);
        Assert.Contains($"{path}:1:10: warning: Formal padding: \"I’m writing to\". [formal]", output, StringComparison.Ordinal);
        Assert.Contains($"{path}:1:401: problem: ", output, StringComparison.Ordinal);
        Assert.Contains("Ask 3 of 3 in one email. [one-ask]", output, StringComparison.Ordinal);
        Assert.Contains("  → Sign off with \"Thx\" or just your name.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBetterEmailFromStandardInputHasNothingToFix()
    {
        var (exit, output, _) = Invoke(EmailCoachTests.BetterEmail, "-", "--subject", "Board meeting");

        Assert.Equal(0, exit);
        Assert.Contains("271 characters left", output, StringComparison.Ordinal);
        Assert.Contains("Score 100/100: ready to send", output, StringComparison.Ordinal);
        Assert.Contains("Nothing to fix", output, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonIsWhatTheApiAnswers()
    {
        var (exit, output, _) = Invoke("Excuse me, I have five pages. May I use the Xerox machine?", "-", "--json");

        Assert.Equal(0, exit);
        var report = JsonNode.Parse(output)!.AsObject();
        var finding = report["findings"]!.AsArray().Single()!;
        Assert.Equal("reason", (string)finding["rule"]!);
        Assert.Equal(30, (int)finding["start"]!);
        Assert.Equal("needs_work", (string)report["verdict"]!);
    }

    [Fact]
    public void AMissingFileExitsTwoNamingIt()
    {
        var (exit, output, error) = Invoke(null, Path.Combine(directory.FullName, "nope.txt"));

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Empty(output);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Contains("nope.txt", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotUtf8ExitsTwo()
    {
        var path = Path.Combine(directory.FullName, "latin1.txt");
        File.WriteAllBytes(path, [0x48, 0x69, 0xE9, 0xFF, 0x0A]);

        var (exit, _, error) = Invoke(null, path);

        Assert.Equal(ExitCode.InvalidInput, exit);
        Assert.Contains("cannot read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARulesFileOfYourOwnIsUsedAndABadOneIsNamed()
    {
        var rules = Write("rules.json", """
            { "askPatterns": ["\\?\\s*$"], "rules": [ { "id": "length", "kind": "length", "severity": "problem", "limit": 10, "message": "{over} over", "suggestion": "Cut." } ] }
            """);
        var broken = Write("broken.json", """{ "rules": [ { "id": "x" } ] }""");

        var (exit, output, _) = Invoke("Have 5 mins to chat?", "-", "--rules", rules);
        var (brokenExit, _, error) = Invoke("Hi", "-", "--rules", broken);

        Assert.Equal(0, exit);
        Assert.Contains("problem: 10 over [length]", output, StringComparison.Ordinal);
        Assert.Equal(ExitCode.InvalidInput, brokenExit);
        Assert.Contains("broken.json", error, StringComparison.Ordinal);
    }
}
