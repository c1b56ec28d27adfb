using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;
using Reach.Deals;

namespace Reach.Playbook;

/// <summary>A competitor of the workspace: a row of the competitive matrix and what a deal's <c>competitor</c> names.</summary>
public class Competitor
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public int Position { get; set; }

    /// <summary>What the matrix says of it, by criterion name.</summary>
    public Dictionary<string, string> Cells { get; set; } = [];
}

/// <summary>A column of the competitive matrix (price, onboarding, security…).</summary>
public class CompetitiveCriterion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public int Position { get; set; }
}

/// <summary>The competitive matrix as the API reads and writes it whole: the criteria in order, and each competitor's row.</summary>
public sealed record MatrixInput
{
    [Required, MaxLength(30)] public List<string>? Criteria { get; init; }
    [Required, MaxLength(100)] public List<MatrixRowInput>? Competitors { get; init; }
}

public sealed record MatrixRowInput
{
    [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
    public Dictionary<string, string>? Cells { get; init; }
}

/// <summary>A competitor's row as shown: its cells and the win rate of the closed deals it was named on.</summary>
public sealed record MatrixRow(Guid Id, string Name, IReadOnlyDictionary<string, string> Cells, int Won, int Lost, decimal? WinRate);

/// <summary>The matrix as shown: the criteria in order and every competitor's row with its win rate.</summary>
public sealed record MatrixView(IReadOnlyList<string> Criteria, IReadOnlyList<MatrixRow> Competitors);

/// <summary>
/// The competitive matrix (competitors × criteria) and the win rate against each competitor: of the workspace's closed
/// deals that name it, the share won. Win rates count every deal whoever owns it (a count, no deal shown): the team
/// learns from all its deals. Written by managers and admins (<c>AccessRules</c>); read by everyone.
/// </summary>
public static class CompetitiveMatrix
{
    public const int CellLength = 500;

    public static async Task<MatrixView> ReadAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var criteria = await db.CompetitiveCriteria.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Name).Select(c => c.Name).ToListAsync(cancellationToken);
        var competitors = await db.Competitors.AsNoTracking().OrderBy(c => c.Position).ThenBy(c => c.Name).ToListAsync(cancellationToken);
        var closed = await db.Deals.IgnoreQueryFilters([ReachDb.AccessFilter]).AsNoTracking()
            .Where(d => d.Competitor != null && d.Status != DealStatus.Open)
            .GroupBy(d => new { d.Competitor, d.Status }).Select(g => new { g.Key.Competitor, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        int Count(string name, DealStatus status) => closed.Where(c => string.Equals(c.Competitor, name, StringComparison.OrdinalIgnoreCase) && c.Status == status).Sum(c => c.Count);
        return new MatrixView(criteria, [.. competitors.Select(c =>
        {
            var (won, lost) = (Count(c.Name, DealStatus.Won), Count(c.Name, DealStatus.Lost));
            return new MatrixRow(c.Id, c.Name, c.Cells, won, lost, won + lost == 0 ? null : Math.Round((decimal)won / (won + lost), 4));
        })]);
    }

    /// <summary>
    /// Replaces the matrix with <paramref name="input"/>: criteria and competitors by name (a competitor kept keeps its id,
    /// so deals naming it still do), cells only for known criteria. Errors name the row and field.
    /// </summary>
    public static async Task WriteAsync(ReachDb db, MatrixInput input, CancellationToken cancellationToken)
    {
        InputRules.Validate(input);
        var criteria = input.Criteria!.Select(c => c?.Trim() ?? "").ToList();
        for (var i = 0; i < criteria.Count; i++)
        {
            if (criteria[i].Length is 0 or > 100)
                throw new InputException($"criteria[{i}]", "A criterion needs a name of 1 to 100 characters.");
            if (criteria.IndexOf(criteria[i]) != i)
                throw new InputException($"criteria[{i}]", $"'{criteria[i]}' is listed twice.");
        }
        var rows = input.Competitors!;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
        {
            InputRules.Validate(rows[i]);
            var name = rows[i].Name!.Trim();
            if (!names.Add(name))
                throw new InputException($"competitors[{i}].name", $"'{name}' is listed twice.");
            foreach (var (criterion, text) in rows[i].Cells ?? [])
            {
                if (!criteria.Contains(criterion))
                    throw new InputException($"competitors[{i}].cells", $"'{criterion}' is not one of the criteria: {string.Join(", ", criteria)}.");
                if (text?.Length > CellLength)
                    throw new InputException($"competitors[{i}].cells", $"The cell '{criterion}' of {name} is {text.Length} characters; at most {CellLength}.");
            }
        }

        var oldCriteria = await db.CompetitiveCriteria.ToListAsync(cancellationToken);
        db.CompetitiveCriteria.RemoveRange(oldCriteria.Where(c => !criteria.Contains(c.Name)));
        for (var i = 0; i < criteria.Count; i++)
        {
            var criterion = oldCriteria.FirstOrDefault(c => c.Name == criteria[i]);
            if (criterion is null)
                db.CompetitiveCriteria.Add(new CompetitiveCriterion { Name = criteria[i], Position = i + 1 });
            else
                criterion.Position = i + 1;
        }
        var oldCompetitors = await db.Competitors.ToListAsync(cancellationToken);
        db.Competitors.RemoveRange(oldCompetitors.Where(c => !names.Contains(c.Name)));
        for (var i = 0; i < rows.Count; i++)
        {
            var name = rows[i].Name!.Trim();
            var competitor = oldCompetitors.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (competitor is null)
                db.Competitors.Add(competitor = new Competitor { Name = name });
            competitor.Name = name;
            competitor.Position = i + 1;
            competitor.Cells = (rows[i].Cells ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToDictionary(c => c.Key, c => c.Value.Trim());
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The competitors of the matrix, in its order.</summary>
    public static async Task<List<string>> NamesAsync(ReachDb db, CancellationToken cancellationToken) =>
        await db.Competitors.AsNoTracking().OrderBy(c => c.Position).Select(c => c.Name).ToListAsync(cancellationToken);

    /// <summary>
    /// The name of <paramref name="known"/> that <paramref name="name"/> names (any case, outer spaces ignored), else null:
    /// how a deal's competitor is matched, by <see cref="ResolveAsync"/> and by the deals import.
    /// </summary>
    public static string? Spelling(IEnumerable<string> known, string name) =>
        known.FirstOrDefault(c => c.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The competitor named <paramref name="name"/> (any case), as the matrix spells it; an unknown one is refused
    /// naming the field and the competitors there are. The one rule behind a deal's <c>competitor</c>.
    /// </summary>
    public static async Task<string> ResolveAsync(ReachDb db, string name, CancellationToken cancellationToken)
    {
        var known = await NamesAsync(db, cancellationToken);
        return Spelling(known, name)
            ?? throw new InputException("competitor", known.Count == 0
                ? $"'{name}' is not in the competitive matrix, which has no competitors yet; a manager adds them on the Playbook's matrix."
                : $"'{name}' is not in the competitive matrix: {string.Join(", ", known)}.");
    }
}

sealed class CompetitorMapping : IEntityTypeConfiguration<Competitor>
{
    public void Configure(EntityTypeBuilder<Competitor> competitor)
    {
        competitor.Property(c => c.Name).HasMaxLength(100);
        competitor.HasIndex(c => c.Name).IsUnique();
        competitor.Property(c => c.Cells).HasConversion(
            v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
            v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                (a, b) => System.Text.Json.JsonSerializer.Serialize(a, (System.Text.Json.JsonSerializerOptions?)null) == System.Text.Json.JsonSerializer.Serialize(b, (System.Text.Json.JsonSerializerOptions?)null),
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null).GetHashCode(StringComparison.Ordinal),
                v => new Dictionary<string, string>(v)));
    }
}

sealed class CompetitiveCriterionMapping : IEntityTypeConfiguration<CompetitiveCriterion>
{
    public void Configure(EntityTypeBuilder<CompetitiveCriterion> criterion)
    {
        criterion.Property(c => c.Name).HasMaxLength(100);
        criterion.HasIndex(c => c.Name).IsUnique();
    }
}
