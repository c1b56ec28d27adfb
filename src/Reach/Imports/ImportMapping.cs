using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Imports;

/// <summary>
/// A column map saved under a name, for files that come back in the same layout (the monthly export
/// of an old CRM, a partner's list). Read by everyone in the workspace; changed by its owner
/// (<see cref="Access.AccessRules"/>). Used by the web import and by <c>reach import --mapping NAME</c>.
/// </summary>
public class ImportMapping : Record
{
    public required string Name { get; set; }
    public ImportEntity Entity { get; set; }
    public SourceFormat Format { get; set; }

    /// <summary>Column header → field (or "-" to ignore the column), as JSON.</summary>
    [JsonIgnore]
    public string Columns { get; set; } = "{}";

    public Dictionary<string, string> Map
    {
        get => new(JsonSerializer.Deserialize<Dictionary<string, string>>(Columns) ?? [], StringComparer.OrdinalIgnoreCase);
        set => Columns = JsonSerializer.Serialize(value);
    }

    public const int MaxNameLength = 100;

    /// <summary>
    /// Saves <paramref name="map"/> under <paramref name="name"/> for the entity: a new mapping, or the
    /// actor's own one of that name replaced. Throws <see cref="ImportFileException"/> for an empty or long name.
    /// </summary>
    public static async Task<ImportMapping> SaveAsync(ReachDb db, string name, ImportEntity entity, SourceFormat format, IReadOnlyDictionary<string, string> map, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
            throw new ImportFileException($"A mapping's name is 1 to {MaxNameLength} characters.", column: "mappingName", value: name);
        // A deleted mapping of that name comes back with the new columns: the name is unique, deleted or not.
        var mapping = await db.ImportMappings.IgnoreQueryFilters([ReachDb.SoftDeleteFilter])
            .FirstOrDefaultAsync(m => m.Entity == entity && m.Name == name, cancellationToken);
        if (mapping is null)
            db.ImportMappings.Add(mapping = new ImportMapping { Name = name, Entity = entity });
        mapping.DeletedAt = null;
        mapping.Format = format;
        mapping.Map = new Dictionary<string, string>(map, StringComparer.OrdinalIgnoreCase);
        await db.SaveChangesAsync(cancellationToken);
        return mapping;
    }

    /// <summary>The mapping of that name for the entity, ignoring case; throws <see cref="ImportFileException"/> listing the saved ones when there is none.</summary>
    public static async Task<ImportMapping> FindAsync(ReachDb db, string name, ImportEntity entity, CancellationToken cancellationToken)
    {
        var all = await db.ImportMappings.AsNoTracking().Where(m => m.Entity == entity).OrderBy(m => m.Name).ToListAsync(cancellationToken);
        return all.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ImportFileException(
                $"No saved mapping of {entity.ToString().ToLowerInvariant()} is named '{name}'; "
                + (all.Count == 0 ? "none is saved yet (save one on the web import page)." : $"the saved ones are {string.Join(", ", all.Select(m => $"'{m.Name}'"))}."),
                column: "mapping", value: name);
    }
}

/// <summary>A saved mapping as the API writes it: its name, what it imports, the source format and the column map.</summary>
public sealed record ImportMappingInput : IRecordInput<ImportMapping, ImportMappingInput>
{
    [Required, StringLength(ImportMapping.MaxNameLength, MinimumLength = 1)] public string? Name { get; init; }
    [Required] public ImportEntity? Entity { get; init; }
    public SourceFormat? Format { get; init; }

    /// <summary>Column header → field (<see cref="ImportFields.All"/>), or "-" to ignore the column.</summary>
    [Required] public Dictionary<string, string>? Map { get; init; }

    public static ImportMappingInput From(ImportMapping m) => new() { Name = m.Name, Entity = m.Entity, Format = m.Format, Map = m.Map };

    public ImportMapping ToNew()
    {
        var mapping = new ImportMapping { Name = Name!.Trim() };
        ApplyTo(mapping);
        return mapping;
    }

    public void ApplyTo(ImportMapping m)
    {
        m.Name = Name!.Trim();
        m.Entity = Entity!.Value;
        m.Format = Format ?? SourceFormat.Csv;
        m.Map = new Dictionary<string, string>(Map!, StringComparer.OrdinalIgnoreCase);
    }

    public async Task CheckAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var fields = ImportFields.All(Entity!.Value);
        foreach (var (column, field) in Map!)
        {
            if (field != "-" && !fields.Contains(field, StringComparer.OrdinalIgnoreCase))
                throw new InputException($"map.{column}", $"'{field}' is not a field of {Entity.Value.ToString().ToLowerInvariant()}; expected '-' (ignore the column) or one of {string.Join(", ", fields)}.");
        }
        // The name is unique per entity, deleted mappings included; the mapping being changed is tracked, so it is not "another".
        var name = Name!.Trim();
        var self = db.ImportMappings.Local.Select(m => m.Id).ToList();
        var other = await db.ImportMappings.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AsNoTracking()
            .Where(m => m.Entity == Entity && m.Name == name && !self.Contains(m.Id))
            .Select(m => new { m.Id, m.DeletedAt }).FirstOrDefaultAsync(cancellationToken);
        if (other is not null)
            throw new InputException("name", other.DeletedAt is null
                ? $"A mapping of {Entity.Value.ToString().ToLowerInvariant()} is already named '{name}'."
                : $"A deleted mapping is named '{name}': restore it (POST /api/v1/import-mappings/{other.Id}/restore) or choose another name.");
    }
}

sealed class ImportMappingMapping : IEntityTypeConfiguration<ImportMapping>
{
    public void Configure(EntityTypeBuilder<ImportMapping> mapping)
    {
        mapping.Property(m => m.Name).HasMaxLength(ImportMapping.MaxNameLength);
        mapping.Property(m => m.Entity).HasConversion<string>().HasMaxLength(20);
        mapping.Property(m => m.Format).HasConversion<string>().HasMaxLength(20);
        mapping.Ignore(m => m.Map);
        mapping.HasIndex(m => new { m.Entity, m.Name }).IsUnique();
    }
}
