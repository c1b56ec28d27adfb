using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reach.Coaching;

/// <summary>Which part of the draft a finding's span is in.</summary>
public enum CoachField
{
    Subject,
    Body,
}

public enum CoachVerdict
{
    /// <summary>Nothing written yet.</summary>
    Empty,
    Ready,
    NeedsWork,
    Rewrite,
}

/// <summary>
/// One thing the coach found. <see cref="Start"/> and <see cref="Length"/> count UTF-16 code units in
/// <see cref="Field"/>'s text as sent — what JavaScript's string indexes and a textarea's selection use.
/// </summary>
public sealed record CoachFinding(
    string Rule,
    CoachField Field,
    int Start,
    int Length,
    CoachSeverity Severity,
    string Message,
    string Suggestion,
    string Excerpt);

/// <summary>
/// The coach's answer: the countdown (<see cref="CharactersLeft"/> goes negative past the limit, counting
/// characters as people see them), the phone-screen estimate, a score out of 100 and the findings in text order.
/// </summary>
public sealed record CoachReport(
    int Characters,
    int CharacterLimit,
    int CharactersLeft,
    int PhoneLines,
    int PhoneLineLimit,
    int Asks,
    int Score,
    CoachVerdict Verdict,
    IReadOnlyList<CoachFinding> Findings);

/// <summary>
/// Scores an email draft on the seed's advice for emailing executives: as short as a tweet, readable on a phone
/// without scrolling, one ask, a reason for it, no deference or formal padding. Pure and fast enough to run on
/// every keystroke; the rules come from <see cref="CoachRules"/>.
/// </summary>
public static class EmailCoach
{
    /// <summary>The longest body the coach reads (the API and CLI refuse longer): a long email is already coached by its length.</summary>
    public const int MaxBodyLength = 20_000;
    public const int MaxSubjectLength = 500;

    public static CoachReport Evaluate(string? subject, string? body, CoachRules? rules = null)
    {
        rules ??= CoachRules.Default;
        subject ??= "";
        body ??= "";
        var subjectText = Straighten(subject);
        var bodyText = Straighten(body);
        var sentences = Sentences(bodyText);
        var asks = sentences.Where(s => rules.Asks.Any(a => a.IsMatch(bodyText.AsSpan(s.Start, s.Length)))).ToList();
        var visible = VisibleEnd(body);
        var characters = TextElements(body, 0, visible);

        var findings = new List<CoachFinding>();
        int? characterLimit = null, lineLimit = null;
        var lines = 0;
        foreach (var rule in rules.File.Rules)
        {
            switch (rule.Kind)
            {
                case CoachRuleKind.Length:
                    characterLimit ??= rule.Limit!.Value;
                    if (characters > rule.Limit!.Value)
                    {
                        var from = OffsetOfElement(body, rule.Limit.Value);
                        findings.Add(Finding(rule, CoachField.Body, body, from, visible - from, rule.Suggestion, ("count", characters), ("limit", rule.Limit.Value), ("over", characters - rule.Limit.Value)));
                    }
                    break;
                case CoachRuleKind.Phone:
                    var (count, overflow) = PhoneLines(body, visible, rule.CharactersPerLine!.Value, rule.Limit!.Value);
                    if (lineLimit is null)
                        (lineLimit, lines) = (rule.Limit.Value, count);
                    if (overflow is { } offscreen)
                        findings.Add(Finding(rule, CoachField.Body, body, offscreen, visible - offscreen, rule.Suggestion, ("lines", count), ("limit", rule.Limit.Value)));
                    break;
                case CoachRuleKind.Asks:
                    for (var i = rule.Limit!.Value; i < asks.Count; i++)
                        findings.Add(Finding(rule, CoachField.Body, body, asks[i].Start, asks[i].Length, rule.Suggestion, ("n", i + 1), ("count", asks.Count), ("limit", rule.Limit.Value)));
                    break;
                case CoachRuleKind.Reason:
                    if (asks.Count > 0 && !rules.Compiled[rule].Any(r => r.IsMatch(bodyText)))
                        findings.Add(Finding(rule, CoachField.Body, body, asks[0].Start, asks[0].Length, rule.Suggestion));
                    break;
                case CoachRuleKind.Phrases:
                    var patterns = rules.Compiled[rule];
                    for (var i = 0; i < patterns.Count; i++)
                    {
                        var suggestion = rule.Phrases[i].Suggestion ?? rule.Suggestion;
                        foreach (var (field, original, text) in new[] { (CoachField.Subject, subject, subjectText), (CoachField.Body, body, bodyText) })
                            foreach (Match match in patterns[i].Matches(text))
                                if (match.Length > 0)
                                    findings.Add(Finding(rule, field, original, match.Index, match.Length, suggestion, ("phrase", original.Substring(match.Index, match.Length))));
                    }
                    break;
                case CoachRuleKind.SubjectLength:
                    var subjectEnd = VisibleEnd(subject);
                    var subjectCharacters = TextElements(subject, 0, subjectEnd);
                    if (subjectCharacters > rule.Limit!.Value)
                    {
                        var from = OffsetOfElement(subject, rule.Limit.Value);
                        findings.Add(Finding(rule, CoachField.Subject, subject, from, subjectEnd - from, rule.Suggestion, ("count", subjectCharacters), ("limit", rule.Limit.Value), ("over", subjectCharacters - rule.Limit.Value)));
                    }
                    break;
            }
        }

        findings = findings
            .GroupBy(f => (f.Field, f.Start, f.Length, f.Rule)).Select(g => g.First())
            .OrderBy(f => f.Field).ThenBy(f => f.Start).ThenByDescending(f => f.Severity).ToList();
        var score = Math.Max(0, 100 - findings.Sum(f => rules.Scoring.PenaltyFor(f.Severity)));
        var verdict = characters == 0 && subject.Trim().Length == 0 ? CoachVerdict.Empty
            : score < rules.Scoring.Rewrite ? CoachVerdict.Rewrite
            : score >= rules.Scoring.Ready && findings.All(f => f.Severity == CoachSeverity.Tip) ? CoachVerdict.Ready
            : CoachVerdict.NeedsWork;
        var limit = characterLimit ?? 0;
        return new CoachReport(characters, limit, limit - characters, lines, lineLimit ?? 0, asks.Count, score, verdict, findings);
    }

    static CoachFinding Finding(CoachRule rule, CoachField field, string text, int start, int length, string suggestion, params (string Name, object Value)[] values)
    {
        var excerpt = text.Substring(start, length);
        return new CoachFinding(rule.Id, field, start, length, rule.Severity, Fill(rule.Message, values), Fill(suggestion, values),
            excerpt.Length > 120 ? excerpt[..117].TrimEnd() + "…" : excerpt);
    }

    static string Fill(string template, (string Name, object Value)[] values)
    {
        var text = new StringBuilder(template);
        foreach (var (name, value) in values)
            text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>Curly quotes straightened, so patterns need only write <c>'</c>; the same length, so spans carry over.</summary>
    static string Straighten(string text) => string.Create(text.Length, text, static (target, source) =>
    {
        for (var i = 0; i < source.Length; i++)
            target[i] = source[i] switch { '\u2018' or '\u2019' or '\u02BC' => '\'', '\u201C' or '\u201D' => '"', var c => c };
    });

    /// <summary>Where the text ends once trailing spaces and blank lines are left out: they are not read.</summary>
    static int VisibleEnd(string text)
    {
        var end = text.Length;
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            end--;
        return end;
    }

    /// <summary>Characters as people count them: an emoji or an accented letter is one, and so is a line break.</summary>
    static int TextElements(string text, int start, int end)
    {
        var count = 0;
        for (var i = start; i < end; i += StringInfo.GetNextTextElementLength(text, i))
            count++;
        return count;
    }

    static int OffsetOfElement(string text, int element)
    {
        var offset = 0;
        for (var n = 0; n < element && offset < text.Length; n++)
            offset += StringInfo.GetNextTextElementLength(text, offset);
        return offset;
    }

    /// <summary>Sentences, each from its first non-space character through its end mark; a line break ends one too.</summary>
    static List<(int Start, int Length)> Sentences(string text)
    {
        var sentences = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (start < 0)
            {
                if (!char.IsWhiteSpace(c))
                    start = i;
                else
                    continue;
            }
            var end = -1;
            if (c is '\n' or '\r')
                end = i;
            else if (c is '.' or '?' or '!')
            {
                var j = i + 1;
                while (j < text.Length && text[j] is '.' or '?' or '!' or '"' or '\'' or ')')
                    j++;
                if (j >= text.Length || char.IsWhiteSpace(text[j]))
                {
                    end = j;
                    i = j - 1;
                }
            }
            if (end >= 0)
            {
                Add(start, end);
                start = -1;
            }
        }
        if (start >= 0)
            Add(start, text.Length);
        return sentences;

        void Add(int from, int to)
        {
            while (to > from && char.IsWhiteSpace(text[to - 1]))
                to--;
            if (to > from)
                sentences.Add((from, to - from));
        }
    }

    /// <summary>
    /// Lines the body takes on a phone, words wrapped at <paramref name="width"/> characters, and the offset of the
    /// first line that falls below the screen (null when it all fits).
    /// </summary>
    static (int Lines, int? Overflow) PhoneLines(string text, int end, int width, int screen)
    {
        var lines = 0;
        int? overflow = null;
        var position = 0;
        while (position < end)
        {
            var lineEnd = text.IndexOf('\n', position, end - position);
            if (lineEnd < 0)
                lineEnd = end;
            var column = 0;
            var wordStart = position;
            NewLine(position);
            for (var i = position; i <= lineEnd; i++)
            {
                if (i < lineEnd && !char.IsWhiteSpace(text[i]))
                    continue;
                var word = TextElements(text, wordStart, i);
                if (word > 0)
                {
                    if (column > 0 && column + 1 + word > width)
                    {
                        NewLine(wordStart);
                        column = 0;
                    }
                    // A word longer than the line breaks over as many lines as it fills.
                    while (word > width)
                    {
                        word -= width;
                        NewLine(wordStart);
                    }
                    column += (column > 0 ? 1 : 0) + word;
                }
                wordStart = i + 1;
            }
            position = lineEnd + 1;
        }
        return (lines, overflow);

        void NewLine(int at)
        {
            lines++;
            if (lines == screen + 1)
                overflow = at;
        }
    }
}
