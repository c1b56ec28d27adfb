using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics;

/// <summary>A deal as metrics see it: its channel, its cuts (owner, team, tier, products) and its dated events.</summary>
public sealed record DealFact(
    Guid Id, string Name, Channel Channel, DealKind Kind, DealStatus Status, decimal Amount, string Currency,
    DateTime CreatedAt, DateTime? ClosedAt, DateOnly? ExpectedClose, Guid? OwnerId, Guid? TeamId, Tier? Tier,
    IReadOnlyList<Guid> Products, IReadOnlyList<DateTime> ProposalAt, string? LostReason);

/// <summary>A lead: its channel is its converted deal's, else its owner's, else none.</summary>
public sealed record LeadFact(Guid Id, DateTime ReceivedAt, DateTime? FirstTouchAt, Channel? Channel, Guid? OwnerId, Guid? TeamId, Tier? Tier, Guid? DealId);

/// <summary>An activity: its channel is its deal's, else its owner's, else none.</summary>
public sealed record ActivityFact(Guid Id, ActivityType Type, DateTime OccurredAt, bool Held, Channel? Channel, Guid? OwnerId, Guid? TeamId, Tier? Tier, Guid? DealId);

/// <summary>
/// Everything the metrics read, loaded once per request through the caller's <see cref="ReachDb"/>: its access filters
/// decide what is there (a rep's figures are made of the rep's records only). The cuts are applied here in memory.
/// </summary>
public sealed class MetricFacts
{
    /// <summary>Touch types: notes and tasks are not touches.</summary>
    public static readonly ActivityType[] TouchTypes = [ActivityType.Call, ActivityType.Email, ActivityType.Meeting, ActivityType.Social];

    public required IReadOnlyList<DealFact> Deals { get; init; }
    public required IReadOnlyList<LeadFact> Leads { get; init; }
    public required IReadOnlyList<ActivityFact> Activities { get; init; }
    public required IReadOnlyList<Target> Targets { get; init; }
    public required IReadOnlyList<ChannelCost> Costs { get; init; }
    public required CurrencyConverter Converter { get; init; }

    public static async Task<MetricFacts> LoadAsync(ReachDb db, string currency, DateTime now, CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.TeamId, u.Channel }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var tiers = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Tier }).ToDictionaryAsync(a => a.Id, a => a.Tier, cancellationToken);
        var stages = await db.Stages.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken);
        var proposalStages = stages.Where(s => s.Name.Contains("proposal", StringComparison.OrdinalIgnoreCase)).Select(s => s.Id).ToList();
        var proposals = (await db.DealStageChanges.AsNoTracking().Where(c => proposalStages.Contains(c.ToStageId)).Select(c => new { c.DealId, c.At })
            .ToListAsync(cancellationToken)).ToLookup(c => c.DealId, c => c.At);
        var products = (await db.DealLineItems.AsNoTracking().Select(l => new { l.DealId, l.ProductId }).ToListAsync(cancellationToken))
            .ToLookup(l => l.DealId, l => l.ProductId);
        Guid? TeamOf(Guid? owner) => owner is { } o && users.TryGetValue(o, out var u) ? u.TeamId : null;
        Channel? ChannelOf(Guid? owner) => owner is { } o && users.TryGetValue(o, out var u) ? u.Channel : null;
        Tier? TierOf(Guid? account) => account is { } a && tiers.TryGetValue(a, out var t) ? t : null;

        var deals = (await db.Deals.AsNoTracking()
                .Select(d => new { d.Id, d.Name, d.Channel, d.Kind, d.Status, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.ExpectedClose, d.OwnerId, d.AccountId, d.LostReason })
                .ToListAsync(cancellationToken))
            .Select(d => new DealFact(d.Id, d.Name, d.Channel, d.Kind, d.Status, d.Amount, d.Currency, d.CreatedAt, d.ClosedAt, d.ExpectedClose, d.OwnerId,
                TeamOf(d.OwnerId), TierOf(d.AccountId), [.. products[d.Id].Distinct()], [.. proposals[d.Id].Order()], d.LostReason))
            .ToList();
        var dealById = deals.ToDictionary(d => d.Id);

        var activities = await db.Activities.AsNoTracking()
            .Select(a => new { a.Id, a.Type, a.OccurredAt, a.DueAt, a.CompletedAt, a.OwnerId, a.DealId, a.LeadId, a.AccountId })
            .ToListAsync(cancellationToken);
        var firstTouch = activities.Where(a => a.LeadId is not null && TouchTypes.Contains(a.Type))
            .GroupBy(a => a.LeadId!.Value).ToDictionary(g => g.Key, g => g.Min(a => a.OccurredAt));

        var leads = (await db.Leads.AsNoTracking()
                .Select(l => new { l.Id, l.ReceivedAt, l.OwnerId, l.ConvertedDealId, l.ConvertedAccountId })
                .ToListAsync(cancellationToken))
            .Select(l =>
            {
                var deal = l.ConvertedDealId is { } id ? dealById.GetValueOrDefault(id) : null;
                return new LeadFact(l.Id, l.ReceivedAt, firstTouch.TryGetValue(l.Id, out var t) ? t : null, deal?.Channel ?? ChannelOf(l.OwnerId),
                    l.OwnerId, TeamOf(l.OwnerId), deal?.Tier ?? TierOf(l.ConvertedAccountId), l.ConvertedDealId);
            })
            .ToList();

        var activityFacts = activities.Select(a =>
        {
            var deal = a.DealId is { } id ? dealById.GetValueOrDefault(id) : null;
            // Held: it happened (not in the future) and is not a planned task still open.
            var held = a.OccurredAt <= now && (a.DueAt is null || a.CompletedAt is not null);
            return new ActivityFact(a.Id, a.Type, a.OccurredAt, held, deal?.Channel ?? ChannelOf(a.OwnerId), a.OwnerId, TeamOf(a.OwnerId),
                deal?.Tier ?? TierOf(a.AccountId), a.DealId);
        }).ToList();

        var rates = await db.Set<ExchangeRate>().AsNoTracking().ToListAsync(cancellationToken);
        return new MetricFacts
        {
            Deals = deals,
            Leads = leads,
            Activities = activityFacts,
            Targets = await db.Set<Target>().AsNoTracking().ToListAsync(cancellationToken),
            Costs = await db.Set<ChannelCost>().AsNoTracking().ToListAsync(cancellationToken),
            Converter = new CurrencyConverter(currency, rates),
        };
    }

    /// <summary>The facts within the cuts of <paramref name="query"/> other than period and channel (those make the slices).</summary>
    public MetricFacts Cut(MetricQuery query)
    {
        bool Keep(Guid? owner, Guid? team, Tier? tier) =>
            (query.RepId is null || owner == query.RepId) && (query.TeamId is null || team == query.TeamId) && (query.Tier is null || tier == query.Tier);
        var deals = Deals.Where(d => Keep(d.OwnerId, d.TeamId, d.Tier) && (query.ProductId is null || d.Products.Contains(query.ProductId.Value))).ToList();
        var dealIds = deals.Select(d => d.Id).ToHashSet();
        return new MetricFacts
        {
            Deals = deals,
            Leads = [.. Leads.Where(l => Keep(l.OwnerId, l.TeamId, l.Tier) && (query.ProductId is null || (l.DealId is { } id && dealIds.Contains(id))))],
            Activities = [.. Activities.Where(a => Keep(a.OwnerId, a.TeamId, a.Tier) && (query.ProductId is null || (a.DealId is { } id && dealIds.Contains(id))))],
            Targets = Targets,
            Costs = Costs,
            Converter = Converter,
        };
    }
}
