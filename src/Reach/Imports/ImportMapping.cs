using System.Text.Json;
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
        var mapping = await db.ImportMappings.FirstOrDefaultAsync(m => m.Entity == entity && m.Name == name, cancellationToken);
        if (mapping is null)
            db.ImportMappings.Add(mapping = new ImportMapping { Name = name, Entity = entity });
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
