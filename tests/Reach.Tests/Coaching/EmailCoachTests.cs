using FsCheck;
using FsCheck.Fluent;
using Reach.Coaching;
using Xunit;

namespace Reach.Tests.Coaching;

/// <summary>The seed's emails (../shared/seeds/004_…: "5 Tips For Emailing CEOs", "The Photocopier Effect") as cases.</summary>
public sealed class EmailCoachTests
{
    // Verbatim from the seed, curly apostrophes included.
    public const string BadEmail = "Hi John, I’m writing to setup some time with you on Wednesday or Thursday of this week. I am participating in our company's board presentation this week and we are trying to lock down a couple of pieces of information about our potential partnership. I know that you are extremely busy, but It would be greatly appreciated if you could spare a few minutes so that we can discuss the details of our partnership. Please let me know the best way to setup a call. Kind Regards.";
    public const string BetterEmail = "Hi John, have 5 mins to chat this week? Have a board meeting coming up and need to get on the same page on two quick things. Thx.";
    public const string FollowUp = "Hi John, hope all is well. Following up on the below. Thx.";

    static CoachFinding[] Of(CoachReport report, string rule) => report.Findings.Where(f => f.Rule == rule).ToArray();

    static string Span(string text, CoachFinding finding) => text.Substring(finding.Start, finding.Length);

    [Fact]
    public void TheBadEmailIsOverTheTweetLimitFromItsFourHundredAndFirstCharacter()
    {
        var report = EmailCoach.Evaluate(null, BadEmail);

        Assert.Equal(BadEmail.Length, report.Characters);
        Assert.Equal(400, report.CharacterLimit);
        Assert.Equal(400 - BadEmail.Length, report.CharactersLeft);
        var length = Assert.Single(Of(report, "length"));
        Assert.Equal(CoachSeverity.Problem, length.Severity);
        Assert.Equal(400, length.Start);
        Assert.Equal(BadEmail[400..], Span(BadEmail, length));
        Assert.Equal($"{BadEmail.Length} characters: {BadEmail.Length - 400} over the 400 a tweet-length email allows.", length.Message);
    }

    [Fact]
    public void TheBadEmailHasThreeAsksAndTheSecondAndThirdAreFlagged()
    {
        var report = EmailCoach.Evaluate(null, BadEmail);

        Assert.Equal(3, report.Asks);
        var asks = Of(report, "one-ask");
        Assert.Equal(2, asks.Length);
        Assert.Equal("I know that you are extremely busy, but It would be greatly appreciated if you could spare a few minutes so that we can discuss the details of our partnership.", Span(BadEmail, asks[0]));
        Assert.Equal("Please let me know the best way to setup a call.", Span(BadEmail, asks[1]));
        Assert.Equal("Ask 2 of 3 in one email.", asks[0].Message);
        Assert.Contains("One email per ask — split it", asks[0].Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBadEmailsDeferenceAndFormalitiesAreEachMarked()
    {
        var report = EmailCoach.Evaluate(null, BadEmail);

        Assert.Equal(["I know that you are extremely busy", "It would be greatly appreciated"], Of(report, "deferential").Select(f => Span(BadEmail, f)));
        Assert.Equal(["I’m writing to", "Kind Regards"], Of(report, "formal").Select(f => Span(BadEmail, f)));
        var regards = Of(report, "formal")[1];
        Assert.Equal("Formal padding: \"Kind Regards\".", regards.Message);
        Assert.Equal("Sign off with \"Thx\" or just your name.", regards.Suggestion);
    }

    [Fact]
    public void TheBadEmailScrollsOnAPhoneFromTheFirstLineBelowTheScreen()
    {
        var report = EmailCoach.Evaluate(null, BadEmail);

        Assert.Equal(12, report.PhoneLineLimit);
        Assert.True(report.PhoneLines > 12, $"{report.PhoneLines} lines");
        var phone = Assert.Single(Of(report, "phone"));
        Assert.EndsWith("Kind Regards.", Span(BadEmail, phone), StringComparison.Ordinal);
        Assert.True(phone.Start > 300 && phone.Start < BadEmail.Length, $"starts at {phone.Start}");
        Assert.True(phone.Start == 0 || BadEmail[phone.Start - 1] == ' ', "the span starts at a word");
    }

    [Fact]
    public void TheBadEmailGivesItsReasonSoTheReasonRuleIsQuietButTheVerdictIsRewrite()
    {
        var report = EmailCoach.Evaluate(null, BadEmail);

        Assert.Empty(Of(report, "reason"));
        Assert.Equal(["deferential", "deferential", "formal", "formal", "length", "one-ask", "one-ask", "phone"], report.Findings.Select(f => f.Rule).Order(StringComparer.Ordinal));
        Assert.Equal(0, report.Score);
        Assert.Equal(CoachVerdict.Rewrite, report.Verdict);
    }

    [Theory]
    [InlineData(BetterEmail)]
    [InlineData(FollowUp)]
    public void TheBetterEmailAndTheFollowUpPassClean(string email)
    {
        var report = EmailCoach.Evaluate("Board meeting", email);

        Assert.Empty(report.Findings);
        Assert.Equal(100, report.Score);
        Assert.Equal(CoachVerdict.Ready, report.Verdict);
        Assert.Equal(400 - email.Length, report.CharactersLeft);
    }

    [Fact]
    public void ThePhotocopierRequestWithoutBecauseHasNoReason()
    {
        const string bare = "Excuse me, I have five pages. May I use the Xerox machine?";
        var report = EmailCoach.Evaluate(null, bare);

        var reason = Assert.Single(report.Findings);
        Assert.Equal("reason", reason.Rule);
        Assert.Equal(CoachSeverity.Warning, reason.Severity);
        Assert.Equal("May I use the Xerox machine?", Span(bare, reason));
        Assert.Contains("because", reason.Suggestion, StringComparison.Ordinal);
        Assert.Contains("photocopier effect", reason.Suggestion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Excuse me, I have five pages. May I use the Xerox machine, because I'm in a rush?")]
    [InlineData("Excuse me, I have five pages. May I use the Xerox machine, because I have to make some copies?")]
    public void ThePhotocopierRequestWithBecausePasses(string request) =>
        Assert.Empty(EmailCoach.Evaluate(null, request).Findings);

    [Fact]
    public void TheCountdownCountsCharactersAsPeopleSeeThem()
    {
        var report = EmailCoach.Evaluate(null, "Thx\r\n👍🏽 e\u0301\r\n\r\n  ");

        // T, h, x, the line break, the thumb with its skin tone, the space, e with its accent; trailing blank lines are not read.
        Assert.Equal(7, report.Characters);
        Assert.Equal(393, report.CharactersLeft);
    }

    [Fact]
    public void PhrasesInTheSubjectAreMarkedInTheSubject()
    {
        var report = EmailCoach.Evaluate("I hope this email finds you well and that the quarter is going great for you", "Have 5 mins?");

        var formal = Assert.Single(Of(report, "formal"));
        Assert.Equal(CoachField.Subject, formal.Field);
        Assert.Equal(0, formal.Start);
        Assert.Equal("I hope this email finds you well", formal.Excerpt);
        var subject = Assert.Single(Of(report, "subject-length"));
        Assert.Equal(50, subject.Start);
    }

    [Fact]
    public void AnEmptyDraftHasTheWholeCountdownAndNoFindings()
    {
        var report = EmailCoach.Evaluate("", "");

        Assert.Equal(400, report.CharactersLeft);
        Assert.Empty(report.Findings);
        Assert.Equal(CoachVerdict.Empty, report.Verdict);
    }

    [Fact]
    public void ARulesFileOfYourOwnAddsAPhraseWithoutCode()
    {
        var json = """
            {
              "askPatterns": ["\\?\\s*$"],
              "rules": [
                { "id": "length", "kind": "length", "severity": "problem", "limit": 20, "message": "{over} over", "suggestion": "Cut." },
                { "id": "jargon", "kind": "phrases", "severity": "tip", "message": "Jargon: {phrase}", "suggestion": "Say it plainly.", "phrases": [ { "pattern": "\\bsynerg\\w*" } ] }
              ]
            }
            """;
        var rules = CoachRules.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "mine.json");

        var report = EmailCoach.Evaluate(null, "Let's find synergies together", rules);

        Assert.Equal(-9, report.CharactersLeft);
        Assert.Equal(["jargon", "length"], report.Findings.Select(f => f.Rule));
        Assert.Equal("Jargon: synergies", Of(report, "jargon")[0].Message);
        Assert.Equal(100 - 30 - 4, report.Score);
    }

    [Theory]
    [InlineData("""{ "rules": [ { "id": "x", "kind": "length", "severity": "problem", "message": "m", "suggestion": "s" } ] }""", "mine.json: rules[0] (x).limit: a length rule needs a limit above 0.")]
    [InlineData("""{ "rules": [ { "id": "x", "kind": "phrases", "severity": "tip", "message": "m", "suggestion": "s", "phrases": [ { "pattern": "(a)\\1" } ] } ] }""", "mine.json: rules[0] (x).phrases[0]: the pattern (a)\\1 is not usable")]
    [InlineData("""{ "rules": [ { "id": "x", "kind": "loudness", "severity": "tip", "message": "m", "suggestion": "s" } ] }""", "mine.json: rules[0].kind:")]
    [InlineData("""{ "rules": [], "colour": "red" }""", "mine.json: ")]
    public void ABadRulesFileIsRefusedNamingTheRuleAndField(string json, string expected)
    {
        var error = Assert.Throws<CoachRulesException>(() => CoachRules.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "mine.json"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    // FsCheck inside plain facts, as in PlannerPropertyTests.
    static void Holds(Property property) => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);

    static readonly Gen<string> Drafts =
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Elements(BadEmail, BetterEmail, FollowUp, "?", "\r\n", "👍🏽", "Please?\n\nThx", "a", " ", "Kind Regards", "\uD83D")
                .ListOf().Select(parts => string.Concat(parts)),
            Gen.Choose(0, 60).SelectMany(n => Gen.Elements(' ', 'x', '\n', '?', '.', '’', 'é', '\uD83D', '\uDC4D').ArrayOf(n * 20).Select(c => new string(c))));

    [Fact]
    public void AnyTextGetsAnAnswerWithSpansInsideItsField() =>
        Holds(Prop.ForAll(Drafts.ToArbitrary(), Drafts.ToArbitrary(), (subject, body) =>
        {
            var report = EmailCoach.Evaluate(subject, body);
            foreach (var f in report.Findings)
            {
                var text = f.Field == CoachField.Subject ? subject : body;
                if (f.Start < 0 || f.Length < 0 || f.Start + f.Length > text.Length)
                    return false;
            }
            return report.Score is >= 0 and <= 100 && report.CharactersLeft == report.CharacterLimit - report.Characters;
        }));
}
