using System.ComponentModel.DataAnnotations;
using Reach.Access;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Leads;

public sealed record LeadInput : IRecordInput<Lead, LeadInput>
{
    [Required, StringLength(100, MinimumLength = 1)] public string? FirstName { get; init; }
    [StringLength(100)] public string? LastName { get; init; }
    [EmailAddress, StringLength(254)] public string? Email { get; init; }
    [StringLength(50)] public string? Phone { get; init; }
    [StringLength(150)] public string? Title { get; init; }
    [StringLength(200)] public string? Company { get; init; }
    [StringLength(253)] public string? Domain { get; init; }
    [Range(0, 10_000_000)] public int? Employees { get; init; }
    [StringLength(100)] public string? Industry { get; init; }
    [Range(typeof(decimal), "0", "1000000000000")] public decimal? ExpectedAcv { get; init; }
    public LeadSource? Source { get; init; }
    [StringLength(100)] public string? Campaign { get; init; }
    public LeadStatus? Status { get; init; }
    public DateTime? ReceivedAt { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

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
        ReceivedAt = l.ReceivedAt,
        OwnerId = l.OwnerId,
        ExternalId = l.ExternalId,
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
        l.Email = Email?.Trim().ToLowerInvariant();
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
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) =>
        db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);
}
