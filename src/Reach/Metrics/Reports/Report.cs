using System.Globalization;
using Reach.Data;
using Reach.Deals;
using Reach.Forecasting;

namespace Reach.Metrics.Reports;

public enum ReportKind { Weekly, Monthly, Quarterly }

/// <summary>A deal worth naming in a report: the largest wins and losses of the period.</summary>
public sealed record NotableDeal(Guid Id, string Name, string Channel, decimal Amount, string Currency, decimal? Converted, DateTime ClosedAt, string? LostReason);

/// <summary>A table of a report as text cells (numbers invariant), the same for the HTML page, CSV and XLSX.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>Whether a column holds numbers (every cell empty, a number or a percentage); the first column names the row.</summary>
    public bool IsNumber(int column) => column > 0
        && Rows.All(r => r[column] is null || decimal.TryParse(r[column]!.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out _));
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
    public static Forecasting.Period PeriodOf(ReportKind kind, string? label, DateTime now)
    {
        var periodKind = PeriodKindOf(kind);
        if (label is null)
            return Forecasting.Period.Containing(now, periodKind);
        var example = periodKind switch { PeriodKind.Week => "2027-W05", PeriodKind.Month => "2027-03", _ => "2027-Q1" };
        return Forecasting.Period.Parse(label) is { } period && period.Kind == periodKind
            ? period
            : throw new InputException("period", $"'{label}' is not a {periodKind.ToString().ToLowerInvariant()}: expected a label such as {example}.");
    }

    public static async Task<Report> BuildAsync(ReachDb db, ReportKind kind, Forecasting.Period period, MetricScope scope, string currency, DateTime now,
        CancellationToken cancellationToken = default)
    {
        var query = new MetricQuery(period) { RepId = scope.RepId, TeamId = scope.TeamId };
        // The notable deals are read on a context of their own while the figures are read and computed.
        await using var notableDb = db.Sibling();
        var notableRead = Task.Run(async () => (
            Wins: await MetricFacts.LargestClosedAsync(notableDb, DealStatus.Won, currency, period, query, 20, cancellationToken),
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
            facts.Converter.Convert(d.Amount, d.Currency, d.ClosedAt!.Value), d.ClosedAt!.Value, d.LostReason);
        List<NotableDeal> Top(IEnumerable<DealFact> deals) =>
            [.. deals.Select(Notable).OrderByDescending(d => d.Converted ?? -1).ThenBy(d => d.Name, StringComparer.Ordinal).Take(5)];

        // Exclusions are noted once for the whole report, not once per amount metric.
        var notes = results.SelectMany(r => r.Notes.Except(MetricService.ExclusionNotes(r.Excluded, currency))).Distinct().ToList();
        notes.AddRange(MetricService.ExclusionNotes(results.SelectMany(r => r.Excluded), currency));
        notes.Insert(0, $"Amounts in {currency}; each deal converted at the exchange rate valid on its date.");
        var notable = await notableRead;
        var (wins, losses) = (Top(notable.Wins), Top(notable.Losses));
        var title = $"{kind} report {period.Label}: {scope.Label}";
        return new Report(kind, title, scope.Label, PeriodView.Of(period), PeriodView.Of(period.Previous()), currency, now, headline, results,
            wins, losses, notes);
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
        ReportTable MetricTable(string title, IEnumerable<MetricResult> results) => new(title,
            ["metric", "all channels", .. channels, "previous", "change", "target", "attainment", "projection"],
            [.. results.Select(r =>
            {
                string? F(decimal? value) => format(r.Metric.Unit, value);
                return (IReadOnlyList<string?>)[r.Metric.Name, F(r.Total.Value),
                    .. channels.Select(c => F(r.Channels.FirstOrDefault(f => f.Channel == c)?.Value)),
                    F(r.Total.Previous), F(r.Total.Change), F(r.Total.Target), format(MetricUnit.Ratio, r.Total.Attainment), F(r.Total.Projection)];
            })]);
        ReportTable DealTable(string title, IReadOnlyList<NotableDeal> deals) => new(title,
            ["deal", $"amount ({Currency})", "channel", "original amount", "currency", "closed", "reason"],
            [.. deals.Select(d => (IReadOnlyList<string?>)[d.Name, format(MetricUnit.Money, d.Converted), d.Channel, format(MetricUnit.Money, d.Amount), d.Currency,
                d.ClosedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.LostReason])]);
        return
        [
            MetricTable("Headline", Headline),
            MetricTable("Leading metrics", Metrics.Where(m => m.Metric.Kind == MetricKind.Leading)),
            MetricTable("Lagging metrics", Metrics.Where(m => m.Metric.Kind == MetricKind.Lagging)),
            DealTable("Notable wins", Wins),
            DealTable("Notable losses", Losses),
        ];
    }

    public static string? Number(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
