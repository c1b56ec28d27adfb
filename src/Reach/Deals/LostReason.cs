using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Deals;

/// <summary>
/// One of the workspace's reasons a deal is lost: the list the board, the deal page and the API choose from, so that
/// "why we lose" can be counted. A reason no longer offered is made inactive, never deleted from deals that carry it.
/// </summary>
public class LostReason
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>What a new workspace starts with.</summary>
    public static readonly string[] Defaults = ["Price", "Timing", "Lost to a competitor", "No decision", "Lost to status quo", "Product fit"];

    /// <summary>Adds the default reasons when the workspace has none.</summary>
    public static async Task EnsureAsync(ReachDb db, CancellationToken cancellationToken = default)
    {
        if (await db.LostReasons.AnyAsync(cancellationToken))
            return;
        db.LostReasons.AddRange(Defaults.Select((name, i) => new LostReason { Name = name, Position = i + 1 }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The active reason named <paramref name="name"/> (any case), as the list spells it; an unknown one is refused
    /// naming the field and the reasons there are.
    /// </summary>
    public static async Task<string> ResolveAsync(ReachDb db, string name, CancellationToken cancellationToken)
    {
        var active = await db.LostReasons.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).Select(r => r.Name).ToListAsync(cancellationToken);
        return active.FirstOrDefault(r => r.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InputException("lostReason", $"'{name}' is not one of the workspace's lost reasons: {string.Join(", ", active)}.");
    }
}

public sealed record LostReasonInput
{
    [Required, StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
    [Range(0, 10000)] public int? Position { get; init; }
    public bool? IsActive { get; init; }

    public static LostReasonInput From(LostReason r) => new() { Name = r.Name, Position = r.Position, IsActive = r.IsActive };

    /// <summary>Checks the name is not another reason's, then writes the input onto <paramref name="reason"/>.</summary>
    public async Task ApplyAsync(ReachDb db, LostReason reason, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        var name = Name!.Trim();
        var lower = name.ToLowerInvariant();
        if (await db.LostReasons.AnyAsync(r => r.Id != reason.Id && r.Name.ToLower() == lower, cancellationToken))
            throw new InputException("name", $"There is already a lost reason named '{name}'.");
        reason.Name = name;
        reason.Position = Position ?? (reason.Position != 0 ? reason.Position : (await db.LostReasons.MaxAsync(r => (int?)r.Position, cancellationToken) ?? 0) + 1);
        reason.IsActive = IsActive ?? true;
    }
}

sealed class LostReasonMapping : IEntityTypeConfiguration<LostReason>
{
    public void Configure(EntityTypeBuilder<LostReason> reason)
    {
        reason.Property(r => r.Name).HasMaxLength(100);
        reason.HasIndex(r => r.Name).IsUnique();
    }
}
