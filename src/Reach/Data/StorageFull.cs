namespace Reach.Data;

/// <summary>
/// Recognises a full disk (or a database at its size limit) behind any failure, so the API can answer 507 and
/// the CLI say so in one line instead of a stack trace. Nothing is half-saved: the transaction that hit it rolled back.
/// </summary>
public static class StorageFull
{
    const int SqliteFull = 13;
    const int EnospcErrno = 28;
    const int WindowsDiskFull = unchecked((int)0x80070070);

    public const string Message = "The disk holding the workspace is full (or the database reached its size limit): nothing of this change was saved. Free space, then try again.";

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                case Npgsql.PostgresException postgres when postgres.SqlState is "53100" or "53000":
                case IOException io when io.HResult is EnospcErrno or WindowsDiskFull:
                    return true;
            }
        }
        return false;
    }
}
