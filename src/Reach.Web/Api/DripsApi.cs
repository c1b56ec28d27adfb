using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Outreach;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/drips</c>: drip tracks with their pieces and audience, the audience preview, pausing, and what
/// was sent to whom. Reps see and change their own tracks, managers their teams', admins all (ReachDb's filters, AccessRules).
/// </summary>
public static class DripsApi
{
    public sealed record PieceView(Guid Id, int Position, string Subject, string Body);

    public sealed record DripView(Guid Id, string Name, bool Paused, int Every, CadenceUnit Unit, int MinimumGapDays, string TimeZone,
        int WindowStartHour, int WindowEndHour, Tier? AudienceTier, Channel? AudienceChannel, string? AudienceSegment,
        IReadOnlyList<Guid> ContactIds, Guid? OwnerId, DateTime CreatedAt, long Version, IReadOnlyList<PieceView> Pieces);

    /// <summary>A track in the list, with its pieces sent so far and those waiting.</summary>
    public sealed record DripSummary(Guid Id, string Name, bool Paused, int Pieces, int Sent, int Waiting, int Failed, Guid? OwnerId);

    public sealed record DripSendView(Guid Id, Guid ContactId, string ContactName, string? ContactEmail, int Position, StepStatus Status,
        DateTime DueAt, DateTime? DoneAt, int Attempts, string? LastError, DateTime? NextAttemptAt, string? MessageId, string? Subject);

    public static void MapDripsApi(this RouteGroupBuilder api)
    {
        var drips = api.MapGroup("/drips").WithTags("Outreach");
        drips.MapGet("/", List).Produces<List<DripSummary>>();
        drips.MapPost("/", Create).WithJsonBody<DripInput>("The track: name, cadence, minimum gap, send window, audience (a segment or contactIds) and its pieces in order.").Produces<DripView>(201).ProducesValidationProblem();
        drips.MapGet("/{id:guid}", Get).Produces<DripView>();
        drips.MapPut("/{id:guid}", Update).WithJsonBody<DripInput>("The whole track as it should be.").Produces<DripView>().ProducesValidationProblem();
        drips.MapPost("/{id:guid}/pause", (Guid id, DripService drips, CancellationToken ct) => SetPaused(id, true, drips, ct)).Produces<DripView>();
        drips.MapPost("/{id:guid}/resume", (Guid id, DripService drips, CancellationToken ct) => SetPaused(id, false, drips, ct)).Produces<DripView>();
        drips.MapGet("/{id:guid}/audience", Audience).Produces<DripPreview>();
        drips.MapGet("/{id:guid}/sends", Sends).Produces<List<DripSendView>>();
    }

    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Summaries(db).ToListAsync(cancellationToken));

    /// <summary>The tracks the actor sees, by name (the Drips page lists the same).</summary>
    public static IQueryable<DripSummary> Summaries(ReachDb db) =>
        db.DripTracks.AsNoTracking().OrderBy(t => t.Name).Select(t => new DripSummary(t.Id, t.Name, t.Paused, t.Pieces.Count,
            db.DripSends.Count(s => s.TrackId == t.Id && s.Status == StepStatus.Sent),
            db.DripSends.Count(s => s.TrackId == t.Id && (s.Status == StepStatus.Scheduled || s.Status == StepStatus.Sending || s.Status == StepStatus.Retrying)),
            db.DripSends.Count(s => s.TrackId == t.Id && s.Status == StepStatus.Failed), t.OwnerId)).Take(500);

    public static async Task<IResult> Create(HttpContext http, DripService drips, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<DripInput>(http, cancellationToken);
        var track = await drips.CreateAsync(input, cancellationToken);
        return TypedResults.Created($"/api/v1/drips/{track.Id}", View(track));
    }

    public static async Task<IResult> Get(Guid id, DripService drips, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await Find(id, drips, cancellationToken)));

    public static async Task<IResult> Update(Guid id, HttpContext http, DripService drips, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<DripInput>(http, cancellationToken);
        return TypedResults.Ok(View(await drips.UpdateAsync(await Find(id, drips, cancellationToken), input, cancellationToken)));
    }

    static async Task<IResult> SetPaused(Guid id, bool paused, DripService drips, CancellationToken cancellationToken)
    {
        var track = await Find(id, drips, cancellationToken);
        await drips.SetPausedAsync(track, paused, cancellationToken);
        return TypedResults.Ok(View(track));
    }

    public static async Task<IResult> Audience(Guid id, DripService drips, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drips.PreviewAsync(await Find(id, drips, cancellationToken), cancellationToken));

    /// <summary>What was sent (or waits) to whom, newest first. Filter: <c>status</c> (scheduled, sending, retrying, sent, failed, cancelled).</summary>
    public static async Task<IResult> Sends(Guid id, HttpRequest request, ReachDb db, DripService drips, CancellationToken cancellationToken)
    {
        await Find(id, drips, cancellationToken);
        var query = new ListQuery(request.Query);
        var sends = db.DripSends.AsNoTracking().Where(s => s.TrackId == id);
        if (query.Enum<StepStatus>("status") is { } status)
            sends = sends.Where(s => s.Status == status);
        return TypedResults.Ok(await SendViews(sends).ToListAsync(cancellationToken));
    }

    public static IQueryable<DripSendView> SendViews(IQueryable<DripSend> sends) =>
        sends.OrderByDescending(s => s.DoneAt ?? s.DueAt).ThenByDescending(s => s.Position).Take(1000)
            .Select(s => new DripSendView(s.Id, s.ContactId, s.Contact!.LastName == null ? s.Contact.FirstName : s.Contact.FirstName + " " + s.Contact.LastName,
                s.Contact.Email, s.Position, s.Status, s.DueAt, s.DoneAt, s.Attempts, s.LastError, s.NextAttemptAt, s.MessageId, s.Subject));

    static async Task<DripTrack> Find(Guid id, DripService drips, CancellationToken cancellationToken) =>
        await drips.FindAsync(id, cancellationToken) ?? throw ApiException.NotFound("drip track", id);

    public static DripView View(DripTrack t) => new(t.Id, t.Name, t.Paused, t.Every, t.Unit, t.MinimumGapDays, t.TimeZone, t.WindowStartHour, t.WindowEndHour,
        t.AudienceTier, t.AudienceChannel, t.AudienceSegment, [.. t.Members.Select(m => m.ContactId)], t.OwnerId, t.CreatedAt, t.Version,
        [.. t.Pieces.OrderBy(p => p.Position).Select(p => new PieceView(p.Id, p.Position, p.Subject, p.Body))]);
}
