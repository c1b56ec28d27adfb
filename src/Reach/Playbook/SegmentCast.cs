using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Playbook;

/// <summary>A role the segment's cast of characters names: what they care about, and who plays it on the deal.</summary>
public sealed record CastRole(ContactRole Role, string CaresAbout, IReadOnlyList<string> PlayedBy)
{
    public bool Missing => PlayedBy.Count == 0;
}

/// <summary>A deal's contacts against its segment's cast of characters; <see cref="Missing"/> names the roles nobody plays.</summary>
public sealed record CastCheck(string? Document, IReadOnlyList<CastRole> Roles)
{
    public IReadOnlyList<ContactRole> Missing => [.. Roles.Where(r => r.Missing).Select(r => r.Role)];
}

/// <summary>
/// Checks a deal's contact roles against the cast of characters document of its segment (the playbook items of kind
/// cast_of_characters that fit the deal). The document names a role at the start of a line: "Champion: the head of
/// sales (cares about…)"; the role names are the contact roles' (champion, economic buyer, technical buyer, user,
/// influencer, blocker, gatekeeper), any case.
/// </summary>
public static class SegmentCast
{
    public static async Task<CastCheck> CheckAsync(ReachDb db, Deal deal, CancellationToken cancellationToken)
    {
        var items = (await DealPlaybook.ItemsAsync(db, deal, cancellationToken)).Where(i => i.Kind == PlaybookKind.CastOfCharacters).ToList();
        var expected = new Dictionary<ContactRole, string>();
        foreach (var item in items)
        {
            foreach (var (role, caresAbout) in Roles(item.Body))
                expected.TryAdd(role, caresAbout);
        }
        var cast = await db.DealContacts.AsNoTracking().Where(l => l.DealId == deal.Id)
            .Join(db.Contacts.AsNoTracking(), l => l.ContactId, c => c.Id, (l, c) => new { l.Role, c.FirstName, c.LastName })
            .ToListAsync(cancellationToken);
        return new CastCheck(items.FirstOrDefault()?.Title,
            [.. expected.Select(e => new CastRole(e.Key, e.Value, [.. cast.Where(c => c.Role == e.Key).Select(c => string.IsNullOrEmpty(c.LastName) ? c.FirstName : $"{c.FirstName} {c.LastName}")]))]);
    }

    /// <summary>The roles a cast of characters text names, each with the rest of its line.</summary>
    public static IEnumerable<(ContactRole Role, string CaresAbout)> Roles(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var name = new string([.. line[..colon].Where(char.IsLetter)]);
            if (Enum.TryParse<ContactRole>(name, ignoreCase: true, out var role) && role != ContactRole.Unknown && Enum.IsDefined(role))
                yield return (role, line[(colon + 1)..].Trim());
        }
    }
}
