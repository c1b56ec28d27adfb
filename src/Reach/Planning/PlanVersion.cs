using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Planning;

/// <summary>
/// A named, saved version of the workspace's go-to-market plan. Versions are never edited: a change is a new
/// version. At most one is active; the active one routes accounts and leads.
/// </summary>
public class PlanVersion
{
    public const int MaxNameLength = 120;

    /// <summary>The largest plan text stored, as the API caps its bodies.</summary>
    public const int MaxYamlLength = 256 * 1024;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Yaml { get; set; }
    public Guid? AuthorId { get; set; }
    public string? AuthorName { get; set; }
    public DateTime CreatedAt { get; set; }
    public bool IsActive { get; set; }
    public DateTime? ActivatedAt { get; set; }
}

sealed class PlanVersionMapping : IEntityTypeConfiguration<PlanVersion>
{
    public void Configure(EntityTypeBuilder<PlanVersion> version)
    {
        version.Property(v => v.Name).HasMaxLength(PlanVersion.MaxNameLength);
        version.Property(v => v.AuthorName).HasMaxLength(200);
        version.HasIndex(v => v.CreatedAt);
        // One active version at most, kept by the database too (both providers read a bare boolean as a condition).
        version.HasIndex(v => v.IsActive).IsUnique().HasFilter("\"IsActive\"").HasDatabaseName("IX_PlanVersions_Active");
    }
}
