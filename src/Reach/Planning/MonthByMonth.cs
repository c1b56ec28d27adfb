namespace Reach.Planning;

/// <summary>
/// The plan played out month by month (docs/planner.md, "Month by month"): each sales-led channel hires towards its
/// <c>reps_needed</c> (at most <c>max_hires_per_month</c>, replacing <c>annual_attrition</c>), a hire sells after
/// ramp plus one sales cycle, and the channel stops once it has won its segments' customers; self-service wins its
/// customers evenly over the horizon. Figures are unrounded expected values, so attrition gives fractions of reps.
/// </summary>
public static class MonthByMonth
{
    public static PlanTimeline Build(PlanFile plan, PlanResult result)
    {
        var horizon = plan.HorizonMonths;
        var channels = plan.Channels.Zip(result.Channels)
            .Select(p => BuildChannel(plan, result, p.First, p.Second))
            .ToList();

        var months = new List<TimelineMonth>();
        decimal cumulativeSpend = 0;
        int? reachedIn = null;
        for (var k = 1; k <= horizon; k++)
        {
            var of = channels.Select(c => c.Months[k - 1]).ToList();
            var spend = of.Sum(m => m.Spend);
            cumulativeSpend += spend;
            var cumulativeArr = of.Sum(m => m.CumulativeNewArr);
            if (reachedIn is null && cumulativeArr >= plan.Target.NewArr)
            {
                reachedIn = k;
            }

            months.Add(new TimelineMonth(
                k,
                MonthLabel(plan, k),
                of.Sum(m => m.Hires),
                of.Sum(m => m.RepsRamping),
                of.Sum(m => m.RepsRamped),
                of.Sum(m => m.Leads),
                of.Sum(m => m.LeadBudget),
                of.Sum(m => m.Customers),
                of.Sum(m => m.NewArr),
                cumulativeArr,
                spend,
                cumulativeSpend));
        }

        var customers = channels.Sum(c => c.Customers);
        var ltvWon = channels.Sum(c => c.LtvWon);
        var newArr = months.Count == 0 ? 0 : months[^1].CumulativeNewArr;
        return new PlanTimeline(
            reachedIn,
            reachedIn is { } month ? MonthLabel(plan, month) : null,
            newArr,
            Math.Max(0, plan.Target.NewArr - newArr),
            customers,
            cumulativeSpend,
            customers == 0 ? null : cumulativeSpend / customers,
            cumulativeSpend == 0 ? null : ltvWon / cumulativeSpend,
            channels,
            months);
    }

    /// <summary>"2027-03" for month 3 of a plan starting in January 2027.</summary>
    public static string MonthLabel(PlanFile plan, int month) =>
        plan.Start.AddMonths(month - 1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static ChannelTimeline BuildChannel(PlanFile plan, PlanResult result, PlanChannel channel, ChannelResult totals)
    {
        // The segments this channel sells to; a segment infeasible in the horizon is staffed by nobody. A segment flagged
        // market_too_small wins at most its addressable accounts: its customers_needed stays the steady state's (and
        // so do the reps sized for it), but no month sells to accounts that do not exist.
        var sold = result.Segments
            .Where(s => s.Fit == channel.Name && s.CustomersNeeded is not null && !s.Flags.Contains(SegmentFlag.InfeasibleInHorizon))
            .Select(s => (Segment: s, Customers: Math.Min(s.CustomersNeeded!.Value, plan.Segments.First(p => p.Name == s.Name).Accounts)))
            .ToList();
        var demand = sold.Sum(s => s.Customers);
        var fullArr = sold.Sum(s => s.Customers * s.Segment.Acv);
        var fullLtv = sold.Sum(s => s.Customers * s.Segment.Ltv);

        // Effort growing with ACV: the channel plays out with the customer-weighted effort factor of its segments,
        // f̄ = Σ(N_s × f_s) / N: deals per rep / f̄ and cycle × f̄ (exact for one segment).
        var played = channel;
        if (channel.DependsOnAcv && channel.IsSalesLed && demand > 0)
        {
            var effort = sold.Sum(s => s.Customers * Planner.EffortFactor(channel, s.Segment.Acv)) / demand;
            played = channel with { DealsPerRepPerYear = channel.DealsPerRepPerYear / effort, CycleDays = channel.CycleDays * effort, ReferenceAcv = null };
        }

        // A partner's CAC per customer: the customer-weighted mean of its segments' (budget / customers_needed).
        var partnerCac = demand == 0 ? 0 : sold.Sum(s => s.Customers == 0 ? 0 : s.Customers * (s.Segment.Budget ?? 0) / s.Segment.CustomersNeeded!.Value) / demand;
        var months = channel.Kind switch
        {
            ChannelKind.SelfService => SelfServiceMonths(plan, channel, demand),
            ChannelKind.Partner => PartnerMonths(plan, channel, demand, partnerCac),
            _ => SalesLedMonths(plan, played, totals.RepsNeeded, demand),
        };

        // ARR and LTV follow the share of the channel's customers won: whole at the end, whatever the segment mix.
        decimal won = 0, previousArr = 0;
        var withArr = new List<ChannelMonth>();
        foreach (var m in months)
        {
            won += m.Customers;
            var cumulativeArr = demand == 0 ? 0 : fullArr * won / demand;
            withArr.Add(m with { NewArr = cumulativeArr - previousArr, CumulativeNewArr = cumulativeArr });
            previousArr = cumulativeArr;
        }

        var spend = withArr.Sum(m => m.Spend);
        var ltvWon = demand == 0 ? 0 : fullLtv * won / demand;
        return new ChannelTimeline(
            channel.Name,
            channel.Kind,
            channel.StartReps,
            channel.IsSalesLed ? totals.RepsNeeded : 0,
            channel.Kind == ChannelKind.SelfService ? plan.HorizonMonths : Planner.SellingMonths(plan, played),
            withArr.Sum(m => m.Hires),
            won,
            previousArr,
            spend,
            won == 0 ? null : spend / won,
            spend == 0 ? null : ltvWon / spend,
            withArr)
        { LtvWon = ltvWon };
    }

    // Even over the horizon: the cumulative count after month k is N × k / H, so the last month lands on N exactly.
    private static List<ChannelMonth> SelfServiceMonths(PlanFile plan, PlanChannel channel, decimal demand)
    {
        var months = new List<ChannelMonth>();
        decimal previous = 0;
        for (var k = 1; k <= plan.HorizonMonths; k++)
        {
            var cumulative = demand * k / plan.HorizonMonths;
            var customers = cumulative - previous;
            previous = cumulative;
            months.Add(new ChannelMonth(k, 0, 0, 0, 0, 0, 0, customers, 0, 0, customers * channel.AcquisitionCost));
        }

        return months;
    }

    // A partner channel closes from its ramp plus one cycle after the start (W = ramp_months + C), evenly over its
    // selling months m = H − W at r = N / m a month, or at its capacity partners × deals_per_partner_per_year / 12 when
    // that is less: the cumulative count after month k is r × clamp(k − W, 0, m); each customer costs the channel's
    // CAC (commission and cost per deal).
    private static List<ChannelMonth> PartnerMonths(PlanFile plan, PlanChannel channel, decimal demand, decimal cac)
    {
        var wait = channel.RampMonths + (channel.CycleDays / Planner.DaysPerMonth);
        var selling = plan.HorizonMonths - wait;
        var even = selling <= 0 ? 0 : demand / selling;
        var rate = channel.PartnerDealsPerMonth is { } capacity && capacity < even ? capacity : even;
        var months = new List<ChannelMonth>();
        decimal previous = 0;
        for (var k = 1; k <= plan.HorizonMonths; k++)
        {
            // Uncapped, N × clamp(k − W, 0, m) / m as before (written so, it lands on N exactly in the last month).
            var cumulative = selling <= 0 ? 0
                : rate == even ? demand * Math.Clamp(k - wait, 0, selling) / selling
                : rate * Math.Clamp(k - wait, 0, selling);
            var customers = cumulative - previous;
            previous = cumulative;
            months.Add(new ChannelMonth(k, 0, 0, 0, 0, 0, 0, customers, 0, 0, customers * cac));
        }

        return months;
    }

    private static List<ChannelMonth> SalesLedMonths(PlanFile plan, PlanChannel channel, decimal repsNeeded, decimal demand)
    {
        var horizon = plan.HorizonMonths;
        var cycleMonths = channel.CycleDays / Planner.DaysPerMonth;
        var monthlyAttrition = channel.AnnualAttrition / 12;
        var perRepMonth = channel.DealsPerRepPerYear / 12;
        // Deals closing in month k come from leads bought one cycle earlier (in whole months, never before month 1).
        var leadLag = (int)Math.Round(cycleMonths, MidpointRounding.AwayFromZero);

        // Reps who were there at the start are ramped and have a pipeline: they close from month 1.
        var cohorts = new List<Cohort>();
        if (channel.StartReps > 0)
        {
            cohorts.Add(new Cohort(channel.StartReps, 0, 0));
        }

        var capacity = new decimal[horizon + 1];
        var closed = new decimal[horizon + 1];
        var people = new (decimal Hires, decimal Leavers, decimal Ramping, decimal Ramped)[horizon + 1];
        decimal won = 0;
        for (var k = 1; k <= horizon; k++)
        {
            var monthStart = k - 1;
            decimal leavers = 0;
            if (k > 1 && monthlyAttrition > 0)
            {
                foreach (var cohort in cohorts)
                {
                    var leaving = cohort.Size * monthlyAttrition;
                    cohort.Size -= leaving;
                    leavers += leaving;
                }
            }

            // Hire the shortfall to reps_needed, to the nearest whole person, at most max_hires_per_month.
            var shortfall = repsNeeded - cohorts.Sum(c => c.Size);
            var hires = Math.Max(0, Math.Round(shortfall, MidpointRounding.AwayFromZero));
            if (channel.MaxHiresPerMonth is { } cap)
            {
                hires = Math.Min(hires, cap);
            }

            if (hires > 0)
            {
                cohorts.Add(new Cohort(hires, monthStart + channel.RampMonths, monthStart + channel.RampMonths + cycleMonths));
            }

            var ramping = cohorts.Where(c => c.RampEnds > monthStart).Sum(c => c.Size);
            people[k] = (hires, leavers, ramping, cohorts.Sum(c => c.Size) - ramping);

            // A cohort closes for the part of the month after its first close: max(0, min(1, k − sells_from)).
            capacity[k] = cohorts.Sum(c => c.Size * perRepMonth * Math.Clamp(k - Math.Max(monthStart, c.SellsFrom), 0, 1));
            closed[k] = Math.Min(capacity[k], demand - won);
            won += closed[k];
        }

        var leads = new decimal[horizon + 1];
        for (var k = 1; k <= horizon; k++)
        {
            leads[Math.Max(1, k - leadLag)] += closed[k] / (channel.WinRate * channel.LeadToOpportunity);
        }

        var months = new List<ChannelMonth>();
        for (var k = 1; k <= horizon; k++)
        {
            var (hires, leavers, ramping, ramped) = people[k];
            var leadBudget = leads[k] * channel.CostPerLead;
            var payroll = (ramping + ramped) * channel.RepCostPerYear / 12;
            months.Add(new ChannelMonth(k, hires, leavers, ramping, ramped, leads[k], leadBudget, closed[k], 0, 0, payroll + leadBudget));
        }

        return months;
    }

    private sealed class Cohort(decimal size, decimal rampEnds, decimal sellsFrom)
    {
        public decimal Size { get; set; } = size;
        public decimal RampEnds { get; } = rampEnds;
        public decimal SellsFrom { get; } = sellsFrom;
    }
}

/// <summary>
/// The plan month by month. <c>TimeToTargetMonths</c> is the first month whose cumulative new ARR reaches the
/// target (null: not within the horizon, and <c>Shortfall</c> says by how much); CAC and LTV/CAC are over the
/// horizon as spent (reps paid while they ramp and after the target is met), not the steady state.
/// </summary>
public sealed record PlanTimeline(
    int? TimeToTargetMonths,
    string? TargetReachedIn,
    decimal NewArr,
    decimal Shortfall,
    decimal Customers,
    decimal Spend,
    decimal? Cac,
    decimal? LtvToCac,
    IReadOnlyList<ChannelTimeline> Channels,
    IReadOnlyList<TimelineMonth> Months);

/// <summary>One month of the whole plan: the channels' figures summed, with cumulative new ARR and spend.</summary>
public sealed record TimelineMonth(
    int Month,
    string Date,
    decimal Hires,
    decimal RepsRamping,
    decimal RepsRamped,
    decimal Leads,
    decimal LeadBudget,
    decimal NewCustomers,
    decimal NewArr,
    decimal CumulativeNewArr,
    decimal Spend,
    decimal CumulativeSpend);

/// <summary>A channel over the horizon; <c>Cac</c> is its spend over the customers it won within the horizon.</summary>
public sealed record ChannelTimeline(
    string Name,
    ChannelKind Kind,
    decimal StartReps,
    decimal RepsPlanned,
    decimal SellingMonths,
    decimal Hires,
    decimal Customers,
    decimal NewArr,
    decimal Spend,
    decimal? Cac,
    decimal? LtvToCac,
    IReadOnlyList<ChannelMonth> Months)
{
    /// <summary>The lifetime value of the customers won: LTV/CAC over the horizon is this over <c>Spend</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public decimal LtvWon { get; init; }
}

/// <summary>
/// One month of one channel. Spend is payroll (reps on the books, ramping or not, × rep cost / 12) plus the month's
/// lead budget for sales-led channels, and customers × acquisition cost for self-service.
/// </summary>
public sealed record ChannelMonth(
    int Month,
    decimal Hires,
    decimal Leavers,
    decimal RepsRamping,
    decimal RepsRamped,
    decimal Leads,
    decimal LeadBudget,
    decimal Customers,
    decimal NewArr,
    decimal CumulativeNewArr,
    decimal Spend);
