using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;

namespace Reach.Expansion;

/// <summary>What a won deal was in its account's story: the first (land), a later one (expansion), or a renewal.</summary>
public enum StoryRole { Land, Expansion, Renewal, Churn }

/// <summary>One step of an account's story: a won deal, or the lost renewal that ended it. Amount in the workspace currency.</summary>
public sealed record StoryStep(Guid DealId, string Name, StoryRole Role, DealKind Kind, DateTime At, decimal Amount, decimal ArrAfter);

/// <summary>The account's ARR at the end of a month.</summary>
public sealed record ArrPoint(DateOnly Month, decimal Arr);

/// <summary>
/// An account's land-and-expand story (seed 002: start small, then grow): the land, every later expansion and renewal
/// with the ARR after it, the ARR month by month and now. Amounts in <see cref="Currency"/>.
/// </summary>
public sealed record AccountStory(Guid AccountId, string Currency, decimal Arr, DateTime? LandedAt, decimal? LandAmount, int Expansions,
    double? DaysToFirstExpansion, IReadOnlyList<StoryStep> Steps, IReadOnlyList<ArrPoint> ArrByMonth, IReadOnlyList<string> Notes,
    bool WinsOutOfView = false);

/// <summary>Land size, time to first expansion and expansion rate of one group of landed accounts.</summary>
public sealed record LandAndExpandRow(string Group, string Name, int Landed, decimal? MedianLand, int Expanded, double? ExpansionRate, double? MedianDaysToFirstExpansion);

/// <summary>
/// The accounts landed in one quarter and what they are worth 12 months later: net revenue retention (ARR then over ARR at
/// land, expansions included) and gross retention (the same, each account capped at its ARR at land). Null while the
/// cohort is younger than 12 months; <see cref="NrrToDate"/> is today's ARR over the ARR at land.
/// </summary>
public sealed record CohortRetention(string Cohort, int Accounts, decimal StartArr, decimal? ArrAt12Months, double? Nrr, double? Grr, decimal ArrNow, double? NrrToDate,
    IReadOnlyList<CohortAccount>? AccountList);

/// <summary>One account of a cohort's drill-down.</summary>
public sealed record CohortAccount(Guid AccountId, string Name, DateTime LandedAt, decimal StartArr, decimal? ArrAt12Months, decimal ArrNow, int Expansions);

/// <summary>The land-and-expand report: land size, time to first expansion and expansion rate overall, by segment and channel; retention by cohort.</summary>
public sealed record LandAndExpandReport(DateTime AsOf, string Currency, IReadOnlyList<LandAndExpandRow> Rows, IReadOnlyList<CohortRetention> Cohorts, IReadOnlyList<string> Notes);

/// <summary>
/// The one rule of an account's ARR and its land-and-expand story, for the account page, the report, the API and the
/// CLI. A deal's amount is its annual contract value: the account's ARR rises by each won new or expansion deal on the
/// day it is won, a won renewal keeps it (the contract goes on), a lost renewal ends it (churn: ARR 0). The first won
/// deal is the land; every later won new or expansion deal is an expansion. Amounts are converted into the workspace
/// currency at the rate of their day; deals of a currency without a rate are left out and named in the notes. Only the
/// deals the reader may see count (the access filter applies), as on every list.
/// </summary>
public static class LandAndExpand
{
    sealed record Row(Guid Id, Guid AccountId, string Name, DealKind Kind, DealStatus Status, DateTime At, decimal Amount, string Currency, Channel Channel);

    sealed record Story(Guid AccountId, List<StoryStep> Steps, Channel? LandChannel)
    {
        public StoryStep? Land => Steps.FirstOrDefault(s => s.Role == StoryRole.Land);

        public decimal ArrAt(DateTime at) => Steps.LastOrDefault(s => s.At <= at)?.ArrAfter ?? 0;
    }

    static async Task<(List<Row> Rows, CurrencyConverter Rates)> LoadAsync(ReachDb db, Guid? accountId, CancellationToken cancellationToken)
    {
        var currency = await WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        var rates = await CurrencyConverter.LoadAsync(db, currency, cancellationToken);
        var deals = db.Deals.AsNoTracking().Where(d => d.AccountId != null && d.ClosedAt != null
            && (d.Status == DealStatus.Won || (d.Status == DealStatus.Lost && d.Kind == DealKind.Renewal)));
        if (accountId is { } id)
            deals = deals.Where(d => d.AccountId == id);
        var rows = await deals.Select(d => new Row(d.Id, d.AccountId!.Value, d.Name, d.Kind, d.Status, d.ClosedAt!.Value, d.Amount, d.Currency, d.Channel))
            .ToListAsync(cancellationToken);
        return (rows, rates);
    }

    static List<Story> Stories(List<Row> rows, CurrencyConverter rates, List<string> notes)
    {
        var unconverted = new SortedSet<string>(StringComparer.Ordinal);
        var stories = new List<Story>();
        foreach (var account in rows.GroupBy(r => r.AccountId))
        {
            var steps = new List<StoryStep>();
            decimal arr = 0;
            Channel? landChannel = null;
            foreach (var deal in account.OrderBy(r => r.At).ThenBy(r => r.Id))
            {
                if (rates.Convert(deal.Amount, deal.Currency, deal.At) is not { } amount)
                {
                    unconverted.Add(deal.Currency);
                    continue;
                }
                StoryRole role;
                if (deal.Status == DealStatus.Lost)
                {
                    if (arr == 0)
                        continue;
                    (role, arr) = (StoryRole.Churn, 0);
                }
                else if (deal.Kind == DealKind.Renewal)
                    role = StoryRole.Renewal;
                else
                {
                    role = steps.Any(s => s.Role == StoryRole.Land) ? StoryRole.Expansion : StoryRole.Land;
                    landChannel ??= deal.Channel;
                    arr += amount;
                }
                steps.Add(new StoryStep(deal.Id, deal.Name, role, deal.Kind, deal.At, Math.Round(amount, 2), Math.Round(arr, 2)));
            }
            if (steps.Any(s => s.Role == StoryRole.Land))
                stories.Add(new Story(account.Key, steps, landChannel));
        }
        if (unconverted.Count > 0)
            notes.Add($"Deals in {string.Join(", ", unconverted)} are left out: no exchange rate into {rates.Currency} on their day.");
        return stories;
    }

    /// <summary>The story of one account, its ARR month by month from the land to <paramref name="now"/>.</summary>
    public static async Task<AccountStory> StoryAsync(ReachDb db, Guid accountId, DateTime now, CancellationToken cancellationToken)
    {
        var (rows, rates) = await LoadAsync(db, accountId, cancellationToken);
        var notes = new List<string>();
        var story = Stories(rows, rates, notes).SingleOrDefault();
        if (story?.Land is not { } land)
        {
            // "Nothing won yet" would be untrue to a reader who cannot see the account's wins (another team's deals).
            var outOfView = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter])
                .AnyAsync(d => d.AccountId == accountId && d.Status == DealStatus.Won, cancellationToken);
            return new AccountStory(accountId, rates.Currency, 0, null, null, 0, null, [], [], notes, outOfView);
        }
        var months = new List<ArrPoint>();
        for (var month = new DateOnly(land.At.Year, land.At.Month, 1); month <= DateOnly.FromDateTime(now); month = month.AddMonths(1))
        {
            var end = month.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddTicks(-1);
            months.Add(new ArrPoint(month, story.ArrAt(end < now ? end : now)));
        }
        var expansions = story.Steps.Where(s => s.Role == StoryRole.Expansion).ToList();
        return new AccountStory(accountId, rates.Currency, story.ArrAt(now), land.At, land.Amount, expansions.Count,
            expansions.Count == 0 ? null : Math.Round((expansions[0].At - land.At).TotalDays, 1), story.Steps, months, notes);
    }

    /// <summary>The report at <paramref name="now"/>; with <paramref name="cohort"/> ("2025-Q3"), that cohort's accounts for its drill-down.</summary>
    public static async Task<LandAndExpandReport> ReportAsync(ReachDb db, DateTime now, string? cohort, CancellationToken cancellationToken)
    {
        if (cohort is not null && !System.Text.RegularExpressions.Regex.IsMatch(cohort, @"^\d{4}-Q[1-4]$"))
            throw new InputException("cohort", $"'{cohort}' is not a cohort: write a quarter of land like 2025-Q3.");
        var (rows, rates) = await LoadAsync(db, null, cancellationToken);
        var notes = new List<string>();
        var stories = Stories(rows, rates, notes);
        var accountIds = stories.Select(s => s.AccountId).ToList();
        var accounts = (await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Name, a.Segment }).ToListAsync(cancellationToken))
            .Where(a => accountIds.Contains(a.Id)).ToDictionary(a => a.Id);
        var report = new List<LandAndExpandRow> { Group("all", "All accounts", stories) };
        report.AddRange(stories.GroupBy(s => accounts.TryGetValue(s.AccountId, out var a) ? a.Segment ?? "(no segment)" : "(no segment)")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group("segment", g.Key, g)));
        report.AddRange(stories.GroupBy(s => s.LandChannel).OrderBy(g => g.Key).Select(g => Group("channel", g.Key is { } c ? EnumNames.Of(c) : "(none)", g)));

        var cohorts = new List<CohortRetention>();
        foreach (var group in stories.GroupBy(s => CohortOf(s.Land!.At)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.Select(s =>
            {
                var land = s.Land!;
                var start = s.ArrAt(land.At);
                var at12 = land.At.AddMonths(12);
                return new CohortAccount(s.AccountId, accounts.TryGetValue(s.AccountId, out var a) ? a.Name : "(hidden)", land.At, start,
                    at12 <= now ? s.ArrAt(at12) : null, s.ArrAt(now), s.Steps.Count(x => x.Role == StoryRole.Expansion));
            }).OrderBy(m => m.LandedAt).ToList();
            var startArr = members.Sum(m => m.StartArr);
            var mature = members.All(m => m.ArrAt12Months is not null);
            decimal? arr12 = mature ? members.Sum(m => m.ArrAt12Months!.Value) : null;
            decimal? gross = mature ? members.Sum(m => Math.Min(m.ArrAt12Months!.Value, m.StartArr)) : null;
            var arrNow = members.Sum(m => m.ArrNow);
            cohorts.Add(new CohortRetention(group.Key, members.Count, startArr, arr12,
                arr12 is { } n && startArr > 0 ? Ratio(n / startArr) : null,
                gross is { } g && startArr > 0 ? Ratio(g / startArr) : null,
                arrNow, startArr > 0 ? Ratio(arrNow / startArr) : null,
                cohort == group.Key ? members : null));
        }
        if (cohort is not null && cohorts.All(c => c.Cohort != cohort))
            notes.Add($"No account you can see landed in {cohort}.");
        return new LandAndExpandReport(now, rates.Currency, report, cohorts, notes);
    }

    /// <summary>The quarter an account landed in, as cohorts are named: 2025-Q3.</summary>
    public static string CohortOf(DateTime at) => $"{at.Year}-Q{(at.Month - 1) / 3 + 1}";

    static double Ratio(decimal value) => Math.Round((double)value, 3);

    static LandAndExpandRow Group(string group, string name, IEnumerable<Story> stories)
    {
        var list = stories.ToList();
        var lands = list.Select(s => s.Land!.Amount).Order().ToList();
        var firstExpansions = list.Select(s => s.Steps.FirstOrDefault(x => x.Role == StoryRole.Expansion) is { } e ? (e.At - s.Land!.At).TotalDays : (double?)null)
            .Where(d => d is not null).Select(d => d!.Value).Order().ToList();
        return new LandAndExpandRow(group, name, list.Count, lands.Count == 0 ? null : Median(lands), firstExpansions.Count,
            list.Count == 0 ? null : Math.Round((double)firstExpansions.Count / list.Count, 3),
            firstExpansions.Count == 0 ? null : Math.Round(Median(firstExpansions), 1));
    }

    static decimal Median(List<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2, 2);

    static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
