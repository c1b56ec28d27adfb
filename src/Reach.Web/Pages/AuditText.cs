using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Reach.Audit;
using Reach.Data;

namespace Reach.Web.Pages;

/// <summary>
/// An audit entry in words for the record pages' timelines ("Tom moved it from Qualified to Discovery"): ids of stages,
/// users, teams, accounts and contacts shown by name, instants and dates as people write them, empty values as "nothing".
/// </summary>
public sealed class AuditText(IReadOnlyDictionary<Guid, string> names)
{
    /// <summary>
    /// The names ids in a trail can refer to: stages, pipelines, users and teams (all small tables), plus the accounts and
    /// contacts of <paramref name="records"/> when given.
    /// </summary>
    public static async Task<AuditText> LoadAsync(ReachDb db, CancellationToken cancellationToken, IReadOnlyCollection<Guid>? records = null)
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
        if (records is { Count: > 0 })
        {
            foreach (var a in await db.Accounts.AsNoTracking().Where(a => records.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
                names[a.Id] = a.Name;
            foreach (var c in await db.Contacts.AsNoTracking().Where(c => records.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(cancellationToken))
                names[c.Id] = c.LastName is null ? c.FirstName : $"{c.FirstName} {c.LastName}";
            // A line item names its product, retired ones too.
            foreach (var p in await db.Products.IgnoreQueryFilters().AsNoTracking().Where(p => records.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken))
                names[p.Id] = p.Name;
        }
        return new AuditText(names);
    }

    /// <summary>The ids an entry's values name, to load their names with <see cref="LoadAsync"/>.</summary>
    public static IEnumerable<Guid> IdsIn(AuditEntry entry)
    {
        var changes = JsonNode.Parse(entry.Changes) as JsonObject ?? [];
        foreach (var (_, change) in changes)
            foreach (var side in new[] { change?["before"], change?["after"] })
                if (side is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id))
                    yield return id;
    }

    /// <summary>"shared", "updated"…: the action as a verb.</summary>
    public static string Verb(AuditEntry entry) => entry.Action switch
    {
        AuditAction.Create => "created",
        AuditAction.Update => "changed",
        AuditAction.Delete => "deleted",
        AuditAction.Restore => "restored",
        AuditAction.Share => "shared",
        AuditAction.Unshare => "unshared",
        _ => entry.Action.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The whole entry as a sentence about the record the page shows ("it"): "Tom moved it from Qualified to Discovery",
    /// "Sofia changed the amount from 10,000 to 12,000", "Tom created it".
    /// </summary>
    public string Sentence(AuditEntry entry)
    {
        var who = entry.ActorName == AuditTrail.NoActor ? "Reach" : entry.ActorName;
        if (PartSentence(entry, who) is { } part)
            return part;
        return entry.Action switch
        {
            AuditAction.Create => $"{who} created it",
            AuditAction.Delete => $"{who} moved it to the trash",
            AuditAction.Restore => $"{who} restored it from the trash",
            AuditAction.Share or AuditAction.Unshare => $"{who} {Verb(entry)} it{Describe(entry) switch { "" => "", var d => " (" + d + ")" }}",
            _ => Describe(entry) is { Length: > 0 } what ? $"{who} {what}" : $"{who} changed it",
        };
    }

    /// <summary>Entity types whose entries tell of a part of a deal (its cast, its line items) under the deal's id.</summary>
    public static bool IsDealPart(AuditEntry entry) => entry.EntityType is "dealContact" or "dealLineItem";

    /// <summary>
    /// A change of a deal's part in words: "Tom added Ada Lind to the deal as champion", "Tom made Bob Budd the deal's
    /// economic buyer (was user)", "Tom added a line: 2 × Seats at 1,000", "Tom removed the Seats line".
    /// </summary>
    string? PartSentence(AuditEntry entry, string who)
    {
        if (!IsDealPart(entry))
            return null;
        var changes = JsonNode.Parse(entry.Changes) as JsonObject ?? [];
        JsonNode? Current(string field) => changes[field]?[entry.Action == AuditAction.Delete ? "before" : "after"];
        if (entry.EntityType == "dealContact")
        {
            var contact = Value("contactId", Current("contactId"));
            string Role(JsonNode? role) => role?.ToString() is null or "unknown" ? "no role yet" : Value("role", role);
            return entry.Action switch
            {
                AuditAction.Create => $"{who} added {contact} to the deal as {Role(Current("role"))}",
                AuditAction.Delete => $"{who} removed {contact} from the deal",
                _ => $"{who} made {contact} the deal's {Role(Current("role"))} (was {Role(changes["role"]?["before"])})",
            };
        }
        var product = Value("productId", Current("productId"));
        var discount = Current("discount") is JsonValue d && d.TryGetValue<decimal>(out var off) && off > 0 ? $", {Value("discount", d)} off" : "";
        return entry.Action switch
        {
            AuditAction.Create => $"{who} added a line: {Value("quantity", Current("quantity"))} × {product} at {Value("unitPrice", Current("unitPrice"))}{discount}",
            AuditAction.Delete => $"{who} removed the {product} line",
            _ => $"{who} changed the {product} line: " + string.Join("; ", changes.Where(c => c.Key is not ("productId" or "dealId") && !Hidden.Contains(c.Key))
                .Select(c => Clause(entry.Action, c.Key, c.Value?["before"], c.Value?["after"]))),
        };
    }

    /// <summary>
    /// The changed fields as clauses ("moved it from Qualified to Proposal; changed the amount from 10,000 to 12,000"),
    /// at most six of them; fields no reader cares about (versions, stamps) are left out.
    /// </summary>
    public string Describe(AuditEntry entry)
    {
        var changes = JsonNode.Parse(entry.Changes) as JsonObject ?? [];
        var clauses = changes.Where(c => !Hidden.Contains(c.Key)).Select(c => Clause(entry.Action, c.Key, c.Value?["before"], c.Value?["after"])).ToList();
        var shown = string.Join("; ", clauses.Take(6));
        return clauses.Count > 6 ? $"{shown}; and {clauses.Count - 6} more" : shown;
    }

    // Kept by the trail for completeness, but nothing a person reads a timeline for.
    static readonly HashSet<string> Hidden = ["version", "updatedAt", "createdAt", "stageEnteredAt", "externalSource", "id"];

    string Clause(AuditAction action, string field, JsonNode? before, JsonNode? after)
    {
        var (from, to) = (Value(field, before), Value(field, after));
        if (action == AuditAction.Create)
            return $"{Field(field)} {to}";
        return field switch
        {
            "stageId" => $"moved it from {from} to {to}",
            "ownerId" when before is null => $"gave it to {to}",
            "ownerId" => $"handed it from {from} to {to}",
            "status" => $"marked it {to}",
            "deletedAt" => after is null ? "restored it" : "moved it to the trash",
            "closedAt" => after is null ? "reopened it" : $"closed it on {to}",
            _ when before is null => $"set the {Field(field)} to {to}",
            _ when after is null => $"cleared the {Field(field)} (was {from})",
            _ => $"changed the {Field(field)} from {from} to {to}",
        };
    }

    /// <summary>A field as words: <c>nextStep</c> → "next step", <c>accountId</c> → "account".</summary>
    public static string Field(string field)
    {
        var name = field.EndsWith("Id", StringComparison.Ordinal) && field.Length > 2 ? field[..^2] : field;
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name).Replace('_', ' ');
    }

    string Value(string field, JsonNode? value)
    {
        if (value is null)
            return "nothing";
        if (value is not JsonValue scalar)
            return "a list";
        if (scalar.TryGetValue<bool>(out var flag))
            return flag ? "yes" : "no";
        if (scalar.TryGetValue<decimal>(out var number))
            return field is "probability" or "discount" ? number.ToString("P0", CultureInfo.InvariantCulture) : number.ToString("#,##0.##", CultureInfo.InvariantCulture);
        var text = scalar.ToString();
        if (Guid.TryParse(text, out var id))
            return names.TryGetValue(id, out var name) ? name : field switch { "accountId" => "another account", "primaryContactId" or "contactId" => "another contact", _ => "a record you cannot see" };
        if (text.Length >= 20 && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return at.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        if (text.Length > 0 && text.All(c => char.IsLower(c) || c == '_') && text.Contains('_', StringComparison.Ordinal))
            text = text.Replace('_', ' ');
        return text.Length > 60 ? $"“{text[..60]}…”" : field is "name" or "nextStep" or "lostReason" or "subject" or "title" ? $"“{text}”" : text;
    }
}
