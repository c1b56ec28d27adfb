using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Usage;

/// <summary>
/// b2e2b's moment (seed 004): when enough of a company uses the product, a salesperson makes the upsell. An account is
/// over the threshold with at least <see cref="WorkspaceSettings.UsageWeeklyActiveUsers"/> weekly active users, or with
/// at least <see cref="WorkspaceSettings.UsageEmployeeSharePercent"/> % of its employees active weekly (and at least
/// <see cref="MinUsersForShare"/> of them). The first time it is, an expansion deal is opened for the account's owner
/// with the evidence, once: a <see cref="UsageCrossing"/> per account, unique, however often the rule runs.
/// </summary>
public static class UsageRule
{
    /// <summary>A share of a small company's staff is not a team until this many use the product (1 of 20 is 5 %).</summary>
    public const int MinUsersForShare = 3;

    /// <summary>An expansion deal the rule opened.</summary>
    public sealed record Opened(Guid AccountId, string AccountName, Guid DealId, Guid? OwnerId, string Rule);

    /// <summary>The part of the rule the figures meet, in words; null when they meet none.</summary>
    public static string? Met(UsageFigures.Counts c, WorkspaceSettings settings)
    {
        if (c.Weekly >= settings.UsageWeeklyActiveUsers)
            return $"{c.Weekly} weekly active users ≥ {settings.UsageWeeklyActiveUsers}";
        if (c.SharePercent is { } share && c.Weekly >= MinUsersForShare && share >= settings.UsageEmployeeSharePercent)
            return $"{UsageFigures.Percent(share)} of {c.Employees} employees active weekly ≥ {UsageFigures.Percent(settings.UsageEmployeeSharePercent)}";
        return null;
    }

    /// <summary>
    /// Runs the rule over <paramref name="accountIds"/> (null: every account with recent usage) and opens a deal for each
    /// account over the threshold that never crossed it before. Each account's deal, note and crossing commit together.
    /// </summary>
    public static async Task<List<Opened>> EvaluateAsync(ReachDb db, IReadOnlyCollection<Guid>? accountIds, CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        var rematched = await UsageMatching.RematchAsync(db, cancellationToken);
        var ids = accountIds is null ? null : accountIds.Union(rematched).ToList();
        var over = (await UsageFigures.ForAccountsAsync(db, ids, now, cancellationToken)).Where(u => u.OverThreshold && u.CrossedAt is null).ToList();
        var opened = new List<Opened>();
        if (over.Count == 0)
            return opened;
        var currency = await WorkspaceSettings.CurrencyAsync(db, cancellationToken);
        foreach (var usage in over)
        {
            if (await OpenAsync(db, usage, currency, now, cancellationToken) is { } deal)
                opened.Add(deal);
        }
        return opened;
    }

    static async Task<Opened?> OpenAsync(ReachDb db, AccountUsage usage, string currency, DateTime now, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.Id == usage.AccountId, cancellationToken);
        // What they bought before is the best guess of the next step's size (start small, then grow: seed 002); the rep sets it.
        var landed = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking()
            .Where(d => d.AccountId == account.Id && d.Status == DealStatus.Won).OrderByDescending(d => d.ClosedAt)
            .Select(d => new { d.Amount, d.Currency }).FirstOrDefaultAsync(cancellationToken);
        var evidence = Evidence(usage);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var input = new DealInput
            {
                Name = Cut($"{account.Name} — expansion: {usage.WeeklyActiveUsers} weekly users", 200),
                AccountId = account.Id,
                Amount = landed?.Amount ?? 0m,
                Currency = landed?.Currency ?? currency,
                Channel = account.Channel ?? DealInput.DefaultChannel,
                Kind = DealKind.Expansion,
                NextStep = Cut($"Usage crossed the threshold ({usage.ThresholdMet}): talk to the team about a company-wide plan.", 500),
                OwnerId = account.OwnerId,
            };
            InputRules.Validate(input);
            var deal = input.ToNew();
            deal.Id = StableId(now, account.Id, "deal");
            await input.ApplyAsync(db, deal, cancellationToken);
            db.Deals.Add(deal);
            db.Activities.Add(new Activity
            {
                Id = StableId(now, account.Id, "note"),
                Type = ActivityType.Note,
                Subject = "Product usage crossed the threshold",
                Body = evidence,
                OccurredAt = now,
                AccountId = account.Id,
                DealId = deal.Id,
                OwnerId = account.OwnerId,
            });
            db.UsageCrossings.Add(new UsageCrossing
            {
                Id = StableId(now, account.Id, "crossing"),
                AccountId = account.Id,
                DealId = deal.Id,
                CrossedAt = now,
                DailyActiveUsers = usage.DailyActiveUsers,
                WeeklyActiveUsers = usage.WeeklyActiveUsers,
                MonthlyActiveUsers = usage.MonthlyActiveUsers,
                Employees = usage.Employees,
                EmployeeSharePercent = usage.EmployeeSharePercent,
                Score = usage.Score,
                Rule = Cut(usage.ThresholdMet!, 200),
                Evidence = Cut(evidence, 4000),
            });
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new Opened(account.Id, account.Name, deal.Id, account.OwnerId, usage.ThresholdMet!);
        }
        catch (DbUpdateException e) when (ImportKeys.IsUniqueViolation(e))
        {
            // Another evaluation crossed it first (two ingest calls at once): its deal is the one.
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>The evidence a rep reads on the deal: the figures, the rule met and what made the score.</summary>
    public static string Evidence(AccountUsage u)
    {
        var lines = new List<string>
        {
            $"Rule met: {u.ThresholdMet}.",
            $"Active users: {u.DailyActiveUsers} in the last day, {u.WeeklyActiveUsers} in the last 7 days, {u.MonthlyActiveUsers} in the last 30 days.",
            u.WeeklyGrowthPercent is { } g ? $"Growth: {u.PreviousWeeklyActiveUsers} → {u.WeeklyActiveUsers} weekly users ({(g >= 0 ? "+" : "")}{UsageFigures.Percent(g)})." : $"Growth: nobody the 7 days before, {u.WeeklyActiveUsers} now.",
            u.EmployeeSharePercent is { } s ? $"Share of employees: {UsageFigures.Percent(s)} of {u.Employees}." : "Share of employees: employees unknown.",
            $"Product-qualified score {u.Score}/100: " + string.Join("; ", u.ScoreParts.Select(p => $"{p.Reason} {p.Points}/{p.OutOf}")) + ".",
        };
        return string.Join('\n', lines);
    }

    /// <summary>
    /// A time-ordered (v7) id whose other bits come from the account: the same crossing at the same instant gets the
    /// same ids, so the demo's promise holds (the same seed and now give the same workspace, ids included).
    /// </summary>
    static Guid StableId(DateTime at, Guid accountId, string part)
    {
        var bytes = Guid.CreateVersion7(new DateTimeOffset(at)).ToByteArray(bigEndian: true);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(accountId.ToString("N") + part));
        hash.AsSpan(6, 10).CopyTo(bytes.AsSpan(6));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
