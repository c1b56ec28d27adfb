using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reach.Coaching;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach coach FILE|- [--subject TEXT] [--json] [--rules FILE]</c>: the email coach on a draft in a file or on
/// standard input (docs/coach.md). Findings are advice, not failure: the exit code is 0 whenever the draft was read.
/// </summary>
public static class CoachCommand
{
    /// <param name="input">Standard input, for <c>-</c>; tests pass their own.</param>
    public static Command Create(TextReader? input = null)
    {
        var file = new Argument<string>("file") { Description = "The draft's body as plain text (UTF-8), or - to read standard input" };
        var subject = new Option<string?>("--subject") { Description = "The subject line, coached with the body", HelpName = "TEXT" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON, as POST /api/v1/coach answers" };
        var rules = new Option<FileInfo?>("--rules") { Description = "Coach with this rules file instead of the built-in one (docs/coach.md)", HelpName = "FILE" };
        var command = new Command("coach", "Score an email draft: length, phone screen, one ask, a reason, no deference or padding");
        command.Arguments.Add(file);
        command.Options.Add(subject);
        command.Options.Add(json);
        command.Options.Add(rules);
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(file),
            parseResult.GetValue(subject),
            parseResult.GetValue(json),
            parseResult.GetValue(rules),
            input ?? Console.In,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string file, string? subject, bool json, FileInfo? rulesFile, TextReader input, TextWriter output, TextWriter error)
    {
        string body;
        var name = file == "-" ? "stdin" : file;
        try
        {
            body = file == "-" ? input.ReadToEnd() : File.ReadAllText(file, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            error.WriteLine($"reach coach: no such file: {Path.GetFullPath(file)}");
            return ExitCode.InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            error.WriteLine($"reach coach: cannot read {name}: {e.Message}");
            return ExitCode.InvalidInput;
        }
        if (body.Length > EmailCoach.MaxBodyLength)
        {
            error.WriteLine($"reach coach: {name} is {body.Length} characters; the coach reads at most {EmailCoach.MaxBodyLength}.");
            return ExitCode.InvalidInput;
        }
        if (subject?.Length > EmailCoach.MaxSubjectLength)
        {
            error.WriteLine($"reach coach: --subject is {subject.Length} characters; the coach reads at most {EmailCoach.MaxSubjectLength}.");
            return ExitCode.InvalidInput;
        }

        CoachRules? rules = null;
        if (rulesFile is not null)
        {
            try
            {
                rules = CoachRules.ReadFile(rulesFile.FullName);
            }
            catch (Exception e) when (e is CoachRulesException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"reach coach: the rules file is not usable: {e.Message}");
                return ExitCode.InvalidInput;
            }
        }

        var report = EmailCoach.Evaluate(subject, body, rules);
        if (json)
        {
            // Readable in a terminal (a draft's dashes and quotes as themselves); still valid JSON for scripts.
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            ReachApp.Configure(options);
            output.WriteLine(JsonSerializer.Serialize(report, options));
            return ExitCode.Ok;
        }

        Write(name, subject ?? "", body, report, output);
        return ExitCode.Ok;
    }

    /// <summary>One line per finding as <c>FILE:LINE:COLUMN: severity: message [rule]</c>, editors' format, then the excerpt and suggestion.</summary>
    public static void Write(string name, string subject, string body, CoachReport report, TextWriter output)
    {
        var left = report.CharactersLeft >= 0 ? $"{report.CharactersLeft} characters left" : $"{-report.CharactersLeft} characters over";
        output.WriteLine($"{report.Characters} of {report.CharacterLimit} characters ({left}) · about {report.PhoneLines} of {report.PhoneLineLimit} phone lines · {report.Asks} ask{(report.Asks == 1 ? "" : "s")}");
        output.WriteLine($"Score {report.Score}/100: {Verdict(report.Verdict)}");
        if (report.Findings.Count == 0)
        {
            output.WriteLine(report.Verdict == CoachVerdict.Empty ? "Nothing to coach yet." : "Nothing to fix: short, one ask, a reason, written as a peer.");
            return;
        }
        foreach (var finding in report.Findings)
        {
            var where = finding.Field == CoachField.Subject ? $"subject:{finding.Start + 1}" : $"{name}:{Position(body, finding.Start)}";
            output.WriteLine();
            output.WriteLine($"{where}: {finding.Severity.ToString().ToLowerInvariant()}: {finding.Message} [{finding.Rule}]");
            output.WriteLine($"  \"{OneLine(finding.Excerpt)}\"");
            output.WriteLine($"  → {finding.Suggestion}");
        }
    }

    static string Verdict(CoachVerdict verdict) => verdict switch
    {
        CoachVerdict.Ready => "ready to send",
        CoachVerdict.NeedsWork => "needs work",
        CoachVerdict.Rewrite => "rewrite it",
        _ => "empty",
    };

    static string Position(string text, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
                (line, lineStart) = (line + 1, i + 1);
        }
        return $"{line}:{offset - lineStart + 1}";
    }

    static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
