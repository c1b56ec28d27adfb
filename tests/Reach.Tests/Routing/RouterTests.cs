using Reach.Demo;
using Reach.Planning;
using Reach.Routing;
using Xunit;

namespace Reach.Tests.Routing;

/// <summary>The routing rules over the demo plan: small 1–49 (2,400, self-service), mid-market 50–499 (15,000, inside), enterprise 500+ (80,000, field).</summary>
public sealed class RouterTests
{
    static readonly Router Demo = new(PlanReader.Read(DemoPlan.Yaml));

    [Theory]
    [InlineData(1, "small", "self-service")]
    [InlineData(49, "small", "self-service")]
    [InlineData(50, "mid-market", "inside")]
    [InlineData(499, "mid-market", "inside")]
    [InlineData(500, "enterprise", "field")]
    [InlineData(2_000_000, "enterprise", "field")]
    public void EmployeesPickTheSegmentWhoseRangeHoldsThemBoundsIncluded(int employees, string segment, string channel)
    {
        var route = Demo.Route(employees, null);
        Assert.Equal((segment, channel, false, null), (route.Segment, route.Channel, route.DeadZone, route.Action));
        Assert.StartsWith($"{employees} employees → segment {segment} (", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReasonSaysSizeSegmentRangeChannelAcvAndRatio() =>
        Assert.Equal("120 employees → segment mid-market (50–499) → inside; ACV 15,000 EUR, LTV/CAC 16.17", Demo.Route(120, null).Reason);

    [Fact]
    public void ARecordWithoutSizeOrOutsideEverySegmentIsNotRouted()
    {
        Assert.Equal(Route.None with { Reason = Router.NoSizeReason }, Demo.Route(null, null));
        Assert.Equal(Route.None with { Reason = Router.NoSegmentReason }, Demo.Route(0, null));
    }

    [Fact]
    public void AnExpectedAcvOverridesTheSizeAndPicksTheNearestSegmentByRatio()
    {
        var route = Demo.Route(10, 20_000);
        Assert.Equal(("mid-market", "inside", false), (route.Segment, route.Channel, route.DeadZone));
        Assert.Equal("expected ACV 20,000 EUR → segment mid-market (nearest ACV 15,000 EUR) → inside; ACV 20,000 EUR, LTV/CAC 21.56", route.Reason);
    }

    [Fact]
    public void AnExpectedAcvBetweenTheChannelsRangesIsAGapDeadZoneWithItsRecommendation()
    {
        // 4,000 is above self-service's 3,000 and below inside's 5,000; self-service would still pay (LTV/CAC 53.33).
        var route = Demo.Route(600, 4_000);
        Assert.Equal(("small", "self-service", true, "push_to_self_service"), (route.Segment, route.Channel, route.DeadZone, route.Action));
        Assert.Equal("expected ACV 4,000 EUR → segment small (nearest ACV 2,400 EUR) → dead zone (gap between channels) at ACV 4,000 EUR: push to self-service: LTV/CAC there 53.33", route.Reason);
    }

    [Fact]
    public void AnUnprofitableSegmentIsADeadZoneRoutedToItsCheapestEligibleChannelWithRaisePrice()
    {
        var plan = PlanReader.Read(DemoPlan.Yaml);
        var strict = new Router(plan with { Economics = plan.Economics with { MinLtvToCac = 10 } });
        var route = strict.Route(600, null);
        Assert.Equal(("enterprise", "field", true, "raise_price"), (route.Segment, route.Channel, route.DeadZone, route.Action));
        Assert.Contains("dead zone (no channel is profitable) at ACV 80,000 EUR: raise price to", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstListedSegmentWinsWhereRangesOverlap()
    {
        var plan = PlanReader.Read(DemoPlan.Yaml);
        var overlapping = new Router(plan with { Segments = [plan.Segments[1] with { Employees = new EmployeeRange(40, 499) }, plan.Segments[0], plan.Segments[2]] });
        Assert.Equal("mid-market", overlapping.Route(45, null).Segment);
        Assert.Equal("small", overlapping.Route(39, null).Segment);
    }

    [Fact]
    public void TheRouteAgreesWithThePlannersFitForEverySegment()
    {
        var result = Planner.Evaluate(Demo.Plan);
        foreach (var (segment, evaluated) in Demo.Plan.Segments.Zip(result.Segments))
            Assert.Equal(evaluated.Fit, Demo.Route(segment.Employees!.Min, null).Channel);
    }
}
