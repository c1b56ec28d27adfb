using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Contacts;

namespace Reach.Deals;

/// <summary>
/// A contact in a deal's cast of characters, with the part they play in this deal (a contact can champion one deal and
/// block another). The contact's own <see cref="Contact.Role"/> is only its default.
/// </summary>
public class DealContact
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DealId { get; set; }
    public Guid ContactId { get; set; }
    public ContactRole Role { get; set; } = ContactRole.Unknown;
    public DateTime AddedAt { get; set; }

    /// <summary>The two roles a deal needs before it can be forecast with a straight face.</summary>
    public static readonly ContactRole[] Needed = [ContactRole.Champion, ContactRole.EconomicBuyer];

    /// <summary>The needed roles nobody on the deal plays yet.</summary>
    public static IReadOnlyList<ContactRole> Missing(IEnumerable<ContactRole> present) => [.. Needed.Except(present)];
}

sealed class DealContactMapping : IEntityTypeConfiguration<DealContact>
{
    public void Configure(EntityTypeBuilder<DealContact> link)
    {
        link.ToTable("DealContacts");
        link.Property(l => l.Role).HasConversion<string>().HasMaxLength(30);
        link.HasOne<Deal>().WithMany().HasForeignKey(l => l.DealId).OnDelete(DeleteBehavior.Cascade);
        link.HasOne<Contact>().WithMany().HasForeignKey(l => l.ContactId).OnDelete(DeleteBehavior.Cascade);
        link.HasIndex(l => new { l.DealId, l.ContactId }).IsUnique();
        link.HasIndex(l => l.ContactId);
    }
}
