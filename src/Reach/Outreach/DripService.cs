using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>How many contacts a track's audience holds now, and a few of them by name.</summary>
public sealed record DripPreview(int Count, IReadOnlyList<string> Sample);

/// <summary>
/// The drip track operations the API, pages and CLI share: saving tracks with their pieces and audience,
/// pausing, and the audience preview. Access is the context's (query filters, AccessRules); sending is the sender's.
/// </summary>
public sealed class DripService(ReachDb db)
{
    /// <summary>Saves a new track, owned by the actor; <paramref name="paused"/> for one that must not send before it is looked at.</summary>
    public async Task<DripTrack> CreateAsync(DripInput input, CancellationToken cancellationToken, bool paused = false)
    {
        input.Validate();
        var track = new DripTrack { Name = input.Name!.Trim(), OwnerId = db.Actor?.UserId, Paused = paused };
        await ApplyAsync(track, input, cancellationToken);
        db.Add(track);
        await db.SaveChangesAsync(cancellationToken);
        return track;
    }

    public Task<DripTrack?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.DripTracks.Include(t => t.Pieces).Include(t => t.Members).AsSplitQuery().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    /// <summary>
    /// Rewrites settings, audience and pieces. Pieces keep their place, so a contact part-way through gets
    /// the new text of the next one; a piece already sent to someone cannot be removed.
    /// </summary>
    public async Task<DripTrack> UpdateAsync(DripTrack track, DripInput input, CancellationToken cancellationToken)
    {
        input.Validate();
        var removed = track.Pieces.Where(p => p.Position > input.Pieces!.Count).Select(p => p.Id).ToList();
        if (removed.Count > 0 && await db.DripSends.IgnoreQueryFilters().AnyAsync(s => removed.Contains(s.PieceId), cancellationToken))
            throw new InputException("pieces", $"Piece {input.Pieces!.Count + 1} has already been queued or sent; a piece that has gone out cannot be removed (change its text instead).");
        track.Name = input.Name!.Trim();
        await ApplyAsync(track, input, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return track;
    }

    async Task ApplyAsync(DripTrack track, DripInput input, CancellationToken cancellationToken)
    {
        track.Every = input.Every ?? 2;
        track.Unit = input.Unit ?? CadenceUnit.Weeks;
        track.MinimumGapDays = input.MinimumGapDays ?? 7;
        track.TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        track.WindowStartHour = input.WindowStartHour ?? 9;
        track.WindowEndHour = input.WindowEndHour ?? 17;
        track.AudienceTier = input.AudienceTier;
        track.AudienceChannel = input.AudienceChannel;
        track.AudienceSegment = string.IsNullOrWhiteSpace(input.AudienceSegment) ? null : input.AudienceSegment.Trim();

        // The list holds only contacts the actor can see; the others are named, not silently dropped.
        var ids = track.BySegment ? [] : (input.ContactIds ?? []).Distinct().ToList();
        var visible = await db.Contacts.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Except(visible).FirstOrDefault() is var unknown && unknown != Guid.Empty)
            throw new InputException("contactIds", $"No contact you can see has the id {unknown}.");
        foreach (var gone in track.Members.Where(m => !ids.Contains(m.ContactId)).ToList())
        {
            track.Members.Remove(gone);
            db.Remove(gone);
        }
        foreach (var id in ids.Where(id => track.Members.All(m => m.ContactId != id)))
            track.Members.Add(new DripMember { TrackId = track.Id, ContactId = id });

        foreach (var gone in track.Pieces.Where(p => p.Position > input.Pieces!.Count).ToList())
        {
            track.Pieces.Remove(gone);
            db.Remove(gone);
        }
        for (var i = 0; i < input.Pieces!.Count; i++)
        {
            var given = input.Pieces[i];
            var piece = track.Pieces.FirstOrDefault(p => p.Position == i + 1);
            if (piece is null)
            {
                piece = new DripPiece { TrackId = track.Id, Position = i + 1, Subject = "", Body = "" };
                track.Pieces.Add(piece);
            }
            piece.Subject = given.Subject!.Trim();
            piece.Body = given.Body!;
        }
    }

    public async Task SetPausedAsync(DripTrack track, bool paused, CancellationToken cancellationToken)
    {
        track.Paused = paused;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The audience as the sender will see it (the owner's visible contacts, suppressions applied).</summary>
    public async Task<DripPreview> PreviewAsync(DripTrack track, CancellationToken cancellationToken)
    {
        var owners = await DripAudience.OwnersVisibleToAsync(db, track.OwnerId, cancellationToken);
        var audience = DripAudience.Query(db, track, owners);
        var count = await audience.CountAsync(cancellationToken);
        var sample = await audience.OrderBy(c => c.FirstName).ThenBy(c => c.LastName).Take(10)
            .Select(c => c.LastName == null ? c.FirstName : c.FirstName + " " + c.LastName).ToListAsync(cancellationToken);
        return new DripPreview(count, sample);
    }
}
