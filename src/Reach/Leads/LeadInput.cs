using System.ComponentModel.DataAnnotations;
using Reach.Access;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Routing;

namespace Reach.Leads;

public sealed record LeadInput : IRecordInput<Lead, LeadInput>
{
    [Required, StringLength(PersonColumns.Name, MinimumLength = 1)] public string? FirstName { get; init; }
    [StringLength(PersonColumns.Name)] public string? LastName { get; init; }
    [EmailAddress, StringLength(PersonColumns.Email)] public string? Email { get; init; }
    [StringLength(PersonColumns.Phone)] public string? Phone { get; init; }
    [StringLength(PersonColumns.Title)] public string? Title { get; init; }
    [StringLength(200)] public string? Company { get; init; }
    [StringLength(253), DomainName] public string? Domain { get; init; }
    [Range(0, 10_000_000)] public int? Employees { get; init; }
    [StringLength(100)] public string? Industry { get; init; }
    [Range(typeof(decimal), "0", "1000000000000")] public decimal? ExpectedAcv { get; init; }
    public LeadSource? Source { get; init; }
    [StringLength(100)] public string? Campaign { get; init; }
    public LeadStatus? Status { get; init; }
    /// <summary>When the lead arrived; left out, the moment Reach receives it (the clock of the workspace).</summary>
    [Range(typeof(DateTime), "2000-01-01", "9999-12-31", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "The field receivedAt must be a moment from 2000-01-01 on (UTC); leave it out to use the moment Reach receives the lead.")]
    public DateTime? ReceivedAt { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

    /// <summary>A tier set by hand (kept over the plan's); null leaves the plan's rules to decide.</summary>
    public Tier? Tier { get; init; }

    /// <summary>The earliest <see cref="ReceivedAt"/> taken; a lead stored before the rule (0001-01-01) reads as its creation time.</summary>
    public static readonly DateTime EarliestReceivedAt = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static LeadInput From(Lead l) => new()
    {
        FirstName = l.FirstName,
        LastName = l.LastName,
        Email = l.Email,
        Phone = l.Phone,
        Title = l.Title,
        Company = l.Company,
        Domain = l.Domain,
        Employees = l.Employees,
        Industry = l.Industry,
        ExpectedAcv = l.ExpectedAcv,
        Source = l.Source,
        Campaign = l.Campaign,
        Status = l.Status,
        ReceivedAt = l.ReceivedAt < EarliestReceivedAt ? l.CreatedAt : l.ReceivedAt,
        OwnerId = l.OwnerId,
        ExternalId = l.ExternalId,
        Tier = HandSetTier.Of(l),
    };

    public Lead ToNew()
    {
        var lead = new Lead { FirstName = FirstName! };
        ApplyTo(lead);
        return lead;
    }

    public void ApplyTo(Lead l)
    {
        l.FirstName = FirstName!.Trim();
        l.LastName = LastName?.Trim();
        l.Email = Contact.NormaliseEmail(Email);
        l.Phone = Phone;
        l.Title = Title;
        l.Company = Company;
        l.Domain = Account.NormaliseDomain(Domain);
        l.Employees = Employees;
        l.Industry = Industry;
        l.ExpectedAcv = ExpectedAcv;
        l.Source = Source ?? LeadSource.Inbound;
        l.Campaign = Campaign;
        l.Status = Status ?? LeadStatus.New;
        if (ReceivedAt is not null)
            l.ReceivedAt = ReceivedAt.Value;
        l.OwnerId = OwnerId;
        l.ExternalId = ExternalId;
        HandSetTier.Apply(l, Tier);
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) =>
        db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);

    /// <summary>
    /// Checks and writes the input; a new lead then gets the moment it is received (when none is given) and, without an
    /// owner, a rep of its routed channel (<see cref="LeadAssignment"/>): the one way in for the API, the web form, the
    /// capture endpoint and the CLI.
    /// </summary>
    public async Task ApplyAsync(ReachDb db, Lead entity, CancellationToken cancellationToken)
    {
        await CheckAsync(db, cancellationToken);
        var isNew = db.Entry(entity).State is Microsoft.EntityFrameworkCore.EntityState.Detached or Microsoft.EntityFrameworkCore.EntityState.Added;
        ApplyTo(entity);
        if (!isNew)
            return;
        if (entity.ReceivedAt < EarliestReceivedAt)
            entity.ReceivedAt = db.UtcNow;
        await LeadAssignment.AssignAsync(db, [entity], cancellationToken);
    }
}
