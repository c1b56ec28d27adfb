using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Reflection;
using Reach.Data;

namespace Reach.Imports;

/// <summary>
/// The input rules' own attributes, checked without DataAnnotations' per-call reflection (an import checks millions of
/// rows). It only says "surely valid": a record it cannot vouch for goes to <see cref="InputRules.Validate"/>, which
/// stays the one rule and gives the messages.
/// </summary>
static class InputPrecheck
{
    // The property's getter compiled (a reflected PropertyInfo.GetValue per property and row was most of the precheck).
    sealed record Check(Func<object, object?> Value, ValidationAttribute[] Attributes, bool IsText);

    // Attributes whose IsValid(value) needs no context; a type with any other (or with rules of its own) is never vouched for.
    static readonly HashSet<Type> ContextFree =
    [
        typeof(RequiredAttribute), typeof(StringLengthAttribute), typeof(MaxLengthAttribute), typeof(MinLengthAttribute),
        typeof(RangeAttribute), typeof(EmailAddressAttribute), typeof(UrlAttribute), typeof(RegularExpressionAttribute),
        typeof(CurrencyCodeAttribute),
    ];

    static readonly ConcurrentDictionary<Type, Check[]?> Checks = new();

    public static bool SurelyValid(object input)
    {
        var checks = Checks.GetOrAdd(input.GetType(), ChecksOf);
        if (checks is null)
            return false;
        foreach (var check in checks)
        {
            var value = check.Value(input);
            foreach (var attribute in check.Attributes)
                if (!attribute.IsValid(value))
                    return false;
            if (check.IsText && value is string text && TextRules.FirstUnwritable(text) is not null)
                return false;
        }
        return true;
    }

    static Check[]? ChecksOf(Type type)
    {
        if (typeof(IValidatableObject).IsAssignableFrom(type) || type.GetCustomAttributes<ValidationAttribute>(true).Any())
            return null;
        var checks = new List<Check>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            var attributes = property.GetCustomAttributes<ValidationAttribute>(true).ToArray();
            if (attributes.Any(a => !ContextFree.Contains(a.GetType())))
                return null;
            // A list of texts is checked by the full rules (imports fill none).
            if (property.PropertyType != typeof(string) && property.PropertyType.IsAssignableTo(typeof(IEnumerable<string>)))
                return null;
            var isText = property.PropertyType == typeof(string);
            if (attributes.Length > 0 || isText)
                checks.Add(new Check(Getter(type, property), attributes, isText));
        }
        return [.. checks];
    }

    static Func<object, object?> Getter(Type type, PropertyInfo property)
    {
        var input = Expression.Parameter(typeof(object), "input");
        var read = Expression.Property(Expression.Convert(input, type), property);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), input).Compile();
    }
}
