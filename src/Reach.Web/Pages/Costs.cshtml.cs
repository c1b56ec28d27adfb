using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Pages.Dashboard;

namespace Reach.Web.Pages;

/// <summary>
/// Channel costs, the numerator of CAC: what self-service, inside and field sales cost per period (ads, salaries,
/// tools), and a form that enters a run of them at once. For managers and admins, as <c>/api/v1/costs</c>; the rules
/// are <see cref="ChannelCostInput"/>'s and the data layer's (AccessRules).
/// </summary>
public sealed class CostsModel(ReachDb db) : RecordPage(db)
{
    const int Shown = 200;

    public IReadOnlyList<ChannelCost> Costs { get; private set; } = [];
    public int Total { get; private set; }

    /// <summary>This quarter's CAC per channel and blended, as the dashboard and reports give it: for an admin, who reads every new win.</summary>
    public MetricResult? Cac { get; private set; }

    public string Currency { get; private set; } = MetricService.DefaultCurrency;

    /// <summary>The months of the last half year (this month included) in which a channel has no cost: CAC leaves them out.</summary>
    public IReadOnlyList<Reach.Metrics.Reports.CostGap> Gaps { get; private set; } = [];

    /// <summary>The active plan's name and its assumed costs for months without costs (a starting point), or none.</summary>
    public (string? Plan, IReadOnlyList<MonthCost> Costs) Planned { get; private set; } = (null, []);

    /// <summary>The planned costs shown before "more"; all of them are entered by the button.</summary>
    public const int PlannedShown = 12;

    /// <summary>Per-row errors of an import (rows[N].column → message), listed under the import form.</summary>
    public IEnumerable<KeyValuePair<string, string>> ImportErrors => Errors.Where(e => e.Key.StartsWith("rows[", StringComparison.Ordinal) || e.Key is "file" or "plan");

    // Every handler shows amounts in the workspace currency: read once, before any of them runs.
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(Db, HttpContext.RequestAborted);
        await next();
    }

    [BindProperty] public CostForm Form { get; set; } = new();

    public sealed class CostForm
    {
        public Channel? Channel { get; set; }
        public PeriodKind Kind { get; set; } = PeriodKind.Month;
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public int? Repeat { get; set; } = 1;
        public decimal? Amount { get; set; }
        public string? Currency { get; set; }
        public string? Note { get; set; }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Form = new CostForm { From = FirstOfMonth, Currency = Currency };
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        RequireManager();
        var saved = !UnreadableFields(nameof(Form)) && await SaveAsync(async () =>
        {
            var periods = PeriodRun.Of(Form.Kind, Form.From, Form.To, Form.Repeat);
            foreach (var period in periods)
            {
                var input = new ChannelCostInput
                {
                    Channel = Form.Channel,
                    PeriodStart = period.Start,
                    PeriodEnd = period.End,
                    Amount = Form.Amount,
                    Currency = string.IsNullOrWhiteSpace(Form.Currency) ? Currency : Form.Currency.Trim().ToUpperInvariant(),
                    Note = string.IsNullOrWhiteSpace(Form.Note) ? null : Form.Note.Trim(),
                };
                await AddAsync<ChannelCost, ChannelCostInput>(input, cancellationToken);
            }
            // All the run's costs or none.
            await Db.SaveChangesAsync(cancellationToken);
            Notice = periods.Count == 1 ? $"Cost entered for {periods[0].Label}." : $"{periods.Count} costs entered, {periods[0].Label} to {periods[^1].Label}.";
        });
        await LoadAsync(cancellationToken);
        if (saved)
            Form = new CostForm { From = Form.From, Kind = Form.Kind, Repeat = Form.Repeat, Currency = Form.Currency };
        return Page();
    }

    /// <summary>A CSV of costs (month, channel, amount, currency, note): every row entered or none, through <see cref="CostImport"/>.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        RequireManager();
        await SaveAsync(async () =>
        {
            if (file is null || file.Length == 0)
                throw new InputException("file", "Choose a CSV file with the columns month, channel and amount.");
            if (file.Length > 1 << 20)
                throw new InputException("file", $"The file is {file.Length} bytes; the limit is {1 << 20}.");
            using var reader = new StreamReader(file.OpenReadStream());
            var costs = CostImport.Read(reader, Currency);
            var saved = await CostImport.SaveAsync(Db, costs, cancellationToken);
            Notice = $"Imported {costs.Count} cost(s): {saved.Created} entered, {saved.Updated} replaced.";
        });
        await LoadAsync(cancellationToken);
        Form = new CostForm { From = FirstOfMonth, Currency = Currency };
        return Page();
    }

    /// <summary>Enters the active plan's assumed costs for the months without costs, noted as the plan's.</summary>
    public async Task<IActionResult> OnPostFromPlanAsync(CancellationToken cancellationToken)
    {
        RequireManager();
        await SaveAsync(async () =>
        {
            var (plan, costs) = await CostImport.PlannedAsync(Db, null, null, cancellationToken);
            if (plan is null)
                throw new InputException("plan", "No plan is active: activate one on the Planner to start from its assumed costs.");
            var saved = await CostImport.SaveAsync(Db, costs, cancellationToken);
            Notice = $"Entered {saved.Created} cost(s) assumed by the plan '{plan}': replace them with what was spent when you know it.";
        });
        await LoadAsync(cancellationToken);
        Form = new CostForm { From = FirstOfMonth, Currency = Currency };
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        RequireManager();
        if (await Db.ChannelCosts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is not { } cost)
            return NotFound();
        await SoftDelete.DeleteAsync(Db, cost, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        Notice = "Cost deleted.";
        await LoadAsync(cancellationToken);
        Form = new CostForm { From = FirstOfMonth, Currency = Currency };
        return Page();
    }

    DateOnly FirstOfMonth => new(Db.UtcNow.Year, Db.UtcNow.Month, 1);

    // Costs are the whole company's spend: managers and admins enter and read them, as over the API.
    void RequireManager()
    {
        if (!Actor.IsManagerOrAdmin)
            throw new AccessDeniedException("Channel costs are entered and read by managers and admins.");
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        RequireManager();
        var costs = Db.ChannelCosts.AsNoTracking();
        Total = await costs.CountAsync(cancellationToken);
        Costs = await costs.OrderByDescending(c => c.PeriodStart).ThenBy(c => c.Channel).Take(Shown).ToListAsync(cancellationToken);
        var month = FirstOfMonth;
        Gaps = Reach.Metrics.Reports.Report.MissingCosts(await costs.Where(c => c.PeriodEnd > month.AddMonths(-5)).ToListAsync(cancellationToken),
            Period.Range(month.AddMonths(-5), month.AddMonths(1)));
        var planned = await CostImport.PlannedAsync(Db, null, null, cancellationToken);
        Planned = (planned.Plan, planned.Costs);
        if (!Actor.IsAdmin)
            return;
        var now = Db.UtcNow;
        var quarter = Period.Containing(now, PeriodKind.Quarter);
        Cac = (await MetricService.ComputeAsync(Db, [MetricCatalogue.Find("cac")!], new MetricQuery(quarter), Currency, now, cancellationToken)).Single();
    }

    public string Money(decimal? amount) => DashboardCharts.Format(MetricUnit.Money, amount, Currency);
}
