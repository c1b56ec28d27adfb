using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;

namespace Reach.Web.Pages;

/// <summary>
/// The kinds of record the web app deletes, restores and hands to another owner, named as in addresses and forms
/// (account, contact, lead, deal, activity). Each change goes through the record's input (its rules, the access rules on
/// save), as the API's <c>RecordEndpoints</c> does.
/// </summary>
public static class RecordChanges
{
    public static readonly string[] Kinds = ["account", "contact", "lead", "deal", "activity"];

    /// <summary>The records of a kind with these ids the actor may see, deleted ones too when <paramref name="deleted"/>.</summary>
    public static async Task<List<Record>> FindAsync(ReachDb db, string kind, IReadOnlyCollection<Guid> ids, bool deleted, CancellationToken cancellationToken) =>
        kind switch
        {
            "account" => [.. await Query(db.Accounts, deleted).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)],
            "contact" => [.. await Query(db.Contacts, deleted).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)],
            "lead" => [.. await Query(db.Leads, deleted).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)],
            "deal" => [.. await Query(db.Deals, deleted).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)],
            "activity" => [.. await Query(db.Activities, deleted).Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken)],
            _ => throw new InputException("kind", $"'{kind}' is not a kind of record: use one of {string.Join(", ", Kinds)}."),
        };

    static IQueryable<T> Query<T>(IQueryable<T> set, bool deleted) where T : Record =>
        deleted ? set.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).Where(r => r.DeletedAt != null) : set;

    /// <summary>Brings a deleted record back, if its input's restore rules allow (an account brings back what its deletion hid).</summary>
    public static async Task RestoreAsync(ReachDb db, Record record, CancellationToken cancellationToken)
    {
        await (record switch
        {
            Account a => Restore<Account, AccountInput>(db, a, cancellationToken),
            Contact c => Restore<Contact, ContactInput>(db, c, cancellationToken),
            Lead l => Restore<Lead, LeadInput>(db, l, cancellationToken),
            Deal d => Restore<Deal, DealInput>(db, d, cancellationToken),
            Activity t => Restore<Activity, ActivityInput>(db, t, cancellationToken),
            _ => Task.CompletedTask,
        });
        await SoftDelete.RestoreAsync(db, record, cancellationToken);
    }

    static Task Restore<TEntity, TInput>(ReachDb db, TEntity record, CancellationToken cancellationToken)
        where TEntity : Record where TInput : IRecordInput<TEntity, TInput> =>
        TInput.From(record).CheckRestoreAsync(db, record, cancellationToken);

    /// <summary>Hands a record to another owner through its input, so the same checks apply as to an edit over the API.</summary>
    public static Task ReassignAsync(ReachDb db, Record record, Guid? ownerId, CancellationToken cancellationToken) => record switch
    {
        Account a => Reassign<Account, AccountInput>(db, a, ownerId, cancellationToken),
        Contact c => Reassign<Contact, ContactInput>(db, c, ownerId, cancellationToken),
        Lead l => Reassign<Lead, LeadInput>(db, l, ownerId, cancellationToken),
        Deal d => Reassign<Deal, DealInput>(db, d, ownerId, cancellationToken),
        Activity t => Reassign<Activity, ActivityInput>(db, t, ownerId, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(record)),
    };

    static async Task Reassign<TEntity, TInput>(ReachDb db, TEntity record, Guid? ownerId, CancellationToken cancellationToken)
        where TEntity : Record where TInput : IRecordInput<TEntity, TInput>
    {
        // The record's current input with only the owner changed: a merge patch of one field, as the API applies it.
        var fields = (JsonObject)JsonSerializer.SerializeToNode(TInput.From(record))!;
        fields["OwnerId"] = ownerId?.ToString();
        var input = fields.Deserialize<TInput>()!;
        InputRules.Validate(input);
        await input.ApplyAsync(db, record, cancellationToken);
    }

    /// <summary>
    /// The web app's rule for closing a deal as lost, on the board, the deal page and a bulk move alike: a reason from the
    /// workspace's list is asked for. Null when the move may go ahead, else what to tell the user.
    /// </summary>
    public static string? LostWithoutReason(Reach.Pipelines.Stage stage, string? reason) =>
        stage.Outcome == Reach.Pipelines.StageOutcome.Lost && string.IsNullOrWhiteSpace(reason) ? "Say why the deal was lost: choose a reason from the list." : null;

    /// <summary>What a record is called on the page (the trash, the undo message).</summary>
    public static string NameOf(Record record) => record switch
    {
        Account a => a.Name,
        Contact c => c.FullName,
        Lead l => $"{l.FirstName} {l.LastName}".Trim() + (l.Company is { } company ? $" ({company})" : ""),
        Deal d => d.Name,
        Activity t => t.Subject,
        _ => record.Id.ToString(),
    };

    public static string KindOf(Record record) => record switch
    {
        Account => "account",
        Contact => "contact",
        Lead => "lead",
        Deal => "deal",
        Activity => "activity",
        _ => "record",
    };

    /// <summary>The page of a live record.</summary>
    public static string? LinkOf(Record record) => record switch
    {
        Account => $"/Accounts/{record.Id}",
        Contact => $"/Contacts/{record.Id}",
        Lead => $"/Leads/{record.Id}",
        Deal => $"/Deals/{record.Id}",
        Activity t => t.DealId is { } d ? $"/Deals/{d}" : t.ContactId is { } c ? $"/Contacts/{c}" : t.AccountId is { } a ? $"/Accounts/{a}" : t.LeadId is { } l ? $"/Leads/{l}" : null,
        _ => null,
    };

    /// <summary>The list a deleted record of this kind leaves the user on.</summary>
    public static string ListOf(string kind) => kind switch
    {
        "account" => "/Accounts",
        "contact" => "/Contacts",
        "lead" => "/Leads",
        "deal" => "/Deals",
        _ => "/",
    };

    /// <summary>
    /// Whom the actor may hand records to: an admin anyone active, a manager the users of their teams; a rep nobody
    /// (a rep only takes unowned records for themselves), so the choice is not shown to them.
    /// </summary>
    public static async Task<List<(Guid Id, string Name)>> OwnerChoicesAsync(ReachDb db, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Role == UserRole.Rep)
            return [];
        var team = actor.TeamUserIds.ToList();
        var users = db.Users.AsNoTracking().Where(u => u.IsActive);
        if (!actor.IsAdmin)
            users = users.Where(u => team.Contains(u.Id));
        return [.. (await users.OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken)).Select(u => (u.Id, u.Name))];
    }
}
