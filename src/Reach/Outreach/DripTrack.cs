using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>How a track's cadence counts: weekdays, or whole weeks (five weekdays, so the same weekday).</summary>
public enum CadenceUnit { BusinessDays, Weeks }

/// <summary>
/// A drip track: a library of short, insightful pieces with no ask, sent one after the other on a cadence
/// to a segment of accounts' contacts or to an explicit list, from the owner's mailbox. A per-contact
/// minimum gap, counting every outreach email the contact got (sequences and other drips), keeps anyone from being flooded.
/// </summary>
public class DripTrack : Record
{
    public required string Name { get; set; }

    /// <summary>Paused: nothing of this track is scheduled or sent until it is resumed.</summary>
    public bool Paused { get; set; }

    /// <summary>Each contact's next piece goes out this many units after their previous one.</summary>
    public int Every { get; set; } = 2;
    public CadenceUnit Unit { get; set; } = CadenceUnit.Weeks;

    /// <summary>No piece goes to a contact who got any outreach email (sequence or drip) fewer than this many days ago.</summary>
    public int MinimumGapDays { get; set; } = 7;

    /// <summary>The zone of the send window for contacts without a time zone of their own (IANA).</summary>
    public string TimeZone { get; set; } = "UTC";
    public int WindowStartHour { get; set; } = 9;
    public int WindowEndHour { get; set; } = 17;

    /// <summary>Audience by segment: the contacts of accounts matching all the given fields (none given: the explicit list).</summary>
    public Tier? AudienceTier { get; set; }
    public Channel? AudienceChannel { get; set; }

    /// <summary>The active plan's segment of the account (its route).</summary>
    public string? AudienceSegment { get; set; }

    public List<DripPiece> Pieces { get; set; } = [];
    public List<DripMember> Members { get; set; } = [];

    public bool BySegment => AudienceTier is not null || AudienceChannel is not null || !string.IsNullOrWhiteSpace(AudienceSegment);

    public int CadenceBusinessDays => Unit == CadenceUnit.Weeks ? Every * 5 : Every;
}

/// <summary>One piece of a track's library, sent in <see cref="Position"/> order.</summary>
public class DripPiece
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TrackId { get; set; }
    public int Position { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
}

/// <summary>A contact on a track's explicit list.</summary>
public class DripMember
{
    public Guid TrackId { get; set; }
    public Guid ContactId { get; set; }
}

/// <summary>
/// One piece for one contact: the drip's durable queue, like <see cref="EnrolmentStep"/>, unique per
/// (track, contact, position), so a restart neither sends a piece twice nor skips one.
/// </summary>
public class DripSend : QueuedEmail
{
    public Guid TrackId { get; set; }
    public Guid ContactId { get; set; }
    public Contact? Contact { get; set; }
    public Guid PieceId { get; set; }

    /// <summary>Sends from this user's mailbox: the track's owner when it was scheduled.</summary>
    public Guid? OwnerId { get; set; }
}

sealed class DripTrackMapping : IEntityTypeConfiguration<DripTrack>
{
    public void Configure(EntityTypeBuilder<DripTrack> track)
    {
        track.Property(t => t.Name).HasMaxLength(200);
        track.Property(t => t.TimeZone).HasMaxLength(64);
        track.Property(t => t.Unit).HasConversion<string>().HasMaxLength(20);
        track.Property(t => t.AudienceTier).HasConversion<string>().HasMaxLength(1);
        track.Property(t => t.AudienceChannel).HasConversion<string>().HasMaxLength(20);
        track.Property(t => t.AudienceSegment).HasMaxLength(100);
        track.Ignore(t => t.BySegment);
        track.Ignore(t => t.CadenceBusinessDays);
        track.HasMany(t => t.Pieces).WithOne().HasForeignKey(p => p.TrackId).OnDelete(DeleteBehavior.Cascade);
        track.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TrackId).OnDelete(DeleteBehavior.Cascade);
        track.HasIndex(t => t.OwnerId);
    }
}

sealed class DripPieceMapping : IEntityTypeConfiguration<DripPiece>
{
    public void Configure(EntityTypeBuilder<DripPiece> piece)
    {
        piece.Property(p => p.Subject).HasMaxLength(300);
        piece.Property(p => p.Body).HasMaxLength(10000);
        piece.HasIndex(p => new { p.TrackId, p.Position }).IsUnique();
    }
}

sealed class DripMemberMapping : IEntityTypeConfiguration<DripMember>
{
    public void Configure(EntityTypeBuilder<DripMember> member)
    {
        member.HasKey(m => new { m.TrackId, m.ContactId });
        member.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class DripSendMapping : IEntityTypeConfiguration<DripSend>
{
    public void Configure(EntityTypeBuilder<DripSend> send)
    {
        QueuedEmail.Map(send);
        send.HasOne<DripTrack>().WithMany().HasForeignKey(s => s.TrackId).OnDelete(DeleteBehavior.Restrict);
        send.HasOne(s => s.Contact).WithMany().HasForeignKey(s => s.ContactId).OnDelete(DeleteBehavior.Restrict);
        send.HasOne<DripPiece>().WithMany().HasForeignKey(s => s.PieceId).OnDelete(DeleteBehavior.Restrict);
        // The idempotency key: one row per piece per contact, whatever retries, restarts or second passes.
        send.HasIndex(s => new { s.TrackId, s.ContactId, s.Position }).IsUnique();
        send.HasIndex(s => new { s.ContactId, s.DoneAt });
    }
}
