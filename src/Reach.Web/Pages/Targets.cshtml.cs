using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Api;
using Reach.Web.Pages.Dashboard;

namespace Reach.Web.Pages;

/// <summary>
/// Targets: one scope's targets for one metric over time, each against what was reached (<see cref="TargetTimeline"/>),
/// and, for managers and admins, a form that sets a run of them (twelve months at once) and a way to change or delete
/// one. Who may set what is the data layer's rule (AccessRules), as for <c>/api/v1/targets</c>.
/// </summary>
public sealed class TargetsModel(ReachDb db) : RecordPage(db)
{
    public IReadOnlyList<(string Value, string Label)> Choices { get; private set; } = [];
    public string? Scope { get; private set; }
    public MetricScope Resolved { get; private set; } = MetricScope.Workspace;
    public MetricDefinition Metric { get; private set; } = MetricCatalogue.Find("bookings")!;
    public IReadOnlyList<TargetRow> Rows { get; private set; } = [];
    public string Currency { get; private set; } = MetricService.DefaultCurrency;

    // Every handler shows amounts in the workspace currency: read once, before any of them runs.
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        Currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(Db, HttpContext.RequestAborted);
        await next();
    }
    public DateTime Now { get; private set; }

    /// <summary>Why a change or deletion of one target was refused (shown above the timeline, not beside the new-target form).</summary>
    public string? RowError { get; private set; }

    /// <summary>Reps read their targets; managers and admins set them.</summary>
    public bool CanSet => Actor.Role != UserRole.Rep;

    [BindProperty] public TargetForm Form { get; set; } = new();

    public sealed class TargetForm
    {
        public string? Scope { get; set; }
        public string Metric { get; set; } = "bookings";
        public string? Channel { get; set; }
        public PeriodKind Kind { get; set; } = PeriodKind.Month;
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public int? Repeat { get; set; } = 12;
        public decimal? Value { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string? scope, string? metric, CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(scope, metric, cancellationToken);
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        Form = BlankForm();
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var saved = !UnreadableFields(nameof(Form)) && await GuardAsync(async () =>
        {
            var metric = MetricCatalogue.Find(Form.Metric) ?? throw new InputException("metric", $"'{Form.Metric}' is not a metric.");
            var scope = await DashboardView.ResolveScopeAsync(Db, Actor, Form.Scope, cancellationToken);
            var channel = ChannelOf(Form.Channel);
            if (Form.Value is not { } value)
                throw new InputException("value", "Give the target's value.");
            var periods = PeriodRun.Of(Form.Kind, Form.From, Form.To, Form.Repeat);
            foreach (var period in periods)
            {
                var input = new TargetInput
                {
                    Metric = metric.Id,
                    PeriodStart = period.Start,
                    PeriodEnd = period.End,
                    TeamId = scope.TeamId,
                    UserId = scope.RepId,
                    Channel = channel,
                    // Rates are typed as percentages and stored as fractions.
                    Value = metric.Unit == MetricUnit.Ratio ? value / 100 : value,
                };
                await AddAsync<Target, TargetInput>(input, cancellationToken);
            }
            // All the run's targets or none.
            await Db.SaveChangesAsync(cancellationToken);
            Notice = periods.Count == 1 ? $"Target set for {periods[0].Label}." : $"{periods.Count} targets set, {periods[0].Label} to {periods[^1].Label}.";
        });
        await ReloadAsync(Form.Scope, Form.Metric, cancellationToken);
        if (saved)
            Form = new TargetForm { Scope = Scope, Metric = Metric.Id, From = Form.From, Kind = Form.Kind, Repeat = Form.Repeat };
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(Guid id, decimal? value, string? scope, string? metric, CancellationToken cancellationToken)
    {
        if (await Db.Targets.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is not { } target)
            return NotFound();
        await RowGuardAsync(target, async () =>
        {
            if (value is not { } typed)
                throw new InputException("value", "Give the target's value.");
            var unit = MetricCatalogue.Find(target.Metric)?.Unit;
            var input = TargetInput.From(target) with { Value = unit == MetricUnit.Ratio ? typed / 100 : typed };
            InputRules.Validate(input);
            await ((IRecordInput<Target, TargetInput>)input).ApplyAsync(Db, target, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
            Notice = "Target changed.";
        });
        await ReloadAsync(scope, metric, cancellationToken);
        Form = BlankForm();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, string? scope, string? metric, CancellationToken cancellationToken)
    {
        if (await Db.Targets.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is not { } target)
            return NotFound();
        await RowGuardAsync(target, async () =>
        {
            await SoftDelete.DeleteAsync(Db, target, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
            Notice = "Target deleted.";
        });
        await ReloadAsync(scope, metric, cancellationToken);
        Form = BlankForm();
        return Page();
    }

    // A new run starts this month, for the scope and metric shown.
    TargetForm BlankForm() => new() { Scope = Scope, Metric = Metric.Id, From = new DateOnly(Now.Year, Now.Month, 1) };

    // Bad input and refusals are shown beside the form; nothing of a refused save is kept.
    async Task<bool> GuardAsync(Func<Task> save)
    {
        try
        {
            return await SaveAsync(save);
        }
        catch (AccessDeniedException denied)
        {
            Errors[denied.Field ?? "scope"] = denied.Message;
            Db.ChangeTracker.Clear();
            return false;
        }
    }

    async Task RowGuardAsync(Target target, Func<Task> save)
    {
        if (await GuardAsync(save))
            return;
        RowError = $"The {target.Metric} target from {target.PeriodStart:yyyy-MM-dd} was not changed: {string.Join(" ", Errors.Values)}";
        Errors.Clear();
    }

    // After a post, the timeline the form named, or the reader's own when it named one they may not see.
    async Task ReloadAsync(string? scope, string? metric, CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(scope, metric, cancellationToken);
        }
        catch (Exception e) when (e is InputException or AccessDeniedException)
        {
            await LoadAsync(null, null, cancellationToken);
        }
    }

    async Task LoadAsync(string? scope, string? metric, CancellationToken cancellationToken)
    {
        Now = Db.UtcNow;
        Choices = await DashboardView.ChoicesAsync(Db, Actor, cancellationToken);
        Scope = string.IsNullOrEmpty(scope) ? null : scope;
        Resolved = await DashboardView.ResolveScopeAsync(Db, Actor, Scope, cancellationToken);
        Metric = MetricCatalogue.Find(metric ?? "bookings") ?? throw new InputException("metric", $"'{metric}' is not a metric.");
        // A manager with no team of their own reads "their teams", which no target is set for: they pick a team or a rep.
        Rows = NeedsScope ? [] : await TargetTimeline.ReadAsync(Db, Resolved, Metric, Currency, Now, cancellationToken);
    }

    /// <summary>Whether the scope names no one the reader may set targets for (the workspace is an admin's).</summary>
    public bool NeedsScope => Resolved is { RepId: null, TeamId: null } && !Actor.IsAdmin;

    static Channel? ChannelOf(string? name) => string.IsNullOrEmpty(name) || name == "all" ? null
        : ListQuery.EnumValue<Channel>(name) ?? throw new InputException("channel", $"'{name}' is not a channel: self_service, inside or field.");

    /// <summary>A value as the form takes it back: rates as percentages.</summary>
    public string Editable(decimal value) =>
        (Metric.Unit == MetricUnit.Ratio ? value * 100 : value).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    public string Shown(decimal? value) => DashboardCharts.Format(Metric.Unit, value, Currency);
}
