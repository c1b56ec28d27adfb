using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Imports;

namespace Reach.Web.Imports;

/// <summary>
/// The web app's imports: an uploaded file is kept in the imports folder (Reach:ImportsDir, default a
/// reach-imports folder in the temp directory) while its user maps its columns, then imported by
/// <see cref="Importer"/> on a background task as that user (the same code and access rules as the CLI
/// and the API), so closing the tab does not stop it. The page polls the progress. A finished job keeps its
/// rejected-rows report for <see cref="Kept"/>; then the job and its files are swept away.
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<ImportJobs> log, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    /// <summary>Rows shown in the preview.</summary>
    public const int PreviewRows = 5;

    readonly ConcurrentDictionary<Guid, ImportJob> jobs = new();

    string Folder => configuration["Reach:ImportsDir"] is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "reach-imports");

    /// <summary>
    /// Keeps an upload for <paramref name="actor"/> and reads its header, detected format and first rows.
    /// Throws <see cref="ImportFileException"/> (and keeps nothing) when the file is not a readable CSV.
    /// </summary>
    public async Task<ImportJob> StageAsync(Actor actor, ImportEntity entity, string? encoding, string fileName, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var id = Guid.CreateVersion7();
        var path = Path.Combine(Folder, id.ToString("N") + ".csv");
        try
        {
            await using (var file = File.Create(path))
                await content.CopyToAsync(file, cancellationToken);
            var input = await CsvInput.InspectAsync(path, CsvInput.EncodingNamed(encoding), cancellationToken);
            var preview = new List<string[]>();
            await foreach (var (_, cells) in input.ReadRowsAsync(cancellationToken))
            {
                preview.Add(cells);
                if (preview.Count == PreviewRows)
                    break;
            }
            var job = new ImportJob
            {
                Id = id,
                UserId = actor.UserId,
                Actor = actor,
                Entity = entity,
                Encoding = encoding,
                FileName = Path.GetFileName(fileName),
                UploadPath = path,
                ReportPath = Path.Combine(Folder, id.ToString("N") + ".rejected.csv"),
                Header = input.Header,
                Detected = SourceHeaders.Detect(input.Header, entity),
                Preview = preview,
                Rows = input.Rows,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            jobs[id] = job;
            return job;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The job, if it is <paramref name="actor"/>'s: nobody sees another user's upload.</summary>
    public ImportJob? Find(Guid id, Actor actor) =>
        jobs.TryGetValue(id, out var job) && job.UserId == actor.UserId ? job : null;

    /// <summary><paramref name="actor"/>'s jobs, newest first.</summary>
    public IReadOnlyList<ImportJob> Of(Actor actor) => [.. jobs.Values.Where(j => j.UserId == actor.UserId).OrderByDescending(j => j.CreatedAt)];

    /// <summary>
    /// Starts the import (or a dry run) in the background. The options must have been checked with
    /// <see cref="Importer.PlanFor"/>; a job runs once at a time, and a real run only once.
    /// </summary>
    public bool Start(ImportJob job, ImportOptions options)
    {
        lock (job)
        {
            if (job.State is ImportState.Running or ImportState.Finished)
                return false;
            job.State = ImportState.Running;
            job.Progress = new ImportProgress(0, job.Rows, TimeSpan.Zero);
            job.Error = null;
            job.Summary = null;
            job.Options = options;
        }
        _ = Task.Run(() => RunAsync(job, options, lifetime.ApplicationStopping));
        return true;
    }

    async Task RunAsync(ImportJob job, ImportOptions options, CancellationToken cancellationToken)
    {
        CsvOutput? report = null;
        ImportSummary? summary = null;
        string? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReachDb>();
            db.Actor = job.Actor;
            // Records nobody is named owner of belong to the user who imports them, whatever their role.
            var email = await db.Users.AsNoTracking().Where(u => u.Id == job.UserId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
            options = options with { OwnerEmail = email };
            File.Delete(job.ReportPath);
            summary = await Importer.RunAsync(db, job.UploadPath, options, p => job.Progress = p, async row =>
            {
                if (report is null)
                {
                    report = new CsvOutput(new StreamWriter(job.ReportPath, append: false, CsvOutput.Utf8(bom: false)));
                    await report.WriteRowAsync(["row", "column", "value", "reason"]);
                }
                await report.WriteRowAsync([row.Row.ToString(CultureInfo.InvariantCulture), row.Column, row.Value, row.Reason]);
            }, cancellationToken);
        }
        catch (ImportFileException e)
        {
            error = (e.Row is { } row ? $"Row {row}: " : "") + e.Message;
        }
        catch (AccessDeniedException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Import {Job} of {File} failed", job.Id, job.FileName);
            error = StorageFull.Is(e)
                ? "The disk holding the workspace is full: rows imported before it are kept. Free space, then run it again: it resumes where it stopped."
                : "The import stopped on an unexpected error; rows imported before it are kept. Run it again: it resumes where it stopped.";
        }
        finally
        {
            if (report is not null)
                await report.DisposeAsync();
        }
        lock (job)
        {
            job.Summary = summary;
            job.Error = error;
            job.HasReport = report is not null;
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
            // A dry run leaves the file for the real run; a real run is done with it.
            job.State = summary is { DryRun: false } ? ImportState.Finished : ImportState.Ready;
        }
        if (job.State == ImportState.Finished)
            File.Delete(job.UploadPath);
    }

    /// <summary>Sweeps away jobs (and their upload and report) older than <see cref="Kept"/>, hourly.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var job in jobs.Values.Where(j => j.State != ImportState.Running && now - (j.FinishedAt ?? j.CreatedAt) > Kept))
                Forget(job);
            SweepOrphans();
        }
        while (await timer.NextTickAsync(stoppingToken));
    }

    void Forget(ImportJob job)
    {
        jobs.TryRemove(job.Id, out _);
        File.Delete(job.UploadPath);
        File.Delete(job.ReportPath);
    }

    // Files of jobs a restart forgot, by when a sweep first found them (on the workspace's clock, not the file's time).
    readonly Dictionary<string, DateTimeOffset> orphansSeen = [];

    void SweepOrphans()
    {
        if (!Directory.Exists(Folder))
            return;
        var now = clock.GetUtcNow();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.csv"))
        {
            var id = Path.GetFileName(file).Split('.')[0];
            if (!Guid.TryParseExact(id, "N", out var guid) || jobs.ContainsKey(guid))
                continue;
            if (!orphansSeen.TryAdd(file, now) && now - orphansSeen[file] > Kept)
            {
                File.Delete(file);
                orphansSeen.Remove(file);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var job in jobs.Values.Where(j => j.State != ImportState.Running))
            Forget(job);
    }
}

public enum ImportState { Ready, Running, Finished }

/// <summary>One upload and its runs: a dry run leaves it <see cref="ImportState.Ready"/>, an import <see cref="ImportState.Finished"/>.</summary>
public sealed class ImportJob
{
    public required Guid Id { get; init; }
    public required Guid? UserId { get; init; }
    public required Actor Actor { get; init; }
    public required ImportEntity Entity { get; init; }
    public string? Encoding { get; init; }
    public required string FileName { get; init; }
    public required string UploadPath { get; init; }
    public required string ReportPath { get; init; }
    public required IReadOnlyList<string> Header { get; init; }
    public required SourceFormat Detected { get; init; }
    public required IReadOnlyList<string[]> Preview { get; init; }
    public required int Rows { get; init; }
    public required DateTime CreatedAt { get; init; }

    public ImportState State { get; set; }
    public ImportProgress Progress { get; set; } = new(0, 0, TimeSpan.Zero);

    /// <summary>The options of the last run: the page keeps the user's column map and format after a dry run.</summary>
    public ImportOptions? Options { get; set; }
    public ImportSummary? Summary { get; set; }

    /// <summary>
    /// One-time links of the users an import of users invited (made once, when its admin first opens the finished job;
    /// kept in memory with the job, never in a file).
    /// </summary>
    public IReadOnlyList<ImportInvite>? Invites { get; set; }
    public string? Error { get; set; }
    public bool HasReport { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A user an import made, with the one-time link that lets them choose a password.</summary>
public sealed record ImportInvite(string Name, string Email, string Link);
