using System.ComponentModel.DataAnnotations;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Contacts;

public sealed record ContactInput : IRecordInput<Contact, ContactInput>
{
    public Guid? AccountId { get; init; }
    [Required, StringLength(PersonColumns.Name, MinimumLength = 1)] public string? FirstName { get; init; }
    [StringLength(PersonColumns.Name)] public string? LastName { get; init; }
    [EmailAddress, StringLength(PersonColumns.Email)] public string? Email { get; init; }
    [StringLength(PersonColumns.Phone)] public string? Phone { get; init; }
    [StringLength(PersonColumns.Title)] public string? Title { get; init; }
    public ContactRole? Role { get; init; }
    [StringLength(1000)] public string? CaresAbout { get; init; }
    [StringLength(64)] public string? TimeZone { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

    public static ContactInput From(Contact c) => new()
    {
        AccountId = c.AccountId,
        FirstName = c.FirstName,
        LastName = c.LastName,
        Email = c.Email,
        Phone = c.Phone,
        Title = c.Title,
        Role = c.Role,
        CaresAbout = c.CaresAbout,
        TimeZone = c.TimeZone,
        OwnerId = c.OwnerId,
        ExternalId = c.ExternalId,
    };

    public Contact ToNew()
    {
        var contact = new Contact { FirstName = FirstName! };
        ApplyTo(contact);
        return contact;
    }

    public void ApplyTo(Contact c)
    {
        c.AccountId = AccountId;
        c.FirstName = FirstName!.Trim();
        c.LastName = LastName?.Trim();
        c.Email = Contact.NormaliseEmail(Email);
        c.Phone = Phone;
        c.Title = Title;
        c.Role = Role ?? ContactRole.Unknown;
        c.CaresAbout = CaresAbout;
        c.TimeZone = TimeZone;
        c.OwnerId = OwnerId;
        c.ExternalId = ExternalId;
    }

    public async Task CheckAsync(ReachDb db, CancellationToken cancellationToken)
    {
        await db.MustExistAsync<Account>(AccountId, "accountId", cancellationToken);
        await db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            throw new InputException("timeZone", $"'{TimeZone}' is not a known IANA time zone (e.g. Europe/Berlin).");
    }
}
