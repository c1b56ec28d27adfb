using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Contacts;

/// <summary>
/// A contact's personal data on request (GDPR articles 15 and 17): everything Reach holds about
/// them as JSON, and erasure that keeps the business figures (deals, amounts, activity counts).
/// </summary>
public static class PersonalData
{
    public const string Erased = "Erased contact";

    public static async Task<object> ExportAsync(ReachDb db, Contact contact, CancellationToken cancellationToken)
    {
        var activities = await db.Activities.AsNoTracking().Where(a => a.ContactId == contact.Id).OrderBy(a => a.OccurredAt)
            .Select(a => new { a.Type, a.Direction, a.Subject, a.Body, a.OccurredAt }).ToListAsync(cancellationToken);
        var deals = await db.Deals.AsNoTracking().Where(d => d.PrimaryContactId == contact.Id).Select(d => new { d.Name, d.Status }).ToListAsync(cancellationToken);
        return new
        {
            contact = new { contact.FirstName, contact.LastName, contact.Email, contact.Phone, contact.Title, contact.TimeZone, contact.CaresAbout, contact.CreatedAt, contact.UpdatedAt },
            activities,
            dealsAsPrimaryContact = deals,
        };
    }

    /// <summary>
    /// Blanks the contact's identifying fields and the text of their activities, and redacts the
    /// audit trail's before/after values for them — the one change the trail ever takes, because
    /// the law requires it. All in one transaction.
    /// </summary>
    public static async Task EraseAsync(ReachDb db, Contact contact, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        contact.FirstName = Erased;
        contact.LastName = null;
        contact.Email = null;
        contact.Phone = null;
        contact.Title = null;
        contact.TimeZone = null;
        contact.CaresAbout = null;
        contact.ExternalId = null;
        var activities = await db.Activities.IgnoreQueryFilters().Where(a => a.ContactId == contact.Id).ToListAsync(cancellationToken);
        foreach (var activity in activities)
        {
            activity.Subject = "(erased)";
            activity.Body = null;
            activity.Outcome = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        Guid[] ids = [contact.Id, .. activities.Select(a => a.Id)];
        await db.AuditEntries.Where(e => ids.Contains(e.EntityId))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Changes, """{"personalData":{"before":null,"after":"erased"}}"""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
