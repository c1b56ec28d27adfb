using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Access;
using Reach.Data;

namespace Reach.Metrics;

/// <summary>
/// What a metric should reach over a period, for the workspace, one team or one rep, all channels or one. Managers
/// and admins set targets; reps read their own and their team's (AccessRules, ReachDb's access filter).
/// </summary>
public class Target : Record
{
    /// <summary>A metric id of the catalogue (<see cref="MetricCatalogue"/>), e.g. "bookings".</summary>
    public required string Metric { get; set; }
    public DateOnly PeriodStart { get; set; }

    /// <summary>The day after the period's last day.</summary>
    public DateOnly PeriodEnd { get; set; }

    /// <summary>Set for a team's target; neither this nor <see cref="UserId"/> for the workspace's.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>Set for a rep's target.</summary>
    public Guid? UserId { get; set; }

    /// <summary>Null for all channels together.</summary>
    public Channel? Channel { get; set; }

    /// <summary>In the workspace currency for money metrics; a fraction (0.25) for rates; days for cycles.</summary>
    public decimal Value { get; set; }
}

sealed class TargetMapping : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> target)
    {
        target.Property(t => t.Metric).HasMaxLength(40);
        target.Property(t => t.Value).HasPrecision(18, 4);
        target.Property(t => t.Channel).HasConversion<string>().HasMaxLength(20);
        target.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);
        target.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        target.HasIndex(t => new { t.Metric, t.PeriodStart });
    }
}

public sealed record TargetInput : IRecordInput<Target, TargetInput>
{
    [Required] public string? Metric { get; init; }
    [Required] public DateOnly? PeriodStart { get; init; }
    [Required] public DateOnly? PeriodEnd { get; init; }
    public Guid? TeamId { get; init; }
    public Guid? UserId { get; init; }
    public Channel? Channel { get; init; }
    [Required, Range(typeof(decimal), "0", "1000000000000")] public decimal? Value { get; init; }

    public static TargetInput From(Target t) => new()
    {
        Metric = t.Metric,
        PeriodStart = t.PeriodStart,
        PeriodEnd = t.PeriodEnd,
        TeamId = t.TeamId,
        UserId = t.UserId,
        Channel = t.Channel,
        Value = t.Value,
    };

    public Target ToNew()
    {
        var target = new Target { Metric = Metric! };
        ApplyTo(target);
        return target;
    }

    public void ApplyTo(Target t)
    {
        // The catalogue's own id, whatever the case typed: figures and the overlap rule compare ids exactly.
        t.Metric = MetricCatalogue.Find(Metric!)?.Id ?? Metric!;
        t.PeriodStart = PeriodStart!.Value;
        t.PeriodEnd = PeriodEnd!.Value;
        t.TeamId = TeamId;
        t.UserId = UserId;
        t.Channel = Channel;
        t.Value = Value!.Value;
    }

    public Task CheckAsync(ReachDb db, CancellationToken cancellationToken) => CheckAsync(db, null, cancellationToken);

    async Task IRecordInput<Target, TargetInput>.ApplyAsync(ReachDb db, Target entity, CancellationToken cancellationToken)
    {
        await CheckAsync(db, entity.Id, cancellationToken);
        ApplyTo(entity);
    }

    // A deleted target comes back only if no other has taken its days meanwhile.
    Task IRecordInput<Target, TargetInput>.CheckRestoreAsync(ReachDb db, Target entity, CancellationToken cancellationToken) =>
        CheckAsync(db, entity.Id, cancellationToken);

    // Overlapping targets of one scope, metric and channel would be added together: one covers a day, or none.
    async Task CheckAsync(ReachDb db, Guid? self, CancellationToken cancellationToken)
    {
        if (MetricCatalogue.Find(Metric!) is null)
            throw new InputException("metric", $"'{Metric}' is not a metric; metrics: {string.Join(", ", MetricCatalogue.All.Select(m => m.Id))}.");
        // A win rate is a share of the deals closed: at most all of them (pipeline coverage, the other ratio, may be 3×).
        if (MetricCatalogue.Find(Metric!)!.Id == "win_rate" && Value > 1)
            throw new InputException("value", $"{Value} is over 1: a win rate is a fraction (0.35 for 35%).");
        if (PeriodEnd <= PeriodStart)
            throw new InputException("periodEnd", "must be after periodStart (it is the day after the period's last day).");
        if (Period.RangeError(PeriodStart!.Value, PeriodEnd!.Value) is { } range)
            throw new InputException("periodEnd", range);
        if (TeamId is not null && UserId is not null)
            throw new InputException("userId", "A target is for a team or a rep, not both.");
        await db.MustExistAsync<Team>(TeamId, "teamId", cancellationToken);
        await db.MustExistAsync<User>(UserId, "userId", cancellationToken);
        // A rep sets no target at all: the save refuses it (AccessRules), whatever it overlaps.
        if (db.Actor is { Role: UserRole.Rep })
            return;
        var (metric, start, end) = (MetricCatalogue.Find(Metric!)!.Id, PeriodStart!.Value, PeriodEnd!.Value);
        var overlapping = await db.Targets.AsNoTracking()
            .Where(t => t.Id != self && t.Metric == metric && t.TeamId == TeamId && t.UserId == UserId && t.Channel == Channel && t.PeriodStart < end && t.PeriodEnd > start)
            .Select(t => new { t.PeriodStart, t.PeriodEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (overlapping is not null)
            throw new InputException("periodStart", $"A {metric} target of the same scope and channel already covers {overlapping.PeriodStart:yyyy-MM-dd} "
                + $"to {overlapping.PeriodEnd.AddDays(-1):yyyy-MM-dd}: change its value or delete it first.");
    }
}
