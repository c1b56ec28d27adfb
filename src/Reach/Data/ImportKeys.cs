namespace Reach.Data;

/// <summary>
/// The unique keys imports deduplicate on (normalised domain, lower-case email, source + external id)
/// hold for live records only: a soft-deleted record may share its key with the one that replaced it.
/// </summary>
public static class ImportKeys
{
    /// <summary>An index filter both SQLite and PostgreSQL read: the column is set and the record not deleted.</summary>
    public static string SetAndLive(string column) => $"\"{column}\" IS NOT NULL AND \"DeletedAt\" IS NULL";

    /// <summary>
    /// What a caller learns when a key is taken: that it is, not by what (they may not be allowed to read it).
    /// docs/access.md, "What a rep may learn about records they cannot see".
    /// </summary>
    public const string DuplicateMessage = "A record with the same domain, e-mail, external id or id exists already, perhaps one you cannot see. "
        + "Update that one instead, or ask its owner or a manager to share it with you.";

    /// <summary>What a user is told when the database refuses a write for another reason: never the database's own text.</summary>
    public const string RefusedMessage = "The database refused this row: a reference in it (an owner, account, stage or product) is not valid here.";

    /// <summary>Whether a failed save broke a unique index or primary key (SQLite 2067 and 1555, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
