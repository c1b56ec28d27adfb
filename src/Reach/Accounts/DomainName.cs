using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reach.Accounts;

/// <summary>
/// A company's web domain ("acme.com"), given as a domain or as its website's address ("https://www.acme.com/about"),
/// read as <see cref="Account.NormaliseDomain"/> stores it. Usage events and leads are matched to accounts by it, so
/// "not a domain!!" is refused rather than stored.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class DomainNameAttribute : ValidationAttribute
{
    // Labels of letters, digits and inner hyphens (internationalised names as their xn-- form), and a top-level name.
    [GeneratedRegex(@"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.(xn--[a-z0-9-]+|[a-z]{2,63})$")]
    private static partial Regex Shape();

    public static bool IsValidDomain(string? value)
    {
        if (Account.NormaliseDomain(value) is not { } domain)
            return true;
        try
        {
            return Shape().IsMatch(new IdnMapping().GetAscii(domain));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValidDomain(value as string)
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not a web domain; give one such as acme.com (or the website's address).", [validationContext.MemberName!]);
}
