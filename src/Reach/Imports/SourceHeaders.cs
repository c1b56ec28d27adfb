namespace Reach.Imports;

/// <summary>
/// The column headers each CRM writes in its exports (data/export_formats.md), mapped to Reach's
/// import fields. Headers match case-insensitively; Pipedrive's "Organisation" is read as "Organization"
/// and a trailing "*" (its import template's required marker) is ignored. Where several headers map to
/// one field, the first non-empty cell wins, in the order listed.
/// </summary>
public static class SourceHeaders
{
    static readonly Dictionary<(SourceFormat, ImportEntity), (string Header, string Field)[]> Maps = new()
    {
        [(SourceFormat.HubSpot, ImportEntity.Accounts)] =
        [
            ("Record ID", "externalId"), ("Company name", "name"), ("Name", "name"), ("Company Domain Name", "domain"),
            ("Website URL", "domain"), ("Number of Employees", "employees"), ("Annual Revenue", "annualRevenue"),
            ("Industry", "industry"), ("Country/Region", "region"), ("Company owner", "owner"), ("Lifecycle Stage", "lifecycle"),
        ],
        [(SourceFormat.HubSpot, ImportEntity.Contacts)] =
        [
            ("Record ID", "externalId"), ("First Name", "firstName"), ("Last Name", "lastName"), ("Email", "email"),
            ("Phone Number", "phone"), ("Mobile Phone Number", "phone"), ("Office Number", "phone"), ("Cell Number", "phone"),
            ("Job Title", "title"), ("Contact owner", "owner"), ("Primary Associated Company ID", "accountExternalId"),
            ("Associated Company IDs", "accountExternalId"), ("Record ID - Company", "accountExternalId"),
            ("Associated Company", "account"), ("Company Name", "account"), ("Company domain name", "accountDomain"),
        ],
        [(SourceFormat.HubSpot, ImportEntity.Leads)] =
        [
            ("Record ID", "externalId"), ("First Name", "firstName"), ("Last Name", "lastName"), ("Email", "email"),
            ("Phone Number", "phone"), ("Mobile Phone Number", "phone"), ("Job Title", "title"), ("Company Name", "company"),
            ("Associated Company", "company"), ("Company domain name", "domain"), ("Website URL", "domain"),
            ("Number of Employees", "employees"), ("Industry", "industry"), ("Lead Status", "status"),
            ("Original Source", "source"), ("Original Traffic Source", "source"), ("Create Date", "receivedAt"), ("Contact owner", "owner"),
        ],
        [(SourceFormat.HubSpot, ImportEntity.Deals)] =
        [
            ("Record ID", "externalId"), ("Deal Name", "name"), ("Amount", "amount"), ("Amount in company currency", "amount"),
            ("Currency", "currency"), ("Deal Stage", "stage"), ("Pipeline", "pipeline"), ("Close Date", "expectedClose"),
            ("Deal owner", "owner"), ("Deal probability", "probability"), ("Deal Type", "kind"), ("Closed Lost Reason", "lostReason"),
            ("Next step", "nextStep"), ("Is Closed Won", "isWon"), ("Associated Company IDs", "accountExternalId"),
            ("Associated Company", "account"), ("Create Date", "createdAt"), ("Is closed lost", "isClosed"),
            ("Associated Product", "product"), ("Products", "product"), ("Competitor", "competitor"),
        ],
        [(SourceFormat.HubSpot, ImportEntity.Activities)] =
        [
            ("Record ID", "externalId"), ("Activity type", "type"), ("Subject", "subject"), ("Title", "subject"), ("Body", "body"),
            ("Notes", "body"), ("Activity date", "occurredAt"), ("Create Date", "occurredAt"), ("Due date", "dueAt"),
            ("Outcome", "outcome"), ("Associated Company IDs", "accountExternalId"), ("Associated Deal IDs", "dealExternalId"),
            ("Activity assigned to", "owner"),
        ],

        // API names (Data Loader, weekly export, sf data export) and report labels, in one list each.
        [(SourceFormat.Salesforce, ImportEntity.Accounts)] =
        [
            ("Id", "externalId"), ("Account ID", "externalId"), ("Name", "name"), ("Account Name", "name"), ("Website", "domain"),
            ("NumberOfEmployees", "employees"), ("Employees", "employees"), ("AnnualRevenue", "annualRevenue"),
            ("Annual Revenue", "annualRevenue"), ("Industry", "industry"), ("BillingCountry", "region"),
            ("Billing Country", "region"), ("OwnerId", "owner"), ("Account Owner", "owner"), ("Type", "lifecycle"),
            ("Account Type", "lifecycle"),
        ],
        [(SourceFormat.Salesforce, ImportEntity.Contacts)] =
        [
            ("Id", "externalId"), ("Contact ID", "externalId"), ("AccountId", "accountExternalId"), ("Account ID", "accountExternalId"),
            ("Account Name", "account"), ("FirstName", "firstName"), ("First Name", "firstName"), ("LastName", "lastName"),
            ("Last Name", "lastName"), ("Name", "fullName"), ("Email", "email"), ("Phone", "phone"), ("MobilePhone", "phone"),
            ("Mobile", "phone"), ("Title", "title"), ("OwnerId", "owner"), ("Contact Owner", "owner"),
        ],
        [(SourceFormat.Salesforce, ImportEntity.Leads)] =
        [
            ("Id", "externalId"), ("Lead ID", "externalId"), ("FirstName", "firstName"), ("First Name", "firstName"),
            ("LastName", "lastName"), ("Last Name", "lastName"), ("Name", "fullName"), ("Email", "email"), ("Phone", "phone"),
            ("MobilePhone", "phone"), ("Title", "title"), ("Company", "company"), ("Company / Account", "company"),
            ("Website", "domain"), ("NumberOfEmployees", "employees"), ("Industry", "industry"), ("LeadSource", "source"),
            ("Lead Source", "source"), ("Status", "status"), ("Lead Status", "status"), ("CreatedDate", "receivedAt"),
            ("Create Date", "receivedAt"), ("Created Date", "receivedAt"), ("OwnerId", "owner"), ("Lead Owner", "owner"),
        ],
        [(SourceFormat.Salesforce, ImportEntity.Deals)] =
        [
            ("Id", "externalId"), ("Opportunity ID", "externalId"), ("AccountId", "accountExternalId"),
            ("Account ID", "accountExternalId"), ("Account Name", "account"), ("Name", "name"), ("Opportunity Name", "name"),
            ("StageName", "stage"), ("Stage", "stage"), ("Amount", "amount"), ("CurrencyIsoCode", "currency"),
            ("Amount Currency", "currency"), ("Opportunity Currency", "currency"), ("Probability", "probability"),
            ("Probability (%)", "probability"), ("CloseDate", "expectedClose"), ("Close Date", "expectedClose"),
            ("Type", "kind"), ("NextStep", "nextStep"), ("Next Step", "nextStep"), ("OwnerId", "owner"),
            ("Opportunity Owner", "owner"), ("IsWon", "isWon"), ("Won", "isWon"), ("IsClosed", "isClosed"),
            ("Closed", "isClosed"), ("ForecastCategory", "forecastCategory"), ("Forecast Category", "forecastCategory"),
            ("CreatedDate", "createdAt"), ("Created Date", "createdAt"), ("Product__c", "product"), ("Product", "product"),
        ],
        // OpportunityHistory: a snapshot of the opportunity at each change (its Amount, CloseDate, Probability… then).
        [(SourceFormat.Salesforce, ImportEntity.History)] =
        [
            ("OpportunityId", "dealExternalId"), ("Opportunity ID", "dealExternalId"), ("StageName", "stage"), ("Stage", "stage"),
            ("To Stage", "stage"), ("CreatedDate", "at"), ("Created Date", "at"), ("Last Modified", "at"),
        ],
        [(SourceFormat.Salesforce, ImportEntity.Activities)] =
        [
            ("Id", "externalId"), ("Activity ID", "externalId"), ("Subject", "subject"), ("Description", "body"),
            ("Comments", "body"), ("ActivityDate", "occurredAt"), ("Date", "occurredAt"), ("TaskSubtype", "type"),
            ("Type", "type"), ("AccountId", "accountExternalId"), ("WhatId", "dealExternalId"), ("OwnerId", "owner"),
            ("Assigned", "owner"),
        ],

        [(SourceFormat.Pipedrive, ImportEntity.Accounts)] =
        [
            ("Organization - ID", "externalId"), ("Organization - Name", "name"), ("Organization - Website", "domain"),
            ("Organization - Number of employees", "employees"), ("Organization - Annual revenue", "annualRevenue"),
            ("Organization - Industry", "industry"), ("Organization - Country of Address", "region"),
            ("Organization - Owner", "owner"),
        ],
        [(SourceFormat.Pipedrive, ImportEntity.Contacts)] =
        [
            ("Person - ID", "externalId"), ("Person - Name", "fullName"), ("Person - First name", "firstName"),
            ("Person - Last name", "lastName"), ("Person - Email - Work", "email"), ("Person - Email", "email"),
            ("Person - Email - Home", "email"), ("Person - Email - Other", "email"), ("Person - Phone - Work", "phone"),
            ("Person - Phone", "phone"), ("Person - Phone - Mobile", "phone"), ("Person - Phone - Home", "phone"),
            ("Person - Phone - Other", "phone"), ("Person - Job title", "title"), ("Person - Organization", "account"),
            ("Person - Organization ID", "accountExternalId"), ("Person - Owner", "owner"),
        ],
        [(SourceFormat.Pipedrive, ImportEntity.Leads)] =
        [
            ("Person - ID", "externalId"), ("Person - Name", "fullName"), ("Person - First name", "firstName"),
            ("Person - Last name", "lastName"), ("Person - Email - Work", "email"), ("Person - Email", "email"),
            ("Person - Email - Home", "email"), ("Person - Email - Other", "email"), ("Person - Phone - Work", "phone"),
            ("Person - Phone", "phone"), ("Person - Phone - Mobile", "phone"), ("Person - Job title", "title"),
            ("Person - Organization", "company"), ("Person - Person created", "receivedAt"), ("Person - Owner", "owner"),
        ],
        [(SourceFormat.Pipedrive, ImportEntity.Deals)] =
        [
            ("Deal - ID", "externalId"), ("Deal - Title", "name"), ("Deal - Value", "amount"), ("Deal - Currency of Value", "currency"),
            ("Deal - Currency", "currency"), ("Deal - Probability", "probability"), ("Deal - Organization", "account"),
            ("Organization", "account"), ("Deal - Organization ID", "accountExternalId"), ("Deal - Pipeline", "pipeline"),
            ("Deal - Stage", "stage"), ("Deal - Status", "status"), ("Deal - Expected close date", "expectedClose"),
            ("Deal - Deal closed on", "closedAt"), ("Deal - Closed on", "closedAt"), ("Deal - Won time", "closedAt"),
            ("Deal - Lost time", "closedAt"), ("Deal - Lost reason", "lostReason"), ("Deal - Owner", "owner"),
            ("Deal - Deal created", "createdAt"), ("Deal - Creation date", "createdAt"), ("Deal - Last stage change", "stageEnteredAt"),
            ("Deal - Stage (pipeline)", "stage"), ("Deal - Product name", "product"), ("Deal - Competitor", "competitor"),
        ],
        [(SourceFormat.Pipedrive, ImportEntity.Activities)] =
        [
            ("Activity - ID", "externalId"), ("Activity - Subject", "subject"), ("Activity - Type", "type"),
            ("Activity - Note", "body"), ("Activity - Due date", "dueAt"), ("Activity - Marked as done time", "completedAt"),
            ("Activity - Organization ID", "accountExternalId"), ("Activity - Organization", "account"),
            ("Activity - Deal ID", "dealExternalId"), ("Activity - Assigned to user", "owner"),
        ],
    };

    /// <summary>The header a column is compared by: trimmed, without a trailing "*", British spelling made American.</summary>
    public static string Canonical(string header)
    {
        var h = header.Trim().TrimEnd('*').Trim();
        return h.Replace("Organisation", "Organization", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The known headers of a source for an entity (header → field), case-insensitive; empty for csv and reach.</summary>
    public static IReadOnlyList<(string Header, string Field)> For(SourceFormat format, ImportEntity entity) =>
        Maps.TryGetValue((format, entity), out var map) ? map : [];

    /// <summary>
    /// Which source wrote a header. Pipedrive prefixes every column with its entity, HubSpot always has
    /// "Record ID", Reach's own export has exactly its field names with "id"; otherwise the source whose
    /// known headers cover most columns (two at least), else plain csv.
    /// </summary>
    public static SourceFormat Detect(IReadOnlyList<string> header, ImportEntity entity)
    {
        var names = header.Select(Canonical).ToList();
        var reach = ImportFields.Export(entity);
        if (names.Contains("id", StringComparer.Ordinal) && names.All(n => reach.Contains(n, StringComparer.Ordinal)))
            return SourceFormat.Reach;
        if (names.Count(n => n.StartsWith("Deal - ", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Person - ", StringComparison.OrdinalIgnoreCase)
                || n.StartsWith("Organization - ", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Activity - ", StringComparison.OrdinalIgnoreCase)) * 2 > names.Count)
            return SourceFormat.Pipedrive;
        if (names.Contains("Record ID", StringComparer.OrdinalIgnoreCase))
            return SourceFormat.HubSpot;
        var best = new[] { SourceFormat.Salesforce, SourceFormat.HubSpot }
            .Select(f => (Format: f, Hits: names.Count(n => For(f, entity).Any(m => string.Equals(m.Header, n, StringComparison.OrdinalIgnoreCase)))))
            .MaxBy(x => x.Hits);
        return best.Hits >= 2 ? best.Format : SourceFormat.Csv;
    }
}
