using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Audit;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>An audit entry in words for the record pages' timelines: ids of stages, users and teams shown by name.</summary>
public sealed class AuditText(IReadOnlyDictionary<Guid, string> names)
{
    /// <summary>The names ids in a trail can refer to: stages, pipelines, users and teams (all small tables).</summary>
    public static async Task<AuditText> LoadAsync(ReachDb db, CancellationToken cancellationToken)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var s in await db.Stages.AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken))
            names[s.Id] = s.Name;
        foreach (var p in await db.Pipelines.AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken))
            names[p.Id] = p.Name;
        foreach (var u in await db.Users.AsNoTracking().Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken))
            names[u.Id] = u.Name;
        foreach (var t in await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken))
            names[t.Id] = t.Name;
        return new AuditText(names);
    }

    /// <summary>"shared", "updated"…: the action as a verb.</summary>
    public static string Verb(AuditEntry entry) => entry.Action.ToString().ToLowerInvariant() + "d";

    /// <summary>The changed fields, <c>stageId: Qualified → Proposal</c>, at most six of them.</summary>
    public string Describe(AuditEntry entry)
    {
        var changes = JsonNode.Parse(entry.Changes) as JsonObject ?? [];
        var fields = changes.Select(c => $"{c.Key}: {Short(c.Value?["before"])} → {Short(c.Value?["after"])}");
        return string.Join("; ", fields.Take(6));
    }

    string Short(JsonNode? value)
    {
        if (value is null)
            return "∅";
        var text = value.ToJsonString().Trim('"');
        if (Guid.TryParse(text, out var id) && names.TryGetValue(id, out var name))
            return name;
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
