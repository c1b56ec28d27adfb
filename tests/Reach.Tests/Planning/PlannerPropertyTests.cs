using FsCheck;
using FsCheck.Fluent;
using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

public class PlannerPropertyTests
{
    private static readonly Gen<decimal?> LowerBound =
        Gen.Frequency((1, Gen.Constant<decimal?>(null)), (2, Gen.Choose(0, 100000).Select(v => (decimal?)v)));

    // Half the channels are open upwards, so "the fit channel still takes the higher price" holds often.
    private static readonly Gen<decimal?> Width =
        Gen.Frequency((1, Gen.Constant<decimal?>(null)), (1, Gen.Choose(0, 300000).Select(v => (decimal?)v)));

    private static readonly Gen<PlanChannel> SelfService =
        from cost in Gen.Choose(0, 5000)
        from max in Gen.Choose(1, 20000)
        select new PlanChannel { Name = "self-service", Kind = ChannelKind.SelfService, AcquisitionCost = cost, MaxAcv = max };

    private static readonly Gen<PlanEconomics> Economics =
        from margin in Gen.Choose(1, 100)
        from churn in Gen.Choose(0, 100)
        from lifetime in Gen.Choose(1, 10)
        from minimum in Gen.Choose(0, 60)
        select new PlanEconomics
        {
            GrossMargin = margin / 100m,
            AnnualChurn = churn / 100m,
            MaxLifetimeYears = lifetime,
            MinLtvToCac = minimum / 10m,
        };

    private static readonly Gen<PlanSegment> Segment =
        from acv in Gen.Choose(1, 500000)
        from accounts in Gen.Choose(0, 100000)
        from share in Gen.Choose(0, 20)
        select new PlanSegment { Name = "s", Acv = acv, Accounts = accounts, ShareOfTarget = share / 100m };

    private static readonly Gen<PlanFile> Plan =
        from economics in Economics
        from horizon in Gen.Choose(1, 60)
        from target in Gen.Choose(1, 1000)
        from selfService in SelfService
        from inside in SalesLed("inside", ChannelKind.Inside)
        from field in SalesLed("field", ChannelKind.Field)
        from partner in Partner
        from withPartner in Gen.Elements(true, false)
        from segments in Gen.ListOf(Segment).Where(s => s.Count is > 0 and <= 5)
        select new PlanFile
        {
            Currency = "EUR",
            Start = new DateOnly(2027, 1, 1),
            HorizonMonths = horizon,
            Target = new PlanTarget { NewArr = target * 10000m },
            Economics = economics,
            Channels = withPartner ? [selfService, inside, field, partner] : [selfService, inside, field],
            Segments = segments.Select((s, i) => s with { Name = $"s{i}" }).ToList(),
        };

    // A partner paid a commission on the deal (and sometimes a fixed cost per deal): its CAC grows with ACV.
    private static readonly Gen<PlanChannel> Partner =
        from commission in Gen.Choose(0, 60)
        from years in Gen.Choose(1, 6)
        from perDeal in Gen.Choose(0, 5000)
        from winRate in Gen.Choose(1, 100)
        from cycle in Gen.Choose(0, 400)
        from min in LowerBound
        from width in Width
        select new PlanChannel
        {
            Name = "partner",
            Kind = ChannelKind.Partner,
            Commission = commission / 100m,
            CommissionYears = years,
            CostPerDeal = perDeal,
            WinRate = winRate / 100m,
            CycleDays = cycle,
            MinAcv = min,
            MaxAcv = (min ?? 0) + width,
        };

    private static Gen<PlanChannel> SalesLed(string name, ChannelKind kind) =>
        from repCost in Gen.Choose(0, 400)
        from deals in Gen.Choose(1, 200)
        from ramp in Gen.Choose(0, 12)
        from rates in Gen.Two(Gen.Choose(1, 100))
        from costPerLead in Gen.Choose(0, 1000)
        from cycle in Gen.Choose(0, 400)
        from min in LowerBound
        from width in Width
        from reference in Gen.Elements<decimal?>(null, 1000m, 20000m, 150000m)
        from exponent in Gen.Choose(0, 100)
        select new PlanChannel
        {
            Name = name,
            Kind = kind,
            ReferenceAcv = reference,
            EffortExponent = reference is null ? 0 : exponent / 100m,
            RepCostPerYear = repCost * 1000m,
            DealsPerRepPerYear = deals,
            RampMonths = ramp,
            WinRate = rates.Item1 / 100m,
            LeadToOpportunity = rates.Item2 / 100m,
            CostPerLead = costPerLead,
            CycleDays = cycle,
            MinAcv = min,
            MaxAcv = (min ?? 0) + width,
        };

    // FsCheck runs inside plain xunit facts: FsCheck.Xunit.v3 needs xunit 4, which the SDK's VSTest runner does not host yet.
    private static void Holds(Property property) => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);

    private static bool Infeasible(SegmentResult segment) => segment.Flags.Contains(SegmentFlag.InfeasibleInHorizon);

    [Fact]
    public void ALongerCycleNeverLowersTheRepsNeeded() => Holds(ALongerCycleNeverLowersTheRepsNeededProperty());

    private static Property ALongerCycleNeverLowersTheRepsNeededProperty() =>
        Prop.ForAll(
            (from plan in Plan from extra in Gen.Choose(1, 400) select (plan, extra)).ToArbitrary(),
            input =>
            {
                var (plan, extra) = input;
                var longer = plan with
                {
                    Channels = plan.Channels.Select(c => c.IsSalesLed ? c with { CycleDays = c.CycleDays + extra } : c).ToList(),
                };
                var before = Planner.Evaluate(plan);
                var after = Planner.Evaluate(longer);

                var segmentsHold = before.Segments.Zip(after.Segments).All(p =>
                    p.First.Fit == p.Second.Fit
                    && (!Infeasible(p.First) || Infeasible(p.Second))
                    && (p.First.Reps is not { } reps || Infeasible(p.Second) || p.Second.Reps >= reps));
                // A segment whose cycle no longer fits the horizon drops out of its channel's reps, flagged instead.
                var newlyInfeasible = before.Segments.Zip(after.Segments).Any(p => Infeasible(p.First) != Infeasible(p.Second));
                var channelsHold = newlyInfeasible
                    || before.Channels.Zip(after.Channels).All(p => p.Second.RepsNeeded >= p.First.RepsNeeded);
                return segmentsHold && channelsHold;
            });

    [Fact]
    public void AHigherPriceNeverTurnsAProfitableSegmentIntoADeadZone() => Holds(AHigherPriceNeverTurnsAProfitableSegmentIntoADeadZoneProperty());

    private static Property AHigherPriceNeverTurnsAProfitableSegmentIntoADeadZoneProperty() =>
        Prop.ForAll(
            (from plan in Plan from raise in Gen.Choose(1, 500000) select (plan, raise)).ToArbitrary(),
            input =>
            {
                var (plan, raise) = input;
                var higher = plan with { Segments = plan.Segments.Select(s => s with { Acv = s.Acv + raise }).ToList() };
                var before = Planner.Evaluate(plan);
                var after = Planner.Evaluate(higher);

                // Outside its fit channel's range a segment can fall into a gap: that is what a dead zone is. Within
                // the range, a higher price only raises LTV against the same CAC.
                return before.Segments.Zip(after.Segments, higher.Segments).All(p =>
                    p.First.Fit is not { } fit
                    || !Planner.IsEligible(plan.Channels.Single(c => c.Name == fit), p.Third.Acv)
                    || !p.Second.DeadZone);
            });

    [Fact]
    public void CacNeverDependsOnTheSegment() => Holds(CacNeverDependsOnTheSegmentProperty());

    private static Property CacNeverDependsOnTheSegmentProperty() =>
        Prop.ForAll(
            Plan.ToArbitrary(),
            plan =>
            {
                var result = Planner.Evaluate(plan);
                return result.Channels.Select((channel, i) =>
                        plan.Channels[i].DependsOnAcv
                        || (channel.Cac == Planner.Cac(plan.Channels[i])
                            && result.Segments.All(s => s.Channels[i].Cac == channel.Cac)))
                    .All(same => same);
            });

    [Fact]
    public void TheFitChannelIsAlwaysEligibleAndProfitable() => Holds(TheFitChannelIsAlwaysEligibleAndProfitableProperty());

    private static Property TheFitChannelIsAlwaysEligibleAndProfitableProperty() =>
        Prop.ForAll(
            Plan.ToArbitrary(),
            plan => Planner.Evaluate(plan).Segments.All(s =>
                s.Fit is null
                    ? s.DeadZone && s.Recommendations.All(r => plan.Channels.Any(c => c.Name == r.Channel))
                    : s.Channels.Single(c => c.Name == s.Fit) is { Eligible: true } fit
                        && (fit.LtvToCac is null || fit.LtvToCac >= plan.Economics.MinLtvToCac)));

    [Fact]
    public void LtvToCacNeverFallsAsTheAcvRises() => Holds(LtvToCacNeverFallsAsTheAcvRisesProperty());

    // Where CAC grows with ACV (a partner's commission, effort with an exponent of at most 1) it grows no faster than
    // LTV, so a higher price never makes a channel less profitable: the break-even ACV is a true threshold.
    private static Property LtvToCacNeverFallsAsTheAcvRisesProperty() =>
        Prop.ForAll(
            (from plan in Plan from acv in Gen.Choose(1, 500000) from raise in Gen.Choose(1, 500000) select (plan, acv, raise)).ToArbitrary(),
            input =>
            {
                var (plan, acv, raise) = input;
                return plan.Channels.All(c =>
                {
                    var low = Planner.CacAt(c, acv, plan.Economics);
                    var high = Planner.CacAt(c, acv + raise, plan.Economics);
                    // LTV/CAC(a) ≤ LTV/CAC(a + r) ⇔ a × CAC(a + r) ≤ (a + r) × CAC(a); a relative slack for the double power.
                    return acv * high <= (acv + raise) * low * 1.000000001m;
                });
            });
}
