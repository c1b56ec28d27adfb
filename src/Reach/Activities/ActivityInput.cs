using System.ComponentModel.DataAnnotations;
using Reach.Access;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;

namespace Reach.Activities;

public sealed record ActivityInput : IRecordInput<Activity, ActivityInput>
{
    [Required] public ActivityType? Type { get; init; }
    public Direction? Direction { get; init; }
    [Required, StringLength(300, MinimumLength = 1)] public string? Subject { get; init; }
    [StringLength(20000)] public string? Body { get; init; }
    [StringLength(200)] public string? Outcome { get; init; }
    public DateTime? OccurredAt { get; init; }
    public DateTime? DueAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public Guid? AccountId { get; init; }
    public Guid? ContactId { get; init; }
    public Guid? DealId { get; init; }
    public Guid? LeadId { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

    public static ActivityInput From(Activity a) => new()
    {
        Type = a.Type,
        Direction = a.Direction,
        Subject = a.Subject,
        Body = a.Body,
        Outcome = a.Outcome,
        OccurredAt = a.OccurredAt,
        DueAt = a.DueAt,
        CompletedAt = a.CompletedAt,
        AccountId = a.AccountId,
        ContactId = a.ContactId,
        DealId = a.DealId,
        LeadId = a.LeadId,
        OwnerId = a.OwnerId,
        ExternalId = a.ExternalId,
    };

    public Activity ToNew()
    {
        var activity = new Activity { Subject = Subject! };
        ApplyTo(activity);
        return activity;
    }

    public void ApplyTo(Activity a)
    {
        a.Type = Type!.Value;
        a.Direction = Direction ?? Activities.Direction.None;
        a.Subject = Subject!.Trim();
        a.Body = Body;
        a.Outcome = Outcome;
        // A planned touch happens when it is due; a logged one when it is logged (ReachDb stamps a new one with the
        // workspace's clock), unless said otherwise.
        a.OccurredAt = OccurredAt ?? DueAt ?? a.OccurredAt;
        a.DueAt = DueAt;
        a.CompletedAt = CompletedAt;
        a.AccountId = AccountId;
        a.ContactId = ContactId;
        a.DealId = DealId;
        a.LeadId = LeadId;
        a.OwnerId = OwnerId;
        a.ExternalId = ExternalId;
    }

    public async Task CheckAsync(ReachDb db, CancellationToken cancellationToken)
    {
        if (AccountId is null && ContactId is null && DealId is null && LeadId is null)
            throw new InputException("accountId", "An activity belongs to an account, contact, deal or lead: give at least one of accountId, contactId, dealId, leadId.");
        await db.MustExistAsync<Account>(AccountId, "accountId", cancellationToken);
        await db.MustExistAsync<Contact>(ContactId, "contactId", cancellationToken);
        await db.MustExistAsync<Deal>(DealId, "dealId", cancellationToken);
        await db.MustExistAsync<Lead>(LeadId, "leadId", cancellationToken);
        await db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);
    }
}
