using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Planning;

namespace Reach.Metrics;

/// <summary>A month's cost of a channel, read from a file or assumed by the plan, before it is entered.</summary>
public sealed record MonthCost(string Month, string Channel, decimal Amount, string Currency, string? Note);

/// <summary>What an import of costs did: costs entered, costs whose month and channel were there already and were replaced.</summary>
public sealed record CostImportResult(int Created, int Updated, IReadOnlyList<MonthCost> Costs);

/// <summary>
/// CAC without typing: channel costs from a CSV (month, channel, amount, and optionally currency and note), or the
/// active plan's assumed spend per channel and month as a starting point. Every cost goes through
/// <see cref="ChannelCostInput"/>'s rules; a file with any bad row enters nothing, and the error names the row, the
/// column and the value. A cost for a month and channel already entered (a whole calendar month) is replaced, so
/// importing a corrected file again does not count a month twice. The CLI (<c>reach costs</c>), the API
/// (<c>/api/v1/costs/import</c>, <c>/api/v1/costs/plan</c>) and the Costs page all call this.
/// </summary>
public static class CostImport
{
    static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["month"] = "month",
        ["period"] = "month",
        ["channel"] = "channel",
        ["amount"] = "amount",
        ["cost"] = "amount",
        ["currency"] = "currency",
        ["note"] = "note",
    };

    /// <summary>The most rows a costs file may have: three channels over more than a century of months.</summary>
    public const int MaxRows = 5000;

    /// <summary>The file's costs; a bad header or cell is an <see cref="InputException"/> naming <c>rows[N].column</c> and the value.</summary>
    public static List<MonthCost> Read(TextReader reader, string currency)
    {
        using var csv = CsvReader.Create(reader, new CsvReaderOptions { HasHeader = false, Mode = CsvMode.Rfc4180, SkipEmptyLines = true, FieldCountMismatch = CsvFieldCountHandling.Allow }, false);
        if (!csv.Read())
            throw new InputException("file", "The file is empty; its first line names the columns: month, channel, amount (and optionally currency, note).");
        var header = Cells(csv);
        var index = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            if (!Columns.TryGetValue(name, out var column))
                throw new InputException("file", $"Unknown column '{name}'; the columns are month, channel, amount, currency and note.");
            index[column] = i;
        }
        foreach (var required in new[] { "month", "channel", "amount" })
        {
            if (!index.ContainsKey(required))
                throw new InputException("file", $"The file has no '{required}' column; the columns are month, channel, amount (and optionally currency, note).");
        }
        var costs = new List<MonthCost>();
        var errors = new Dictionary<string, string[]>();
        var row = 0;
        while (csv.Read())
        {
            row++;
            if (row > MaxRows)
                throw new InputException("file", $"The file has more than {MaxRows} rows.");
            var cells = Cells(csv);
            string? Field(string column) => index.TryGetValue(column, out var i) && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            void Error(string column, string message) => errors[$"rows[{row}].{column}"] = [message];

            var month = Field("month");
            if (MonthOf(month) is null)
                Error("month", month is null ? "is missing: a month such as 2026-10." : $"'{month}' is not a month: expected 2026-10 (or 2026-10-01).");
            var channelText = Field("channel");
            var channel = channelText is null ? null : EnumNames.Parse<Channel>(channelText);
            if (channel is null)
                Error("channel", channelText is null ? "is missing: self_service, inside or field." : $"'{channelText}' is not a channel: expected self_service, inside or field.");
            var amountText = Field("amount");
            decimal? amount = null;
            if (amountText is not null && decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                amount = parsed;
            else
                Error("amount", amountText is null ? "is missing: the month's cost, such as 12500 or 12500.50." : $"'{amountText}' is not an amount: expected a number such as 12500.50 (a point for decimals).");
            if (month is not null && MonthOf(month) is { } start && channel is { } c && amount is { } a)
                costs.Add(new MonthCost(start.ToString("yyyy-MM", CultureInfo.InvariantCulture), EnumNames.Of(c), a, Field("currency")?.ToUpperInvariant() ?? currency, Field("note")));
        }
        if (errors.Count > 0)
            throw new InputException(errors);
        if (costs.Count == 0)
            throw new InputException("file", "The file has no costs below its header.");
        var twice = costs.GroupBy(c => (c.Month, c.Channel)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InputException("file", $"{twice.Key.Month} {twice.Key.Channel} appears more than once; give one cost per month and channel.");
        return costs;
    }

    /// <summary>
    /// The active plan's assumed spend per channel and month (payroll and lead budget for sales-led channels, customers ×
    /// acquisition cost for self-service; plan channels of one kind summed) for the months and channels in
    /// [<paramref name="from"/>, <paramref name="to"/>] with no cost entered: a starting point, to be replaced by what
    /// was really spent. Empty without an active plan.
    /// </summary>
    public static async Task<(string? Plan, List<MonthCost> Costs)> PlannedAsync(ReachDb db, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var version = await db.PlanVersions.AsNoTracking().Where(v => v.IsActive).Select(v => new { v.Name, v.Yaml }).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
            return (null, []);
        var plan = PlanReader.Read(version.Yaml);
        var timeline = Planner.Evaluate(plan).Timeline;
        var entered = await db.ChannelCosts.AsNoTracking().Select(c => new { c.Channel, c.PeriodStart, c.PeriodEnd }).ToListAsync(cancellationToken);
        // A partner's commission is paid per deal won, not spent by one of the CRM's three selling channels: it is
        // left out rather than counted as field spending (which would inflate field CAC).
        var planned = timeline.Channels
            .Where(c => c.Kind != ChannelKind.Partner)
            .SelectMany(c => c.Months.Select(m => (Month: plan.Start.AddMonths(m.Month - 1), Channel: ChannelOf(c.Kind), m.Spend)))
            .GroupBy(m => (First: new DateOnly(m.Month.Year, m.Month.Month, 1), m.Channel))
            .Where(g => (from is null || g.Key.First >= MonthStart(from.Value)) && (to is null || g.Key.First <= to.Value))
            .Where(g => !entered.Any(e => e.Channel == g.Key.Channel && e.PeriodStart < g.Key.First.AddMonths(1) && e.PeriodEnd > g.Key.First))
            .OrderBy(g => g.Key.First).ThenBy(g => g.Key.Channel)
            .Select(g => new MonthCost(g.Key.First.ToString("yyyy-MM", CultureInfo.InvariantCulture), EnumNames.Of(g.Key.Channel), Math.Round(g.Sum(m => m.Spend), 2),
                plan.Currency, $"Assumed by the plan '{version.Name}': replace it with what was spent."))
            .Where(c => c.Amount > 0)
            .ToList();
        return (version.Name, planned);
    }

    /// <summary>
    /// Enters <paramref name="costs"/> in one transaction through <see cref="ChannelCostInput"/>: each as a whole
    /// calendar month, replacing a cost entered for exactly that month and channel.
    /// </summary>
    public static async Task<CostImportResult> SaveAsync(ReachDb db, IReadOnlyList<MonthCost> costs, CancellationToken cancellationToken)
    {
        var (created, updated) = (0, 0);
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < costs.Count; i++)
        {
            var cost = costs[i];
            var start = MonthOf(cost.Month)!.Value;
            IRecordInput<ChannelCost, ChannelCostInput> input = new ChannelCostInput
            {
                Channel = EnumNames.Parse<Channel>(cost.Channel),
                PeriodStart = start,
                PeriodEnd = start.AddMonths(1),
                Amount = cost.Amount,
                Currency = cost.Currency,
                Note = cost.Note,
            };
            try
            {
                InputRules.Validate(input);
                var (channel, end) = (EnumNames.Parse<Channel>(cost.Channel), start.AddMonths(1));
                var existing = await db.ChannelCosts.FirstOrDefaultAsync(c => c.Channel == channel && c.PeriodStart == start && c.PeriodEnd == end, cancellationToken);
                if (existing is null)
                {
                    var record = input.ToNew();
                    await input.ApplyAsync(db, record, cancellationToken);
                    db.Add(record);
                    created++;
                }
                else
                {
                    await input.ApplyAsync(db, existing, cancellationToken);
                    updated++;
                }
            }
            catch (InputException e)
            {
                foreach (var (field, messages) in e.Errors)
                    errors[$"rows[{i + 1}].{field}"] = [.. messages.Select(m => $"{m} (value: {ValueOf(cost, field)})")];
            }
        }
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            throw new InputException(errors);
        }
        await db.SaveChangesAsync(cancellationToken);
        return new CostImportResult(created, updated, costs);
    }

    static string ValueOf(MonthCost cost, string field) => field switch
    {
        "amount" => cost.Amount.ToString(CultureInfo.InvariantCulture),
        "currency" => cost.Currency,
        "note" => cost.Note ?? "",
        "channel" => cost.Channel,
        _ => cost.Month,
    };

    /// <summary>The first day of the month a cell names ("2026-10" or a date in it such as "2026-10-01"); null for anything else.</summary>
    public static DateOnly? MonthOf(string? text)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            || DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month))
            return month.Year is >= Period.FirstYear and <= Period.LastYear ? MonthStart(month) : null;
        return null;
    }

    static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);

    static Channel ChannelOf(ChannelKind kind) => kind switch
    {
        ChannelKind.SelfService => Channel.SelfService,
        ChannelKind.Inside => Channel.Inside,
        ChannelKind.Field => Channel.Field,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A partner channel has no CRM channel."),
    };

    static string[] Cells(CsvReader reader)
    {
        var cells = new string[reader.FieldCount];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = reader.GetString(i);
        return cells;
    }
}
