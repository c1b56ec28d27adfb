using Microsoft.Data.Sqlite;

namespace Reach.Data;

/// <summary>
/// Tells whether anything was committed to the workspace since an earlier look, by any connection of any process (the
/// web app, a CLI command, a second server): SQLite's <c>PRAGMA data_version</c> on a connection of its own that never
/// writes. A cache of what was read from the database keeps an entry only while the mark it was read under is current.
/// On PostgreSQL there is no such cheap signal: <see cref="Mark"/> is null and nothing may be kept.
/// </summary>
public sealed class CommitWatch : IDisposable
{
    readonly SqliteConnection? connection;
    readonly SqliteCommand? dataVersion;
    readonly Lock gate = new();

    public CommitWatch(Database database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
            return;
        // Its own native connection (not the pool's): data_version counts the commits of every other connection.
        connection = new SqliteConnection(new SqliteConnectionStringBuilder(SqliteReachDb.ConnectionString(database.Location)) { Pooling = false }.ToString());
        dataVersion = connection.CreateCommand();
        dataVersion.CommandText = "PRAGMA data_version;";
    }

    /// <summary>
    /// A mark that changes whenever a commit lands; null when that cannot be told. Take it before reading what is to be
    /// kept: a commit racing the read then changes the mark, and the kept copy is not used.
    /// </summary>
    public long? Mark()
    {
        if (dataVersion is null)
            return null;
        lock (gate)
        {
            if (connection!.State != System.Data.ConnectionState.Open)
                connection.Open();
            return (long)dataVersion.ExecuteScalar()!;
        }
    }

    public void Dispose()
    {
        dataVersion?.Dispose();
        connection?.Dispose();
    }
}
