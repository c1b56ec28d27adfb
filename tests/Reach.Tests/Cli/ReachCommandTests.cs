using System.CommandLine;
using Reach.Cli;
using Xunit;

namespace Reach.Tests.Cli;

public class ReachCommandTests
{
    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ReachCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void HelpListsEveryCommand()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "serve", "demo", "plan", "import", "export" })
            Assert.Contains(command, output);
    }

    [Theory]
    [InlineData("serve", "--db", "--postgres", "--urls")]
    [InlineData("demo", "--db", "--urls", "--reset")]
    [InlineData("plan", "--json", "--html")]
    [InlineData("import", "--as", "--format", "--map", "--dry-run", "--create-stages", "--owner", "--report", "--db", "--postgres")]
    [InlineData("export", "--to", "--filter", "--bom", "--db", "--postgres")]
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
