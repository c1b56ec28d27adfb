using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Metrics.Reports;

/// <summary>A schedule as the API, the Reports page and the CLI show it.</summary>
public sealed record ReportScheduleView(Guid Id, ReportKind Kind, string Scope, IReadOnlyList<string> Recipients, bool Paused, Guid? OwnerId,
    string? OwnerEmail, DateTime CreatedAt, DateTime NextSendAt, string? LastPeriod, DateTime? LastSentAt, string? LastError);

/// <summary>
/// Report schedules for the API, pages and CLI alike. The actor (<see cref="ReachDb.Actor"/>) owns what they create; the
/// scope is checked by <see cref="MetricScope.ResolveAsync"/>, the rule the Reports page applies, so nobody schedules
/// figures they may not read. Reading and changing others' schedules is refused by ReachDb's filters and AccessRules.
/// </summary>
public sealed class ReportScheduleService(ReachDb db, ReportMailer mailer)
{
    public const int MaxPerUser = 50;

    public async Task<ReportSchedule> CreateAsync(ReportScheduleInput input, CancellationToken cancellationToken)
    {
        var actor = db.Actor is { UserId: not null } a ? a
            : throw new AccessDeniedException("A report schedule belongs to a user (it sends from their mailbox); name one.");
        var recipients = input.ValidRecipients();
        var scope = await MetricScope.ResolveAsync(db, actor, Blank(input.Rep), Blank(input.Team), cancellationToken);
        if (await db.ReportSchedules.CountAsync(s => s.OwnerId == actor.UserId, cancellationToken) >= MaxPerUser)
            throw new InputException("kind", $"You have {MaxPerUser} report schedules already; delete one first.");
        var schedule = new ReportSchedule
        {
            Kind = input.Kind!.Value,
            RepId = scope.RepId,
            TeamId = scope.TeamId,
            ScopeLabel = scope.Label,
            Recipients = recipients,
            OwnerId = actor.UserId,
        };
        db.ReportSchedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return schedule;
    }

    public Task<ReportSchedule?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.ReportSchedules.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<List<ReportScheduleView>> ListAsync(CancellationToken cancellationToken)
    {
        var schedules = await db.ReportSchedules.AsNoTracking().OrderBy(s => s.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        var ownerIds = schedules.Select(s => s.OwnerId).Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        return [.. schedules.Select(s => View(s, s.OwnerId is { } o ? emails.GetValueOrDefault(o) : null))];
    }

    /// <summary>One schedule as the API shows it, with its owner's e-mail.</summary>
    public async Task<ReportScheduleView> ViewAsync(ReportSchedule s, CancellationToken cancellationToken) =>
        View(s, s.OwnerId is { } owner ? await db.Users.AsNoTracking().Where(u => u.Id == owner).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) : null);

    ReportScheduleView View(ReportSchedule s, string? ownerEmail) =>
        new(s.Id, s.Kind, s.ScopeLabel, s.RecipientList, s.Paused, s.OwnerId, ownerEmail, s.CreatedAt,
            ReportMailer.NextSendTime(s.Kind, db.UtcNow), s.LastPeriod, s.LastSentAt, s.LastError);

    public async Task SetPausedAsync(ReportSchedule schedule, bool paused, CancellationToken cancellationToken)
    {
        schedule.Paused = paused;
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteAsync(ReportSchedule schedule, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ReportDeliveries.RemoveRange(await db.ReportDeliveries.Where(d => d.ScheduleId == schedule.Id).ToListAsync(cancellationToken));
        db.ReportSchedules.Remove(schedule);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends the last closed period's report now, to try a schedule out. It is not recorded as that period's send, so the
    /// scheduled one still goes; a failure is thrown with the reason (<see cref="ReportMailer.Describe"/>).
    /// </summary>
    public async Task<string> SendNowAsync(ReportSchedule schedule, CancellationToken cancellationToken)
    {
        var period = ReportMailer.DuePeriod(schedule.Kind, db.UtcNow);
        await mailer.SendAsync(schedule, period, $"{Guid.CreateVersion7():N}.report-test@reach", cancellationToken);
        return $"Sent the {schedule.Kind.ToString().ToLowerInvariant()} report for {period.Label} to {string.Join(", ", schedule.RecipientList)}.";
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
