using System.Globalization;
using Reach.Data;

namespace Reach.Playbook;

/// <summary>One line item as a document shows it.</summary>
public sealed record DocumentLine(string Product, decimal Quantity, decimal UnitPrice, decimal Discount, decimal Total);

/// <summary>What a deal's document is filled with: read once from the deal (<see cref="DealDocuments"/>), then rendered.</summary>
public sealed record DealDocumentValues
{
    public required string AccountName { get; init; }
    public string? AccountDomain { get; init; }
    public required string DealName { get; init; }
    public required string Currency { get; init; }
    public decimal Amount { get; init; }
    public required string Stage { get; init; }
    public DateOnly? ExpectedClose { get; init; }
    public string? ContactName { get; init; }
    public string? ContactFirstName { get; init; }
    public string? ContactTitle { get; init; }
    public string? ContactEmail { get; init; }

    /// <summary>Every contact on the deal, "Name, title (role)".</summary>
    public IReadOnlyList<string> Contacts { get; init; } = [];
    public IReadOnlyList<DocumentLine> Lines { get; init; } = [];
    public required string SenderName { get; init; }
    public string? SenderEmail { get; init; }
    public DateOnly Today { get; init; }
    public int TemplateVersion { get; init; }

    public decimal Subtotal => Lines.Count > 0 ? Lines.Sum(l => Math.Round(l.Quantity * l.UnitPrice, 2)) : Amount;
    public decimal Total => Lines.Count > 0 ? Lines.Sum(l => l.Total) : Amount;

    /// <summary>The contract starts at the expected close (today when it has passed or is unknown) and runs a year.</summary>
    public DateOnly TermStart => ExpectedClose is { } close && close > Today ? close : Today;
}

/// <summary>
/// The merge fields of proposal, order form and agreement templates: <c>{{account.name}}</c>, <c>{{line_items}}</c>,
/// <c>{{totals.total}}</c>… A template naming a field not listed here is refused when it is saved, naming the field,
/// so a customer never reads a blank or a "{{…}}".
/// </summary>
public static class DealDocumentFields
{
    /// <summary>The field that stands alone on its line and becomes the table of line items.</summary>
    public const string LineItems = "line_items";

    /// <summary>The field that stands alone on its line and becomes one line per contact.</summary>
    public const string Contacts = "contacts";

    static string Money(DealDocumentValues v, decimal amount) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {v.Currency}";
    static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static readonly IReadOnlyDictionary<string, Func<DealDocumentValues, string>> Known = new Dictionary<string, Func<DealDocumentValues, string>>
    {
        ["account.name"] = v => v.AccountName,
        ["account.domain"] = v => v.AccountDomain ?? "",
        ["deal.name"] = v => v.DealName,
        ["deal.amount"] = v => Money(v, v.Amount),
        ["deal.currency"] = v => v.Currency,
        ["deal.stage"] = v => v.Stage,
        ["deal.expected_close"] = v => v.ExpectedClose is { } d ? Date(d) : "",
        ["contact.full_name"] = v => v.ContactName ?? "",
        ["contact.first_name"] = v => v.ContactFirstName ?? "",
        ["contact.title"] = v => v.ContactTitle ?? "",
        ["contact.email"] = v => v.ContactEmail ?? "",
        [Contacts] = v => string.Join("\n", v.Contacts),
        [LineItems] = v => string.Join("\n", v.Lines.Select(l => $"{l.Product}: {l.Quantity.ToString("0.##", CultureInfo.InvariantCulture)} × {Money(v, l.UnitPrice)} = {Money(v, l.Total)}")),
        ["totals.subtotal"] = v => Money(v, v.Subtotal),
        ["totals.discount"] = v => Money(v, v.Subtotal - v.Total),
        ["totals.total"] = v => Money(v, v.Total),
        ["terms.start"] = v => Date(v.TermStart),
        ["terms.end"] = v => Date(v.TermStart.AddYears(1).AddDays(-1)),
        ["terms.length"] = _ => "12 months",
        ["terms.valid_until"] = v => Date(v.Today.AddDays(30)),
        ["date.today"] = v => Date(v.Today),
        ["sender.name"] = v => v.SenderName,
        ["sender.email"] = v => v.SenderEmail ?? "",
        ["document.version"] = v => v.TemplateVersion.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The first problem of a template: an unknown field (named) or an unclosed "{{"; null when it is fine.</summary>
    public static string? Problem(string? template)
    {
        if (string.IsNullOrEmpty(template))
            return null;
        if (MergeSyntax.FirstUnknown(template, Known.ContainsKey) is { } unknown)
            return $"Unknown merge field {{{{{unknown}}}}}; a document knows {string.Join(", ", Known.Keys.Select(k => "{{" + k + "}}"))}";
        if (MergeSyntax.HasUnclosed(template))
            return "A merge field is not closed: write fields as {{account.name}}";
        return null;
    }

    /// <summary>The field a line holds alone ("{{line_items}}"), or null.</summary>
    public static string? AloneOnLine(string line)
    {
        var match = MergeSyntax.Field().Match(line.Trim());
        return match.Success && match.Length == line.Trim().Length ? match.Groups[1].Value.ToLowerInvariant() : null;
    }

    /// <summary>Fills the fields of <paramref name="text"/>.</summary>
    public static string Render(string text, DealDocumentValues values) =>
        MergeSyntax.Fill(text, name => Known.TryGetValue(name, out var value) ? value(values) : null);
}
