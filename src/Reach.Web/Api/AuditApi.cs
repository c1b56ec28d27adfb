using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Audit;
using Reach.Data;

namespace Reach.Web.Api;

/// <summary>
/// The audit trail, read-only: ReachDb's SaveChanges writes it, and no route here or elsewhere
/// changes or removes an entry.
/// </summary>
public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Access.ReachAccess.ManagerPolicy);
        group.MapGet("/", List);
    }

    /// <summary>Entries newest first, filtered by entityType, entityId, actor (a user id or name), from and to.</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var entries = db.AuditEntries.AsNoTracking();
        if (db.Actor is { IsAdmin: false } manager)
        {
            // A manager reads what their teams did, and the history of every record they may read.
            Guid?[] team = [.. manager.TeamUserIds.Select(id => (Guid?)id)];
            string[] softDelete = [ReachDb.SoftDeleteFilter];
            entries = entries.Where(e => team.Contains(e.ActorId)
                || db.Accounts.IgnoreQueryFilters(softDelete).Any(r => r.Id == e.EntityId)
                || db.Deals.IgnoreQueryFilters(softDelete).Any(r => r.Id == e.EntityId)
                || db.Contacts.IgnoreQueryFilters(softDelete).Any(r => r.Id == e.EntityId)
                || db.Leads.IgnoreQueryFilters(softDelete).Any(r => r.Id == e.EntityId)
                || db.Activities.IgnoreQueryFilters(softDelete).Any(r => r.Id == e.EntityId));
        }
        if (query.Text("entityType") is { } entityType)
        {
            var audited = db.Model.GetEntityTypes().Select(t => t.ClrType).Where(AuditTrail.IsAudited).Select(AuditTrail.TypeName).Order().ToList();
            var type = audited.FirstOrDefault(t => t.Equals(entityType, StringComparison.OrdinalIgnoreCase))
                ?? throw new InputException("entityType", $"'{entityType}' is not audited: expected one of {string.Join(", ", audited)}.");
            entries = entries.Where(e => e.EntityType == type);
        }
        if (query.Id("entityId") is { } entityId)
            entries = entries.Where(e => e.EntityId == entityId);
        if (query.Text("actor") is { } actor)
        {
            entries = Guid.TryParse(actor, out var actorId)
                ? entries.Where(e => e.ActorId == actorId)
                : entries.Where(e => e.ActorName == actor);
        }
        if (query.Time("from") is { } from)
            entries = entries.Where(e => e.At >= from);
        if (query.Until("to") is { } to)
            entries = entries.Where(e => e.At < to);

        // Ids grow in the order entries were written, so they order the trail without ties.
        var page = await query.PageAsync(entries.OrderByDescending(e => e.Id), cancellationToken);
        return TypedResults.Ok(new Page<AuditView>(page.Items.Select(AuditView.Of).ToList(), page.NextCursor));
    }

    /// <summary>An entry as the API shows it: the changes as a JSON object rather than the stored text.</summary>
    public sealed record AuditView(long Id, DateTime At, Guid? ActorId, string ActorName, AuditAction Action, string EntityType, Guid EntityId, JsonNode? Changes)
    {
        public static AuditView Of(AuditEntry e) => new(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, JsonNode.Parse(e.Changes));
    }
}
