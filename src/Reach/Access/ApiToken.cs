using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Access;

public enum TokenScope { Read, ReadWrite, LeadCapture, Usage }

/// <summary>
/// A personal API token. Only its SHA-256 hash is stored: the secret is shown once, at creation.
/// It stops working when it expires, is revoked, or its user's security stamp changes (password
/// change, disable), all checked on every request.
/// </summary>
public class ApiToken
{
    public const string Prefix = "reach_";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public TokenScope Scope { get; set; }
    public required string Hash { get; set; }

    /// <summary>The first characters of the secret, to tell tokens apart in a list without revealing them.</summary>
    public required string Hint { get; set; }

    /// <summary>The user's security stamp when the token was made; a different stamp now voids the token.</summary>
    public required string UserStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>A new secret and the token row that recognises it.</summary>
    public static (string Secret, ApiToken Token) Issue(User user, string name, TokenScope scope, DateTime now, TimeSpan lifetime)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            UserId = user.Id,
            Name = name,
            Scope = scope,
            Hash = HashOf(secret),
            Hint = secret[..(Prefix.Length + 4)],
            UserStamp = user.SecurityStamp ?? "",
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        return (secret, token);
    }

    // The secret has 256 random bits, so a fast unsalted hash is enough: nothing to brute-force.
    public static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public bool IsValidFor(User user, DateTime now) =>
        RevokedAt is null && now < ExpiresAt && user.IsActive && UserStamp == (user.SecurityStamp ?? "");
}

sealed class ApiTokenMapping : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.ToTable("ApiTokens");
        token.Property(t => t.Name).HasMaxLength(100);
        token.Property(t => t.Scope).HasConversion<string>().HasMaxLength(20);
        token.Property(t => t.Hash).HasMaxLength(64);
        token.Property(t => t.Hint).HasMaxLength(20);
        token.Property(t => t.UserStamp).HasMaxLength(100);
        token.HasIndex(t => t.Hash).IsUnique();
        token.HasIndex(t => t.UserId);
        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
