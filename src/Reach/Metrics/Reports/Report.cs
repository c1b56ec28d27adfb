using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Metrics.Reports;

public enum ReportKind { Weekly, Monthly, Quarterly }

/// <summary>A deal worth naming in a report: the largest wins and losses of the period. <c>Kind</c>: new, expansion or renewal.</summary>
public sealed record NotableDeal(Guid Id, string Name, string Channel, decimal Amount, string Currency, decimal? Converted, DateTime ClosedAt, string? LostReason)
{
    public string Kind { get; init; } = "new";
}

/// <summary>
/// Bookings, deals won and lost and the win rate of one kind of deal (new, expansion, renewal) in the period: a renewal
/// is kept business, not a new win, so the report shows each apart.
/// </summary>
public sealed record KindFigures(string Kind, decimal? Bookings, int DealsWon, int DealsLost, decimal? WinRate, decimal? PreviousBookings);

/// <summary>
/// One row of a team report's per-rep table or a workspace report's per-team table: the figures a head of sales reads
/// person by person (or team by team), against the bookings target. Coverage reads as the headline's does.
/// </summary>
public sealed record MemberFigures(
    Guid Id, string Name, decimal? Bookings, decimal? BookingsTarget, decimal? Attainment, int DealsWon, decimal? WinRate, decimal? NewWinRate,
    decimal? PipelineCreated, decimal? OpenPipeline, decimal? Coverage, string? CoverageReading)
{
    /// <summary>Median hours from a lead's receipt to its first touch (<c>speed_to_first_touch</c>), of the leads received in the period.</summary>
    public decimal? SpeedToFirstTouch { get; init; }

    /// <summary>The share of those leads first touched within their channel's response target (<c>first_touch_within_target</c>).</summary>
    public decimal? WithinTarget { get; init; }
}

/// <summary>A month of the period in which a channel has no cost entered, so CAC leaves it out (or reads "—").</summary>
public sealed record CostGap(string Month, IReadOnlyList<string> Channels);

/// <summary>A table of a report as text cells (numbers invariant), the same for the HTML page, CSV and XLSX.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>Whether a column holds numbers (every cell empty, a number or a percentage); the first column names the row.</summary>
    public bool IsNumber(int column) => column > 0
        && Rows.All(r => r[column] is null || MetricCatalogue.Readings.Contains(r[column]) || IsNumberText(r[column]));

    /// <summary>Whether a cell is a number (or a percentage), not words: an XLSX writes only these as number cells.</summary>
    public static bool IsNumberText(string? cell) =>
        cell is not null && decimal.TryParse(cell.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out _);
}

/// <summary>
/// The weekly, monthly or quarterly report (seed 004: "key reports, weekly, monthly, quarterly"): headline numbers
/// against target, every metric blended and by channel, the notable wins and losses. The HTML page, the CSV and XLSX
/// tables and the PDF are renderings of this one model, so they show the same figures.
/// </summary>
public sealed record Report(
    ReportKind Kind, string Title, string Scope, PeriodView Period, PeriodView PreviousPeriod, string Currency, DateTime GeneratedAt,
    IReadOnlyList<MetricResult> Headline, IReadOnlyList<MetricResult> Metrics, IReadOnlyList<NotableDeal> Wins, IReadOnlyList<NotableDeal> Losses,
    IReadOnlyList<string> Notes)
{
    /// <summary>The period as people read it: "2027-Q1", or a custom range by its last day ("10 Oct – 20 Nov 2026").</summary>
    public string PeriodName => Period.Name;

    /// <summary>New, expansion and renewal apart: bookings, deals won and lost, win rate.</summary>
    public IReadOnlyList<KindFigures> Kinds { get; init; } = [];

    /// <summary>The renewals won (the largest five): kept apart from <see cref="Wins"/>, which are new and expansion wins.</summary>
    public IReadOnlyList<NotableDeal> Renewals { get; init; } = [];

    /// <summary>"rep" for a team report (one row per rep), "team" for a workspace report (one per team), null for a rep's.</summary>
    public string? MembersAre { get; init; }

    /// <summary>The per-rep or per-team rows (<see cref="MembersAre"/>).</summary>
    public IReadOnlyList<MemberFigures> Members { get; init; } = [];

    /// <summary>The months of the period in which a channel has no costs: CAC cannot count them.</summary>
    public IReadOnlyList<CostGap> CostGaps { get; init; } = [];

    /// <summary>How fast leads are answered, shown on the cover beside the headline: a rep's first question in a weekly review.</summary>
    public static readonly string[] ResponseIds = ["speed_to_first_touch", "first_touch_within_target"];

    /// <summary>The headline figures, in this order.</summary>
    public static readonly string[] HeadlineIds = ["bookings", "deals_won", "win_rate", "pipeline_created", "pipeline_coverage", "new_leads"];

    public static PeriodKind PeriodKindOf(ReportKind kind) => kind switch
    {
        ReportKind.Weekly => PeriodKind.Week,
        ReportKind.Monthly => PeriodKind.Month,
        _ => PeriodKind.Quarter,
    };

    /// <summary>
    /// The period named by <paramref name="label"/> (2027-W05, 2027-03, 2027-Q1), which must be of the report's kind, or
    /// the one holding <paramref name="now"/>. Throws <see cref="InputException"/> on "period".
    /// </summary>
    public static Period PeriodOf(ReportKind kind, string? label, DateTime now)
    {
        var periodKind = PeriodKindOf(kind);
        if (label is null)
            return Reach.Period.Containing(now, periodKind);
        var example = periodKind switch { PeriodKind.Week => "2027-W05", PeriodKind.Month => "2027-03", _ => "2027-Q1" };
        return Reach.Period.Parse(label) is { } period && period.Kind == periodKind
            ? period
            : throw new InputException("period", $"'{label}' is not a {periodKind.ToString().ToLowerInvariant()}: expected a label such as {example}.");
    }

    public static async Task<Report> BuildAsync(ReachDb db, ReportKind kind, Period period, MetricScope scope, string currency, DateTime now,
        CancellationToken cancellationToken = default)
    {
        var query = new MetricQuery(period) { RepId = scope.RepId, TeamId = scope.TeamId };
        // The notable deals are read on a context of their own while the figures are read and computed.
        await using var notableDb = db.Sibling();
        var notableRead = Task.Run(async () => (
            Wins: await MetricFacts.LargestClosedAsync(notableDb, DealStatus.Won, currency, period, query, 40, cancellationToken),
            Losses: await MetricFacts.LargestClosedAsync(notableDb, DealStatus.Lost, currency, period, query, 20, cancellationToken)), cancellationToken);
        MetricFacts facts;
        List<MetricResult> results;
        try
        {
            facts = await MetricFacts.LoadAsync(db, currency, now, query, cancellationToken);
            results = [.. MetricCatalogue.All.Select(m => MetricService.Compute(facts, m, query, now))];
        }
        catch
        {
            await notableRead.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        var headline = HeadlineIds.Select(id => results.Single(r => r.Metric.Id == id)).ToList();

        NotableDeal Notable(DealFact d) => new(d.Id, d.Name, MetricService.ChannelName(d.Channel), d.Amount, d.Currency,
            facts.Converter.Convert(d.Amount, d.Currency, d.ClosedAt!.Value), d.ClosedAt!.Value, d.LostReason)
        { Kind = EnumNames.Of(d.Kind) };
        List<NotableDeal> Top(IEnumerable<DealFact> deals) =>
            [.. deals.Select(Notable).OrderByDescending(d => d.Converted ?? -1).ThenBy(d => d.Name, StringComparer.Ordinal).Take(5)];

        // Exclusions are noted once for the whole report, not once per amount metric.
        var notes = results.SelectMany(r => r.Notes.Except(MetricService.ExclusionNotes(r.Excluded, currency))).Distinct().ToList();
        notes.AddRange(MetricService.ExclusionNotes(results.SelectMany(r => r.Excluded), currency));
        notes.Insert(0, $"Amounts in {currency}; each deal converted at the exchange rate valid on its date.");
        var notable = await notableRead;
        var (wins, renewals, losses) = (Top(notable.Wins.Where(d => d.Kind != DealKind.Renewal)), Top(notable.Wins.Where(d => d.Kind == DealKind.Renewal)), Top(notable.Losses));
        var kinds = MetricService.ByKind(facts, query, now);
        var (membersAre, members) = await MembersAsync(db, scope, period, currency, now, cancellationToken);
        var gaps = MissingCosts(facts.Costs, period);
        if (gaps.Count > 0)
            notes.Add("No costs entered for " + string.Join("; ", gaps.Select(g => $"{g.Month} ({string.Join(", ", g.Channels)})"))
                + ": CAC leaves those months out. Import them (reach costs import, POST /api/v1/costs/import, the Costs page) or start from the plan's assumed costs.");
        var title = $"{kind} report {period.Name}: {scope.Label}";
        return new Report(kind, title, scope.Label, PeriodView.Of(period), PeriodView.Of(period.Previous()), currency, now, headline, results,
            wins, losses, notes)
        {
            Kinds = kinds,
            Renewals = renewals,
            MembersAre = membersAre,
            Members = members,
            CostGaps = gaps,
        };
    }

    // The figures of the per-rep (team) or per-team (workspace) table: deal figures, and leads with their first touches.
    static readonly string[] MemberMetrics = ["bookings", "deals_won", "win_rate", "pipeline_created", "open_pipeline", "pipeline_coverage",
        "speed_to_first_touch", "first_touch_within_target"];

    static async Task<(string? Are, IReadOnlyList<MemberFigures> Rows)> MembersAsync(ReachDb db, MetricScope scope, Period period, string currency,
        DateTime now, CancellationToken cancellationToken)
    {
        if (scope.RepId is not null)
            return (null, []);
        List<(Guid Id, string Name, MetricQuery Query)> members;
        string are;
        if (scope.TeamId is { } team)
        {
            are = "rep";
            members = [.. (await db.Users.AsNoTracking().Where(u => u.TeamId == team).OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken))
                .Select(u => (u.Id, u.Name, new MetricQuery(period) { RepId = u.Id }))];
        }
        else
        {
            are = "team";
            var teams = db.Teams.AsNoTracking();
            if (db.Actor is { IsAdmin: false } actor)
                teams = teams.Where(t => actor.TeamIds.Contains(t.Id));
            members = [.. (await teams.OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken))
                .Select(t => (t.Id, t.Name, new MetricQuery(period) { TeamId = t.Id }))];
        }
        var metrics = MemberMetrics.Select(id => MetricCatalogue.Find(id)!).ToList();
        var rows = new List<MemberFigures>();
        foreach (var (id, name, query) in members)
        {
            // Leads of both periods: each figure comes with its previous period's.
            var facts = await MetricFacts.LoadAsync(db, currency, now, [period, period.Previous()], query, [period, period.Previous()], withProposals: false, withFirstTouches: true,
                cancellationToken: cancellationToken);
            var r = metrics.ToDictionary(m => m.Id, m => MetricService.Compute(facts, m, query, now).Total);
            var newWins = MetricService.ByKind(facts, query, now).First(k => k.Kind == "new");
            rows.Add(new MemberFigures(id, name, r["bookings"].Value, r["bookings"].Target, r["bookings"].Attainment, (int)(r["deals_won"].Value ?? 0),
                r["win_rate"].Value, newWins.WinRate, r["pipeline_created"].Value, r["open_pipeline"].Value, r["pipeline_coverage"].Value, r["pipeline_coverage"].Reading)
            {
                SpeedToFirstTouch = r["speed_to_first_touch"].Value,
                WithinTarget = r["first_touch_within_target"].Value,
            });
        }
        return (are, rows);
    }

    /// <summary>
    /// The months of <paramref name="period"/> (each cut to the period) in which a channel's costs do not cover every
    /// day: CAC counts only the costs entered.
    /// </summary>
    public static IReadOnlyList<CostGap> MissingCosts(IReadOnlyList<ChannelCost> costs, Period period)
    {
        var gaps = new List<CostGap>();
        for (var month = new DateOnly(period.Start.Year, period.Start.Month, 1); month < period.End; month = month.AddMonths(1))
        {
            var (from, to) = (month < period.Start ? period.Start : month, month.AddMonths(1) > period.End ? period.End : month.AddMonths(1));
            var missing = Enum.GetValues<Channel>().Where(channel =>
            {
                var covered = new HashSet<int>();
                foreach (var cost in costs.Where(c => c.Channel == channel && c.PeriodEnd > from && c.PeriodStart < to))
                {
                    for (var day = Math.Max(cost.PeriodStart.DayNumber, from.DayNumber); day < Math.Min(cost.PeriodEnd.DayNumber, to.DayNumber); day++)
                        covered.Add(day);
                }
                return covered.Count < to.DayNumber - from.DayNumber;
            }).Select(c => Labels.Channel(c)).ToList();
            if (missing.Count > 0)
                gaps.Add(new CostGap(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), missing.Count == 3 ? ["all channels"] : missing));
        }
        return gaps;
    }

    /// <summary>
    /// The report as tables: headline, leading, lagging (each metric blended and by channel), wins, losses. Numbers are
    /// written by <paramref name="format"/> (by the figure's unit): plain invariant numbers unless told otherwise, as a
    /// spreadsheet reads them; the page and the PDF pass one people read.
    /// </summary>
    public IReadOnlyList<ReportTable> Tables(Func<MetricUnit, decimal?, string?>? format = null)
    {
        format ??= (_, value) => Number(value);
        var channels = Metrics.SelectMany(m => m.Channels.Select(c => c.Channel)).Distinct().ToList();
        // A figure that reads as words ("target met") shows them in every format, its number never.
        string? Shown(MetricUnit unit, Figure? figure) => figure?.Reading ?? format(unit, figure?.Value);
        ReportTable MetricTable(string title, IEnumerable<MetricResult> results) => new(title,
            ["metric", "all channels", .. channels.Select(Labels.Channel), "previous", "change", "target", "attainment", "projection"],
            [.. results.Select(r =>
            {
                string? F(decimal? value) => format(r.Metric.Unit, value);
                return (IReadOnlyList<string?>)[r.Metric.Name, Shown(r.Metric.Unit, r.Total),
                    .. channels.Select(c => Shown(r.Metric.Unit, r.Channels.FirstOrDefault(f => f.Channel == c))),
                    F(r.Total.Previous), F(r.Total.Change), F(r.Total.Target), format(MetricUnit.Ratio, r.Total.Attainment), F(r.Total.Projection)];
            })]);
        ReportTable DealTable(string title, IReadOnlyList<NotableDeal> deals) => new(title,
            ["deal", "kind", $"amount ({Currency})", "channel", "original amount", "currency", "closed", "reason"],
            [.. deals.Select(d => (IReadOnlyList<string?>)[d.Name, Labels.Words(d.Kind), format(MetricUnit.Money, d.Converted), Labels.Channel(d.Channel),
                format(MetricUnit.Money, d.Amount), d.Currency, d.ClosedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.LostReason])]);
        // Every target set for a channel, beside the total's: what the dashboard shows, in every format.
        var targets = new ReportTable("Targets by channel", ["metric", "channel", "value", "target", "attainment", "projection"],
            [.. Metrics.SelectMany(r => r.Channels.Prepend(r.Total).Where(f => f.Target is not null).Select(f => (IReadOnlyList<string?>)
                [r.Metric.Name, Labels.Channel(f.Channel), Shown(r.Metric.Unit, f), format(r.Metric.Unit, f.Target), format(MetricUnit.Ratio, f.Attainment),
                    format(r.Metric.Unit, f.Projection)]))]);
        var kinds = new ReportTable("New, expansion and renewal", ["kind", $"bookings ({Currency})", "previous", "deals won", "deals lost", "win rate"],
            [.. Kinds.Select(k => (IReadOnlyList<string?>)[Labels.Words(k.Kind), format(MetricUnit.Money, k.Bookings), format(MetricUnit.Money, k.PreviousBookings),
                format(MetricUnit.Count, k.DealsWon), format(MetricUnit.Count, k.DealsLost), format(MetricUnit.Ratio, k.WinRate)])]);
        List<ReportTable> tables =
        [
            MetricTable("Headline", Headline),
            kinds,
            MetricTable("Leading metrics", Metrics.Where(m => m.Metric.Kind == MetricKind.Leading)),
            MetricTable("Lagging metrics", Metrics.Where(m => m.Metric.Kind == MetricKind.Lagging)),
            targets,
        ];
        if (MembersAre is not null)
            tables.Add(new ReportTable(MembersAre == "rep" ? "By rep" : "By team",
                [MembersAre, $"bookings ({Currency})", "bookings target", "attainment", "deals won", "win rate", "win rate, new business", "pipeline created",
                    "open pipeline", "pipeline coverage", "speed to first touch (median hours)", "leads touched within target"],
                [.. Members.Select(m => (IReadOnlyList<string?>)[m.Name, format(MetricUnit.Money, m.Bookings), format(MetricUnit.Money, m.BookingsTarget),
                    format(MetricUnit.Ratio, m.Attainment), format(MetricUnit.Count, m.DealsWon), format(MetricUnit.Ratio, m.WinRate), format(MetricUnit.Ratio, m.NewWinRate),
                    format(MetricUnit.Money, m.PipelineCreated), format(MetricUnit.Money, m.OpenPipeline), m.CoverageReading ?? format(MetricUnit.Ratio, m.Coverage),
                    format(MetricUnit.Hours, m.SpeedToFirstTouch), format(MetricUnit.Ratio, m.WithinTarget)])]));
        tables.Add(DealTable("Notable wins (new, expansion; the largest five)", Wins));
        tables.Add(DealTable("Renewals won (the largest five)", Renewals));
        tables.Add(DealTable("Notable losses (the largest five)", Losses));
        return tables;
    }

    /// <summary>
    /// The rows a CSV or XLSX opens with, so a file read alone says what it is: the report, whose, which period (its
    /// first and last day), the currency and when it was made.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string?>> TitleRows() =>
    [
        ["report", Title],
        ["whose", Scope],
        ["period", $"{PeriodName} ({Period.Start:yyyy-MM-dd} to {Period.End.AddDays(-1):yyyy-MM-dd})"],
        ["compared with", PreviousPeriod.Name],
        ["currency", Currency],
        ["generated", GeneratedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)],
    ];

    public static string? Number(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
