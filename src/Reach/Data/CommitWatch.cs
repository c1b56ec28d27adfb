using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Reach.Data;

/// <summary>
/// Tells whether anything was committed to the workspace since an earlier look, by any connection of any process (the
/// web app, a CLI command, a second server): SQLite's <c>PRAGMA data_version</c> on connections of its own that never
/// write. A cache of what was read from the database keeps an entry only while the mark it was read under is current.
/// On PostgreSQL there is no such cheap signal: <see cref="Mark"/> is null and nothing may be kept.
/// </summary>
/// <remarks>
/// Every API call takes a mark or two, concurrently: one connection behind a lock made the calls queue on it (under
/// load most of a cached read's time was spent waiting there). So each caller borrows a watch connection of its own.
/// Two connections' <c>data_version</c> values cannot be compared, so they are not the mark: each connection remembers the
/// value it last read, and when it reads a different one (a commit landed since its last look) it moves one shared
/// counter on before answering. The mark is that counter. A commit that landed before a call began is seen by the
/// connection that call uses, which moved the counter when it first saw it, so the mark a call gets differs from any
/// mark taken before the commit. A connection's first look moves the counter too (it has nothing to compare with).
/// </remarks>
public sealed class CommitWatch : IDisposable
{
    // More connections than callers at once are never made; more than this are not kept once returned.
    const int MaxKept = 16;

    readonly string? connectionString;
    // A queue, not a bag: a bag's Count stops every caller to count.
    readonly ConcurrentQueue<Watcher> idle = new();
    int kept;
    long epoch;
    bool disposed;

    public CommitWatch(Database database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
            return;
        // Their own native connections (not the pool's): data_version counts the commits of every other connection.
        connectionString = new SqliteConnectionStringBuilder(SqliteReachDb.ConnectionString(database.Location)) { Pooling = false }.ToString();
    }

    /// <summary>
    /// A mark that changes whenever a commit lands; null when that cannot be told. Take it before reading what is to be
    /// kept: a commit racing the read then changes the mark, and the kept copy is not used.
    /// </summary>
    public long? Mark()
    {
        if (connectionString is null)
            return null;
        Watcher watcher;
        if (idle.TryDequeue(out var waiting))
        {
            Interlocked.Decrement(ref kept);
            watcher = waiting;
        }
        else
            watcher = new Watcher(connectionString);
        try
        {
            if (watcher.SawCommit())
                Interlocked.Increment(ref epoch);
            return Interlocked.Read(ref epoch);
        }
        finally
        {
            Return(watcher);
        }
    }

    void Return(Watcher watcher)
    {
        if (Volatile.Read(ref disposed))
        {
            watcher.Dispose();
            return;
        }
        if (Interlocked.Increment(ref kept) > MaxKept)
        {
            Interlocked.Decrement(ref kept);
            watcher.Dispose();
            return;
        }
        idle.Enqueue(watcher);
        // Disposed meanwhile: whatever Dispose did not find is closed here.
        if (Volatile.Read(ref disposed))
            Dispose();
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        while (idle.TryDequeue(out var watcher))
            watcher.Dispose();
    }

    /// <summary>One watch connection, used by one caller at a time, with the data_version it last read.</summary>
    sealed class Watcher(string connectionString) : IDisposable
    {
        readonly SqliteConnection connection = new(connectionString);
        SqliteCommand? dataVersion;
        long? last;

        /// <summary>Whether a commit landed since this connection last looked (always true on its first look).</summary>
        public bool SawCommit()
        {
            if (dataVersion is null)
            {
                connection.Open();
                dataVersion = connection.CreateCommand();
                dataVersion.CommandText = "PRAGMA data_version;";
            }
            var current = (long)dataVersion.ExecuteScalar()!;
            var changed = current != last;
            last = current;
            return changed;
        }

        public void Dispose()
        {
            dataVersion?.Dispose();
            connection.Dispose();
        }
    }
}
