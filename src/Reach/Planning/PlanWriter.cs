using System.Globalization;
using System.Text;

namespace Reach.Planning;

/// <summary>
/// Writes a plan back as a plan file (YAML) that <see cref="PlanReader"/> reads to the same plan: what the planner
/// page's form downloads and saves. Names are quoted, so any text survives; numbers keep every digit.
/// </summary>
public static class PlanWriter
{
    public static string Write(PlanFile plan)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"currency: {Quote(plan.Currency)}\n")
            .Append(CultureInfo.InvariantCulture, $"start: {plan.Start:yyyy-MM-dd}\n")
            .Append(CultureInfo.InvariantCulture, $"horizon_months: {plan.HorizonMonths}\n")
            .Append("target:\n")
            .Append(CultureInfo.InvariantCulture, $"  new_arr: {N(plan.Target.NewArr)}\n")
            .Append("economics:\n")
            .Append(CultureInfo.InvariantCulture, $"  gross_margin: {N(plan.Economics.GrossMargin)}\n")
            .Append(CultureInfo.InvariantCulture, $"  annual_churn: {N(plan.Economics.AnnualChurn)}\n")
            .Append(CultureInfo.InvariantCulture, $"  max_lifetime_years: {N(plan.Economics.MaxLifetimeYears)}\n")
            .Append(CultureInfo.InvariantCulture, $"  min_ltv_to_cac: {N(plan.Economics.MinLtvToCac)}\n")
            .Append(plan.Channels.Count == 0 ? "channels: []\n" : "channels:\n");
        foreach (var c in plan.Channels)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Quote(c.Name)}\n")
                .Append(CultureInfo.InvariantCulture, $"    kind: {PlanReport.KindName(c.Kind)}\n");
            if (c.IsSalesLed)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    rep_cost_per_year: {N(c.RepCostPerYear)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    deals_per_rep_per_year: {N(c.DealsPerRepPerYear)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    ramp_months: {N(c.RampMonths)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    win_rate: {N(c.WinRate)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    lead_to_opportunity: {N(c.LeadToOpportunity)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    cost_per_lead: {N(c.CostPerLead)}\n");
                if (c.StartReps > 0)
                    yaml.Append(CultureInfo.InvariantCulture, $"    start_reps: {N(c.StartReps)}\n");
                if (c.MaxHiresPerMonth is { } cap)
                    yaml.Append(CultureInfo.InvariantCulture, $"    max_hires_per_month: {N(cap)}\n");
                if (c.AnnualAttrition > 0)
                    yaml.Append(CultureInfo.InvariantCulture, $"    annual_attrition: {N(c.AnnualAttrition)}\n");
                if (c.ReferenceAcv is { } reference)
                    yaml.Append(CultureInfo.InvariantCulture, $"    reference_acv: {N(reference)}\n")
                        .Append(CultureInfo.InvariantCulture, $"    effort_exponent: {N(c.EffortExponent)}\n");
            }
            else if (c.IsPartner)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    commission: {N(c.Commission)}\n")
                    .Append(CultureInfo.InvariantCulture, $"    win_rate: {N(c.WinRate)}\n");
                if (c.CommissionYears != 1)
                    yaml.Append(CultureInfo.InvariantCulture, $"    commission_years: {N(c.CommissionYears)}\n");
                if (c.CostPerDeal > 0)
                    yaml.Append(CultureInfo.InvariantCulture, $"    cost_per_deal: {N(c.CostPerDeal)}\n");
                if (c.Partners is { } partners)
                    yaml.Append(CultureInfo.InvariantCulture, $"    partners: {N(partners)}\n")
                        .Append(CultureInfo.InvariantCulture, $"    deals_per_partner_per_year: {N(c.DealsPerPartnerPerYear)}\n");
                if (c.RampMonths > 0)
                    yaml.Append(CultureInfo.InvariantCulture, $"    ramp_months: {N(c.RampMonths)}\n");
            }
            else
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    acquisition_cost: {N(c.AcquisitionCost)}\n");
            }

            yaml.Append(CultureInfo.InvariantCulture, $"    cycle_days: {N(c.CycleDays)}\n");
            if (c.MinAcv is { } min)
                yaml.Append(CultureInfo.InvariantCulture, $"    min_acv: {N(min)}\n");
            if (c.MaxAcv is { } max)
                yaml.Append(CultureInfo.InvariantCulture, $"    max_acv: {N(max)}\n");
        }

        yaml.Append(plan.Segments.Count == 0 ? "segments: []\n" : "segments:\n");
        foreach (var s in plan.Segments)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Quote(s.Name)}\n");
            if (s.Employees is { } range)
                yaml.Append(CultureInfo.InvariantCulture, $"    employees: [{range.Min}, {(range.Max is { } max ? max.ToString(CultureInfo.InvariantCulture) : "null")}]\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    acv: {N(s.Acv)}\n")
                .Append(CultureInfo.InvariantCulture, $"    accounts: {s.Accounts}\n")
                .Append(CultureInfo.InvariantCulture, $"    share_of_target: {N(s.ShareOfTarget)}\n");
            if (s.ServiceCharge > 0)
                yaml.Append(CultureInfo.InvariantCulture, $"    service_charge: {N(s.ServiceCharge)}\n");
        }

        if (plan.Tiers is { } tiers)
            yaml.Append("tiers:\n").Append(CultureInfo.InvariantCulture, $"  a_min_acv: {N(tiers.AMinAcv)}\n")
                .Append(CultureInfo.InvariantCulture, $"  b_min_acv: {N(tiers.BMinAcv)}\n");
        if (plan.Sensitivity != Sensitivity.DefaultChange)
            yaml.Append(CultureInfo.InvariantCulture, $"sensitivity: {N(plan.Sensitivity)}\n");
        if (plan.Scenario.Count > 0)
            yaml.Append("scenario:\n").Append(string.Concat(plan.Scenario.Select(a => $"  - {Quote(a)}\n")));

        return yaml.ToString();
    }

    static string N(decimal value) => PlainDecimal.Text(value);

    // Double-quoted YAML: only the backslash and the quote need escaping (control characters are not valid names).
    static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
