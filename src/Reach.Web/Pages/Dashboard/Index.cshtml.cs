using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Forecasting;
using Reach.Metrics;
using Reach.Web.Access;
using Reach.Web.Api;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// The dashboard: the key metrics of a week, month or quarter per channel beside the blend, against target and the
/// previous period, with charts; every deal-based figure links to the deals behind it. The figures are
/// <see cref="MetricService"/>'s, the same the API, reports and CLI give, for the scope the reader may see.
/// </summary>
public sealed class IndexModel(ReachDb db, IConfiguration configuration) : PageModel
{
    /// <summary>The figures of the table, in this order.</summary>
    public static readonly string[] KeyMetrics = DashboardFigures.KeyMetrics;

    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public DashboardView View { get; private set; } = null!;
    public IReadOnlyList<MetricResult> Results { get; private set; } = [];
    public IReadOnlyList<(Period Period, MetricResult Result)> BookingsHistory { get; private set; } = [];
    public IReadOnlyList<(Period Period, MetricResult Result)> PipelineWeeks { get; private set; } = [];
    public IReadOnlyList<FunnelStage> Funnel { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? kind, string? period, string? scope, CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        try
        {
            View = await DashboardView.ReadAsync(db, Actor, kind, period, scope, now, cancellationToken);
        }
        catch (InputException e)
        {
            return DashboardView.BadRequest(e);
        }
        var figures = await DashboardFigures.ComputeAsync(db, View.Query(View.Period), MetricsApi.CurrencyOf(configuration), now, cancellationToken);
        (Results, BookingsHistory, PipelineWeeks, Funnel) = (figures.Results, figures.BookingsHistory, figures.PipelineWeeks, figures.Funnel);
        return Page();
    }

    public IHtmlContent FunnelChart() => DashboardCharts.Funnel(Funnel, Result("bookings").Currency);

    public MetricResult Result(string id) => Results.First(r => r.Metric.Id == id);

    /// <summary>The page listing the deals behind one figure, or null for a figure not made of deals.</summary>
    public string? DrillLink(MetricResult result, string channel) => View.DrillLink(result, channel);

    public string Value(MetricResult result, decimal? value) => DashboardCharts.Format(result.Metric.Unit, value, result.Currency);

    public IHtmlContent TargetChart() => DashboardCharts.BookingsAgainstTarget(Result("bookings"), View);

    public IHtmlContent HistoryChart() => DashboardCharts.BookingsOverTime(BookingsHistory);

    public IHtmlContent ChannelChart() => DashboardCharts.WinRateAndCycle(Result("win_rate"), Result("sales_cycle_median"));

    public IHtmlContent WeeksChart() => DashboardCharts.PipelinePerWeek(PipelineWeeks);
}

/// <summary>
/// What the dashboard and its drill-down are showing: the period (its kind and which one) and the scope (me, a team,
/// a rep or the workspace), read from the query string and checked by <see cref="MetricScope"/> like the API's.
/// </summary>
public sealed record DashboardView(PeriodKind Kind, Period Period, string? Scope, MetricScope Resolved, IReadOnlyList<(string Value, string Label)> Choices)
{
    public static async Task<DashboardView> ReadAsync(ReachDb db, Actor actor, string? kind, string? period, string? scope, DateTime now, CancellationToken cancellationToken)
    {
        var periodKind = kind?.ToLowerInvariant() switch
        {
            null or "" or "month" => PeriodKind.Month,
            "week" => PeriodKind.Week,
            "quarter" => PeriodKind.Quarter,
            _ => throw new InputException("kind", $"'{kind}' is not a period kind: week, month or quarter."),
        };
        var chosen = Period.Containing(now, periodKind);
        if (!string.IsNullOrWhiteSpace(period))
        {
            chosen = Period.Parse(period) ?? throw new InputException("period", $"'{period}' is not a period: expected 2027-Q1, 2027-03 or 2027-W05.");
            if (chosen.Kind != periodKind)
                chosen = Period.Containing(chosen.StartsAt, periodKind);
        }

        scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim();
        var (rep, team) = scope switch
        {
            null => (null, null),
            "me" => (actor.UserId?.ToString(), (string?)null),
            "workspace" when actor.IsAdmin => (null, null),
            "workspace" => throw new AccessDeniedException("Only an admin sees the whole workspace's figures.", "scope"),
            _ when scope.StartsWith("rep:", StringComparison.Ordinal) => (scope[4..], null),
            _ when scope.StartsWith("team:", StringComparison.Ordinal) => ((string?)null, scope[5..]),
            _ => throw new InputException("scope", $"'{scope}' is not a scope: me, workspace, rep:ID or team:ID."),
        };
        var resolved = await MetricScope.ResolveAsync(db, actor, rep, team, cancellationToken);
        return new DashboardView(periodKind, chosen, scope, resolved, await ChoicesAsync(db, actor, cancellationToken));
    }

    // What the reader may pick: a rep only themselves; a manager their teams, themselves and each of their reps; an
    // admin the workspace, every team and every user.
    static async Task<List<(string Value, string Label)>> ChoicesAsync(ReachDb db, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Role == UserRole.Rep)
            return [];
        var teams = await db.Teams.AsNoTracking()
            .Where(t => actor.IsAdmin || t.Id == actor.TeamId || t.ManagerId == actor.UserId)
            .OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var people = actor.TeamUserIds.ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => actor.IsAdmin || people.Contains(u.Id))
            .Where(u => u.Id != actor.UserId)
            .OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken);
        var choices = new List<(string, string)>();
        if (actor.IsAdmin)
            choices.Add(("workspace", "Workspace"));
        else
            choices.Add(("", teams.Count == 1 ? $"My team ({teams[0].Name})" : "My teams"));
        choices.Add(("me", "Me"));
        if (actor.IsAdmin || teams.Count > 1)
            choices.AddRange(teams.Select(t => ($"team:{t.Id}", $"Team {t.Name}")));
        choices.AddRange(users.Select(u => ($"rep:{u.Id}", u.Name)));
        return choices;
    }

    /// <summary>A bad query string answers 400 with what was wrong, on a page.</summary>
    public static ContentResult BadRequest(InputException e) => new()
    {
        StatusCode = 400,
        ContentType = "text/html; charset=utf-8",
        Content = StatusPage.Html(400, string.Join(" ", e.Errors.Select(x => $"{x.Key}: {string.Join(" ", x.Value)}"))),
    };

    public MetricQuery Query(Period period) => new(period) { RepId = Resolved.RepId, TeamId = Resolved.TeamId };

    public Dictionary<string, string?> Parameters(Period? period = null) => new()
    {
        ["kind"] = Kind.ToString().ToLowerInvariant(),
        ["period"] = (period ?? Period).Label,
        ["scope"] = Scope,
    };

    public string Link(Period period) =>
        QueryHelpers.AddQueryString("/Dashboard", Parameters(period).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    public string? DrillLink(MetricResult result, string channel)
    {
        if (!MetricCatalogue.Find(result.Metric.Id)!.DealBased)
            return null;
        var parameters = Parameters();
        parameters["metric"] = result.Metric.Id;
        if (channel != "all")
            parameters["channel"] = channel;
        return QueryHelpers.AddQueryString("/Dashboard/Deals", parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
    }
}
