using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Access;

namespace Reach.Outreach;

/// <summary>How a mail connection is secured: none (a local test server), STARTTLS, or TLS from the first byte.</summary>
public enum MailSecurity { None, StartTls, Tls }

/// <summary>
/// A user's mailbox: SMTP to send their sequences' emails, IMAP to see the replies. One per user.
/// Not a <see cref="Data.Record"/>: it is never audited, so its encrypted passwords never reach the trail.
/// </summary>
public class MailAccount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string FromName { get; set; }
    public required string FromAddress { get; set; }
    public required string SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
    public string? SmtpUser { get; set; }

    /// <summary>Encrypted with ASP.NET Core Data Protection (<see cref="MailSecrets"/>); never returned by the API.</summary>
    public string? SmtpPasswordProtected { get; set; }
    public string? ImapHost { get; set; }
    public int ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; } = MailSecurity.Tls;
    public string? ImapUser { get; set; }
    public string? ImapPasswordProtected { get; set; }

    /// <summary>At most this many sequence emails a day (in the workspace's UTC day), so a new mailbox is not flagged as spam.</summary>
    public int DailyLimit { get; set; } = 200;

    /// <summary>Where the reply poller stopped: IMAP UIDs are valid only with their UIDVALIDITY.</summary>
    public uint ImapUidValidity { get; set; }
    public uint ImapLastUid { get; set; }
    public DateTime? LastPolledAt { get; set; }
    public string? LastPollError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool HasImap => !string.IsNullOrEmpty(ImapHost);
}

sealed class MailAccountMapping : IEntityTypeConfiguration<MailAccount>
{
    public void Configure(EntityTypeBuilder<MailAccount> account)
    {
        account.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        account.HasIndex(a => a.UserId).IsUnique();
        account.Property(a => a.FromName).HasMaxLength(200);
        account.Property(a => a.FromAddress).HasMaxLength(254);
        account.Property(a => a.SmtpHost).HasMaxLength(253);
        account.Property(a => a.SmtpUser).HasMaxLength(254);
        account.Property(a => a.SmtpPasswordProtected).HasMaxLength(2000);
        account.Property(a => a.ImapHost).HasMaxLength(253);
        account.Property(a => a.ImapUser).HasMaxLength(254);
        account.Property(a => a.ImapPasswordProtected).HasMaxLength(2000);
        account.Property(a => a.SmtpSecurity).HasConversion<string>().HasMaxLength(10);
        account.Property(a => a.ImapSecurity).HasConversion<string>().HasMaxLength(10);
        account.Property(a => a.LastPollError).HasMaxLength(1000);
    }
}

/// <summary>
/// Encrypts mailbox passwords with the workspace's Data Protection keys (kept in the database, so the
/// background sender and a second server can read them).
/// </summary>
public sealed class MailSecrets(IDataProtectionProvider provider)
{
    readonly IDataProtector protector = provider.CreateProtector("Reach.Outreach.MailAccount.v1");

    public string Protect(string password) => protector.Protect(password);

    public string? Unprotect(string? protectedPassword) =>
        string.IsNullOrEmpty(protectedPassword) ? null : protector.Unprotect(protectedPassword);
}
