using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;

namespace Reach.Usage;

/// <summary>
/// The moment an account's usage crossed the workspace's threshold (<see cref="UsageRule"/>), and the expansion deal it
/// opened with the evidence: one per account, ever (the unique index makes "once" the database's word too). Audited,
/// in the account's history.
/// </summary>
public class UsageCrossing
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AccountId { get; set; }

    /// <summary>The expansion deal opened for the account's owner; null when it was deleted since.</summary>
    public Guid? DealId { get; set; }
    public DateTime CrossedAt { get; set; }
    public int DailyActiveUsers { get; set; }
    public int WeeklyActiveUsers { get; set; }
    public int MonthlyActiveUsers { get; set; }
    public int? Employees { get; set; }

    /// <summary>Weekly active users as a percentage of the account's employees; null when employees are unknown.</summary>
    public decimal? EmployeeSharePercent { get; set; }
    public int Score { get; set; }

    /// <summary>Which rule it met, in words ("12 weekly active users ≥ 10").</summary>
    public required string Rule { get; set; }

    /// <summary>The figures and the score's reasons, as the deal's note says them.</summary>
    public required string Evidence { get; set; }
}

sealed class UsageCrossingMapping : IEntityTypeConfiguration<UsageCrossing>
{
    public void Configure(EntityTypeBuilder<UsageCrossing> c)
    {
        c.ToTable("UsageCrossings");
        c.Property(x => x.Rule).HasMaxLength(200);
        c.Property(x => x.Evidence).HasMaxLength(4000);
        c.Property(x => x.EmployeeSharePercent).HasPrecision(9, 2);
        c.HasIndex(x => x.AccountId).IsUnique();
        c.HasIndex(x => x.CrossedAt);
        c.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        c.HasOne<Reach.Deals.Deal>().WithMany().HasForeignKey(x => x.DealId).OnDelete(DeleteBehavior.SetNull);
    }
}
