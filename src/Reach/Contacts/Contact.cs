using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Contacts;

/// <summary>The part a person plays in a deal: the "cast of characters" (seed 004).</summary>
public enum ContactRole { Unknown, Champion, EconomicBuyer, TechnicalBuyer, User, Influencer, Blocker, Gatekeeper }

public class Contact : Record, IPerson
{
    public Guid? AccountId { get; set; }
    [JsonIgnore]
    public Account? Account { get; set; }
    public required string FirstName { get; set; }
    public string? LastName { get; set; }

    /// <summary>Stored lower case: contacts deduplicate on email regardless of case.</summary>
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Title { get; set; }
    public ContactRole Role { get; set; } = ContactRole.Unknown;

    /// <summary>What this person cares about: the angle for every touch.</summary>
    public string? CaresAbout { get; set; }

    /// <summary>IANA time zone, for send windows.</summary>
    public string? TimeZone { get; set; }
    public string? ExternalId { get; set; }

    /// <summary>The system <see cref="ExternalId"/> belongs to (hubspot, salesforce, pipedrive, csv); imports match on the pair.</summary>
    public string? ExternalSource { get; set; }

    [JsonIgnore]
    public string FullName => string.IsNullOrEmpty(LastName) ? FirstName : $"{FirstName} {LastName}";

    /// <summary>
    /// A person's e-mail as contacts and leads store it: trimmed and lower case, so each is unique whatever its case
    /// and a lead converts into the contact with the same address.
    /// </summary>
    public static string? NormaliseEmail(string? email) => email?.Trim().ToLowerInvariant();
}

sealed class ContactMapping : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> contact)
    {
        PersonColumns.Map(contact);
        contact.Property(c => c.CaresAbout).HasMaxLength(1000);
        contact.Property(c => c.TimeZone).HasMaxLength(64);
        contact.Property(c => c.ExternalId).HasMaxLength(100);
        contact.Property(c => c.Role).HasConversion<string>().HasMaxLength(30);
        contact.Ignore(c => c.FullName);
        contact.HasOne(c => c.Account).WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);
        contact.Property(c => c.ExternalSource).HasMaxLength(20);
        // Emails are stored lower case, so this is one live contact per email whatever its case.
        contact.HasIndex(c => c.Email).IsUnique().HasFilter(ImportKeys.SetAndLive("Email"));
        contact.HasIndex(c => new { c.ExternalSource, c.ExternalId });
        contact.HasIndex(c => c.AccountId);
        contact.HasIndex(c => c.OwnerId);
    }
}
