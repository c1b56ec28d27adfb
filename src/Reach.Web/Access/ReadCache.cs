using System.Collections.Concurrent;
using Reach.Data;

namespace Reach.Web.Access;

/// <summary>
/// What API calls read again and again — what a token or a session's user resolved to (the token, the user, the actor
/// with their teams), a record as one user reads it — kept so that a burst of calls does not read the same rows on each
/// one. An entry is used only while nothing at all has been committed to the workspace since it was read
/// (<see cref="CommitWatch"/>), whoever committed it — this server, a CLI command in another process, a second server —
/// so a token revoked, a user disabled, a role or team changed or a record edited counts from the very next call. Any
/// write empties it in effect; reads in a row are what it speeds up. Nothing is kept on PostgreSQL, where no such
/// signal is cheap to read.
/// </summary>
public sealed class ReadCache(CommitWatch commits)
{
    // Tokens and users are few; a flood of made-up keys is not kept (misses are not stored), this only bounds the rest.
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<string, (long Mark, object Value)> entries = new(StringComparer.Ordinal);

    /// <summary>The value kept under <paramref name="key"/> if nothing was committed since it was loaded, else a fresh load (kept unless null).</summary>
    public async Task<T?> GetOrLoadAsync<T>(string key, Func<Task<T?>> load) where T : class
    {
        var mark = commits.Mark();
        if (mark is { } current && entries.TryGetValue(key, out var kept) && kept.Mark == current)
            return (T)kept.Value;
        var value = await load();
        if (mark is { } loadedUnder && value is not null)
        {
            if (entries.Count >= MaxEntries)
                entries.Clear();
            entries[key] = (loadedUnder, value);
        }
        return value;
    }
}
