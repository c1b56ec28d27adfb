using System.ComponentModel.DataAnnotations;
using Reach.Access;
using Reach.Data;
using Reach.Routing;

namespace Reach.Accounts;

public sealed record AccountInput : IRecordInput<Account, AccountInput>
{
    [Required, StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    [StringLength(253), DomainName] public string? Domain { get; init; }
    [Range(0, 10_000_000)] public int? Employees { get; init; }
    [Range(typeof(decimal), "0", "1000000000000000")] public decimal? AnnualRevenue { get; init; }
    [StringLength(100)] public string? Industry { get; init; }
    [StringLength(100)] public string? Region { get; init; }
    [Range(typeof(decimal), "0", "1000000000000")] public decimal? ExpectedAcv { get; init; }
    /// <summary>A tier set by hand (kept over the plan's); null leaves the plan's rules to decide.</summary>
    public Tier? Tier { get; init; }
    public Channel? Channel { get; init; }
    public Lifecycle? Lifecycle { get; init; }
    public Reach.Leads.LeadSource? Source { get; init; }
    [StringLength(100)] public string? Campaign { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

    public static AccountInput From(Account a) => new()
    {
        Name = a.Name,
        Domain = a.Domain,
        Employees = a.Employees,
        AnnualRevenue = a.AnnualRevenue,
        ExpectedAcv = a.ExpectedAcv,
        Industry = a.Industry,
        Region = a.Region,
        Tier = HandSetTier.Of(a),
        Channel = a.Channel,
        Lifecycle = a.Lifecycle,
        Source = a.Source,
        Campaign = a.Campaign,
        OwnerId = a.OwnerId,
        ExternalId = a.ExternalId,
    };

    public Account ToNew()
    {
        var account = new Account { Name = Name! };
        ApplyTo(account);
        return account;
    }

    public void ApplyTo(Account a)
    {
        a.Name = Name!.Trim();
        a.Domain = Account.NormaliseDomain(Domain);
        a.Employees = Employees;
        a.AnnualRevenue = AnnualRevenue;
        a.ExpectedAcv = ExpectedAcv;
        a.Industry = Industry;
        a.Region = Region;
        HandSetTier.Apply(a, Tier);
        a.Channel = Channel;
        a.Lifecycle = Lifecycle ?? Data.Lifecycle.Prospect;
        a.Source = Source;
        a.Campaign = Campaign;
        a.OwnerId = OwnerId;
        a.ExternalId = ExternalId;
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) =>
        db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);
}
