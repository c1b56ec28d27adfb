using Microsoft.EntityFrameworkCore;
using MimeKit;
using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Outreach;
using Reach.Routing;

namespace Reach.Leads;

/// <summary>A new lead still waiting for its first touch, with its clock against its channel's response target.</summary>
public sealed record LeadClock(Lead Lead, Channel? Channel, string? OwnerName, TimeSpan Waiting, TimeSpan Target)
{
    public bool Overdue => Waiting > Target;
}

/// <summary>What one escalation pass did: leads escalated, and e-mails sent to their managers.</summary>
public sealed record EscalationRun(int Escalated, int Mailed);

/// <summary>
/// The response clock of new leads (docs/leads.md): a lead is waiting from its receivedAt until its first touch (a call,
/// e-mail, meeting or social activity on it, <see cref="MetricRecords.LeadTouches"/>) or until it leaves the status New;
/// its target is its channel's (<see cref="WorkspaceSettings.ResponseTarget"/>). A waiting lead past its target is
/// escalated once: marked, shown to its owner's manager, and mailed to them when a mailbox is connected.
/// </summary>
public static class LeadEscalation
{
    /// <summary>The leads of <paramref name="leads"/> still waiting for a first touch.</summary>
    public static IQueryable<Lead> Waiting(ReachDb db, IQueryable<Lead> leads)
    {
        var touches = MetricRecords.LeadTouches(db);
        return leads.Where(l => l.Status == LeadStatus.New && !touches.Any(a => a.LeadId == l.Id));
    }

    /// <summary>The clocks of <paramref name="leads"/> (already read), oldest first.</summary>
    public static async Task<List<LeadClock>> ClocksAsync(ReachDb db, IReadOnlyList<Lead> leads, DateTime now, CancellationToken cancellationToken)
    {
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var router = await Rerouting.ActiveAsync(db, cancellationToken);
        var ownerIds = leads.Where(l => l.OwnerId != null).Select(l => l.OwnerId!.Value).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Name, TeamChannel = u.Team != null ? u.Team.Channel : null, u.Channel })
            .ToDictionaryAsync(u => u.Id, u => (u.Name, Channel: u.TeamChannel ?? u.Channel), cancellationToken);
        return [.. leads.Select(l =>
        {
            var owner = l.OwnerId is { } id && owners.TryGetValue(id, out var found) ? found : ((string Name, Channel? Channel)?)null;
            var channel = router?.ChannelOf(l.RoutedChannel) ?? owner?.Channel;
            return new LeadClock(l, channel, owner?.Name, now - l.ReceivedAt, settings.ResponseTarget(channel));
        }).OrderBy(c => c.Lead.ReceivedAt)];
    }

    /// <summary>
    /// Escalates every owned lead past its target and not escalated yet, each once (a conditional update: two passes at
    /// once escalate it once), and mails the owner's manager from their mailbox (else an admin's) when one is connected.
    /// </summary>
    public static async Task<EscalationRun> RunOnceAsync(ReachDb db, MailClient? mail, CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var shortest = new[] { Channel.SelfService, Channel.Inside, Channel.Field }.Min(c => settings.ResponseTarget(c));
        var cutoff = now - shortest;
        var leads = db.Leads.IgnoreQueryFilters([ReachDb.AccessFilter]);
        var due = await Waiting(db, leads).AsNoTracking()
            .Where(l => l.OwnerId != null && l.EscalatedAt == null && l.ReceivedAt <= cutoff)
            .OrderBy(l => l.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        var (escalated, mailed) = (0, 0);
        foreach (var clock in await ClocksAsync(db, due, now, cancellationToken))
        {
            if (!clock.Overdue)
                continue;
            var id = clock.Lead.Id;
            // Derived state, not an edit: no version bump, no audit entry per lead.
            var won = await db.Leads.IgnoreQueryFilters([ReachDb.AccessFilter]).Where(l => l.Id == id && l.EscalatedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EscalatedAt, now), cancellationToken);
            if (won == 0)
                continue;
            escalated++;
            if (mail is not null && await MailManagerAsync(db, mail, clock, cancellationToken))
                mailed++;
        }
        return new EscalationRun(escalated, mailed);
    }

    static async Task<bool> MailManagerAsync(ReachDb db, MailClient mail, LeadClock clock, CancellationToken cancellationToken)
    {
        var managerId = await db.Users.AsNoTracking().Where(u => u.Id == clock.Lead.OwnerId && u.Team != null)
            .Select(u => u.Team!.ManagerId).FirstOrDefaultAsync(cancellationToken);
        var manager = managerId is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == managerId && u.IsActive, cancellationToken);
        if (manager?.Email is not { Length: > 0 } to)
            return false;
        var accounts = db.MailAccounts.IgnoreQueryFilters().AsNoTracking();
        var account = await accounts.FirstOrDefaultAsync(a => a.UserId == manager.Id, cancellationToken)
            ?? await accounts.Where(a => db.Users.Any(u => u.Id == a.UserId && u.Role == UserRole.Admin && u.IsActive)).OrderBy(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
            return false;
        var lead = clock.Lead;
        var name = $"{lead.FirstName} {lead.LastName}".Trim();
        var message = new MimeMessage { Subject = $"Lead waiting: {TextRules.XmlSafe(name)}{(lead.Company is null ? "" : " (" + TextRules.XmlSafe(lead.Company) + ")")} — {Minutes(clock.Waiting)} untouched", Date = new DateTimeOffset(db.UtcNow) };
        message.From.Add(new MailboxAddress(account.FromName, account.FromAddress));
        message.To.Add(new MailboxAddress(manager.Name, to));
        message.Body = new TextPart("plain")
        {
            Text = $"{TextRules.XmlSafe(name)} has waited {Minutes(clock.Waiting)} for a first touch; the target for {MetricService.ChannelName(clock.Channel)} leads is {Minutes(clock.Target)}.\n"
                + $"Owner: {clock.OwnerName ?? "nobody"}. Received {lead.ReceivedAt:yyyy-MM-dd HH:mm} UTC.\n\nOpen it in Reach: /Leads/{lead.Id}\n",
        };
        try
        {
            await mail.SendAsync(account, message, cancellationToken);
            return true;
        }
        // Any failure of the mail server (refused, unreachable, timed out) leaves the escalation standing.
#pragma warning disable CA1031
        catch (Exception error) when (error is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // Still escalated and shown on the manager's day; the mail is a courtesy, not retried.
            return false;
        }
    }

    /// <summary>A wait as people say it: "12 min", "3 h 05 min", "2 d 4 h".</summary>
    public static string Minutes(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        return span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h {span.Minutes:00} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
    }
}
