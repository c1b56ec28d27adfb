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
        if (Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true))
            return;
        var errors = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Field: JsonNamingPolicy.CamelCase.ConvertName(m), Message: Reword(r.ErrorMessage, m))))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        throw new InputException(errors);
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
