using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Deals;

/// <summary>A contact put on a deal with their part in it: the one set of rules the API and the deal page go through.</summary>
public sealed record DealContactInput
{
    [Required] public Guid? ContactId { get; init; }
    [Required] public ContactRole? Role { get; init; }

    /// <summary>Adds the contact to the deal, or changes their role when they are on it already.</summary>
    public async Task<DealContact> ApplyAsync(ReachDb db, Deal deal, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        await db.MustExistAsync<Contact>(ContactId, "contactId", cancellationToken);
        var link = await db.DealContacts.FirstOrDefaultAsync(l => l.DealId == deal.Id && l.ContactId == ContactId, cancellationToken);
        if (link is null)
        {
            link = new DealContact { DealId = deal.Id, ContactId = ContactId!.Value, AddedAt = db.UtcNow };
            db.DealContacts.Add(link);
        }
        link.Role = Role!.Value;
        return link;
    }
}
