using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Reach.Data;

/// <summary>
/// Backups of a workspace and its key certificate, and restoring one (docs/operations.md). SQLite is copied with
/// its online backup API (a consistent snapshot while Reach writes); PostgreSQL through pg_dump and pg_restore.
/// </summary>
public static class WorkspaceBackup
{
    /// <summary>Where a backup's key certificate goes: beside it, named after it.</summary>
    public static string KeysOf(string backup) => backup + ".keys.pfx";

    /// <summary>The default backup file: beside a SQLite workspace, else in the working directory, stamped with the time.</summary>
    public static string DefaultTarget(Database database, DateTime now)
    {
        var stamp = now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return database.Provider == DatabaseProvider.Sqlite
            ? Path.Combine(Path.GetDirectoryName(database.Location)!, $"{Path.GetFileNameWithoutExtension(database.Location)}-backup-{stamp}.db")
            : Path.GetFullPath($"reach-backup-{stamp}.dump");
    }

    /// <summary>Copies the workspace to <paramref name="target"/> and the key certificate beside it; returns what was written.</summary>
    public static async Task<string> BackupAsync(Database database, string keyCertificate, string target, CancellationToken cancellationToken)
    {
        target = Path.GetFullPath(target);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written beside the target and moved over it: a failed backup leaves no half file that looks whole.
        var partial = target + ".partial";
        File.Delete(partial);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            if (!File.Exists(database.Location))
                throw new BackupException($"There is no workspace at {database.Location}.");
            await using (var source = new SqliteConnection(SqliteReachDb.ConnectionString(database.Location)))
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await source.OpenAsync(cancellationToken);
                await copy.OpenAsync(cancellationToken);
                // SQLite's online backup: a consistent snapshot of the committed data, while the server goes on writing.
                source.BackupDatabase(copy);
                // A copy is a single file: no WAL beside it to lose.
                await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE;", cancellationToken);
            }
            SqliteConnection.ClearAllPools();
            if (await IntegrityOfAsync(partial, cancellationToken) is { } damage)
                throw new BackupException($"The copy failed its integrity check: {damage}");
        }
        else
        {
            await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--file", partial], database.Location, cancellationToken);
        }
        File.Move(partial, target, overwrite: true);
        if (File.Exists(keyCertificate))
        {
            File.Copy(keyCertificate, KeysOf(target), overwrite: true);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(KeysOf(target), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return target;
    }

    /// <summary>
    /// Replaces the workspace with <paramref name="backup"/> (checked first) and its key certificate with the
    /// backup's. The caller makes sure no Reach is running on the workspace (<see cref="WorkspaceLock"/>).
    /// </summary>
    public static async Task RestoreAsync(Database database, string keyCertificate, string backup, CancellationToken cancellationToken)
    {
        backup = Path.GetFullPath(backup);
        if (!File.Exists(backup))
            throw new BackupException($"There is no backup at {backup}.");
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            if (await IntegrityOfAsync(backup, cancellationToken) is { } damage)
                throw new BackupException($"{backup} is not a sound SQLite database ({damage}); nothing was restored.");
            Directory.CreateDirectory(Path.GetDirectoryName(database.Location)!);
            await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            await using (var workspace = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.Location, Pooling = false }.ToString()))
            {
                await source.OpenAsync(cancellationToken);
                if (!await HasTableAsync(source, "__EFMigrationsHistory", cancellationToken))
                    throw new BackupException($"{backup} is not a Reach workspace (it has no migration history); nothing was restored.");
                await workspace.OpenAsync(cancellationToken);
                // The backup API writes through the workspace's own journal: the WAL and the file stay consistent.
                source.BackupDatabase(workspace);
                await ExecuteAsync(workspace, "PRAGMA journal_mode=WAL;", cancellationToken);
            }
            SqliteConnection.ClearAllPools();
            if (await IntegrityOfAsync(database.Location, cancellationToken) is { } after)
                throw new BackupException($"The restored workspace failed its integrity check: {after}");
        }
        else
        {
            await RunAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", backup], database.Location, cancellationToken);
        }
        if (File.Exists(KeysOf(backup)))
            File.Copy(KeysOf(backup), keyCertificate, overwrite: true);
    }

    /// <summary>null when SQLite's integrity check passes, else what it found.</summary>
    public static async Task<string?> IntegrityOfAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            var result = (string?)await check.ExecuteScalarAsync(cancellationToken);
            return result == "ok" ? null : result;
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    static async Task<bool> HasTableAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", table);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // The connection string's parts go to libpq as environment variables: the password never shows in a process list.
    static async Task RunAsync(string tool, string[] arguments, string connectionString, CancellationToken cancellationToken)
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--dbname");
        start.ArgumentList.Add(connection.Database ?? "postgres");
        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BackupException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BackupException($"{tool} is not installed: install PostgreSQL's client tools of your server's version (Debian/Ubuntu: apt-get install postgresql-client).");
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new BackupException($"{tool} failed (exit code {process.ExitCode}): {(await error).Trim()}");
        }
    }
}

/// <summary>A backup or restore that could not be done; the message says why and what to do.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Held by a running Reach server on a SQLite workspace (a lock on FILE.lock; the system releases it when the process
/// ends, even on kill -9), so that <c>reach restore</c> refuses to replace a workspace under a running server.
/// </summary>
public sealed class WorkspaceLock : IDisposable
{
    readonly FileStream file;

    WorkspaceLock(FileStream file) => this.file = file;

    public static string PathOf(Database database) => database.Location + ".lock";

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static WorkspaceLock? TryTake(Database database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
            return null;
        Directory.CreateDirectory(Path.GetDirectoryName(database.Location)!);
        try
        {
            return new WorkspaceLock(new FileStream(PathOf(database), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => file.Dispose();
}
