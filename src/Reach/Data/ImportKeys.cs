namespace Reach.Data;

/// <summary>
/// The unique keys imports deduplicate on (normalised domain, lower-case email, source + external id)
/// hold for live records only: a soft-deleted record may share its key with the one that replaced it.
/// </summary>
public static class ImportKeys
{
    /// <summary>An index filter both SQLite and PostgreSQL read: the column is set and the record not deleted.</summary>
    public static string LiveAnd(string column) => $"\"{column}\" IS NOT NULL AND \"DeletedAt\" IS NULL";

    /// <summary>Whether a failed save broke a unique index (SQLite 2067, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067,
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
