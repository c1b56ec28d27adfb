using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Reach.Audit;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Outreach;
using Reach.Pipelines;
using Reach.Planning;
using Reach.Products;

namespace Reach.Access;

/// <summary>
/// Who may change what, checked once for every save whatever asked for it (API, web page, CLI).
/// What an actor may read is the other half: the access query filters in <see cref="ReachDb"/>.
/// <list type="bullet">
/// <item>Admins change everything.</item>
/// <item>Managers change the records owned by the users of their teams, and unowned ones.</item>
/// <item>Reps change what they own, and may take an unowned record (an inbound lead) for themselves.</item>
/// <item>Settings (products, pipelines, stages, teams, lost reasons, other users, the workspace settings) are the admins'.</item>
/// <item>Plan versions are saved and activated by managers and admins.</item>
/// <item>Playbook items (and the competitive matrix) are written by managers and admins; reps read them.</item>
/// </list>
/// </summary>
public static class AccessRules
{
    /// <summary>The refusal of any change asked with a read-only API token.</summary>
    public const string ReadOnlyToken = "This API token is read-only; create a read-write token to make changes.";

    /// <summary>The refusal of a playbook change by a rep.</summary>
    public const string PlaybookWriters = "The playbook is written by managers and admins; a rep reads it.";

    /// <summary>The refusal of every call but POST /api/v1/leads/capture to a lead-capture token.</summary>
    public const string UsageToken = "This API token only sends product usage (POST /api/v1/usage); use a read or read-write token for anything else.";
    public const string LeadCaptureToken = "This API token only captures leads (POST /api/v1/leads/capture); use a read or read-write token for anything else.";

    const string SettingsOnly = "Products, pipelines, stages, teams, lost reasons and the workspace settings are settings: only an admin changes them.";

    /// <summary>
    /// Refuses a non-admin before a settings change reads anything (a count of deals in a stage, say), so the refusal
    /// tells nothing about the workspace; the save would refuse it too.
    /// </summary>
    public static void CheckSettingsChange(Actor? actor, string refusal)
    {
        if (actor is null)
            return;
        if (!actor.CanWrite)
            throw new AccessDeniedException(ReadOnlyToken);
        if (!actor.IsAdmin)
            throw new AccessDeniedException(refusal);
    }

    /// <summary>Whether <paramref name="actor"/> may change the playbook (the pages show its edit controls only then).</summary>
    public static bool MayChangePlaybook(Actor actor) => actor.CanWrite && actor.Role != UserRole.Rep;

    /// <summary>Refuses a rep's playbook change before anything is read or checked; the save would refuse it too.</summary>

    public static void CheckPlaybookChange(Actor? actor)
    {
        if (actor is null)
            return;
        if (!actor.CanWrite)
            throw new AccessDeniedException(ReadOnlyToken);
        if (actor.Role == UserRole.Rep)
            throw new AccessDeniedException(PlaybookWriters);
    }

    /// <summary>
    /// Refuses sending a deal's document by anyone who may not change the deal, before the e-mail leaves (the save
    /// after it would refuse too late).
    /// </summary>
    public static void CheckDocumentSend(Actor? actor, Guid? dealOwnerId)
    {
        if (actor is null)
            return;
        if (!actor.CanWrite)
            throw new AccessDeniedException(ReadOnlyToken);
        if (dealOwnerId is not null && !actor.AnswersFor(dealOwnerId))
            throw new AccessDeniedException("Only the deal's owner (or their manager) sends its documents.");
    }

    public static void CheckSave(ReachDb db, Actor? actor)
    {
        // No actor: the server itself (startup, migrations, sign-in bookkeeping).
        if (actor is null)
            return;
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            if (entry.Entity is AuditEntry or ProtectionKey)
                continue;
            if (!actor.CanWrite)
                throw new AccessDeniedException(ReadOnlyToken);
            if (actor.IsAdmin)
                continue;
            switch (entry.Entity)
            {
                case Target target:
                    CheckTarget(db, entry, target, actor);
                    break;
                case ChannelCost when actor.Role == UserRole.Manager:
                    break;
                case ChannelCost:
                    throw new AccessDeniedException("Channel costs are entered by managers and admins.");
                case PlanVersion when actor.Role == UserRole.Manager:
                    break;
                case PlanVersion:
                    throw new AccessDeniedException("Plans are saved and activated by managers and admins; a rep reads them.");
                case ExchangeRate:
                    throw new AccessDeniedException("Exchange rates are settings: only an admin changes them.");
                case Reach.Metrics.Reports.ReportSchedule schedule:
                    // Sent from its owner's mailbox with their rights: nobody makes or changes one for someone else.
                    schedule.OwnerId ??= actor.UserId;
                    if (schedule.OwnerId != actor.UserId || (entry.State != EntityState.Added && (Guid?)entry.Property(nameof(Record.OwnerId)).OriginalValue != actor.UserId))
                        throw new AccessDeniedException("A report schedule is made and changed only by its owner (it sends from their mailbox).");
                    break;
                case Reach.Metrics.Reports.ReportDelivery delivery:
                    if (db.ReportSchedules.IgnoreQueryFilters().Where(s => s.Id == delivery.ScheduleId).Select(s => s.OwnerId).FirstOrDefault() != actor.UserId)
                        throw new AccessDeniedException("This report schedule belongs to someone else.");
                    break;
                // The playbook is the team's shared material: managers and admins write it, reps read it (and log their week).
                case Reach.Playbook.PlaybookItem or Reach.Playbook.PlaybookItemVersion or Reach.Playbook.Competitor or Reach.Playbook.CompetitiveCriterion
                    when actor.Role == UserRole.Manager:
                    break;
                case Reach.Playbook.PlaybookItem or Reach.Playbook.PlaybookItemVersion or Reach.Playbook.Competitor or Reach.Playbook.CompetitiveCriterion:
                    throw new AccessDeniedException(PlaybookWriters);
                // A reference's consent is changed by whoever answers for its account (anyone for an unowned one); anyone
                // may ask a reference, and the ask's task goes to the reference's owner (ReferencePool.AskAsync).
                case Reach.Expansion.Reference reference:
                    var accountOwner = db.Accounts.Local.FirstOrDefault(a => a.Id == reference.AccountId)?.OwnerId
                        ?? db.Accounts.IgnoreQueryFilters().Where(a => a.Id == reference.AccountId).Select(a => a.OwnerId).FirstOrDefault();
                    if (accountOwner is not null && !actor.AnswersFor(accountOwner))
                        throw new AccessDeniedException("This account belongs to someone else; its owner or their manager records its consent to be a reference.");
                    break;
                case Reach.Expansion.ReferenceUse when entry.State == EntityState.Added:
                    break;
                case Reach.Activities.Activity task when entry.State == EntityState.Added && task.Type == Reach.Activities.ActivityType.Task
                    && db.ReferenceUses.Local.Any(u => u.TaskId == task.Id):
                    break;
                // A rep's week is theirs to write; a document from a deal is made and sent by whoever may change the deal.
                case Reach.Playbook.WeeklyLog log when log.UserId == actor.UserId && (Guid?)entry.Property(nameof(log.UserId)).OriginalValue == actor.UserId:
                    break;
                case Reach.Playbook.WeeklyLog:
                    throw new AccessDeniedException("A weekly log is written by its own rep; a manager reads it and may promote its insight.");
                case Reach.Playbook.DealDocument document:
                    CheckDealPart(db, document.DealId, actor, "documents");
                    break;
                // Settings before records: a product is a Record too, and must not pass as one a rep owns.
                case Product or Pipeline or Stage or Team or WorkspaceSettings or LostReason:
                    throw new AccessDeniedException(SettingsOnly);
                case Record record:
                    CheckRecord(entry, record, actor);
                    break;
                case DealStageChange when entry.State == EntityState.Added:
                    break;
                case DealLineItem item:
                    CheckDealPart(db, item.DealId, actor, "line items");
                    break;
                case DealContact link:
                    CheckDealPart(db, link.DealId, actor, "contacts");
                    break;
                case User user:
                    CheckUser(entry, user, actor);
                    break;
                case MailAccount mailbox when mailbox.UserId == actor.UserId && (Guid?)entry.Property(nameof(MailAccount.UserId)).OriginalValue == actor.UserId:
                    break;
                case MailAccount:
                    throw new AccessDeniedException("A mailbox is connected and changed only by its own user.");
                case SequenceStep step:
                    CheckPart(db.Sequences.Local.FirstOrDefault(s => s.Id == step.SequenceId)?.OwnerId
                        ?? db.Sequences.IgnoreQueryFilters().Where(s => s.Id == step.SequenceId).Select(s => s.OwnerId).FirstOrDefault(), actor, "sequence");
                    break;
                case EnrolmentStep step:
                    CheckPart(db.Enrolments.Local.FirstOrDefault(e => e.Id == step.EnrolmentId)?.OwnerId
                        ?? db.Enrolments.IgnoreQueryFilters().Where(e => e.Id == step.EnrolmentId).Select(e => e.OwnerId).FirstOrDefault(), actor, "enrolment");
                    break;
                case DripPiece piece:
                    CheckPart(TrackOwner(db, piece.TrackId), actor, "drip track");
                    break;
                case DripMember member:
                    CheckPart(TrackOwner(db, member.TrackId), actor, "drip track");
                    break;
                case DripSend send:
                    CheckPart(TrackOwner(db, send.TrackId), actor, "drip track");
                    break;
                case ApiToken token when token.UserId == actor.UserId && entry.State != EntityState.Deleted:
                    break;
                // Whoever may share a record may also take a share back, whoever made it (Sharing).
                case Share share when share.SharedById == actor.UserId || actor.AnswersFor(SharedRecordOwner(db, share.RecordId)):
                    break;
                default:
                    throw new AccessDeniedException($"You may not change this {entry.Metadata.ClrType.Name.ToLowerInvariant()}.");
            }
        }
    }

    static Guid? SharedRecordOwner(ReachDb db, Guid recordId) =>
        db.Contacts.IgnoreQueryFilters().Where(r => r.Id == recordId).Select(r => r.OwnerId).FirstOrDefault()
        ?? db.Leads.IgnoreQueryFilters().Where(r => r.Id == recordId).Select(r => r.OwnerId).FirstOrDefault()
        ?? db.Deals.IgnoreQueryFilters().Where(r => r.Id == recordId).Select(r => r.OwnerId).FirstOrDefault()
        ?? db.Activities.IgnoreQueryFilters().Where(r => r.Id == recordId).Select(r => r.OwnerId).FirstOrDefault();

    static Guid? TrackOwner(ReachDb db, Guid trackId) =>
        db.DripTracks.Local.FirstOrDefault(t => t.Id == trackId)?.OwnerId
        ?? db.DripTracks.IgnoreQueryFilters().Where(t => t.Id == trackId).Select(t => t.OwnerId).FirstOrDefault();

    // A deal's line items and contacts are changed by whoever may change the deal (an unowned deal by anyone).
    static void CheckDealPart(ReachDb db, Guid dealId, Actor actor, string parts)
    {
        var owner = db.Deals.Local.FirstOrDefault(d => d.Id == dealId) is { } deal
            ? deal.OwnerId
            : db.Deals.IgnoreQueryFilters().Where(d => d.Id == dealId).Select(d => d.OwnerId).FirstOrDefault();
        if (owner is not null && !actor.AnswersFor(owner))
            throw new AccessDeniedException($"Only the deal's owner (or their manager) changes its {parts}.");
    }

    // A part (a sequence's step, an enrolment's step) is changed by whoever may change its whole.
    static void CheckPart(Guid? ownerId, Actor actor, string whole)
    {
        if (!actor.AnswersFor(ownerId))
            throw new AccessDeniedException($"This {whole} belongs to someone else; only its owner or their manager changes it.");
    }

    static void CheckRecord(EntityEntry entry, Record record, Actor actor)
    {
        var kind = entry.Metadata.ClrType.Name.ToLowerInvariant();
        if (entry.State == EntityState.Added)
        {
            // What you create is yours unless you say whose it is.
            record.OwnerId ??= actor.UserId;
            if (!actor.AnswersFor(record.OwnerId))
                throw new AccessDeniedException($"You may not create a {kind} owned by someone else.", "ownerId");
            return;
        }
        var ownedBefore = (Guid?)entry.Property(nameof(Record.OwnerId)).OriginalValue;
        if (ownedBefore is not null && !actor.AnswersFor(ownedBefore))
            throw new AccessDeniedException($"This {kind} belongs to someone else; only its owner or their manager changes it.");
        if (record.OwnerId != ownedBefore && !actor.AnswersFor(record.OwnerId))
            throw new AccessDeniedException(actor.Role == UserRole.Rep
                ? $"A rep may take a {kind} only for themselves; ask a manager to hand it to someone else."
                : $"You may hand a {kind} only to a user of your teams.", "ownerId");
    }

    // A manager sets targets for the users and teams they manage; reps read targets, never write them.
    static void CheckTarget(ReachDb db, EntityEntry entry, Target target, Actor actor)
    {
        if (actor.Role != UserRole.Manager)
            throw new AccessDeniedException("Targets are set by managers and admins; a rep reads their own and their team's.");
        bool Manages(Guid? userId, Guid? teamId) =>
            userId is { } user ? actor.TeamUserIds.Contains(user) : teamId is { } team && actor.AnswersForTeam(team);
        if (!Manages(target.UserId, target.TeamId)
            || (entry.State != EntityState.Added && !Manages((Guid?)entry.Property(nameof(Target.UserId)).OriginalValue, (Guid?)entry.Property(nameof(Target.TeamId)).OriginalValue)))
            throw new AccessDeniedException(target.UserId is null && target.TeamId is null
                ? "Workspace targets are set by admins; a manager sets their teams' and their reps' targets."
                : "A manager sets targets only for their own teams and the users in them.");
    }

    static void CheckUser(EntityEntry entry, User user, Actor actor)
    {
        if (user.Id != actor.UserId || entry.State != EntityState.Modified)
            throw new AccessDeniedException("Only an admin adds, changes or removes users.");
        string[] adminOnly = [nameof(User.Role), nameof(User.TeamId), nameof(User.IsActive), nameof(User.Email), nameof(User.UserName), nameof(User.Channel)];
        var changed = adminOnly.FirstOrDefault(p => entry.Property(p).IsModified && !Equals(entry.Property(p).OriginalValue, entry.Property(p).CurrentValue));
        if (changed is not null)
            throw new AccessDeniedException($"Only an admin changes a user's {changed.ToLowerInvariant()}.", changed.ToLowerInvariant());
    }
}

/// <summary>The actor may not do this; the API answers 403 naming the reason (and the field when one is at fault).</summary>
public sealed class AccessDeniedException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}
