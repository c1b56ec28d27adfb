using System.Collections.Concurrent;
using System.Globalization;
using Reach.Data;
using Reach.Planning;

namespace Reach.Routing;

/// <summary>
/// Where a plan sends one account or lead: its segment, the channel that sells to it, and whether it sits in a dead
/// zone (with the first recommended way out). <see cref="Channel"/> in a dead zone is the channel of that
/// recommendation: where the record goes once the recommendation is followed.
/// </summary>
public sealed record Route(string? Segment, string? Channel, bool DeadZone, string? Action, string? Reason)
{
    public static readonly Route None = new(null, null, false, null, null);
}

/// <summary>
/// The routing rules of docs/planner.md over one plan: a record with an expected ACV is sold at that ACV (its segment
/// is the one whose ACV is nearest, by ratio; its channel is the planner's fit at the record's own ACV); otherwise the
/// first segment whose employees range holds its size decides, with that segment's fit channel. The planner's maths
/// are <see cref="Planner"/>'s, never repeated here.
/// </summary>
public sealed class Router
{
    /// <summary>The reason stored on a record the plan has nothing to say about (no size, no ACV).</summary>
    public const string NoSizeReason = "No employees or expected ACV: not routed.";

    /// <summary>The reason stored on a record whose size no segment covers.</summary>
    public const string NoSegmentReason = "Its employees count falls outside every segment of the plan: not routed.";

    readonly PlanFile plan;
    readonly PlanResult result;
    readonly ConcurrentDictionary<decimal, Route> byAcv = new();

    public Router(PlanFile plan)
    {
        this.plan = plan;
        result = Planner.Evaluate(plan);
        Segments = [.. plan.Segments.Zip(result.Segments, (s, r) => new SegmentRoute(s, r, Describe(s, r, r.Acv)))];
    }

    public PlanFile Plan => plan;

    /// <summary>The plan's segments in order, each with the route (and reason after the size) of the records it holds.</summary>
    public IReadOnlyList<SegmentRoute> Segments { get; }

    public Route Route(int? employees, decimal? expectedAcv)
    {
        if (expectedAcv is { } acv and > 0)
            return byAcv.GetOrAdd(acv, RouteByAcv);
        if (employees is not { } size)
            return Routing.Route.None with { Reason = NoSizeReason };
        var segment = SegmentOf(size);
        return segment is null
            ? Routing.Route.None with { Reason = NoSegmentReason }
            : segment.Route with { Reason = EmployeesPrefix(size) + segment.Route.Reason };
    }

    /// <summary>
    /// An account's or a lead's A/B/C tier by the plan's tier rules (<see cref="PlanFile.Tiers"/>, docs/leads.md "Tiers"),
    /// from its route: its value is its expected ACV, else its segment's ACV; A and B need a fit channel (not a dead zone).
    /// </summary>
    public (Tier? Tier, string? Reason) TierOf(Route route, decimal? expectedAcv)
    {
        if (route.Segment is null)
            return (null, null);
        var segment = plan.Segments.FirstOrDefault(s => s.Name == route.Segment);
        var value = expectedAcv is > 0 ? expectedAcv.Value : segment?.Acv ?? 0;
        var (a, b) = plan.Tiers is { } rules ? (rules.AMinAcv, rules.BMinAcv) : (MedianSegmentAcv(), 0m);
        var source = plan.Tiers is null ? "the median segment ACV" : "the plan's a_min_acv";
        var money = PlanReport.Money(value, plan.Currency);
        var what = expectedAcv is > 0 ? $"expected ACV {money}" : $"segment {route.Segment} ACV {money}";
        if (route.DeadZone)
            return (Tier.C, $"{what} in a dead zone (no channel fits) → C");
        if (value >= a)
            return (Tier.A, $"{what} ≥ {PlanReport.Money(a, plan.Currency)} ({source}) with {route.Channel} fitting → A");
        if (value >= b)
            return (Tier.B, $"{what} below {PlanReport.Money(a, plan.Currency)} ({source}) with {route.Channel} fitting → B");
        return (Tier.C, $"{what} below the plan's b_min_acv {PlanReport.Money(b, plan.Currency)} → C");
    }

    decimal MedianSegmentAcv() =>
        plan.Segments.Count == 0 ? 0 : Reach.Metrics.MetricCatalogue.Median([.. plan.Segments.Select(s => s.Acv)]);

    /// <summary>The channel kind of the plan's channel named <paramref name="name"/> (a route's channel), as the CRM's channel.</summary>
    public Channel? ChannelOf(string? name) =>
        plan.Channels.FirstOrDefault(c => c.Name == name)?.Kind switch
        {
            ChannelKind.SelfService => Channel.SelfService,
            ChannelKind.Inside => Channel.Inside,
            ChannelKind.Field => Channel.Field,
            _ => null,
        };

    /// <summary>The first segment whose employees range holds <paramref name="employees"/>, as the plan lists them.</summary>
    public SegmentRoute? SegmentOf(int employees)
    {
        // A loop, not LINQ: this runs once per record when a million are re-routed.
        for (var i = 0; i < Segments.Count; i++)
        {
            if (Segments[i].Segment.Employees is { } r && employees >= r.Min && (r.Max is not { } max || employees <= max))
                return Segments[i];
        }

        return null;
    }

    /// <summary>How a reason starts for a record routed by size; the database writes the same text in bulk.</summary>
    public static string EmployeesPrefix(int employees) => employees.ToString(CultureInfo.InvariantCulture) + EmployeesSuffix;

    public const string EmployeesSuffix = " employees → ";

    Route RouteByAcv(decimal acv)
    {
        // Nearest by ratio: 2,500 is nearer 3,000 than 1,000, as prices go.
        var nearest = plan.Segments.Select((s, i) => (Segment: s, Index: i))
            .OrderBy(p => Math.Abs(Math.Log((double)acv / (double)p.Segment.Acv)))
            .ThenBy(p => p.Index)
            .FirstOrDefault();
        var money = PlanReport.Money(acv, plan.Currency);
        if (nearest.Segment is null)
            return Routing.Route.None with { Reason = $"expected ACV {money}: the plan has no segments." };

        var atAcv = Planner.Evaluate(plan with
        {
            Segments = [nearest.Segment with { Acv = acv, ShareOfTarget = 0, Accounts = long.MaxValue }],
        }).Segments[0];
        var described = Describe(nearest.Segment, atAcv, acv);
        var reason = $"expected ACV {money} → segment {nearest.Segment.Name} (nearest ACV {PlanReport.Money(nearest.Segment.Acv, plan.Currency)})"
            + described.Reason![described.Reason!.IndexOf(" → ", StringComparison.Ordinal)..];
        return described with { Reason = reason };
    }

    // "segment mid-market (50–499) → inside; ACV 12,000 EUR, LTV/CAC 4.05", or the dead zone and its way out.
    Route Describe(PlanSegment segment, SegmentResult evaluated, decimal acv)
    {
        var range = segment.Employees is { } r ? $" ({r.Min}–{(r.Max is { } max ? max.ToString(CultureInfo.InvariantCulture) : "")})" : "";
        var head = $"segment {segment.Name}{range}";
        var money = PlanReport.Money(acv, plan.Currency);
        if (evaluated.Fit is { } fit)
        {
            var ratio = PlanReport.Ratio(evaluated.Channels.First(c => c.Name == fit).LtvToCac);
            return new Route(segment.Name, fit, false, null, $"{head} → {fit}; ACV {money}, LTV/CAC {ratio}");
        }

        var first = evaluated.Recommendations.Count > 0 ? evaluated.Recommendations[0] : null;
        var kind = evaluated.DeadZoneKind == DeadZoneKind.Gap ? "gap between channels" : "no channel is profitable";
        var way = first is null ? "no recommendation applies" : PlanReport.RecommendationText(first, plan.Currency);
        return new Route(
            segment.Name,
            first?.Channel,
            true,
            first is null ? null : EnumNames.Of(first.Action),
            $"{head} → dead zone ({kind}) at ACV {money}: {way}");
    }
}

/// <summary>A plan segment and the route of the records it holds by size; the reason lacks the "N employees → " prefix.</summary>
public sealed record SegmentRoute(PlanSegment Segment, SegmentResult Result, Route Route);
