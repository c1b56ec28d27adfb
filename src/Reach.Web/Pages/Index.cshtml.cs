using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Metrics;
using Reach.Outreach;
using Reach.Web.Access;

namespace Reach.Web.Pages;

/// <summary>
/// My day: what needs doing now. A rep sees their own work; a manager their teams' (the access
/// filters decide), an admin the workspace's.
/// </summary>
public sealed class IndexModel(ReachDb db, UserDirectory directory) : PageModel
{
    /// <summary>How far "Next touches" looks: the rest of today and this many business days after it.</summary>
    public const int NextTouchDays = 3;

    /// <summary>A touch coming up: a sequence step that will send (email) or become a task (call, social), or an open task.</summary>
    public sealed record NextTouch(DateTime When, string Kind, string What, string Who, string? Account, string Link);

    public Actor Actor => ReachAccess.RequireActor(HttpContext);
    public DateTime Now { get; private set; }
    public List<(Activity Task, string? Account)> Due { get; private set; } = [];
    public List<Deal> NoNextStep { get; private set; } = [];
    public List<Deal> PastClose { get; private set; } = [];
    /// <summary>New leads not touched yet, each with its clock against its channel's response target.</summary>
    public List<LeadClock> Waiting { get; private set; } = [];

    /// <summary>For a manager (an admin: everyone's), the leads of their teams escalated past their target and still untouched.</summary>
    public List<LeadClock> OverdueOfTeam { get; private set; } = [];

    /// <summary>Whether the signed-in user is marked away (no new leads assigned).</summary>
    public bool Away { get; private set; }
    /// <summary>This month's bookings in the user's scope (a rep: theirs; a manager: their team), against target — the same figure as the reports.</summary>
    public MetricResult Bookings { get; private set; } = null!;
    public List<(string Currency, decimal Open, int Deals)> OpenPipeline { get; private set; } = [];
    public int TouchesThisWeek { get; private set; }
    public List<Reach.Forecasting.DealOutlook> Underestimated { get; private set; } = [];
    public List<NextTouch> NextTouches { get; private set; } = [];
    public DateTime NextTouchesUntil { get; private set; }

    /// <summary>Open expansion deals product usage opened in the last 30 days (Reach.Usage), with the rule they met: a rep's own, a manager's teams'.</summary>
    public List<(Deal Deal, Reach.Usage.UsageCrossing Crossing)> UsageDeals { get; private set; } = [];

    /// <summary>Fridays and the weekend after: a rep who has not written this week's log is reminded to (<see cref="Reach.Playbook.WeeklyLog.IsReminderDay"/>).</summary>
    public bool RemindWeeklyLog { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = db.UtcNow;
        var endOfToday = Now.Date.AddDays(1);
        var today = DateOnly.FromDateTime(Now);
        var mine = Actor.IsManagerOrAdmin ? null : Actor.UserId;

        // My tasks (also a manager's and an admin's own: this is their day), due today or overdue, then the coming two weeks.
        var me = Actor.UserId;
        var tasks = db.Activities.AsNoTracking().Where(a => a.CompletedAt == null && a.DueAt != null && a.DueAt < endOfToday && a.OwnerId == me);
        var deals = db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage).Where(d => d.Status == DealStatus.Open);
        var leads = db.Leads.AsNoTracking().Where(l => l.Status == LeadStatus.New);
        if (mine is not null)
        {
            deals = deals.Where(d => d.OwnerId == mine);
            leads = leads.Where(l => l.OwnerId == mine || l.OwnerId == null);
        }
        var due = await tasks.OrderBy(a => a.DueAt).Take(50).ToListAsync(cancellationToken);
        var upcoming = await db.Activities.AsNoTracking().Where(a => a.CompletedAt == null && a.DueAt >= endOfToday && a.DueAt < endOfToday.AddDays(14) && a.OwnerId == me)
            .OrderBy(a => a.DueAt).Take(50).ToListAsync(cancellationToken);
        due.AddRange(upcoming);
        var accountIds = due.Where(a => a.AccountId != null).Select(a => a.AccountId!.Value).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        if (mine is { } rep && Reach.Playbook.WeeklyLog.IsReminderDay(Now))
        {
            var week = Reach.Playbook.WeeklyLog.WeekOf(Now);
            RemindWeeklyLog = !await db.WeeklyLogs.AsNoTracking().AnyAsync(l => l.UserId == rep && l.Week == week, cancellationToken);
        }
        Due = [.. due.Select(a => (a, a.AccountId is { } id ? names.GetValueOrDefault(id) : null))];
        NoNextStep = await deals.Where(d => d.NextStep == null || d.NextStep == "").OrderByDescending(d => d.StageEnteredAt).Take(10).ToListAsync(cancellationToken);
        var since = Now.AddDays(-30);
        var crossings = await db.UsageCrossings.AsNoTracking().Where(c => c.CrossedAt >= since && c.DealId != null)
            .OrderByDescending(c => c.CrossedAt).Take(200).ToListAsync(cancellationToken);
        var crossedDealIds = crossings.Select(c => c.DealId!.Value).ToList();
        var crossedDeals = await deals.Where(d => crossedDealIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        UsageDeals = [.. crossings.Where(c => crossedDeals.ContainsKey(c.DealId!.Value)).Take(10).Select(c => (crossedDeals[c.DealId!.Value], c))];
        PastClose = await deals.Where(d => d.ExpectedClose != null && d.ExpectedClose < today).OrderBy(d => d.ExpectedClose).Take(10).ToListAsync(cancellationToken);
        Waiting = await LeadEscalation.ClocksAsync(db, await LeadEscalation.Waiting(db, leads).OrderBy(l => l.ReceivedAt).Take(10).ToListAsync(cancellationToken), Now, cancellationToken);
        if (Actor.IsManagerOrAdmin)
        {
            var team = Actor.TeamUserIds;
            var escalated = LeadEscalation.Waiting(db, db.Leads.AsNoTracking()).Where(l => l.EscalatedAt != null && l.OwnerId != null);
            if (!Actor.IsAdmin)
                escalated = escalated.Where(l => team.Contains(l.OwnerId!.Value));
            OverdueOfTeam = await LeadEscalation.ClocksAsync(db, await escalated.OrderBy(l => l.ReceivedAt).Take(20).ToListAsync(cancellationToken), Now, cancellationToken);
        }
        Away = await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.Away).FirstOrDefaultAsync(cancellationToken);

        var openIds = await deals.Select(d => d.Id).ToListAsync(cancellationToken);
        Underestimated = [.. (await Reach.Forecasting.Forecaster.AssessAsync(db, Now, PeriodKind.Month, openIds, cancellationToken: cancellationToken))
            .Where(o => o.Flags.Contains(Reach.Forecasting.DealFlag.CycleUnderestimated)).OrderBy(o => o.ExpectedClose).Take(10)];

        await LoadNextTouchesAsync(endOfToday, cancellationToken);

        var scope = await MetricScope.ResolveAsync(db, Actor, null, null, cancellationToken);
        var query = new MetricQuery(Period.Containing(Now, PeriodKind.Month)) { RepId = scope.RepId, TeamId = scope.TeamId };
        Bookings = (await MetricService.ComputeAsync(db, [MetricCatalogue.Find("bookings")!], query, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), Now, cancellationToken))[0];
        var open = await deals.Select(d => new { d.Currency, d.Amount }).ToListAsync(cancellationToken);
        OpenPipeline = [.. open.GroupBy(d => d.Currency).Select(g => (g.Key, g.Sum(d => d.Amount), g.Count()))];
        var weekStart = Now.Date.AddDays(-(((int)Now.DayOfWeek + 6) % 7));
        TouchesThisWeek = await db.Activities.AsNoTracking().Where(a => a.OccurredAt >= weekStart && (mine == null || a.OwnerId == mine)).Held(Now).CountAsync(cancellationToken);
    }

    /// <summary>Marks the signed-in user away or back: while away, no new lead is assigned to them.</summary>
    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnPostAwayAsync(bool away, CancellationToken cancellationToken)
    {
        await directory.SetAwayAsync(away, cancellationToken);
        return Redirect("/");
    }

    // The signed-in user's own coming touches (also for managers and admins: this is their day); the contacts, deals and
    // accounts are read through the access filters, so a touch on a record they may no longer see is left out.
    async Task LoadNextTouchesAsync(DateTime endOfToday, CancellationToken cancellationToken)
    {
        var until = endOfToday;
        for (var days = 0; days < NextTouchDays; until = until.AddDays(1))
            if (until.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                days++;
        NextTouchesUntil = until;
        var me = Actor.UserId;
        var steps = await (
            from step in db.EnrolmentSteps.AsNoTracking()
            join enrolment in db.Enrolments on step.EnrolmentId equals enrolment.Id
            join sequence in db.Sequences on enrolment.SequenceId equals sequence.Id
            join contact in db.Contacts on enrolment.ContactId equals contact.Id
            where enrolment.OwnerId == me && enrolment.Status == EnrolmentStatus.Active && !sequence.Paused
                && (step.Status == StepStatus.Scheduled || step.Status == StepStatus.Retrying) && step.DueAt < until
            orderby step.DueAt
            select new
            {
                When = step.Status == StepStatus.Retrying && step.NextAttemptAt != null ? step.NextAttemptAt.Value : step.DueAt,
                step.Kind,
                step.Position,
                Sequence = sequence.Name,
                contact.Id,
                contact.FirstName,
                contact.LastName,
                Account = contact.Account!.Name,
            }).Take(30).ToListAsync(cancellationToken);
        var tasks = await db.Activities.AsNoTracking()
            .Where(a => a.OwnerId == me && a.CompletedAt == null && a.DueAt >= endOfToday && a.DueAt < until)
            .OrderBy(a => a.DueAt).Take(30)
            .Select(a => new
            {
                a.DueAt,
                a.Type,
                a.Subject,
                a.ContactId,
                a.DealId,
                a.AccountId,
                Contact = db.Contacts.Where(c => c.Id == a.ContactId).Select(c => c.FirstName + " " + c.LastName).FirstOrDefault(),
                Deal = db.Deals.Where(d => d.Id == a.DealId).Select(d => d.Name).FirstOrDefault(),
                Account = db.Accounts.Where(c => c.Id == a.AccountId).Select(c => c.Name).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        NextTouches =
        [
            .. steps.Select(s => new NextTouch(s.When, s.Kind == StepKind.Email ? "email" : s.Kind == StepKind.Call ? "call" : "social",
                $"{s.Sequence}, step {s.Position}{(s.Kind == StepKind.Email ? " (sends)" : " (becomes a task)")}",
                $"{s.FirstName} {s.LastName}".Trim(), s.Account, $"/Contacts/{s.Id}")),
            .. tasks.Where(t => t.ContactId is null || t.Contact is not null)
                .Select(t => new NextTouch(t.DueAt!.Value, t.Type.ToString().ToLowerInvariant(), t.Subject,
                    t.Contact ?? t.Deal ?? t.Account ?? "", t.Account,
                    t.ContactId is { } c ? $"/Contacts/{c}" : t.DealId is { } d ? $"/Deals/{d}" : t.AccountId is { } a ? $"/Accounts/{a}" : "/Activities")),
        ];
        NextTouches = [.. NextTouches.OrderBy(t => t.When).Take(30)];
    }
}
