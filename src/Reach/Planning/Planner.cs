namespace Reach.Planning;

/// <summary>
/// The go-to-market maths of PLANNER.md: channel fit, dead zones and their recommendations, and the capacity a
/// target needs. Everything is decimal so money and counts come out exact (3,000,000 × 0.1 / 4,000 is 75, not the
/// 75.00000000000001 a double gives, which would round up to 76 customers).
/// </summary>
public static class Planner
{
    /// <summary>Days in an average month, as PLANNER.md turns a sales cycle into months.</summary>
    public const decimal DaysPerMonth = 30.4m;

    /// <exception cref="PlanValidationException">The figures are too large (or rates too small) to compute.</exception>
    public static PlanResult Evaluate(PlanFile plan)
    {
        try
        {
            return EvaluateUnchecked(plan);
        }
        catch (ArithmeticException)
        {
            // Only absurd inputs (e.g. 1e20 reps costs, 1e-20 win rates) overflow decimal; say so rather than crash.
            throw new PlanValidationException(
                [new PlanError("", 1, "the plan's figures are too large or too small to compute")]);
        }
    }

    /// <summary>
    /// <see cref="Evaluate"/> with the plan's scenario and the sensitivity analysis: what the CLI, the API and the page
    /// show. Routing needs only <see cref="Evaluate"/>, which stays cheap.
    /// </summary>
    /// <exception cref="PlanValidationException">The figures are too large (or rates too small) to compute.</exception>
    public static PlanResult EvaluateInFull(PlanFile plan)
    {
        var result = Evaluate(plan);
        try
        {
            var offered = Scenarios.Offered(plan, result);
            return result with
            {
                Recommendations = offered,
                Scenario = Scenarios.Evaluate(plan, result, offered),
                Sensitivity = Planning.Sensitivity.Compute(plan, result),
            };
        }
        catch (ArithmeticException)
        {
            throw new PlanValidationException(
                [new PlanError("", 1, "the plan's figures are too large or too small to compute")]);
        }
    }

    public static decimal Lifetime(PlanEconomics economics) =>
        economics.AnnualChurn == 0
            ? economics.MaxLifetimeYears
            : Math.Min(1 / economics.AnnualChurn, economics.MaxLifetimeYears);

    public static decimal Ltv(decimal acv, PlanEconomics economics) =>
        acv * economics.GrossMargin * Lifetime(economics);

    /// <summary>
    /// The CAC that does not depend on a deal's ACV: self-service's acquisition cost; inside and field
    /// <c>rep_cost_per_year / deals_per_rep_per_year + cost_per_lead / (lead_to_opportunity × win_rate)</c> (at the
    /// reference ACV when effort grows with ACV); a partner's fixed <c>cost_per_deal</c>. See <see cref="CacAt"/>.
    /// </summary>
    public static decimal Cac(PlanChannel channel) =>
        channel.IsSalesLed
            ? (channel.RepCostPerYear / channel.DealsPerRepPerYear)
                + (channel.CostPerLead / (channel.LeadToOpportunity * channel.WinRate))
            : channel.IsPartner ? channel.CostPerDeal : channel.AcquisitionCost;

    /// <summary>
    /// The CAC of a deal of ACV <paramref name="acv"/> in the channel: <see cref="Cac(PlanChannel)"/>, except that a
    /// partner adds its commission <c>commission × min(commission_years, L) × acv</c>, and a sales-led channel whose
    /// effort grows with ACV pays <c>rep_cost_per_year / (deals_per_rep_per_year / f)</c> with f = <see cref="EffortFactor"/>.
    /// </summary>
    public static decimal CacAt(PlanChannel channel, decimal acv, PlanEconomics economics)
    {
        if (channel.IsPartner)
        {
            return (channel.Commission * Math.Min(channel.CommissionYears, Lifetime(economics)) * acv) + channel.CostPerDeal;
        }

        var f = EffortFactor(channel, acv);
        return f == 1
            ? Cac(channel)
            : (channel.RepCostPerYear * f / channel.DealsPerRepPerYear)
                + (channel.CostPerLead / (channel.LeadToOpportunity * channel.WinRate));
    }

    /// <summary>
    /// How many times the effort (and cycle) of a deal at the reference ACV a deal of <paramref name="acv"/> takes:
    /// <c>f = (acv / reference_acv) ^ effort_exponent</c>; 1 when the channel has no <c>reference_acv</c>. Computed
    /// in double precision (15 significant digits), the only figure that is.
    /// </summary>
    public static decimal EffortFactor(PlanChannel channel, decimal acv) =>
        channel.IsSalesLed && channel.ReferenceAcv is { } reference && channel.EffortExponent != 0 && acv != reference
            ? (decimal)Math.Pow((double)(acv / reference), (double)channel.EffortExponent)
            : 1;

    /// <summary>Closed-won deals per ramped rep-year at this ACV: <c>deals_per_rep_per_year / f</c>.</summary>
    public static decimal DealsPerRepAt(PlanChannel channel, decimal acv) =>
        EffortFactor(channel, acv) is var f && f == 1 ? channel.DealsPerRepPerYear : channel.DealsPerRepPerYear / f;

    /// <summary>The sales cycle at this ACV: <c>cycle_days × f</c>.</summary>
    public static decimal CycleDaysAt(PlanChannel channel, decimal acv) =>
        EffortFactor(channel, acv) is var f && f == 1 ? channel.CycleDays : channel.CycleDays * f;

    /// <summary>A missing bound is open.</summary>
    public static bool IsEligible(PlanChannel channel, decimal acv) =>
        (channel.MinAcv is not { } min || min <= acv) && (channel.MaxAcv is not { } max || acv <= max);

    /// <summary>
    /// The lowest ACV at which a channel's LTV / CAC reaches the plan's minimum (its range aside); null when no ACV
    /// does (a partner whose commission alone costs more than the plan allows). Closed forms for a CAC that does not
    /// depend on ACV (<c>min_ltv_to_cac × CAC / (gross_margin × L)</c>) and for a partner
    /// (<c>min_ltv_to_cac × cost_per_deal / (gross_margin × L − min_ltv_to_cac × commission × min(commission_years, L))</c>);
    /// found by bisection when effort grows with ACV (LTV/CAC then rises with ACV, since the exponent is at most 1).
    /// </summary>
    public static decimal? BreakEvenAcv(PlanChannel channel, PlanEconomics economics)
    {
        var perAcv = economics.GrossMargin * Lifetime(economics);
        if (channel.IsPartner)
        {
            var room = perAcv - (economics.MinLtvToCac * channel.Commission * Math.Min(channel.CommissionYears, Lifetime(economics)));
            return room <= 0 ? null : economics.MinLtvToCac * channel.CostPerDeal / room;
        }

        if (!channel.DependsOnAcv)
        {
            return economics.MinLtvToCac * Cac(channel) / perAcv;
        }

        bool Profitable(decimal acv) => acv * perAcv >= economics.MinLtvToCac * CacAt(channel, acv, economics);
        decimal low = 0, high = Math.Max(1, channel.ReferenceAcv ?? 1);
        while (!Profitable(high))
        {
            low = high;
            high *= 2;
            if (high > 1e15m)
            {
                return null;
            }
        }

        for (var i = 0; i < 100 && high - low > high * 1e-12m; i++)
        {
            var middle = (low + high) / 2;
            if (Profitable(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    private static PlanResult EvaluateUnchecked(PlanFile plan)
    {
        var options = plan.Channels.Select((c, i) => new Option(c, i, Cac(c))).ToList();
        var segments = plan.Segments.Select(s => EvaluateSegment(plan, options, s)).ToList();

        var channels = options.Select(o =>
        {
            var fitted = segments.Where(s => s.Fit == o.Channel.Name).ToList();
            var customers = fitted.Sum(s => s.CustomersNeeded ?? 0);

            // Where CAC depends on ACV, the channel's CAC is what it costs per customer in this plan, on average.
            var cac = o.Channel.DependsOnAcv && customers > 0
                ? fitted.Sum(s => (s.CustomersNeeded ?? 0) * s.Channels[o.Index].Cac) / customers
                : o.Cac;
            return new ChannelResult(
                o.Channel.Name,
                o.Channel.Kind,
                cac,
                fitted.Sum(s => s.CustomersNeeded ?? 0),
                Math.Ceiling(fitted.Sum(s => s.Reps ?? 0)),
                fitted.Sum(s => s.Leads ?? 0),
                fitted.Sum(s => s.LeadBudget ?? 0),
                fitted.Sum(s => s.Budget ?? 0))
            {
                PartnersNeeded = PartnersNeeded(plan, o.Channel, fitted),
            };
        }).ToList();

        var deadShare = plan.Segments.Zip(segments).Where(p => p.Second.DeadZone).Sum(p => p.First.ShareOfTarget);
        var result = new PlanResult(Lifetime(plan.Economics), segments, channels, deadShare);
        return result with { Timeline = MonthByMonth.Build(plan, result) };
    }

    private static SegmentResult EvaluateSegment(PlanFile plan, List<Option> channelOptions, PlanSegment segment)
    {
        var economics = plan.Economics;
        var ltv = Ltv(segment.Acv, economics) + segment.ServiceCharge;

        // Each channel's CAC at this segment's ACV (the channel's own CAC unless it depends on ACV).
        var options = channelOptions
            .Select(o => o.Channel.DependsOnAcv ? o with { Cac = CacAt(o.Channel, segment.Acv, economics) } : o)
            .ToList();
        var perChannel = options
            .Select(o => new SegmentChannel(
                o.Channel.Name,
                IsEligible(o.Channel, segment.Acv),
                o.Cac,
                Ratio(ltv, o.Cac),
                // = CAC / (acv × gross_margin / 12), written so that whole inputs divide once.
                12 * o.Cac / (segment.Acv * economics.GrossMargin)))
            .ToList();

        var eligible = options.Where(o => IsEligible(o.Channel, segment.Acv)).ToList();
        var fit = Cheapest(eligible.Where(o => IsProfitable(ltv, o.Cac, economics)));
        if (fit is null)
        {
            var kind = eligible.Count > 0 ? DeadZoneKind.Unprofitable : DeadZoneKind.Gap;
            return new SegmentResult(
                segment.Name, segment.Acv, ltv, perChannel, null, true, kind,
                Recommend(economics, options, eligible, segment, ltv, kind),
                null, null, null, null, null, null, []);
        }

        var channel = fit.Channel;
        var customers = Math.Ceiling(plan.Target.NewArr * segment.ShareOfTarget / segment.Acv);
        var flags = new List<SegmentFlag>();
        if (customers > segment.Accounts)
        {
            flags.Add(SegmentFlag.MarketTooSmall);
        }

        decimal? reps = null, opportunities = null, leads = null, leadBudget = null, budget = null;
        if (channel.Kind == ChannelKind.SelfService)
        {
            budget = customers * channel.AcquisitionCost;
        }
        else if (SellingMonths(plan, channel, segment.Acv) is var months && months <= 0)
        {
            flags.Add(SegmentFlag.InfeasibleInHorizon);
        }
        else if (channel.IsPartner)
        {
            // Partners bring the opportunities and are paid per deal: no reps, no leads bought.
            opportunities = customers / channel.WinRate;
            budget = customers * fit.Cac;
        }
        else
        {
            // = N / (deals_per_rep_per_year × m / 12), deals per rep at this ACV when effort grows with it.
            reps = 12 * customers / (DealsPerRepAt(channel, segment.Acv) * months);
            opportunities = customers / channel.WinRate;
            leads = opportunities / channel.LeadToOpportunity;
            leadBudget = leads * channel.CostPerLead;
        }

        return new SegmentResult(
            segment.Name, segment.Acv, ltv, perChannel, channel.Name, false, null, [],
            customers, reps, opportunities, leads, leadBudget, budget, flags);
    }

    // = N / (deals_per_partner_per_year × m / 12) over the segments the partners can close in the horizon (like reps).
    private static decimal? PartnersNeeded(PlanFile plan, PlanChannel channel, List<SegmentResult> fitted)
    {
        if (channel.PartnerDealsPerMonth is null)
        {
            return null;
        }

        var customers = fitted.Where(s => !s.Flags.Contains(SegmentFlag.InfeasibleInHorizon)).Sum(s => s.CustomersNeeded ?? 0);
        return customers == 0 ? 0 : Math.Ceiling(12 * customers / (channel.DealsPerPartnerPerYear * SellingMonths(plan, channel)));
    }

    /// <summary>
    /// Months a channel sells to a segment of this ACV within the horizon: a rep ramps first, then one cycle passes
    /// before the first close (the cycle at this ACV); a partner channel ramps (its partners recruited and enabled),
    /// then waits one cycle.
    /// </summary>
    public static decimal SellingMonths(PlanFile plan, PlanChannel channel, decimal acv) =>
        plan.HorizonMonths - channel.RampMonths - (CycleDaysAt(channel, acv) / DaysPerMonth);

    /// <summary>Months a newly hired rep sells within the horizon: ramp first, then one cycle before the first close.</summary>
    public static decimal SellingMonths(PlanFile plan, PlanChannel channel) =>
        plan.HorizonMonths - channel.RampMonths - (channel.CycleDays / DaysPerMonth);

    private static List<Recommendation> Recommend(
        PlanEconomics economics,
        List<Option> options,
        List<Option> eligible,
        PlanSegment segment,
        decimal ltv,
        DeadZoneKind kind)
    {
        var recommendations = new List<Recommendation>();

        var below = options
            .Where(o => o.Channel.MaxAcv < segment.Acv)
            .OrderByDescending(o => o.Channel.MaxAcv)
            .ThenBy(o => o.Channel.Kind)
            .ThenBy(o => o.Index)
            .FirstOrDefault();
        if (below is { Channel.IsSalesLed: false } && IsProfitable(ltv, below.Cac, economics))
        {
            recommendations.Add(new(RecommendationAction.PushToSelfService, below.Channel.Name, Ratio(ltv, below.Cac)));
        }

        var target = kind == DeadZoneKind.Unprofitable
            ? Cheapest(eligible)
            : options
                .Where(o => o.Channel.MinAcv > segment.Acv)
                .OrderBy(o => o.Channel.MinAcv)
                .ThenBy(o => o.Channel.Kind)
                .ThenBy(o => o.Index)
                .FirstOrDefault();
        if (target is not null)
        {
            // No price is enough for a partner whose commission alone exceeds what the plan allows.
            if (BreakEvenAcv(target.Channel, economics) is { } breakEven)
            {
                var price = kind == DeadZoneKind.Unprofitable ? breakEven : Math.Max(target.Channel.MinAcv ?? 0, breakEven);
                recommendations.Add(new(RecommendationAction.RaisePrice, target.Channel.Name, price));
            }

            if (kind == DeadZoneKind.Unprofitable)
            {
                var fee = (economics.MinLtvToCac * target.Cac) - ltv;
                recommendations.Add(new(RecommendationAction.ServiceCharge, target.Channel.Name, fee));
            }
        }

        if (kind == DeadZoneKind.Gap
            && Cheapest(options.Where(o => (o.Channel.IsSalesLed || o.Channel.IsPartner) && IsProfitable(ltv, o.Cac, economics))) is { } widen)
        {
            recommendations.Add(new(RecommendationAction.ExtendChannel, widen.Channel.Name, Ratio(ltv, widen.Cac)));
        }

        return recommendations;
    }

    // A zero CAC makes any LTV infinitely many times the cost: profitable, with no finite ratio to report.
    private static decimal? Ratio(decimal ltv, decimal cac) => cac == 0 ? null : ltv / cac;

    private static bool IsProfitable(decimal ltv, decimal cac, PlanEconomics economics) =>
        cac == 0 || ltv / cac >= economics.MinLtvToCac;

    // Lowest CAC; ties go to the less intensive kind, then to the channel listed first.
    private static Option? Cheapest(IEnumerable<Option> options) =>
        options.OrderBy(o => o.Cac).ThenBy(o => o.Channel.Kind).ThenBy(o => o.Index).FirstOrDefault();

    private sealed record Option(PlanChannel Channel, int Index, decimal Cac);
}
