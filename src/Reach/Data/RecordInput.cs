using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Reach.Data;

/// <summary>
/// The writable fields of a record, as the API, the web forms and the CLI accept them. One shape
/// serves create and update: an update is the record's current input with the changes merged in,
/// validated by the same rules as a create.
/// </summary>
public interface IRecordInput<TEntity, TSelf> where TSelf : IRecordInput<TEntity, TSelf>
{
    static abstract TSelf From(TEntity entity);

    TEntity ToNew();

    void ApplyTo(TEntity entity);

    /// <summary>Rules that need the database (referenced records exist); throws <see cref="InputException"/>.</summary>
    Task CheckAsync(ReachDb db, CancellationToken cancellationToken);

    /// <summary>Rules a deleted record must still meet to come back (none unless the input says so); throws <see cref="InputException"/>.</summary>
    Task CheckRestoreAsync(ReachDb db, TEntity entity, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Checks the input against the database, then writes it onto the entity.</summary>
    async Task ApplyAsync(ReachDb db, TEntity entity, CancellationToken cancellationToken)
    {
        await CheckAsync(db, cancellationToken);
        ApplyTo(entity);
    }
}

/// <summary>Bad input that names the field at fault; the API maps it to a 400 problem.</summary>
public sealed class InputException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public InputException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>DataAnnotations validation with JSON (camelCase) field names, shared by API, pages and CLI.</summary>
public static class InputRules
{
    public static void Validate(object input)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true);
        results.AddRange(UnwritableText(input));
        if (results.Count == 0)
            return;
        var errors = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Field: JsonNamingPolicy.CamelCase.ConvertName(m), Message: Reword(r.ErrorMessage, m))))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        throw new InputException(errors);
    }

    /// <summary>
    /// Validates one item of a list the input holds (a sequence's step, an import's row), its errors added to
    /// <paramref name="errors"/> under the item's name (<c>steps[2].body</c>) so that every item is reported at once;
    /// false when it has some.
    /// </summary>
    public static bool ValidateItem(object item, string at, IDictionary<string, string[]> errors)
    {
        try
        {
            Validate(item);
            return true;
        }
        catch (InputException invalid)
        {
            foreach (var (field, messages) in invalid.Errors)
                errors[$"{at}.{field}"] = [.. messages];
            return false;
        }
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo[]> TextProperties = new();

    /// <summary>
    /// Control characters (other than tab and line breaks) and halves of UTF-16 pairs in any text field: they
    /// are invisible in the app, and XML (an XLSX export, an e-mail) cannot hold them.
    /// </summary>
    static IEnumerable<ValidationResult> UnwritableText(object input)
    {
        var properties = TextProperties.GetOrAdd(input.GetType(), type => type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && (p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)))
            .ToArray());
        foreach (var property in properties)
        {
            IEnumerable<string?> texts = property.GetValue(input) switch
            {
                string one => [one],
                IEnumerable<string?> many => many,
                _ => [],
            };
            if (texts.FirstOrDefault(t => t is not null && TextRules.FirstUnwritable(t) is not null) is { } bad)
                yield return new ValidationResult($"The field {property.Name} holds {TextRules.FirstUnwritable(bad)}; remove it.", [property.Name]);
        }
    }

    // DataAnnotations' stock messages name the C# property ("The AccountId field is required.");
    // clients know the JSON name.
    static string Reword(string? message, string member) =>
        message is null ? "is invalid." : member.Length == 0 ? message : message.Replace($"The {member} field", $"The field {JsonNamingPolicy.CamelCase.ConvertName(member)}", StringComparison.Ordinal)
            .Replace($"field {member} ", $"field {JsonNamingPolicy.CamelCase.ConvertName(member)} ", StringComparison.Ordinal);

    /// <summary>Checks that a referenced record exists (and is not deleted).</summary>
    public static async Task MustExistAsync<T>(this ReachDb db, Guid? id, string field, CancellationToken cancellationToken)
        where T : class
    {
        if (id is null)
            return;
        var found = await db.Set<T>().AnyAsync(e => EF.Property<Guid>(e, "Id") == id.Value, cancellationToken);
        if (!found)
            throw new InputException(field, $"No {typeof(T).Name.ToLowerInvariant()} has the id {id}.");
    }
}

/// <summary>Which characters stored text may hold: what a page, an XLSX export and an e-mail can all show.</summary>
public static class TextRules
{
    /// <summary>Describes the first character that text may not hold (a control character, half a UTF-16 pair), or null.</summary>
    public static string? FirstUnwritable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                return $"half of a UTF-16 pair (U+{(int)c:X4})";
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                return $"a control character (U+{(int)c:X4})";
            if (c is '\uFFFE' or '\uFFFF')
                return $"a non-character (U+{(int)c:X4})";
        }
        return null;
    }

    /// <summary>
    /// Drops what XML 1.0 cannot hold, for writing text stored before <see cref="InputRules"/> refused it
    /// (or by a path that skipped it) into an XLSX sheet or a mail.
    /// </summary>
    public static string XmlSafe(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                kept.Append(c).Append(text[++i]);
            else if (System.Xml.XmlConvert.IsXmlChar(c))
                kept.Append(c);
        }
        return kept.Length == text.Length ? text : kept.ToString();
    }
}
