using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>What a step does: send an email, or put a call or a social (LinkedIn) touch on the owner's task list.</summary>
public enum StepKind { Email, Call, Social }

/// <summary>
/// A cadence of touches: short emails with one ask each, resent until answered (seed 004), and call
/// or social tasks between them. Steps run in order, each a number of business days after the previous one.
/// </summary>
public class Sequence : Record
{
    public required string Name { get; set; }

    /// <summary>Paused: no step of any enrolment is sent until it is resumed.</summary>
    public bool Paused { get; set; }

    /// <summary>The zone of the send window for contacts without a time zone of their own (IANA).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Emails go out between these hours (contact's local time), on weekdays.</summary>
    public int WindowStartHour { get; set; } = 9;
    public int WindowEndHour { get; set; } = 17;
    public List<SequenceStep> Steps { get; set; } = [];
}

public class SequenceStep
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SequenceId { get; set; }

    /// <summary>1-based order in the sequence.</summary>
    public int Position { get; set; }
    public StepKind Kind { get; set; }

    /// <summary>Business days after the previous step (after enrolment for the first).</summary>
    public int DelayDays { get; set; }

    /// <summary>Email steps: the subject; a follow-up forwards the previous email under "Fwd: its subject" when empty.</summary>
    public string? Subject { get; set; }

    /// <summary>The email text or the task's instructions, with merge fields such as {{contact.first_name}}.</summary>
    public string? Body { get; set; }

    /// <summary>Email steps after the first: forward the previous email below this one's text (seed 004's "Following up on the below").</summary>
    public bool ForwardsPrevious { get; set; }
}

sealed class SequenceMapping : IEntityTypeConfiguration<Sequence>
{
    public void Configure(EntityTypeBuilder<Sequence> sequence)
    {
        sequence.Property(s => s.Name).HasMaxLength(200);
        sequence.Property(s => s.TimeZone).HasMaxLength(64);
        sequence.HasMany(s => s.Steps).WithOne().HasForeignKey(s => s.SequenceId).OnDelete(DeleteBehavior.Cascade);
        sequence.HasIndex(s => s.OwnerId);
    }
}

sealed class SequenceStepMapping : IEntityTypeConfiguration<SequenceStep>
{
    public void Configure(EntityTypeBuilder<SequenceStep> step)
    {
        step.Property(s => s.Kind).HasConversion<string>().HasMaxLength(10);
        step.Property(s => s.Subject).HasMaxLength(300);
        step.Property(s => s.Body).HasMaxLength(10000);
        step.HasIndex(s => new { s.SequenceId, s.Position }).IsUnique();
    }
}
