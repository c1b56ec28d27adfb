using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Reach.Web.Pages;

/// <summary>
/// The DataAnnotations of an input record as HTML validation attributes (required, maxlength,
/// min/max), so the browser checks as you type the same rules the server enforces.
/// </summary>
public static class FieldRules
{
    public static IHtmlContent For<TInput>(string property)
    {
        var info = typeof(TInput).GetProperty(property) ?? throw new ArgumentException($"{typeof(TInput).Name} has no property {property}.", nameof(property));
        var html = new StringBuilder();
        foreach (var attribute in info.GetCustomAttributes(true))
        {
            switch (attribute)
            {
                case RequiredAttribute:
                    html.Append(" required");
                    break;
                case StringLengthAttribute length:
                    html.Append(CultureInfo.InvariantCulture, $" maxlength=\"{length.MaximumLength}\"");
                    if (length.MinimumLength > 0)
                        html.Append(CultureInfo.InvariantCulture, $" minlength=\"{length.MinimumLength}\"");
                    break;
                case RangeAttribute range:
                    html.Append(CultureInfo.InvariantCulture, $" min=\"{HtmlEncoder.Default.Encode(Convert.ToString(range.Minimum, CultureInfo.InvariantCulture)!)}\" max=\"{HtmlEncoder.Default.Encode(Convert.ToString(range.Maximum, CultureInfo.InvariantCulture)!)}\"");
                    break;
                case EmailAddressAttribute:
                    html.Append(" type=\"email\"");
                    break;
                default:
                    break;
            }
        }
        return new HtmlString(html.ToString());
    }
}
