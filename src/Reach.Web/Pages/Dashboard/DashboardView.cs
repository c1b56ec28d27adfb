using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Api;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// What the dashboard and its drill-downs are showing: the period (a week, month or quarter, or a custom range of days),
/// the scope (me, a team, a rep or the workspace, checked by <see cref="MetricScope"/> like the API's), and optionally a
/// tier, a segment (the plan's) and a product, read from the query string.
/// </summary>
public sealed record DashboardView(PeriodKind Kind, Period Period, string? Scope, MetricScope Resolved, Tier? Tier, string? Segment, Guid? ProductId,
    IReadOnlyList<(string Value, string Label)> Choices, IReadOnlyList<string> Segments, IReadOnlyList<(Guid Id, string Name)> Products)
{
    /// <summary>Query: kind (week, month, quarter, custom), period (its label), from and to (a custom range, both days included), scope, tier, segment, product.</summary>
    public static async Task<DashboardView> ReadAsync(ReachDb db, Actor actor, IQueryCollection query, DateTime now, CancellationToken cancellationToken)
    {
        var read = new ListQuery(query);
        var kind = read.Text("kind");
        var periodKind = kind?.ToLowerInvariant() switch
        {
            null or "month" => PeriodKind.Month,
            "week" => PeriodKind.Week,
            "quarter" => PeriodKind.Quarter,
            "custom" => PeriodKind.Custom,
            _ => throw new InputException("kind", $"'{kind}' is not a period kind: week, month, quarter or custom."),
        };
        var label = read.Text("period");
        var shown = label is null ? null
            : Period.Parse(label) ?? throw new InputException("period", $"'{label}' is not a period: expected 2027-Q1, 2027-03, 2027-W05 or 2027-01-01..2027-02-01.");
        // Dates typed over those of the period shown make a custom range, whatever the period picker says.
        if (periodKind != PeriodKind.Custom && shown is not null && read.Date("from") is { } from && read.Date("to") is { } to
            && (from != shown.Start || to != shown.End.AddDays(-1)))
            periodKind = PeriodKind.Custom;
        var chosen = periodKind == PeriodKind.Custom
            ? CustomRange(read.Date("from"), read.Date("to"), shown, now)
            : Period.Containing(shown?.StartsAt ?? now, periodKind);
        if (shown is { Kind: PeriodKind.Custom } && kind is null)
            (periodKind, chosen) = (PeriodKind.Custom, shown);

        var scope = read.Text("scope");
        var resolved = await ResolveScopeAsync(db, actor, scope, cancellationToken);
        var tier = read.Enum<Tier>("tier");
        var segments = await MetricSegments.ListAsync(db, cancellationToken);
        var segment = MetricSegments.Pick(segments, read.Text("segment"));
        var product = read.Id("product");
        var products = await db.Products.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        if (product is { } asked && products.All(p => p.Id != asked))
            throw new InputException("product", $"There is no product {asked}.");
        return new DashboardView(periodKind, chosen, scope, resolved, tier, segment, product, await ChoicesAsync(db, actor, cancellationToken),
            segments, [.. products.Select(p => (p.Id, p.Name))]);
    }

    /// <summary>
    /// A scope as the pickers name it: none (the reader's default), "me", "workspace" (admins), "rep:ID" or "team:ID",
    /// checked by <see cref="MetricScope"/>.
    /// </summary>
    public static async Task<MetricScope> ResolveScopeAsync(ReachDb db, Actor actor, string? scope, CancellationToken cancellationToken)
    {
        var (rep, team) = scope switch
        {
            null or "" => (null, null),
            "me" => (actor.UserId?.ToString(), (string?)null),
            "workspace" when actor.IsAdmin => (null, null),
            "workspace" => throw new AccessDeniedException("Only an admin sees the whole workspace's figures.", "scope"),
            _ when scope.StartsWith("rep:", StringComparison.Ordinal) => (scope[4..], null),
            _ when scope.StartsWith("team:", StringComparison.Ordinal) => ((string?)null, scope[5..]),
            _ => throw new InputException("scope", $"'{scope}' is not a scope: me, workspace, rep:ID or team:ID."),
        };
        return await MetricScope.ResolveAsync(db, actor, rep, team, cancellationToken);
    }

    // A custom range from the dates given (both included); without them, the range shown before, else the last 30 days.
    static Period CustomRange(DateOnly? from, DateOnly? to, Period? shown, DateTime now)
    {
        if (from is null && to is null)
            return shown is { } p ? Period.Range(p.Start, p.End) : Period.Range(DateOnly.FromDateTime(now).AddDays(-29), DateOnly.FromDateTime(now).AddDays(1));
        if (from is null || to is null)
            throw new InputException(from is null ? "from" : "to", "A custom range needs both from and to (dates, both included).");
        if (to < from)
            throw new InputException("to", $"{to:yyyy-MM-dd} is before from ({from:yyyy-MM-dd}).");
        return MetricsApi.CustomRange(from.Value, to.Value);
    }

    /// <summary>The last day of the period (a custom range's "to").</summary>
    public DateOnly LastDay => Period.End.AddDays(-1);

    public string? ProductName => Products.FirstOrDefault(p => p.Id == ProductId).Name;

    // What the reader may pick: a rep only themselves; a manager their teams, themselves and each of their reps; an
    // admin the workspace, every team and every user.
    public static async Task<List<(string Value, string Label)>> ChoicesAsync(ReachDb db, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Role == UserRole.Rep)
            return [];
        var teams = await db.Teams.AsNoTracking()
            .Where(t => actor.IsAdmin || actor.TeamIds.Contains(t.Id))
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

    public MetricQuery Query(Period period) => new(period) { RepId = Resolved.RepId, TeamId = Resolved.TeamId, Tier = Tier, Segment = Segment, ProductId = ProductId };

    public Dictionary<string, string?> Parameters(Period? period = null) => new()
    {
        ["kind"] = Kind.ToString().ToLowerInvariant(),
        ["period"] = (period ?? Period).Label,
        ["scope"] = Scope,
        ["tier"] = Tier?.ToString(),
        ["segment"] = Segment,
        ["product"] = ProductId?.ToString(),
    };

    public string Link(Period period) =>
        QueryHelpers.AddQueryString("/Dashboard", Parameters(period).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    /// <summary>The page listing the deals, leads or touches behind one figure; null for a figure made of none of them one by one.</summary>
    public string? DrillLink(MetricResult result, string channel)
    {
        var page = MetricCatalogue.Find(result.Metric.Id)!.Source switch
        {
            MetricSource.Deals => "/Dashboard/Deals",
            MetricSource.Leads => "/Dashboard/Leads",
            MetricSource.Touches => "/Dashboard/Touches",
            _ => null,
        };
        if (page is null)
            return null;
        var parameters = Parameters();
        parameters["metric"] = result.Metric.Id;
        if (channel != "all")
            parameters["channel"] = channel;
        return QueryHelpers.AddQueryString(page, parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));
    }
}
