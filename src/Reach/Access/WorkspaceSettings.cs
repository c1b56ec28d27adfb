using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;
using Reach.Metrics;

namespace Reach.Access;

/// <summary>
/// The workspace's own settings, one row: its name, the currency every figure is shown in (and exchange rates are
/// relative to), the month its fiscal year starts and its time zone. Configuration (Reach:Currency) only seeds the
/// currency of a new workspace; from then on this row is the one place it is read (<see cref="CurrencyAsync"/>).
/// </summary>
public class WorkspaceSettings
{
    /// <summary>The single row's key (a Guid, as the audit trail names entities by Guid).</summary>
    public static readonly Guid TheId = new("00000000-0000-0000-0000-000000000001");

    public Guid Id { get; set; } = TheId;
    public required string Name { get; set; }
    public required string Currency { get; set; }

    /// <summary>1 = January.</summary>
    public int FiscalYearStartMonth { get; set; } = 1;

    /// <summary>An IANA time zone id (Europe/Berlin); dates are shown and periods cut in it.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>k of the deal-size guardrail: an open deal above k × the largest won in its segment is flagged (Reach.Expansion).</summary>
    public decimal DealSizeFactor { get; set; } = 3m;

    /// <summary>How many times a reference customer may be asked in one quarter (Reach.Expansion).</summary>
    public int ReferenceUsesPerQuarter { get; set; } = 2;

    /// <summary>Weekly active users that put an account over the usage threshold and open an expansion deal (Reach.Usage).</summary>
    public int UsageWeeklyActiveUsers { get; set; } = 10;

    /// <summary>The share of an account's employees active weekly, in percent, that puts it over the usage threshold (Reach.Usage).</summary>
    public decimal UsageEmployeeSharePercent { get; set; } = 5m;

    /// <summary>Minutes a new self-service lead may wait for its first touch before it is escalated (docs/leads.md).</summary>
    public int SelfServiceResponseMinutes { get; set; } = DefaultSelfServiceResponseMinutes;

    /// <summary>Minutes a new inside-sales lead may wait for its first touch.</summary>
    public int InsideResponseMinutes { get; set; } = DefaultInsideResponseMinutes;

    /// <summary>Minutes a new field-sales lead may wait for its first touch (and a lead without a channel).</summary>
    public int FieldResponseMinutes { get; set; } = DefaultFieldResponseMinutes;
    public DateTime UpdatedAt { get; set; }

    public const int DefaultSelfServiceResponseMinutes = 60;
    public const int DefaultInsideResponseMinutes = 15;
    public const int DefaultFieldResponseMinutes = 240;

    /// <summary>The response target of a lead of <paramref name="channel"/>; a lead without a channel gets the longest (field's).</summary>
    public TimeSpan ResponseTarget(Channel? channel) => ResponseTargetsInMinutes().Of(channel);

    /// <summary>The response targets of the three channels, as the escalation and the metrics read them (a method: no column).</summary>
    public ResponseTargets ResponseTargetsInMinutes() => new(SelfServiceResponseMinutes, InsideResponseMinutes, FieldResponseMinutes);

    /// <summary>The stored settings, or those a new workspace starts with when none are stored yet.</summary>
    public static async Task<WorkspaceSettings> LoadAsync(ReachDb db, CancellationToken cancellationToken) =>
        await db.WorkspaceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == TheId, cancellationToken) ?? Default(null);

    /// <summary>The workspace currency: every amount is converted into it, and exchange rates are stored against it.</summary>
    public static async Task<string> CurrencyAsync(ReachDb db, CancellationToken cancellationToken) =>
        await db.WorkspaceSettings.AsNoTracking().Where(s => s.Id == TheId).Select(s => s.Currency).FirstOrDefaultAsync(cancellationToken)
            ?? MetricService.DefaultCurrency;

    /// <summary>Stores the settings of a new workspace once, its currency from configuration (Reach:Currency) when set.</summary>
    public static async Task EnsureAsync(ReachDb db, string? configuredCurrency, CancellationToken cancellationToken)
    {
        if (await db.WorkspaceSettings.AnyAsync(cancellationToken))
            return;
        db.WorkspaceSettings.Add(Default(configuredCurrency));
        await db.SaveChangesAsync(cancellationToken);
    }

    static WorkspaceSettings Default(string? configuredCurrency) =>
        new() { Name = "Reach", Currency = MetricService.WorkspaceCurrency(configuredCurrency) };
}

/// <summary>
/// How long a new lead of each channel may wait for its first touch, in minutes (the workspace's settings,
/// docs/leads.md): the escalation's clock and the <c>first_touch_within_target</c> metric read the same rule.
/// </summary>
public sealed record ResponseTargets(int SelfServiceMinutes, int InsideMinutes, int FieldMinutes)
{
    /// <summary>A new workspace's targets.</summary>
    public static readonly ResponseTargets Default = new(WorkspaceSettings.DefaultSelfServiceResponseMinutes,
        WorkspaceSettings.DefaultInsideResponseMinutes, WorkspaceSettings.DefaultFieldResponseMinutes);

    /// <summary>The target of a lead of <paramref name="channel"/>; a lead without a channel gets the field's.</summary>
    public TimeSpan Of(Channel? channel) => TimeSpan.FromMinutes(channel switch
    {
        Channel.SelfService => SelfServiceMinutes,
        Channel.Inside => InsideMinutes,
        _ => FieldMinutes,
    });

    public static async Task<ResponseTargets> LoadAsync(ReachDb db, CancellationToken cancellationToken) =>
        (await WorkspaceSettings.LoadAsync(db, cancellationToken)).ResponseTargetsInMinutes();
}

/// <summary>A change of the workspace settings: only the fields given change.</summary>
public sealed record WorkspaceSettingsInput
{
    [StringLength(100, MinimumLength = 1)] public string? Name { get; init; }
    [CurrencyCode] public string? Currency { get; init; }
    [Range(1, 12)] public int? FiscalYearStartMonth { get; init; }
    [StringLength(64)] public string? TimeZone { get; init; }
    [Range(typeof(decimal), "1", "100")] public decimal? DealSizeFactor { get; init; }
    [Range(1, 50)] public int? ReferenceUsesPerQuarter { get; init; }
    [Range(1, 1_000_000)] public int? UsageWeeklyActiveUsers { get; init; }
    [Range(typeof(decimal), "0.1", "100")] public decimal? UsageEmployeeSharePercent { get; init; }
    [Range(1, 10_080)] public int? SelfServiceResponseMinutes { get; init; }
    [Range(1, 10_080)] public int? InsideResponseMinutes { get; init; }
    [Range(1, 10_080)] public int? FieldResponseMinutes { get; init; }

    /// <summary>Checks and applies the change (admins only, as <see cref="AccessRules"/> says); returns the stored settings.</summary>
    public async Task<WorkspaceSettings> ApplyAsync(ReachDb db, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, "The workspace settings are changed only by an admin.");
        InputRules.Validate(this);
        if (TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            throw new InputException("timeZone", $"'{zone}' is not a time zone; use an IANA name such as Europe/Berlin, America/New_York or UTC.");
        var settings = await db.WorkspaceSettings.FirstOrDefaultAsync(s => s.Id == WorkspaceSettings.TheId, cancellationToken);
        if (settings is null)
        {
            settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
            db.WorkspaceSettings.Add(settings);
        }
        var usageThresholdChanged = (UsageWeeklyActiveUsers ?? settings.UsageWeeklyActiveUsers) != settings.UsageWeeklyActiveUsers
            || (UsageEmployeeSharePercent ?? settings.UsageEmployeeSharePercent) != settings.UsageEmployeeSharePercent;
        settings.Name = Name?.Trim() ?? settings.Name;
        settings.Currency = Currency ?? settings.Currency;
        settings.FiscalYearStartMonth = FiscalYearStartMonth ?? settings.FiscalYearStartMonth;
        settings.TimeZone = TimeZone ?? settings.TimeZone;
        settings.DealSizeFactor = DealSizeFactor ?? settings.DealSizeFactor;
        settings.ReferenceUsesPerQuarter = ReferenceUsesPerQuarter ?? settings.ReferenceUsesPerQuarter;
        settings.UsageWeeklyActiveUsers = UsageWeeklyActiveUsers ?? settings.UsageWeeklyActiveUsers;
        settings.UsageEmployeeSharePercent = UsageEmployeeSharePercent ?? settings.UsageEmployeeSharePercent;
        settings.SelfServiceResponseMinutes = SelfServiceResponseMinutes ?? settings.SelfServiceResponseMinutes;
        settings.InsideResponseMinutes = InsideResponseMinutes ?? settings.InsideResponseMinutes;
        settings.FieldResponseMinutes = FieldResponseMinutes ?? settings.FieldResponseMinutes;
        settings.UpdatedAt = db.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        // A lower threshold puts accounts over it that no event has come for since: the rule runs now, not at their next
        // event. It opens each account's expansion deal once, whatever the threshold was before (Reach.Usage.UsageRule).
        if (usageThresholdChanged)
            await Usage.UsageRule.EvaluateAsync(db, null, cancellationToken);
        return settings;
    }
}

sealed class WorkspaceSettingsMapping : IEntityTypeConfiguration<WorkspaceSettings>
{
    public void Configure(EntityTypeBuilder<WorkspaceSettings> settings)
    {
        settings.ToTable("WorkspaceSettings");
        settings.Property(s => s.Name).HasMaxLength(100);
        settings.Property(s => s.Currency).HasMaxLength(3);
        settings.Property(s => s.TimeZone).HasMaxLength(64);
        settings.Property(s => s.DealSizeFactor).HasPrecision(6, 2).HasDefaultValue(3m);
        settings.Property(s => s.ReferenceUsesPerQuarter).HasDefaultValue(2);
        settings.Property(s => s.UsageWeeklyActiveUsers).HasDefaultValue(10);
        settings.Property(s => s.UsageEmployeeSharePercent).HasPrecision(5, 2).HasDefaultValue(5m);
    }
}
