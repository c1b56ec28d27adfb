using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Leads;

namespace Reach.Imports;

// The upsert of each entity: match on its key, merge the row's non-empty cells over the record, validate with
// the entity's input rules, and let EF's change detection say whether anything changed.
public sealed partial class Importer
{
    // The batch's records, by every key a row may match on; filled by the prefetch, extended by inserts.
    readonly Dictionary<string, object> matches = new(StringComparer.Ordinal);

    // Related records rows link to (accounts, contacts, deals, leads), by id, external id, domain, email or name.
    readonly Dictionary<string, Guid> links = new(StringComparer.Ordinal);
    int unlinkedContacts;

    // A key is "kind:value", the kind saying what the value is: "email:ann@x.com", "account-domain:x.com",
    // "source-id:hubspot|123" (the source's own id), "person:ann|lee|…" (names, for rows without an e-mail).
    static string Key(string kind, string value) => kind + ":" + value;

    static string NameKey(string kind, string name) => kind + ":" + name.Trim().ToLowerInvariant();

    // A record is found by its Reach id only when a row can name one: a file without an id column makes no id keys
    // (a formatted id and a string per record).
    string? IdKey(Guid id) => plan.Has("id") ? Key("id", id.ToString()) : null;

    void Index(object record, params string?[] keys)
    {
        foreach (var key in keys)
            if (key is not null)
                matches.TryAdd(key, record);
    }

    T? Match<T>(params string?[] keys) where T : class
    {
        foreach (var key in keys)
            if (key is not null && matches.TryGetValue(key, out var found) && found is T record)
                return record;
        return null;
    }

    // A new record keeps the v7 id its constructor drew unless the row names its Reach id: one id drawn per record, not two
    // (drawing one reads the clock and the system's random source).
    static T WithId<T>(T record, Guid? id) where T : Record
    {
        if (id is { } given)
            record.Id = given;
        return record;
    }

    static Guid? IdOf(ImportRow row, string field) => Guid.TryParse(row.Text(field), out var id) ? id : null;

    /// <summary>The first of a list cell (HubSpot joins associated ids with ';', Pipedrive emails with ',').</summary>
    static string? First(string? text) => text is null ? null
        // Most cells hold one value: no split, no array.
        : text.AsSpan().IndexOfAny(';', ',') < 0 ? (text.Trim() is { Length: > 0 } one ? one : null)
        : text.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    string? ExternalIdOf(ImportRow row) => First(row.Text("externalId"));

    string? ExternalSourceOf(ImportRow row, string? externalId, string? current) =>
        format == SourceFormat.Reach ? row.Text("externalSource") ?? current : externalId is not null ? source : current;

    static string? ExternalKey(string? externalSource, string? externalId) =>
        externalId is null ? null : Key("source-id", (externalSource ?? "") + "|" + externalId);

    // ---- Links to related records ------------------------------------------------------------------

    async Task PrefetchLinksAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        links.Clear();
        if (plan.Has("accountId") || plan.Has("accountExternalId") || plan.Has("accountDomain") || plan.Has("account"))
        {
            var ids = rows.Select(r => IdOf(r, "accountId")).OfType<Guid>().Distinct().ToList();
            var externals = rows.Select(r => First(r.Text("accountExternalId"))).OfType<string>().Distinct().ToList();
            var domains = rows.Select(r => Account.NormaliseDomain(r.Text("accountDomain"))).OfType<string>().Distinct().ToList();
            var names = rows.Select(r => r.Text("account")).OfType<string>().Distinct().ToList();
            var lowerNames = names.Select(n => n.ToLowerInvariant()).ToList();
            var found = await db.Accounts.AsNoTracking()
                .Where(a => ids.Contains(a.Id) || (a.ExternalSource == source && externals.Contains(a.ExternalId!))
                    || domains.Contains(a.Domain!) || names.Contains(a.Name) || lowerNames.Contains(a.Name.ToLower()))
                .OrderBy(a => a.CreatedAt)
                .Select(a => new { a.Id, a.ExternalSource, a.ExternalId, a.Domain, a.Name })
                .ToListAsync(cancellationToken);
            foreach (var a in found)
            {
                links.TryAdd(Key("account-id", a.Id.ToString()), a.Id);
                if (a.ExternalId is not null && a.ExternalSource == source)
                    links.TryAdd(Key("account-source-id", a.ExternalId), a.Id);
                if (a.Domain is not null)
                    links.TryAdd(Key("account-domain", a.Domain), a.Id);
                links.TryAdd(NameKey("account-name", a.Name), a.Id);
            }
        }
        if (plan.Has("contactEmail") || plan.Has("contactId") || plan.Has("primaryContactId"))
        {
            var ids = rows.SelectMany(r => new[] { IdOf(r, "contactId"), IdOf(r, "primaryContactId") }).OfType<Guid>().Distinct().ToList();
            var emails = rows.Select(r => First(r.Text("contactEmail"))?.ToLowerInvariant()).OfType<string>().Distinct().ToList();
            foreach (var c in await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id) || emails.Contains(c.Email!)).Select(c => new { c.Id, c.Email }).ToListAsync(cancellationToken))
            {
                links.TryAdd(Key("contact-id", c.Id.ToString()), c.Id);
                if (c.Email is not null)
                    links.TryAdd(Key("contact-email", c.Email), c.Id);
            }
        }
        if (plan.Has("dealId") || plan.Has("dealExternalId"))
        {
            var ids = rows.Select(r => IdOf(r, "dealId")).OfType<Guid>().Distinct().ToList();
            var externals = rows.Select(r => First(r.Text("dealExternalId"))).OfType<string>().Distinct().ToList();
            foreach (var d in await db.Deals.AsNoTracking().Where(d => ids.Contains(d.Id) || (d.ExternalSource == source && externals.Contains(d.ExternalId!))).Select(d => new { d.Id, d.ExternalId }).ToListAsync(cancellationToken))
            {
                links.TryAdd(Key("deal-id", d.Id.ToString()), d.Id);
                if (d.ExternalId is not null)
                    links.TryAdd(Key("deal-source-id", d.ExternalId), d.Id);
            }
        }
        if (plan.Has("leadId"))
        {
            var ids = rows.Select(r => IdOf(r, "leadId")).OfType<Guid>().Distinct().ToList();
            foreach (var id in await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(l => l.Id).ToListAsync(cancellationToken))
                links.TryAdd(Key("lead-id", id.ToString()), id);
        }
    }

    Guid? Link(params string?[] keys)
    {
        foreach (var key in keys)
            if (key is not null && links.TryGetValue(key, out var id))
                return id;
        return null;
    }

    /// <summary>The account a row names, by Reach id, the source's id, domain or name; null with a rejection when named but not found.</summary>
    Guid? AccountOf(ImportRow row, bool required)
    {
        var id = row.ReadId("accountId");
        var external = First(row.Text("accountExternalId"));
        var domain = Account.NormaliseDomain(row.Text("accountDomain"));
        var name = row.Text("account");
        var found = Link(id is null ? null : Key("account-id", id.Value.ToString()), external is null ? null : Key("account-source-id", external),
            domain is null ? null : Key("account-domain", domain), name is null ? null : NameKey("account-name", name));
        if (found is not null || (id is null && external is null && domain is null && name is null && !required))
            return found;
        var field = id is not null ? "accountId" : name is not null ? "account" : external is not null ? "accountExternalId" : domain is not null ? "accountDomain" : "account";
        var value = id?.ToString() ?? name ?? external ?? domain;
        if (required)
            row.Reject(field, value ?? "", value is null
                ? "The row names no account; a deal needs one (an account id, domain or name)."
                : $"No account of the workspace matches '{value}' (by id, domain or name): import the accounts first.");
        else
            unlinkedContacts++;
        return null;
    }

    // ---- Accounts ----------------------------------------------------------------------------------

    async Task PrefetchAccountsAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        matches.Clear();
        var ids = rows.Select(r => IdOf(r, "id")).OfType<Guid>().ToList();
        var domains = rows.Select(r => Account.NormaliseDomain(r.Text("domain"))).OfType<string>().Distinct().ToList();
        var externals = rows.Select(ExternalIdOf).OfType<string>().Distinct().ToList();
        var names = rows.Select(r => r.Text("name")).OfType<string>().Distinct().ToList();
        // lower(Name) cannot use the name index: only rows without a domain pay for the case-insensitive match.
        var lowerNames = rows.Where(r => r.Text("domain") is null).Select(r => r.Text("name")?.ToLowerInvariant()).OfType<string>().Distinct().ToList();
        var query = db.Accounts.Where(a => ids.Contains(a.Id) || domains.Contains(a.Domain!) || (a.ExternalSource == source && externals.Contains(a.ExternalId!)) || names.Contains(a.Name));
        if (lowerNames.Count > 0)
            query = query.Union(db.Accounts.Where(a => lowerNames.Contains(a.Name.ToLower())));
        var found = await query.OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);
        foreach (var a in found)
            IndexAccount(a);
    }

    void IndexAccount(Account a) =>
        Index(a, IdKey(a.Id), a.Domain is null ? null : Key("domain", a.Domain), ExternalKey(a.ExternalSource, a.ExternalId),
            a.Domain is null ? NameKey("name", a.Name) : null);

    Outcome ApplyAccount(ImportRow row)
    {
        var id = row.ReadId("id");
        var domain = row.ReadString("domain", d => Account.NormaliseDomain(d) ?? d);
        var external = ExternalIdOf(row);
        var name = row.Text("name");
        // A row with a domain matches by name only an account that has none: two companies may share a name.
        // Nor is a record of another source id the same company: two accounts of one name with different ids stay two.
        var byName = name is null ? null : Match<Account>(NameKey("name", name));
        if (byName is { ExternalId: not null } && external is not null)
            byName = null;
        var existing = Match<Account>(id is null ? null : Key("id", id.Value.ToString()), domain is null ? null : Key("domain", domain),
            ExternalKey(format == SourceFormat.Reach ? row.Text("externalSource") : source, external)) ?? byName;
        var isNew = existing is null;
        var current = existing is null ? new AccountInput() : AccountInput.From(existing);
        var input = current with
        {
            Name = name ?? current.Name ?? domain,
            Domain = domain ?? current.Domain,
            Employees = row.Read("employees", CellParser.ParseInt) ?? current.Employees,
            AnnualRevenue = row.Read("annualRevenue", t => CellParser.ParseMoney(t).Amount) ?? current.AnnualRevenue,
            Industry = row.Text("industry") ?? current.Industry,
            Region = row.Text("region") ?? current.Region,
            Tier = row.Read("tier", t => CellParser.ParseEnum<Tier>(t)) ?? current.Tier,
            Channel = row.Read("channel", t => CellParser.ParseEnum<Channel>(t)) ?? current.Channel,
            Lifecycle = row.Read("lifecycle", ParseLifecycle) ?? current.Lifecycle,
            OwnerId = OwnerOf(row, current.OwnerId, isNew),
            ExternalId = external ?? current.ExternalId,
        };
        if (!Valid(row, input))
            return Outcome.Rejected;
        var account = existing ?? WithId(new Account { Name = input.Name! }, id);
        input.ApplyTo(account);
        account.ExternalSource = ExternalSourceOf(row, external, existing?.ExternalSource);
        if (isNew)
        {
            db.Accounts.Add(account);
            IndexAccount(account);
        }
        return Settle(account, isNew);
    }

    // HubSpot's lifecycle stages and Salesforce's account types ("Customer - Direct") say less, and differently.
    Lifecycle ParseLifecycle(string text) => ParseVendorValue(text, Lifecycle.Prospect,
        (Lifecycle.Customer, ["customer"]), (Lifecycle.Reference, ["evangelist", "reference"]), (Lifecycle.Churned, ["churn", "former"]));

    /// <summary>
    /// A source's value of one of Reach's lists (lifecycle, lead source and status, deal kind). Reach's own export and a
    /// plain CSV name the value itself; a CRM's values say less, and differently: the first kind whose words the squashed
    /// text contains, else the fallback.
    /// </summary>
    T ParseVendorValue<T>(string text, T fallback, params (T Value, string[] Words)[] kinds) where T : struct, Enum
    {
        if (format is SourceFormat.Reach or SourceFormat.Csv)
            return CellParser.ParseEnum<T>(text);
        var squashed = CellParser.Squash(text);
        foreach (var (value, words) in kinds)
            if (words.Any(word => squashed.Contains(word, StringComparison.Ordinal)))
                return value;
        return fallback;
    }

    // ---- People: contacts and leads ----------------------------------------------------------------

    /// <summary>First and last name from whichever columns the source has; the email's local part as a last resort.</summary>
    static (string? First, string? Last) NamesOf(ImportRow row, string? email)
    {
        var first = row.Text("firstName");
        var last = row.Text("lastName");
        if (first is null && row.Text("fullName") is { } full)
        {
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            (first, last) = space < 0 ? (full, last) : (full[..space], last ?? full[(space + 1)..].Trim());
        }
        if (first is null && last is not null)
            (first, last) = (last, null);
        if (first is null && email is not null)
            first = email.Split('@')[0];
        return (first, last);
    }

    static string? EmailOf(ImportRow row, string field = "email") => Contact.NormaliseEmail(First(row.Text(field)));

    async Task PrefetchContactsAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        matches.Clear();
        await PrefetchLinksAsync(rows, cancellationToken);
        // In a table empty when the import began, a row with an e-mail can only meet a contact this import wrote, and
        // the e-mail's unique index stops that (the row-by-row retry then finds it); names and source ids have no such index.
        if (startedEmpty && !plan.Has("externalId") && rows.All(r => EmailOf(r) is not null))
            return;
        var ids = rows.Select(r => IdOf(r, "id")).OfType<Guid>().ToList();
        var emails = rows.Select(r => EmailOf(r)).OfType<string>().Distinct().ToList();
        var externals = rows.Select(ExternalIdOf).OfType<string>().Distinct().ToList();
        var firstNames = rows.Where(r => EmailOf(r) is null).Select(r => NamesOf(r, null).First).OfType<string>().Distinct().ToList();
        foreach (var c in await db.Contacts
                     .Where(c => ids.Contains(c.Id) || emails.Contains(c.Email!) || (c.ExternalSource == source && externals.Contains(c.ExternalId!))
                         || (c.Email == null && firstNames.Contains(c.FirstName)))
                     .OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken))
            IndexContact(c);
    }

    void IndexContact(Contact c) =>
        Index(c, IdKey(c.Id), c.Email is null ? null : Key("email", c.Email), ExternalKey(c.ExternalSource, c.ExternalId),
            c.Email is null ? PersonKey(c.FirstName, c.LastName, c.AccountId?.ToString()) : null);

    static string PersonKey(string first, string? last, string? context) => NameKey("person", $"{first}|{last}|{context}");

    Outcome ApplyContact(ImportRow row)
    {
        var id = row.ReadId("id");
        var email = EmailOf(row);
        var external = ExternalIdOf(row);
        var (first, last) = NamesOf(row, email);
        var accountId = AccountOf(row, required: false);
        var existing = Match<Contact>(id is null ? null : Key("id", id.Value.ToString()), email is null ? null : Key("email", email),
            ExternalKey(format == SourceFormat.Reach ? row.Text("externalSource") : source, external),
            email is null && first is not null ? PersonKey(first, last, accountId?.ToString()) : null);
        var isNew = existing is null;
        var current = existing is null ? new ContactInput() : ContactInput.From(existing);
        var input = current with
        {
            AccountId = accountId ?? current.AccountId,
            FirstName = first ?? current.FirstName,
            LastName = last ?? current.LastName,
            Email = email ?? current.Email,
            Phone = row.Text("phone") ?? current.Phone,
            Title = row.Text("title") ?? current.Title,
            Role = row.Read("role", t => CellParser.ParseEnum<ContactRole>(t)) ?? current.Role,
            CaresAbout = row.Text("caresAbout") ?? current.CaresAbout,
            TimeZone = row.Text("timeZone") ?? current.TimeZone,
            OwnerId = OwnerOf(row, current.OwnerId, isNew),
            ExternalId = external ?? current.ExternalId,
        };
        if (input.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            row.Reject("timeZone", zone, $"The time zone '{zone}' is not a known IANA time zone (e.g. Europe/Berlin).");
        if (!Valid(row, input))
            return Outcome.Rejected;
        var contact = existing ?? WithId(new Contact { FirstName = input.FirstName! }, id);
        input.ApplyTo(contact);
        contact.ExternalSource = ExternalSourceOf(row, external, existing?.ExternalSource);
        if (isNew)
        {
            Insert(contact);
            IndexContact(contact);
        }
        return Settle(contact, isNew);
    }

    async Task PrefetchLeadsAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        matches.Clear();
        var ids = rows.Select(r => IdOf(r, "id")).OfType<Guid>().ToList();
        var emails = rows.Select(r => EmailOf(r)).OfType<string>().Distinct().ToList();
        var externals = rows.Select(ExternalIdOf).OfType<string>().Distinct().ToList();
        var firstNames = rows.Where(r => EmailOf(r) is null).Select(r => NamesOf(r, null).First).OfType<string>().Distinct().ToList();
        foreach (var l in await db.Leads
                     .Where(l => ids.Contains(l.Id) || emails.Contains(l.Email!) || (l.ExternalSource == source && externals.Contains(l.ExternalId!))
                         || (l.Email == null && firstNames.Contains(l.FirstName)))
                     .OrderBy(l => l.CreatedAt).ToListAsync(cancellationToken))
            IndexLead(l);
    }

    void IndexLead(Lead l) =>
        Index(l, IdKey(l.Id), l.Email is null ? null : Key("email", l.Email), ExternalKey(l.ExternalSource, l.ExternalId),
            l.Email is null ? PersonKey(l.FirstName, l.LastName, l.Company) : null);

    Outcome ApplyLead(ImportRow row)
    {
        var id = row.ReadId("id");
        var email = EmailOf(row);
        var external = ExternalIdOf(row);
        var (first, last) = NamesOf(row, email);
        var company = row.Text("company");
        var existing = Match<Lead>(id is null ? null : Key("id", id.Value.ToString()), email is null ? null : Key("email", email),
            ExternalKey(format == SourceFormat.Reach ? row.Text("externalSource") : source, external),
            email is null && first is not null ? PersonKey(first, last, company) : null);
        var isNew = existing is null;
        var current = existing is null ? new LeadInput() : LeadInput.From(existing);
        var input = current with
        {
            FirstName = first ?? current.FirstName,
            LastName = last ?? current.LastName,
            Email = email ?? current.Email,
            Phone = row.Text("phone") ?? current.Phone,
            Title = row.Text("title") ?? current.Title,
            Company = company ?? current.Company,
            Domain = row.Text("domain") ?? current.Domain,
            Employees = row.Read("employees", CellParser.ParseInt) ?? current.Employees,
            Industry = row.Text("industry") ?? current.Industry,
            Source = row.Read("source", ParseLeadSource) ?? current.Source,
            Status = row.Read("status", ParseLeadStatus) ?? current.Status,
            ReceivedAt = row.Read("receivedAt", CellParser.ParseDateTime) ?? current.ReceivedAt ?? db.UtcNow,
            OwnerId = OwnerOf(row, current.OwnerId, isNew),
            ExternalId = external ?? current.ExternalId,
        };
        if (!Valid(row, input))
            return Outcome.Rejected;
        var lead = existing ?? WithId(new Lead { FirstName = input.FirstName! }, id);
        input.ApplyTo(lead);
        lead.ExternalSource = ExternalSourceOf(row, external, existing?.ExternalSource);
        if (isNew)
        {
            db.Leads.Add(lead);
            IndexLead(lead);
            if (lead.OwnerId is null)
                unassignedLeads.Add(lead);
        }
        return Settle(lead, isNew);
    }

    LeadSource ParseLeadSource(string text) => ParseVendorValue(text, LeadSource.Other,
        (LeadSource.Referral, ["referral", "word"]),
        (LeadSource.Partner, ["partner"]),
        (LeadSource.Event, ["event", "tradeshow", "seminar", "conference", "webinar"]),
        (LeadSource.List, ["list", "purchased", "offline", "import"]),
        (LeadSource.Inbound, ["web", "organic", "direct", "inbound", "search", "social", "email", "advertis"]));

    // Salesforce: "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted";
    // HubSpot: NEW, OPEN, IN_PROGRESS, OPEN_DEAL, UNQUALIFIED, ATTEMPTED_TO_CONTACT, CONNECTED, BAD_TIMING.
    // A bare "Contacted" is working; "Not Contacted" is new.
    LeadStatus ParseLeadStatus(string text) =>
        format is not (SourceFormat.Reach or SourceFormat.Csv) && CellParser.Squash(text) == "contacted" ? LeadStatus.Working
        : ParseVendorValue(text, LeadStatus.New,
            (LeadStatus.Disqualified, ["notconverted", "unqualified", "disqualified", "badtiming"]),
            (LeadStatus.Converted, ["converted"]),
            (LeadStatus.Qualified, ["qualified", "opendeal"]),
            (LeadStatus.Working, ["working", "progress", "attempted", "connected"]));

    // ---- Activities --------------------------------------------------------------------------------

    async Task PrefetchActivitiesAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        matches.Clear();
        await PrefetchLinksAsync(rows, cancellationToken);
        var ids = rows.Select(r => IdOf(r, "id")).OfType<Guid>().ToList();
        var externals = rows.Select(ExternalIdOf).OfType<string>().Distinct().ToList();
        var subjects = rows.Where(r => ExternalIdOf(r) is null).Select(r => r.Text("subject")).OfType<string>().Distinct().ToList();
        foreach (var a in await db.Activities
                     .Where(a => ids.Contains(a.Id) || (a.ExternalSource == source && externals.Contains(a.ExternalId!)) || (a.ExternalId == null && subjects.Contains(a.Subject)))
                     .OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken))
            IndexActivity(a);
    }

    static string ActivityKey(ActivityType type, string subject, DateTime? at, Guid? account, Guid? contact, Guid? deal, Guid? lead) =>
        NameKey("activity", $"{type}|{subject}|{at:O}|{account}|{contact}|{deal}|{lead}");

    void IndexActivity(Activity a) =>
        Index(a, IdKey(a.Id), ExternalKey(a.ExternalSource, a.ExternalId),
            a.ExternalId is null ? ActivityKey(a.Type, a.Subject, a.OccurredAt, a.AccountId, a.ContactId, a.DealId, a.LeadId) : null);

    static readonly Dictionary<string, ActivityType> ActivitySynonyms = new()
    {
        ["lunch"] = ActivityType.Meeting,
        ["event"] = ActivityType.Meeting,
        ["deadline"] = ActivityType.Task,
        ["todo"] = ActivityType.Task,
        ["listemail"] = ActivityType.Email,
        ["linkedin"] = ActivityType.Social,
    };

    Outcome ApplyActivity(ImportRow row)
    {
        var id = row.ReadId("id");
        var external = ExternalIdOf(row);
        var type = row.Read("type", t => CellParser.ParseEnum(t, ActivitySynonyms));
        var subject = row.Text("subject");
        var occurredAt = row.Read("occurredAt", CellParser.ParseDateTime);
        var dueAt = row.Read("dueAt", CellParser.ParseDateTime);
        var accountId = AccountOf(row, required: false);
        var contactId = Linked(row, "contactId", "contact-id") ?? (EmailOf(row, "contactEmail") is { } email ? Link(Key("contact-email", email)) : null);
        var dealId = Linked(row, "dealId", "deal-id") ?? (First(row.Text("dealExternalId")) is { } dx ? Link(Key("deal-source-id", dx)) : null);
        var leadId = Linked(row, "leadId", "lead-id");
        var existing = Match<Activity>(id is null ? null : Key("id", id.Value.ToString()),
            ExternalKey(format == SourceFormat.Reach ? row.Text("externalSource") : source, external),
            external is null && type is not null && subject is not null && (occurredAt ?? dueAt) is { } at
                ? ActivityKey(type.Value, subject, at, accountId, contactId, dealId, leadId) : null);
        var isNew = existing is null;
        var current = existing is null ? new ActivityInput() : ActivityInput.From(existing);
        var input = current with
        {
            Type = type ?? current.Type,
            Direction = row.Read("direction", t => CellParser.ParseEnum<Direction>(t)) ?? current.Direction,
            Subject = subject ?? current.Subject,
            Body = row.Text("body") ?? current.Body,
            Outcome = row.Text("outcome") ?? current.Outcome,
            OccurredAt = occurredAt ?? current.OccurredAt,
            DueAt = dueAt ?? current.DueAt,
            CompletedAt = row.Read("completedAt", CellParser.ParseDateTime) ?? current.CompletedAt,
            AccountId = accountId ?? current.AccountId,
            ContactId = contactId ?? current.ContactId,
            DealId = dealId ?? current.DealId,
            LeadId = leadId ?? current.LeadId,
            OwnerId = OwnerOf(row, current.OwnerId, isNew),
            ExternalId = external ?? current.ExternalId,
        };
        if (input.AccountId is null && input.ContactId is null && input.DealId is null && input.LeadId is null)
            row.Reject("account", null, "An activity belongs to an account, contact, deal or lead, and the row names none the workspace has.");
        if (!Valid(row, input))
            return Outcome.Rejected;
        var activity = existing ?? WithId(new Activity { Subject = input.Subject! }, id);
        input.ApplyTo(activity);
        activity.ExternalSource = ExternalSourceOf(row, external, existing?.ExternalSource);
        if (isNew)
        {
            db.Activities.Add(activity);
            IndexActivity(activity);
        }
        return Settle(activity, isNew);
    }

    Guid? Linked(ImportRow row, string field, string kind)
    {
        var id = row.ReadId(field);
        if (id is null)
            return null;
        var found = Link(Key(kind, id.Value.ToString()));
        if (found is null)
            row.Reject(field, id.Value.ToString(), $"No record of the workspace has the id {id}.");
        return found;
    }
}
