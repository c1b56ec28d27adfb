using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Playbook;

/// <summary>
/// What the playbook offers on a deal: the items whose tags fit the deal's segment (its account's tier), channel and
/// stage, the kinds a rep uses in the conversation first. Read by the deal page and <c>GET /deals/{id}/playbook</c>.
/// </summary>
public static class DealPlaybook
{
    /// <summary>The kinds shown on a deal, in the order the page shows them.</summary>
    public static readonly PlaybookKind[] OnDeal =
        [PlaybookKind.Script, PlaybookKind.OnePager, PlaybookKind.TalkingPoints, PlaybookKind.DifficultQa, PlaybookKind.UrgencyAngle, PlaybookKind.CastOfCharacters, PlaybookKind.References];

    /// <summary>The items for <paramref name="deal"/> (loaded with its account and stage).</summary>
    public static async Task<List<PlaybookItem>> ItemsAsync(ReachDb db, Deal deal, CancellationToken cancellationToken)
    {
        var filter = new PlaybookFilter { Segment = deal.Account?.Tier, Channel = deal.Channel, Stage = deal.Stage?.Name };
        var items = await filter.Apply(db.PlaybookItems.AsNoTracking()).ToListAsync(cancellationToken);
        // An item for no segment is kept by the filter; one for another segment is not, even when the account has no tier.
        return [.. items.Where(i => i.Fits(deal.Account?.Tier, deal.Channel, deal.Stage?.Name) && OnDeal.Contains(i.Kind))
            .OrderBy(i => Array.IndexOf(OnDeal, i.Kind)).ThenBy(i => i.Title, StringComparer.OrdinalIgnoreCase)];
    }
}
