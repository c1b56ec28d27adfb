namespace Reach.Imports;

/// <summary>What a file holds; each is imported and exported on its own.</summary>
public enum ImportEntity { Accounts, Contacts, Leads, Deals, Activities, Users, Products, History }

/// <summary>Who wrote the file: decides the header names and how values are written.</summary>
public enum SourceFormat { Auto, Reach, HubSpot, Salesforce, Pipedrive, Csv }

/// <summary>The fields an import row can carry for each entity: Reach's own export columns plus the ways of naming a related record.</summary>
public static class ImportFields
{
    /// <summary>The columns of Reach's own export, in order: the "reach" format.</summary>
    public static IReadOnlyList<string> Export(ImportEntity entity) => entity switch
    {
        ImportEntity.Accounts => ["id", "name", "domain", "employees", "annualRevenue", "industry", "region", "tier", "channel", "lifecycle", "owner", "externalSource", "externalId"],
        ImportEntity.Contacts => ["id", "accountId", "firstName", "lastName", "email", "phone", "title", "role", "caresAbout", "timeZone", "owner", "externalSource", "externalId"],
        ImportEntity.Leads => ["id", "firstName", "lastName", "email", "phone", "title", "company", "domain", "employees", "industry", "source", "status", "receivedAt", "owner", "externalSource", "externalId"],
        ImportEntity.Deals => ["id", "name", "accountId", "primaryContactId", "amount", "currency", "pipeline", "stage", "status", "expectedClose", "closedAt", "forecastCategory", "kind", "lostReason", "competitor", "nextStep", "owner", "externalSource", "externalId"],
        ImportEntity.Activities => ["id", "type", "direction", "subject", "body", "outcome", "occurredAt", "dueAt", "completedAt", "accountId", "contactId", "dealId", "leadId", "owner", "externalSource", "externalId"],
        // Imported, not exported: people and teams (invited users, teams under their managers), the price list.
        ImportEntity.Users => ["name", "email", "role", "team", "manager"],
        ImportEntity.Products => ["name", "sku", "description", "listPrice", "currency"],
        // Deals' stage history: one row per stage a deal was in, and since when (Salesforce OpportunityHistory).
        ImportEntity.History => ["dealId", "dealExternalId", "stage", "at"],
        _ => throw new ArgumentOutOfRangeException(nameof(entity)),
    };

    /// <summary>Every field --map may name for the entity.</summary>
    public static IReadOnlyList<string> All(ImportEntity entity) => entity switch
    {
        ImportEntity.Contacts => [.. Export(entity), "fullName", "account", "accountDomain", "accountExternalId"],
        ImportEntity.Leads => [.. Export(entity), "fullName"],
        ImportEntity.Deals => [.. Export(entity), "account", "accountDomain", "accountExternalId", "contactEmail", "probability", "isWon", "isClosed", "createdAt", "stageEnteredAt", "product"],
        ImportEntity.Activities => [.. Export(entity), "account", "accountDomain", "accountExternalId", "contactEmail", "dealExternalId"],
        _ => Export(entity),
    };
}
