using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;

namespace Reach.Expansion;

/// <summary>
/// One reference of the pool as the page, the API, the CLI and the document show it: the account, what it agreed to,
/// how often it was asked (this quarter against the workspace's limit, and in all) and, for a prospect, how well it
/// matches (<see cref="Score"/>, explained by <see cref="Reasons"/>).
/// </summary>
public sealed record ReferenceEntry(
    Guid AccountId, string Account, string? Industry, string? Region, string? Segment, int? Employees, Guid? OwnerId, string? OwnerName,
    IReadOnlyList<ReferenceKind> AgreedTo, string AgreedBy, DateOnly AgreedOn, string? Note, IReadOnlyList<string> Products,
    int UsesThisQuarter, int UsesInAll, int UsesPerQuarter, DateTime? LastUsedAt, bool Available, string? Unavailable,
    int Score, IReadOnlyList<string> Reasons);

/// <summary>The pool (or the matches for a prospect, best first) and the limit it was read with.</summary>
public sealed record ReferenceList(ProspectView? Prospect, int UsesPerQuarter, string Quarter, IReadOnlyList<ReferenceEntry> Items);

/// <summary>The prospect a list was ranked for, with what it was matched on.</summary>
public sealed record ProspectView(Guid Id, string Name, string? Industry, string? Region, string? Segment, int? Employees, IReadOnlyList<string> Products);

/// <summary>What an ask made: the use counted and the task given to the reference's owner.</summary>
public sealed record ReferenceAsk(Guid Id, Guid ReferenceAccountId, Guid ProspectAccountId, Guid? DealId, ReferenceKind Kind, DateTime AskedAt,
    Guid TaskId, Guid? TaskOwnerId, string Task, int UsesThisQuarter, int UsesPerQuarter);

/// <summary>A reference asked as often this quarter as the workspace allows (<see cref="WorkspaceSettings.ReferenceUsesPerQuarter"/>).</summary>
public sealed class ReferenceLimitException(string message) : Exception(message);

/// <summary>
/// The reference pool (seed 002: build reference customers, then move up): accounts that agreed to be a reference,
/// found for a prospect by what they share (segment, industry, region, products, size), asked with a task to their
/// owner, and never more often per quarter than the workspace setting says. The one rule the pages, API and CLI use.
/// </summary>
/// <remarks>
/// Every user reads the pool (accounts are read by everyone); the products a reference bought are read over every
/// owner's won deals, as names only, like the deal-size guardrail's figures. A quarter is the calendar quarter.
/// </remarks>
public static class ReferencePool
{
    // What each shared trait is worth in the ranking: the segment and the industry say most about whether a prospect
    // will recognise itself in the reference; region and products next; size last.
    const int SegmentWeight = 3, IndustryWeight = 3, RegionWeight = 2, ProductWeight = 2, SizeWeight = 2;

    /// <summary>The pool, or with <paramref name="prospectId"/> its references ranked for that prospect (best first, explained).</summary>
    public static async Task<ReferenceList> ListAsync(ReachDb db, Guid? prospectId, CancellationToken cancellationToken)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var now = db.UtcNow;
        var quarter = Period.Containing(now, PeriodKind.Quarter);
        var (from, to) = Bounds(quarter);
        ProspectView? prospect = null;
        if (prospectId is { } pid)
        {
            var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == pid, cancellationToken)
                ?? throw new InputException("prospect", $"'{pid}' is not an account.");
            prospect = new ProspectView(account.Id, account.Name, account.Industry, account.Region, account.Segment, account.Employees,
                await ProductsAsync(db, account.Id, won: false, cancellationToken));
        }
        var references = await db.References.AsNoTracking().Include(r => r.Account)
            .Where(r => r.WithdrawnAt == null && r.Account!.DeletedAt == null && (prospectId == null || r.AccountId != prospectId))
            .ToListAsync(cancellationToken);
        var ids = references.Select(r => r.Id).ToList();
        var uses = await db.ReferenceUses.AsNoTracking().Where(u => ids.Contains(u.ReferenceId))
            .Select(u => new { u.ReferenceId, u.AskedAt }).ToListAsync(cancellationToken);
        var ownerIds = references.Where(r => r.Account!.OwnerId != null).Select(r => r.Account!.OwnerId!.Value).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var accountIds = references.Select(r => r.AccountId).ToList();
        var products = await WonProductsAsync(db, accountIds, cancellationToken);
        var entries = new List<ReferenceEntry>();
        foreach (var r in references)
        {
            var mine = uses.Where(u => u.ReferenceId == r.Id).ToList();
            var thisQuarter = mine.Count(u => u.AskedAt >= from && u.AskedAt < to);
            var available = thisQuarter < settings.ReferenceUsesPerQuarter;
            var a = r.Account!;
            var bought = products.GetValueOrDefault(a.Id) ?? [];
            var (score, reasons) = prospect is null ? (0, (IReadOnlyList<string>)[]) : Match(prospect, a, bought);
            entries.Add(new ReferenceEntry(a.Id, a.Name, a.Industry, a.Region, a.Segment, a.Employees, a.OwnerId,
                a.OwnerId is { } o ? owners.GetValueOrDefault(o) : null, r.Kinds, r.AgreedBy, r.AgreedOn, r.Note, bought,
                thisQuarter, mine.Count, settings.ReferenceUsesPerQuarter, mine.Count == 0 ? null : mine.Max(u => u.AskedAt), available,
                available ? null : $"asked {thisQuarter} of {settings.ReferenceUsesPerQuarter} times this quarter; free again from {quarter.End:yyyy-MM-dd}",
                score, reasons));
        }
        IEnumerable<ReferenceEntry> ranked = prospect is null
            ? entries.OrderBy(e => e.Account, StringComparer.OrdinalIgnoreCase)
            : entries.OrderByDescending(e => e.Available).ThenByDescending(e => e.Score).ThenBy(e => e.UsesThisQuarter)
                .ThenBy(e => e.LastUsedAt ?? DateTime.MinValue).ThenBy(e => e.Account, StringComparer.OrdinalIgnoreCase);
        return new ReferenceList(prospect, settings.ReferenceUsesPerQuarter, quarter.Label, [.. ranked]);
    }

    /// <summary>How well a reference matches a prospect, and why: each shared trait named with its value.</summary>
    public static (int Score, IReadOnlyList<string> Reasons) Match(ProspectView prospect, Account reference, IReadOnlyList<string> bought)
    {
        var score = 0;
        var reasons = new List<string>();
        static bool Same(string? a, string? b) => !string.IsNullOrWhiteSpace(a) && string.Equals(a.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
        if (Same(prospect.Segment, reference.Segment))
        {
            score += SegmentWeight;
            reasons.Add($"same segment ({reference.Segment})");
        }
        if (Same(prospect.Industry, reference.Industry))
        {
            score += IndustryWeight;
            reasons.Add($"same industry ({reference.Industry})");
        }
        if (Same(prospect.Region, reference.Region))
        {
            score += RegionWeight;
            reasons.Add($"same region ({reference.Region})");
        }
        var shared = bought.Where(p => prospect.Products.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (shared.Count > 0)
        {
            score += ProductWeight * Math.Min(shared.Count, 2);
            reasons.Add($"uses {string.Join(", ", shared)}, in the prospect's deal");
        }
        if (prospect.Employees is > 0 and var p && reference.Employees is > 0 and var e)
        {
            var ratio = (double)Math.Max(p, e) / Math.Min(p, e);
            var ci = CultureInfo.InvariantCulture;
            if (ratio <= 2)
            {
                score += SizeWeight;
                reasons.Add($"similar size ({e.ToString("N0", ci)} employees; the prospect {p.ToString("N0", ci)})");
            }
            else if (ratio <= 4)
            {
                score += SizeWeight / 2;
                reasons.Add($"size within 4× ({e.ToString("N0", ci)} employees; the prospect {p.ToString("N0", ci)})");
            }
        }
        if (reasons.Count == 0)
            reasons.Add("shares no segment, industry, region, product or size with the prospect");
        return (score, reasons);
    }

    /// <summary>
    /// Asks the reference of <paramref name="referenceAccountId"/> for <paramref name="prospectId"/>: a task to the
    /// reference account's owner (the asker when it has none), counted as a use. Refused when the reference did not agree
    /// to <paramref name="kind"/>, or was asked as often this quarter as the workspace allows.
    /// </summary>
    public static async Task<ReferenceAsk?> AskAsync(ReachDb db, Guid referenceAccountId, Guid prospectId, ReferenceKind kind, Guid? dealId, string? note,
        CancellationToken cancellationToken)
    {
        var reference = await db.References.Include(r => r.Account)
            .FirstOrDefaultAsync(r => r.AccountId == referenceAccountId && r.WithdrawnAt == null && r.Account!.DeletedAt == null, cancellationToken);
        if (reference is null)
            return null;
        var account = reference.Account!;
        if (note is { Length: > 2000 })
            throw new InputException("note", "The note is longer than 2000 characters.");
        if (!reference.Allows(kind))
            throw new InputException("kind", $"{account.Name} agreed to {Words(reference.Kinds)}, not to {Word(kind)}.");
        if (prospectId == referenceAccountId)
            throw new InputException("prospectId", $"{account.Name} cannot be its own reference; name the prospect's account.");
        var prospect = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == prospectId, cancellationToken)
            ?? throw new InputException("prospectId", $"'{prospectId}' is not an account.");
        if (dealId is { } did && !await db.Deals.AnyAsync(d => d.Id == did && d.AccountId == prospectId, cancellationToken))
            throw new InputException("dealId", $"'{did}' is not a deal of {prospect.Name} that you can see.");
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var now = db.UtcNow;
        var quarter = Period.Containing(now, PeriodKind.Quarter);
        var (from, to) = Bounds(quarter);
        var used = await db.ReferenceUses.CountAsync(u => u.ReferenceId == reference.Id && u.AskedAt >= from && u.AskedAt < to, cancellationToken);
        if (used >= settings.ReferenceUsesPerQuarter)
            throw new ReferenceLimitException($"{account.Name} was asked {used} times this quarter, as many as the workspace allows (referenceUsesPerQuarter = {settings.ReferenceUsesPerQuarter}); ask another reference, or again from {quarter.End:yyyy-MM-dd}.");
        var asker = db.Actor?.UserId is { } uid ? await db.Users.Where(u => u.Id == uid).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var subject = $"Reference ask: {Word(kind)} with {account.Name} for {prospect.Name}";
        var task = new Activity
        {
            Type = ActivityType.Task,
            Subject = subject.Length > 300 ? subject[..300] : subject,
            Body = $"{asker ?? "A colleague"} asks {account.Name} ({reference.AgreedBy} agreed on {reference.AgreedOn:yyyy-MM-dd}) for {Word(kind)} with {prospect.Name}."
                + (string.IsNullOrWhiteSpace(note) ? "" : "\n\n" + note.Trim()),
            OccurredAt = now,
            DueAt = now.Date.AddDays(2).AddHours(9),
            AccountId = account.Id,
            OwnerId = account.OwnerId ?? db.Actor?.UserId,
        };
        var use = new ReferenceUse
        {
            ReferenceId = reference.Id,
            ProspectAccountId = prospectId,
            DealId = dealId,
            Kind = kind,
            AskedById = db.Actor?.UserId,
            AskedAt = now,
            TaskId = task.Id,
        };
        db.Activities.Add(task);
        db.ReferenceUses.Add(use);
        await db.SaveChangesAsync(cancellationToken);
        return new ReferenceAsk(use.Id, account.Id, prospectId, dealId, kind, now, task.Id, task.OwnerId, task.Subject, used + 1, settings.ReferenceUsesPerQuarter);
    }

    static (DateTime From, DateTime To) Bounds(Period quarter) =>
        (quarter.Start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), quarter.End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>A kind as a sentence says it: "a call", "the logo", "a case study".</summary>
    public static string Word(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Call => "a call",
        ReferenceKind.Logo => "the logo",
        _ => "a case study",
    };

    /// <summary>What was agreed, as a list a reader reads: "call, logo, case study".</summary>
    public static string Words(IEnumerable<ReferenceKind> kinds) =>
        string.Join(", ", kinds.Select(k => k switch { ReferenceKind.Call => "call", ReferenceKind.Logo => "logo", _ => "case study" }));

    /// <summary>Reads a kind as the API, the form and the CLI write it (call, logo, case_study / caseStudy / case study).</summary>
    public static ReferenceKind? ParseKind(string? text) => text?.Trim().ToLowerInvariant().Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) switch
    {
        "call" => ReferenceKind.Call,
        "logo" => ReferenceKind.Logo,
        "casestudy" => ReferenceKind.CaseStudy,
        _ => null,
    };

    // The products on an account's deals: won ones (what a reference bought) or open ones (what a prospect considers).
    static async Task<IReadOnlyList<string>> ProductsAsync(ReachDb db, Guid accountId, bool won, CancellationToken cancellationToken)
    {
        var deals = db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]);
        return await db.DealLineItems.AsNoTracking()
            .Where(i => deals.Any(d => d.Id == i.DealId && d.AccountId == accountId
                && (won ? d.Status == DealStatus.Won : d.Status == DealStatus.Open)))
            .Join(db.Products.IgnoreQueryFilters(), i => i.ProductId, p => p.Id, (i, p) => p.Name)
            .Distinct().OrderBy(n => n).ToListAsync(cancellationToken);
    }

    static async Task<Dictionary<Guid, IReadOnlyList<string>>> WonProductsAsync(ReachDb db, List<Guid> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
            return [];
        var deals = db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]);
        var rows = await db.DealLineItems.AsNoTracking()
            .Join(deals.Where(d => d.Status == DealStatus.Won && d.AccountId != null && accountIds.Contains(d.AccountId.Value)),
                i => i.DealId, d => d.Id, (i, d) => new { AccountId = d.AccountId!.Value, i.ProductId })
            .Join(db.Products.IgnoreQueryFilters(), x => x.ProductId, p => p.Id, (x, p) => new { x.AccountId, p.Name })
            .Distinct().ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase)]);
    }
}
