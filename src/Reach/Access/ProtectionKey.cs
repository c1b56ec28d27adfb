using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Access;

/// <summary>
/// A Data Protection key (cookies, invite links) kept in the workspace database, so a restart or a
/// second server signs nobody out. The XML is encrypted with a certificate kept outside the database.
/// </summary>
public class ProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

sealed class ProtectionKeyMapping : IEntityTypeConfiguration<ProtectionKey>
{
    public void Configure(EntityTypeBuilder<ProtectionKey> key)
    {
        key.ToTable("ProtectionKeys");
        key.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
