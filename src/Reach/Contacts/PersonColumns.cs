using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Contacts;

/// <summary>
/// The lengths of a person's columns (<see cref="IPerson"/>): mapped once for contacts and leads, and read by their
/// input records' <c>StringLength</c>, so the form, the API and the column agree.
/// </summary>
public static class PersonColumns
{
    public const int Name = 100;

    /// <summary>The longest address RFC 5321 lets through.</summary>
    public const int Email = 254;
    public const int Phone = 50;
    public const int Title = 150;

    internal static void Map<T>(EntityTypeBuilder<T> person) where T : class, IPerson
    {
        person.Property(p => p.FirstName).HasMaxLength(Name);
        person.Property(p => p.LastName).HasMaxLength(Name);
        person.Property(p => p.Email).HasMaxLength(Email);
        person.Property(p => p.Phone).HasMaxLength(Phone);
        person.Property(p => p.Title).HasMaxLength(Title);
    }
}
