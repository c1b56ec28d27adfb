using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Access;

/// <summary>A record (contact, lead, deal, activity) its owner lets another user read.</summary>
public class Share
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RecordId { get; set; }
    public Guid UserId { get; set; }
    public Guid? SharedById { get; set; }
    public DateTime CreatedAt { get; set; }
}

sealed class ShareMapping : IEntityTypeConfiguration<Share>
{
    public void Configure(EntityTypeBuilder<Share> share)
    {
        share.ToTable("Shares");
        share.HasIndex(s => new { s.RecordId, s.UserId }).IsUnique();
        share.HasIndex(s => s.UserId);
        share.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
