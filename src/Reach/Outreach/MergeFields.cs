using Reach.Data;

namespace Reach.Outreach;

/// <summary>The values a template's {{merge fields}} are filled with.</summary>
public sealed record MergeValues(
    string ContactFirstName, string? ContactLastName, string? ContactEmail, string? ContactTitle,
    string? AccountName, string? AccountDomain, string? DealName, string SenderName, string SenderEmail);

/// <summary>
/// Merge fields in step templates: <c>{{contact.first_name}}</c>, <c>{{account.name}}</c>,
/// <c>{{deal.name}}</c>, <c>{{sender.name}}</c>… An unknown field is an error when the sequence is
/// saved, never a blank in a prospect's inbox.
/// </summary>
public static class MergeFields
{
    public static readonly IReadOnlyDictionary<string, Func<MergeValues, string?>> Known = new Dictionary<string, Func<MergeValues, string?>>
    {
        ["contact.first_name"] = v => v.ContactFirstName,
        ["contact.last_name"] = v => v.ContactLastName,
        ["contact.full_name"] = v => string.IsNullOrEmpty(v.ContactLastName) ? v.ContactFirstName : $"{v.ContactFirstName} {v.ContactLastName}",
        ["contact.email"] = v => v.ContactEmail,
        ["contact.title"] = v => v.ContactTitle,
        ["account.name"] = v => v.AccountName,
        ["account.domain"] = v => v.AccountDomain,
        ["deal.name"] = v => v.DealName,
        ["sender.name"] = v => v.SenderName,
        ["sender.first_name"] = v => v.SenderName.Split(' ', 2)[0],
        ["sender.email"] = v => v.SenderEmail,
    };

    /// <summary>The first problem in <paramref name="template"/>: an unknown field or an unclosed "{{"; null when it is fine.</summary>
    public static string? Problem(string? template)
    {
        if (string.IsNullOrEmpty(template))
            return null;
        if (MergeSyntax.FirstUnknown(template, Known.ContainsKey) is { } unknown)
            return $"unknown merge field {{{{{unknown}}}}}; known fields: {string.Join(", ", Known.Keys.Select(k => "{{" + k + "}}"))}";
        if (MergeSyntax.HasUnclosed(template))
            return "a merge field is not closed: write fields as {{contact.first_name}}";
        return null;
    }

    /// <summary>Fills the fields; a field with no value (a contact without an account, say) becomes empty.</summary>
    public static string Render(string? template, MergeValues values) =>
        string.IsNullOrEmpty(template) ? "" : MergeSyntax.Fill(template, name => Known.TryGetValue(name, out var value) ? value(values) ?? "" : null);
}
