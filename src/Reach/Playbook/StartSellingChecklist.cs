using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Leads;
using Reach.Metrics;
using Reach.Pipelines;

namespace Reach.Playbook;

/// <summary>One line of the checklist: seed 004's item, whether the workspace has it, what was found, where to fill it.</summary>
public sealed record ChecklistItem(string Group, string Id, string Name, bool Done, string Found, string Link);

/// <summary>The checklist as counted for the caller, and how many of its items are done.</summary>
public sealed record ChecklistView(int Done, int Total, IReadOnlyList<ChecklistItem> Items);

/// <summary>
/// Seed 004's "What a startup needs to start selling", checked against the workspace's own data: which items it has,
/// what was found, and a link to fill each gap. Counted with the caller's rights (a rep's leads are their own).
/// </summary>
public static class StartSellingChecklist
{
    public static async Task<ChecklistView> ComputeAsync(ReachDb db, DateTime now, CancellationToken cancellationToken)
    {
        var kinds = (await db.PlaybookItems.AsNoTracking().GroupBy(i => i.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .ToDictionary(k => k.Key, k => k.Count);
        int Of(PlaybookKind kind) => kinds.GetValueOrDefault(kind);
        var items = new List<ChecklistItem>();
        void Add(string group, string id, string name, bool done, string found, string link) => items.Add(new(group, id, name, done, found, link));
        string Items(PlaybookKind kind, string one) => Of(kind) switch { 0 => $"no {one} yet", 1 => $"1 {one}", var n => $"{n} {one}s" };
        string New(PlaybookKind kind) => $"/Playbook/Edit?kind={EnumNames.Of(kind)}";

        // Pipeline
        var plan = await db.PlanVersions.AsNoTracking().AnyAsync(cancellationToken);
        Add("Pipeline", "lead_framework", "Lead framework", plan, plan ? "a plan routes accounts and leads to a segment and channel" : "no plan saved: the lead framework (who is worth calling, by which channel) lives in the planner", "/Planner");
        var leads = await db.Leads.AsNoTracking().CountAsync(cancellationToken);
        Add("Pipeline", "lead_list", "Build lead list", leads > 0, leads > 0 ? $"{leads} leads" : "no leads yet: import a list", "/Imports");
        var tiers = await db.Accounts.AsNoTracking().Where(a => a.Tier != null).GroupBy(a => a.Tier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var leadTiers = await db.Leads.AsNoTracking().Where(l => l.Tier != null).GroupBy(l => l.Tier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var allTiers = tiers.Count == 3;
        static string Counted(IEnumerable<(Tier? Tier, int Count)> counts) => string.Join(", ", counts.OrderBy(t => t.Tier).Select(t => $"{t.Count} {t.Tier}"));
        Add("Pipeline", "segments", "Segment leads (A, B, C)", allTiers,
            (tiers.Count == 0 ? "no account has a tier" : "accounts: " + Counted(tiers.Select(t => (t.Key, t.Count))))
                + (leadTiers.Count == 0 ? "" : "; leads: " + Counted(leadTiers.Select(t => (t.Key, t.Count))))
                + (tiers.Count == 0 || allTiers ? "" : ": not every tier is used"), "/Accounts");
        var topAccounts = await db.Accounts.AsNoTracking().Where(a => a.Tier == Tier.A).Select(a => a.Id).ToListAsync(cancellationToken);
        var reached = await db.Contacts.AsNoTracking().Where(c => c.AccountId != null && topAccounts.Contains(c.AccountId.Value) && (c.Email != null || c.Phone != null))
            .Select(c => c.AccountId).Distinct().CountAsync(cancellationToken);
        Add("Pipeline", "key_contacts", "Key contacts at high-priority leads (email/phone)", topAccounts.Count > 0 && reached == topAccounts.Count,
            topAccounts.Count == 0 ? "no A-tier account yet" : $"{reached} of {topAccounts.Count} A-tier accounts have a contact with an e-mail or phone", "/Accounts?tier=A");
        var inbound = await db.Leads.AsNoTracking().Where(l => l.Source == LeadSource.Inbound).Select(l => l.AssignedAt != null).ToListAsync(cancellationToken);
        Add("Pipeline", "inbound", "Inbound lead management process", inbound.Any(a => a),
            inbound.Count == 0 ? "no inbound lead has arrived: connect the capture form (a lead-capture token)" : $"{inbound.Count(a => a)} of {inbound.Count} inbound leads assigned, each on its channel's response target", "/Settings/Tokens");

        // Access approach
        Add("Access approach", "scripts", "Script(s)", Of(PlaybookKind.Script) > 0, Items(PlaybookKind.Script, "script"), New(PlaybookKind.Script));
        Add("Access approach", "one_pager", "One-pager", Of(PlaybookKind.OnePager) > 0, Items(PlaybookKind.OnePager, "one-pager"), New(PlaybookKind.OnePager));

        // Collateral / documentation
        var deck = await db.PlaybookItems.AsNoTracking().AnyAsync(i => i.Kind == PlaybookKind.TalkingPoints && i.Link != null, cancellationToken);
        Add("Collateral", "deck", "Presentation deck", deck, deck ? "linked from the talking points" : "no talking points link to the deck", New(PlaybookKind.TalkingPoints));
        Add("Collateral", "talking_points", "Presentation scripts / talking points", Of(PlaybookKind.TalkingPoints) > 0, Items(PlaybookKind.TalkingPoints, "talking points item"), New(PlaybookKind.TalkingPoints));
        Add("Collateral", "proposal", "Proposal template", Of(PlaybookKind.Proposal) > 0, Items(PlaybookKind.Proposal, "proposal template"), New(PlaybookKind.Proposal));
        Add("Collateral", "references", "References document", Of(PlaybookKind.References) > 0, Items(PlaybookKind.References, "references document"), New(PlaybookKind.References));
        Add("Collateral", "order_form", "Order form (business terms)", Of(PlaybookKind.OrderForm) > 0, Items(PlaybookKind.OrderForm, "order form template"), New(PlaybookKind.OrderForm));
        Add("Collateral", "agreement", "Agreement (legal terms)", Of(PlaybookKind.Agreement) > 0, Items(PlaybookKind.Agreement, "agreement template"), New(PlaybookKind.Agreement));

        // Sales cycle management
        var deals = await db.Deals.AsNoTracking().CountAsync(cancellationToken);
        Add("Sales cycle management", "crm", "CRM system implementation", deals > 0, deals > 0 ? $"{deals} deals in Reach" : "no deal yet: import them or add the first", "/Imports");
        var stages = await db.Stages.AsNoTracking().Select(s => new { s.Outcome, s.ExitCriteria }).ToListAsync(cancellationToken);
        var open = stages.Count(s => s.Outcome == StageOutcome.Open);
        var stagesDone = open >= 3 && stages.Any(s => s.Outcome == StageOutcome.Won) && stages.Any(s => s.Outcome == StageOutcome.Lost);
        Add("Sales cycle management", "stages", "Stage development", stagesDone,
            $"{open} open stages, {stages.Count(s => !string.IsNullOrWhiteSpace(s.ExitCriteria))} with exit criteria", "/Admin/Pipelines");
        var leading = MetricCatalogue.All.Count(m => m.Kind == MetricKind.Leading);
        var lagging = MetricCatalogue.All.Count(m => m.Kind == MetricKind.Lagging);
        Add("Sales cycle management", "metrics", "Key leading & lagging metrics to track", true, $"{leading} leading and {lagging} lagging metrics, computed from the records", "/Dashboard");
        var today = DateOnly.FromDateTime(now);
        var targeted = await db.Targets.AsNoTracking().Where(t => t.PeriodEnd >= today).Select(t => t.Metric).Distinct().ToListAsync(cancellationToken);
        var kindsTargeted = targeted.Select(MetricCatalogue.Find).OfType<MetricDefinition>().Select(m => m.Kind).Distinct().Count();
        Add("Sales cycle management", "targets", "Leading & lagging metric targets and timeline", kindsTargeted == 2,
            targeted.Count == 0 ? "no current target" : $"current targets on {string.Join(", ", targeted.Select(id => MetricCatalogue.Find(id)?.Name ?? id).Order())}" + (kindsTargeted == 2 ? "" : ": set one on a leading and one on a lagging metric"), "/Targets");
        var schedules = await db.ReportSchedules.AsNoTracking().Select(s => s.Kind).Distinct().ToListAsync(cancellationToken);
        Add("Sales cycle management", "reports", "Key reports (weekly, monthly, quarterly)", schedules.Count > 0,
            schedules.Count == 0 ? "no report is mailed on a schedule" : $"scheduled: {string.Join(", ", schedules.Select(EnumNames.Of).Order())}", "/ReportEmails");

        // Other
        Add("Other", "difficult_qa", "Difficult questions (and answers)", Of(PlaybookKind.DifficultQa) > 0, Items(PlaybookKind.DifficultQa, "answer"), New(PlaybookKind.DifficultQa));
        Add("Other", "cast", "Cast of characters document", Of(PlaybookKind.CastOfCharacters) > 0, Items(PlaybookKind.CastOfCharacters, "cast of characters"), New(PlaybookKind.CastOfCharacters));
        Add("Other", "urgency", "Urgency angles", Of(PlaybookKind.UrgencyAngle) > 0, Items(PlaybookKind.UrgencyAngle, "urgency angle"), New(PlaybookKind.UrgencyAngle));
        var competitors = await db.Competitors.AsNoTracking().CountAsync(cancellationToken);
        var criteria = await db.CompetitiveCriteria.AsNoTracking().CountAsync(cancellationToken);
        Add("Other", "matrix", "Competitive matrix", competitors > 0 && criteria > 0, $"{competitors} competitors × {criteria} criteria", "/Playbook/Matrix");
        var recent = WeeklyLog.WeekOf(now).AddDays(-14);
        var logs = await db.WeeklyLogs.AsNoTracking().Where(l => l.Week >= recent).Select(l => new { l.Worked, l.DidNotWork, l.Insight }).ToListAsync(cancellationToken);
        var results = logs.Count(l => l.Worked.Length + l.DidNotWork.Length > 0);
        Add("Other", "weekly_results", "Qualitative results: what works / what doesn't (weekly)", results > 0,
            results > 0 ? $"{results} weekly logs in the last three weeks" : "no weekly log in the last three weeks", "/Playbook/Week");
        var insights = logs.Count(l => l.Insight.Length > 0);
        var promoted = await db.PlaybookItems.AsNoTracking().CountAsync(i => i.FromInsightId != null, cancellationToken);
        Add("Other", "insights", "Insights / learnings (weekly)", insights > 0,
            $"{insights} insights in the last three weeks, {promoted} promoted into the playbook", "/Playbook/Week");

        return new ChecklistView(items.Count(i => i.Done), items.Count, items);
    }
}
