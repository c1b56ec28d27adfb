using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Access;

/// <summary>A person who signs in: rep, manager or admin. Identity supplies the sign-in columns.</summary>
public class User : IdentityUser<Guid>
{
    public User() => Id = Guid.CreateVersion7();

    public required string Name { get; set; }
    public UserRole Role { get; set; } = UserRole.Rep;
    public Guid? TeamId { get; set; }
    public Team? Team { get; set; }

    /// <summary>The channel a rep sells through; null for admins and managers of mixed teams.</summary>
    public Channel? Channel { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>When the user was disabled; their closed deals still count, their capacity no longer does.</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>Away (holiday, sick, off the phones): inbound leads are not assigned to them (<see cref="Leads.LeadAssignment"/>).</summary>
    public bool Away { get; set; }

    /// <summary>Set for a password someone else chose (the first admin's, a reset): it must be changed before anything else.</summary>
    public bool PasswordIsTemporary { get; set; }
    public DateTime CreatedAt { get; set; }
}

sealed class UserMapping : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.Property(u => u.Name).HasMaxLength(200);
        user.Property(u => u.Role).HasConversion<string>().HasMaxLength(20);
        user.Property(u => u.Channel).HasConversion<string>().HasMaxLength(20);
        user.HasOne(u => u.Team).WithMany().HasForeignKey(u => u.TeamId).OnDelete(DeleteBehavior.SetNull);
    }
}
