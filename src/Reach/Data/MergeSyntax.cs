using System.Text.RegularExpressions;

namespace Reach.Data;

/// <summary>
/// The <c>{{field}}</c> syntax of templates, one reading for every kind (outreach emails' <c>MergeFields</c>, deal
/// documents' <c>DealDocumentFields</c>): a field's name is matched without case and with spaces inside the braces
/// allowed. Each kind keeps its own list of fields and words its own refusals.
/// </summary>
public static partial class MergeSyntax
{
    [GeneratedRegex(@"\{\{\s*([^{}]*?)\s*\}\}")]
    public static partial Regex Field();

    /// <summary>The first field of <paramref name="template"/> that <paramref name="isKnown"/> refuses, as written; null when all are known.</summary>
    public static string? FirstUnknown(string template, Func<string, bool> isKnown) =>
        Field().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(name => !isKnown(name.ToLowerInvariant()));

    /// <summary>Whether braces are left once the fields are taken out: a field not closed, or not opened.</summary>
    public static bool HasUnclosed(string template)
    {
        var rest = Field().Replace(template, "");
        return rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal);
    }

    /// <summary>Fills each field with <paramref name="valueOf"/> its lower-case name; a field it gives null for stays as written.</summary>
    public static string Fill(string template, Func<string, string?> valueOf) =>
        Field().Replace(template, m => valueOf(m.Groups[1].Value.ToLowerInvariant()) ?? m.Value);
}
