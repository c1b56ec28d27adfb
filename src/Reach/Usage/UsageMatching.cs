using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Usage;

/// <summary>
/// Which account an event belongs to, the one rule for it: its account hint when that is an account's id or domain, else
/// the domain of its user's e-mail matched against accounts' domains. Free-mail domains (<see cref="FreeMail"/>) never
/// match; an event whose company domain no account has stays unmatched, and its domain is a candidate account.
/// </summary>
public static class UsageMatching
{
    /// <summary>The company domain an event points at: its hint's when the hint is a domain, else its e-mail's; never a free-mail one.</summary>
    public static string? DomainOf(UsageEventInput e)
    {
        if (e.AccountHint is { } hint && !Guid.TryParse(hint, out _) && Accounts.Account.NormaliseDomain(hint) is { } hinted && hinted.Contains('.', StringComparison.Ordinal) && !FreeMail.Is(hinted))
            return hinted;
        return e.Email is { } email && UsageEventInput.DomainOfEmail(email) is { } domain && !FreeMail.Is(domain) ? domain : null;
    }

    /// <summary>The accounts of a batch's events: by hinted id, then by domain (one query each).</summary>
    public static async Task<Guid?[]> ResolveAsync(ReachDb db, IReadOnlyList<UsageEventInput> events, IReadOnlyList<string?> domains, CancellationToken cancellationToken)
    {
        var hintedIds = events.Select(e => Guid.TryParse(e.AccountHint, out var id) ? id : (Guid?)null).ToList();
        var ids = hintedIds.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();
        var known = ids.Count == 0 ? [] : (await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        var names = domains.Where(d => d is not null).Select(d => d!).Distinct().ToList();
        var byDomain = names.Count == 0 ? [] : await db.Accounts.AsNoTracking().Where(a => a.Domain != null && names.Contains(a.Domain))
            .Select(a => new { a.Id, Domain = a.Domain! }).ToDictionaryAsync(a => a.Domain, a => a.Id, cancellationToken);
        var result = new Guid?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            if (hintedIds[i] is { } id && known.Contains(id))
                result[i] = id;
            else if (domains[i] is { } domain && byDomain.TryGetValue(domain, out var account))
                result[i] = account;
        }
        return result;
    }

    /// <summary>
    /// Matches the events of domains that had no account when they came and have one now (a candidate made an account,
    /// an account's domain was set): one update per such domain, with its events' rows in the usage rollup. Returns the accounts that gained events.
    /// </summary>
    public static async Task<List<Guid>> RematchAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var pairs = await (
            from domain in db.UsageEvents.Where(e => e.AccountId == null && e.Domain != null).Select(e => e.Domain).Distinct()
            join account in db.Accounts on domain equals account.Domain
            select new { Domain = domain!, account.Id }).ToListAsync(cancellationToken);
        foreach (var pair in pairs)
        {
            // The events and their rollup move together.
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await db.UsageEvents.Where(e => e.AccountId == null && e.Domain == pair.Domain).ExecuteUpdateAsync(s => s.SetProperty(e => e.AccountId, pair.Id), cancellationToken);
            await UsageDay.AddEventsAsync(db, "\"AccountId\" = {0} AND \"Domain\" = {1}", [pair.Id, pair.Domain], cancellationToken);
            if (transaction is not null)
                await transaction.CommitAsync(cancellationToken);
        }
        return [.. pairs.Select(p => p.Id).Distinct()];
    }
}
