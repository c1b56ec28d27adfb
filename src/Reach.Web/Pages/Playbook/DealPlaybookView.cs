using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>
/// The playbook panel of the deal page: the items that fit the deal (<see cref="DealPlaybook"/>) and the search of
/// difficult questions and answers (<c>?qa=</c>), across every segment and stage, so a rep finds an answer on any deal.
/// </summary>
public sealed record DealPlaybookView(Guid DealId, string? StageName, IReadOnlyList<PlaybookItem> Items, string? Query, IReadOnlyList<PlaybookItem> Answers,
    MatrixView Matrix, string? Competitor)
{
    /// <summary>The deal's competitor's row of the matrix, when the deal names one the matrix has.</summary>
    /// <summary>The deal's contact roles against its segment's cast of characters.</summary>
    public CastCheck? Cast { get; init; }

    /// <summary>The deal's documents, newest first, and the templates it can be drawn from.</summary>
    public IReadOnlyList<DealDocument> Documents { get; init; } = [];
    public IReadOnlyList<PlaybookItem> Templates { get; init; } = [];

    /// <summary>Whether the reader may draw and send the deal's documents (whoever may change the deal).</summary>
    public bool CanChange { get; init; }

    public MatrixRow? CompetitorRow => Competitor is null ? null : Matrix.Competitors.FirstOrDefault(c => string.Equals(c.Name, Competitor, StringComparison.OrdinalIgnoreCase));

    public static async Task<DealPlaybookView> LoadAsync(ReachDb db, Deal deal, string? query, CancellationToken cancellationToken)
    {
        var items = await DealPlaybook.ItemsAsync(db, deal, cancellationToken);
        IReadOnlyList<PlaybookItem> answers = [];
        if (!string.IsNullOrWhiteSpace(query))
            answers = await new PlaybookFilter { Text = query, Kind = PlaybookKind.DifficultQa }.Apply(db.PlaybookItems.AsNoTracking()).Take(20).ToListAsync(cancellationToken);
        var actor = db.Actor;
        return new DealPlaybookView(deal.Id, deal.Stage?.Name, items, query?.Trim(), answers, await CompetitiveMatrix.ReadAsync(db, cancellationToken), deal.Competitor)
        {
            Cast = await SegmentCast.CheckAsync(db, deal, cancellationToken),
            Documents = await DealDocuments.ListAsync(db, deal.Id, cancellationToken),
            Templates = await DealDocuments.TemplatesAsync(db, cancellationToken),
            CanChange = actor is null || (actor.CanWrite && (deal.OwnerId is null || actor.AnswersFor(deal.OwnerId))),
        };
    }
}
