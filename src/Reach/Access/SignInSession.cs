using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Access;

/// <summary>
/// A web session kept on the server: the session cookie holds only a random key, whose hash names this row.
/// Signing out deletes the row, so a copy of the cookie opens nothing afterwards.
/// </summary>
public class SignInSession
{
    /// <summary>SHA-256 (hex) of the key in the cookie.</summary>
    public required string Id { get; set; }
    public Guid? UserId { get; set; }

    /// <summary>The authentication ticket (claims, expiry) as ASP.NET Core serializes it.</summary>
    public required byte[] Ticket { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

sealed class SignInSessionMapping : IEntityTypeConfiguration<SignInSession>
{
    public void Configure(EntityTypeBuilder<SignInSession> session)
    {
        session.ToTable("SignInSessions");
        session.Property(s => s.Id).HasMaxLength(64);
        session.HasIndex(s => s.UserId);
        session.HasIndex(s => s.ExpiresAt);
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
