using System.Globalization;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web;

/// <summary>
/// <c>Reach:Backup:Directory</c> (or <c>reach serve --backup-to DIR</c>) turns on a daily <c>reach backup</c> of the
/// running workspace into that directory, once a day after <c>Reach:Backup:HourUtc</c> (default 2), keeping the newest
/// <c>Reach:Backup:Keep</c> (default 14) with their key certificates. A failed backup is logged and tried the next hour.
/// </summary>
public sealed class DailyBackup(Database database, IConfiguration configuration, TimeProvider clock, ILogger<DailyBackup> log) : BackgroundService
{
    const string Prefix = "reach-";

    string? Directory => configuration["Reach:Backup:Directory"] is { Length: > 0 } directory ? Path.GetFullPath(directory) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Directory is null)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                if (await RunIfDueAsync(stoppingToken) is { } written)
                    log.LogInformation("Daily backup written to {File}.", written);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            // A full backup disk or a missing pg_dump must not stop the server; the next hour tries again.
#pragma warning disable CA1031
            catch (Exception error)
#pragma warning restore CA1031
            {
                log.LogError(error, "Daily backup to {Directory} failed.", Directory);
            }
        }
        while (await timer.NextTickAsync(stoppingToken));
    }

    /// <summary>Writes today's backup when it is due and not yet written, then drops the oldest beyond the number kept; returns the file written.</summary>
    public async Task<string?> RunIfDueAsync(CancellationToken cancellationToken)
    {
        var directory = Directory ?? throw new InvalidOperationException("Reach:Backup:Directory is not set.");
        var now = clock.GetUtcNow().UtcDateTime;
        var extension = database.Provider == DatabaseProvider.Sqlite ? ".db" : ".dump";
        var today = Path.Combine(directory, Prefix + now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + extension);
        if (now.Hour < configuration.GetValue("Reach:Backup:HourUtc", 2) || File.Exists(today))
            return null;
        var written = await WorkspaceBackup.BackupAsync(database, KeyCertificate.PathFor(configuration, database), today, cancellationToken);
        var keep = Math.Max(1, configuration.GetValue("Reach:Backup:Keep", 14));
        // The date in the name sorts them; anything else in the directory is left alone.
        foreach (var old in System.IO.Directory.GetFiles(directory, Prefix + "????-??-??" + extension).Order(StringComparer.Ordinal).SkipLast(keep))
        {
            File.Delete(old);
            File.Delete(WorkspaceBackup.KeysOf(old));
        }
        return written;
    }
}
