using Microsoft.AspNetCore.Html;

namespace Reach.Web.Pages;

/// <summary>What the <c>_Field</c> partial draws: a form field named for model binding, its id, label, value, error and rules.</summary>
public sealed record FieldView(string Name, string Id, string Label, string? Value, string? Error, IHtmlContent Rules)
{
    public string? Hint { get; init; }
    public string Type { get; init; } = "text";
    public string? InputMode { get; init; }
    public bool Multiline { get; init; }
    public bool Wide { get; init; }
}
