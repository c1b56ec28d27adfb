using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Reach.Data;

namespace Reach.Coaching;

/// <summary>How a rule looks at a draft; the engine knows these kinds, the rules file gives their wording, limits and phrases.</summary>
public enum CoachRuleKind
{
    /// <summary>Characters in the body against <see cref="CoachRule.Limit"/> (the tweet rule).</summary>
    Length,
    /// <summary>Estimated lines on a phone screen (<see cref="CoachRule.CharactersPerLine"/>) against <see cref="CoachRule.Limit"/>.</summary>
    Phone,
    /// <summary>Sentences that ask (the file's <c>askPatterns</c>) beyond <see cref="CoachRule.Limit"/>.</summary>
    Asks,
    /// <summary>An ask in a body with none of <see cref="CoachRule.Patterns"/> (a reason) anywhere.</summary>
    Reason,
    /// <summary>Each match of one of <see cref="CoachRule.Phrases"/> in the subject or the body.</summary>
    Phrases,
    /// <summary>Characters in the subject against <see cref="CoachRule.Limit"/>.</summary>
    SubjectLength,
}

public enum CoachSeverity
{
    Tip,
    Warning,
    Problem,
}

public sealed record CoachPhrase
{
    public required string Pattern { get; init; }
    /// <summary>Replaces the rule's suggestion for this phrase.</summary>
    public string? Suggestion { get; init; }
}

public sealed record CoachRule
{
    public required string Id { get; init; }
    public required CoachRuleKind Kind { get; init; }
    public required CoachSeverity Severity { get; init; }
    public required string Message { get; init; }
    public required string Suggestion { get; init; }
    public int? Limit { get; init; }
    public int? CharactersPerLine { get; init; }
    public IReadOnlyList<string> Patterns { get; init; } = [];
    public IReadOnlyList<CoachPhrase> Phrases { get; init; } = [];
}

/// <summary>Points taken off 100 per finding of each severity, and the scores a verdict needs.</summary>
public sealed record CoachScoring
{
    public int Problem { get; init; } = 30;
    public int Warning { get; init; } = 12;
    public int Tip { get; init; } = 4;
    /// <summary>The lowest score that is still "ready" (and nothing worse than a tip found).</summary>
    public int Ready { get; init; } = 85;
    /// <summary>Below this the verdict is "rewrite".</summary>
    public int Rewrite { get; init; } = 50;

    public int PenaltyFor(CoachSeverity severity) => severity switch
    {
        CoachSeverity.Problem => Problem,
        CoachSeverity.Warning => Warning,
        _ => Tip,
    };
}

/// <summary>The rules file (embedded <c>coach-rules.json</c>, or one of your own): what the coach checks and says.</summary>
public sealed record CoachRuleFile
{
    [JsonPropertyName("$comment")] public string? Comment { get; init; }
    public CoachScoring Scoring { get; init; } = new();
    public IReadOnlyList<string> AskPatterns { get; init; } = [];
    public required IReadOnlyList<CoachRule> Rules { get; init; }
}

/// <summary>A rules file that cannot be used, with the rule and field at fault.</summary>
public sealed class CoachRulesException(string message) : Exception(message);

/// <summary>
/// A rules file checked and its patterns compiled, ready for <see cref="EmailCoach"/>. Rules are data so that a
/// phrase, a limit or a wording changes without code: edit <c>coach-rules.json</c> or pass your own file.
/// </summary>
public sealed class CoachRules
{
    // Linear-time matching: the patterns come from a file and the text from anyone, so no backtracking blow-ups.
    const RegexOptions Matching = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.NonBacktracking;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(EnumNames.Policy, allowIntegerValues: false) },
    };

    static readonly Lazy<CoachRules> Builtin = new(() =>
    {
        using var stream = typeof(CoachRules).Assembly.GetManifestResourceStream("Reach.Coaching.coach-rules.json")
            ?? throw new InvalidOperationException("The embedded coach-rules.json is missing from the build.");
        return Read(stream, "coach-rules.json");
    });

    /// <summary>The rules that ship with Reach.</summary>
    public static CoachRules Default => Builtin.Value;

    public CoachRuleFile File { get; }
    public CoachScoring Scoring => File.Scoring;
    internal IReadOnlyList<Regex> Asks { get; }
    internal IReadOnlyDictionary<CoachRule, IReadOnlyList<Regex>> Compiled { get; }

    CoachRules(CoachRuleFile file, string source)
    {
        File = file;
        Asks = file.AskPatterns.Select((p, i) => Compile(p, source, $"askPatterns[{i}]")).ToList();
        var compiled = new Dictionary<CoachRule, IReadOnlyList<Regex>>(ReferenceEqualityComparer.Instance);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Rules.Count; i++)
        {
            var rule = file.Rules[i];
            var where = $"rules[{i}] ({rule.Id})";
            if (string.IsNullOrWhiteSpace(rule.Id) || !ids.Add(rule.Id))
                throw new CoachRulesException($"{source}: {where}: every rule needs an id of its own.");
            if (rule.Kind is CoachRuleKind.Length or CoachRuleKind.Phone or CoachRuleKind.Asks or CoachRuleKind.SubjectLength && rule.Limit is not > 0)
                throw new CoachRulesException($"{source}: {where}.limit: a {EnumNames.Of(rule.Kind)} rule needs a limit above 0.");
            if (rule.Kind == CoachRuleKind.Phone && rule.CharactersPerLine is not > 0)
                throw new CoachRulesException($"{source}: {where}.charactersPerLine: a phone rule needs the characters per line above 0.");
            if (rule.Kind == CoachRuleKind.Reason && rule.Patterns.Count == 0)
                throw new CoachRulesException($"{source}: {where}.patterns: a reason rule needs the patterns that mark a reason.");
            if (rule.Kind == CoachRuleKind.Phrases && rule.Phrases.Count == 0)
                throw new CoachRulesException($"{source}: {where}.phrases: a phrases rule needs at least one phrase.");
            if (rule.Kind is CoachRuleKind.Asks or CoachRuleKind.Reason && Asks.Count == 0)
                throw new CoachRulesException($"{source}: {where}: the {rule.Id} rule needs askPatterns to find the asks.");
            compiled[rule] = rule.Kind switch
            {
                CoachRuleKind.Reason => rule.Patterns.Select((p, j) => Compile(p, source, $"{where}.patterns[{j}]")).ToList(),
                CoachRuleKind.Phrases => rule.Phrases.Select((p, j) => Compile(p.Pattern, source, $"{where}.phrases[{j}]")).ToList(),
                _ => [],
            };
        }
        Compiled = compiled;
    }

    public static CoachRules Read(Stream json, string source)
    {
        CoachRuleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CoachRuleFile>(json, Json);
        }
        catch (JsonException e)
        {
            throw new CoachRulesException($"{source}: {(e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') + ": " : "")}{e.Message.Split(" Path:")[0]}");
        }
        return new CoachRules(file ?? throw new CoachRulesException($"{source}: the file must be a JSON object with \"rules\"."), source);
    }

    public static CoachRules ReadFile(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    static Regex Compile(string pattern, string source, string where)
    {
        try
        {
            return new Regex(pattern, Matching);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new CoachRulesException($"{source}: {where}: the pattern {pattern} is not usable: {e.Message}");
        }
    }
}
