using Reach.Data;
using Reach.Planning;
using Reach.Routing;

namespace Reach.Demo;

/// <summary>The demo workspace's active plan: the three channels its sales team sells through, sized as its deals are.</summary>
public static class DemoPlan
{
    public const string Name = "Demo plan 2027";

    public const string Yaml = """
        # The demo company's go-to-market plan: self-service for small teams, inside sales for the mid-market,
        # field sales for enterprises. Edit it on the Planner page; `reach plan` reads the same file.
        currency: EUR
        start: 2027-01-01
        horizon_months: 24
        target:
          new_arr: 3000000
        economics:
          gross_margin: 0.80
          annual_churn: 0.15
          max_lifetime_years: 5
          min_ltv_to_cac: 3.0
        channels:
          - name: self-service
            kind: self_service
            acquisition_cost: 300
            max_acv: 3000
            cycle_days: 14
          - name: inside
            kind: inside
            rep_cost_per_year: 110000
            deals_per_rep_per_year: 40
            ramp_months: 3
            win_rate: 0.25
            lead_to_opportunity: 0.25
            cost_per_lead: 60
            cycle_days: 45
            min_acv: 5000
            max_acv: 60000
          - name: field
            kind: field
            rep_cost_per_year: 260000
            deals_per_rep_per_year: 8
            ramp_months: 6
            win_rate: 0.30
            lead_to_opportunity: 0.30
            cost_per_lead: 400
            cycle_days: 120
            min_acv: 40000
        segments:
          - name: small
            employees: [1, 49]
            acv: 2400
            accounts: 20000
            share_of_target: 0.15
          - name: mid-market
            employees: [50, 499]
            acv: 15000
            accounts: 8000
            share_of_target: 0.45
          - name: enterprise
            employees: [500, null]
            acv: 80000
            accounts: 1200
            share_of_target: 0.40
        """;

    /// <summary>Stores the plan as the active version, by the demo's admin, and routes every account and lead by it.</summary>
    public static async Task AddAsync(ReachDb db, Guid? authorId, string? authorName, DateTime at, CancellationToken cancellationToken)
    {
        // Active from the start: the demo's empty workspace has no other version to deactivate.
        db.PlanVersions.Add(new PlanVersion { Name = Name, Yaml = Yaml, AuthorId = authorId, AuthorName = authorName, CreatedAt = at, IsActive = true, ActivatedAt = at });
        await db.SaveChangesAsync(cancellationToken);
        await Rerouting.RerouteAllAsync(db, Rerouting.RouterOf(Yaml), cancellationToken);
    }
}
