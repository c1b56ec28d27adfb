using Reach.Planning;

namespace Reach.Tests.Planning;

/// <summary>Plans shared by the planning tests: PLANNER.md's example, and the files in docs/examples.</summary>
internal static class Plans
{
    // PLANNER.md's example file, with the "small" segment of its JSON example added (share 0.1 gives its 75 customers).
    public const string DocExampleYaml = """
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
            acquisition_cost: 250
            max_acv: 3000
            cycle_days: 14
          - name: inside
            kind: inside
            rep_cost_per_year: 110000
            deals_per_rep_per_year: 40
            ramp_months: 3
            win_rate: 0.20
            lead_to_opportunity: 0.25
            cost_per_lead: 60
            cycle_days: 60
            min_acv: 1000
            max_acv: 60000
          - name: field
            kind: field
            rep_cost_per_year: 260000
            deals_per_rep_per_year: 6
            ramp_months: 6
            win_rate: 0.25
            lead_to_opportunity: 0.30
            cost_per_lead: 400
            cycle_days: 210
            min_acv: 40000
        segments:
          - name: micro
            employees: [1, 9]
            acv: 600
            accounts: 40000
            share_of_target: 0.10
          - name: small
            employees: [10, 49]
            acv: 4000
            accounts: 10000
            share_of_target: 0.10
        """;

    public static PlanFile DocExample => PlanReader.Read(DocExampleYaml);

    public static PlanFile Example(string name) => PlanReader.ReadFile(ExamplePath(name + ".yaml"));

    public static string ExamplePath(string fileName) => Path.Combine(RepositoryRoot(), "docs", "examples", fileName);

    public static PlanChannel Inside(decimal? minAcv = null, decimal? maxAcv = null) => new()
    {
        Name = "inside",
        Kind = ChannelKind.Inside,
        RepCostPerYear = 110000,
        DealsPerRepPerYear = 40,
        RampMonths = 3,
        WinRate = 0.2m,
        LeadToOpportunity = 0.25m,
        CostPerLead = 60,
        CycleDays = 60,
        MinAcv = minAcv,
        MaxAcv = maxAcv,
    };

    public static PlanSegment Segment(string name, decimal acv, decimal share = 0.1m, long accounts = 100000) =>
        new() { Name = name, Acv = acv, Accounts = accounts, ShareOfTarget = share };

    public static PlanFile With(params PlanSegment[] segments) => DocExample with { Segments = segments };

    // The examples are not copied to the test output, so find them from the repository root.
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reach.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Reach.slnx not found above " + AppContext.BaseDirectory);
    }
}
