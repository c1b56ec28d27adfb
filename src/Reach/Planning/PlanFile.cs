namespace Reach.Planning;

/// <summary>The kinds of channel, from the least to the most selling effort; the planner breaks CAC ties in this order.</summary>
public enum ChannelKind
{
    SelfService,
    Inside,
    Field,

    /// <summary>Partners (resellers, referrers) sell for a commission on the deal; no reps are hired.</summary>
    Partner,
}

/// <summary>A go-to-market plan as written in a plan file (docs/planner.md, ../shared/PLANNER.md).</summary>
public sealed record PlanFile
{
    public required string Currency { get; init; }
    public required DateOnly Start { get; init; }
    public required int HorizonMonths { get; init; }
    public required PlanTarget Target { get; init; }
    public required PlanEconomics Economics { get; init; }
    public required IReadOnlyList<PlanChannel> Channels { get; init; }
    public required IReadOnlyList<PlanSegment> Segments { get; init; }

    /// <summary>
    /// Recommendations to try as a second plan beside this one, each <c>action:segment</c> (e.g.
    /// <c>raise_price:single-store</c>); kept in the file, so a saved version keeps its scenario.
    /// </summary>
    public IReadOnlyList<string> Scenario { get; init; } = [];

    /// <summary>The relative change the sensitivity analysis applies to each assumption, up and down.</summary>
    public decimal Sensitivity { get; init; } = Planning.Sensitivity.DefaultChange;

    /// <summary>The A/B/C rules for leads (docs/leads.md "Tiers"); null: A from the median segment ACV up, with a fit channel.</summary>
    public PlanTiers? Tiers { get; init; }
}

/// <summary>
/// A lead's tier by its value (expected ACV, else its segment's) and fit: A from <see cref="AMinAcv"/> with a fit channel,
/// B from <see cref="BMinAcv"/> with a fit channel, C otherwise (a dead zone, no route, or below B).
/// </summary>
public sealed record PlanTiers(decimal AMinAcv, decimal BMinAcv);

public sealed record PlanTarget
{
    public required decimal NewArr { get; init; }
}

public sealed record PlanEconomics
{
    public required decimal GrossMargin { get; init; }
    public required decimal AnnualChurn { get; init; }
    public required decimal MaxLifetimeYears { get; init; }
    public required decimal MinLtvToCac { get; init; }
}

/// <summary>
/// A channel. A self-service channel uses <see cref="AcquisitionCost"/>; inside and field channels use the rep and
/// lead figures. The reader rejects the other kind's fields, so the unused ones stay zero.
/// </summary>
public sealed record PlanChannel
{
    public required string Name { get; init; }
    public required ChannelKind Kind { get; init; }
    public decimal? MinAcv { get; init; }
    public decimal? MaxAcv { get; init; }
    public decimal CycleDays { get; init; }

    public decimal AcquisitionCost { get; init; }

    public decimal RepCostPerYear { get; init; }
    public decimal DealsPerRepPerYear { get; init; }
    /// <summary>Months before a new rep sells, or (partner) before the partners recruited and enabled bring deals.</summary>
    public decimal RampMonths { get; init; }
    public decimal WinRate { get; init; }
    public decimal LeadToOpportunity { get; init; }
    public decimal CostPerLead { get; init; }

    /// <summary>Reps already selling when the plan starts: ramped, with a pipeline (sales-led only; month by month).</summary>
    public decimal StartReps { get; init; }

    /// <summary>The most reps hired in one month; null is no limit (sales-led only; month by month).</summary>
    public decimal? MaxHiresPerMonth { get; init; }

    /// <summary>The share of reps who leave in a year, a twelfth of it each month (sales-led only; month by month).</summary>
    public decimal AnnualAttrition { get; init; }

    /// <summary>Partner only: the share of a deal's ACV paid to the partner for each commission year.</summary>
    public decimal Commission { get; init; }

    /// <summary>Partner only: years of ACV the commission is paid on (1: first year only), capped at the customer lifetime.</summary>
    public decimal CommissionYears { get; init; } = 1;

    /// <summary>Partner only: a fixed cost per deal (enablement, co-marketing, partner management), on top of the commission.</summary>
    public decimal CostPerDeal { get; init; }

    /// <summary>Partner only: partners signed and selling once ramped; with <see cref="DealsPerPartnerPerYear"/> it caps the channel. Null: no cap.</summary>
    public decimal? Partners { get; init; }

    /// <summary>Partner only: closed-won deals one partner brings in a year, with <see cref="Partners"/>.</summary>
    public decimal DealsPerPartnerPerYear { get; init; }

    /// <summary>
    /// Partner only: the most customers the channel closes in a month, <c>partners × deals_per_partner_per_year / 12</c>;
    /// null when the plan sets no partner capacity.
    /// </summary>
    public decimal? PartnerDealsPerMonth => IsPartner && Partners is { } partners ? partners * DealsPerPartnerPerYear / 12 : null;

    /// <summary>
    /// Inside and field only: the ACV at which <see cref="DealsPerRepPerYear"/> and <see cref="CycleDays"/> hold; with it,
    /// a deal of ACV <c>a</c> takes <c>(a / reference_acv) ^ effort_exponent</c> times the effort and cycle. Null: off.
    /// </summary>
    public decimal? ReferenceAcv { get; init; }

    /// <summary>How fast effort and cycle grow with ACV (0 to 1), with <see cref="ReferenceAcv"/>.</summary>
    public decimal EffortExponent { get; init; }

    /// <summary>Inside and field: reps, leads, ramp and hiring apply.</summary>
    public bool IsSalesLed => Kind is ChannelKind.Inside or ChannelKind.Field;

    public bool IsPartner => Kind == ChannelKind.Partner;

    /// <summary>Whether CAC, effort or cycle depend on the deal's ACV (partner commission, or effort growing with ACV).</summary>
    public bool DependsOnAcv => IsPartner || (IsSalesLed && ReferenceAcv is not null && EffortExponent != 0);
}

public sealed record PlanSegment
{
    public required string Name { get; init; }
    public EmployeeRange? Employees { get; init; }
    public required decimal Acv { get; init; }
    public required long Accounts { get; init; }
    public required decimal ShareOfTarget { get; init; }

    /// <summary>A one-off fee per new customer (the <c>service_charge</c> recommendation), added to its LTV.</summary>
    public decimal ServiceCharge { get; init; }
}

/// <summary>Company size of a segment; an open-ended range has no <see cref="Max"/>.</summary>
public sealed record EmployeeRange(int Min, int? Max);
