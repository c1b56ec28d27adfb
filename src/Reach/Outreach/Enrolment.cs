using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Outreach;

public enum EnrolmentStatus { Active, Paused, Finished, Stopped }

/// <summary>Why a contact left a sequence before its last step.</summary>
public enum StopReason { Replied, Bounced, Unsubscribed, MeetingBooked, Manual }

/// <summary>A contact going through a sequence; its owner's mailbox sends the emails.</summary>
public class Enrolment : Record
{
    public Guid SequenceId { get; set; }
    public Guid ContactId { get; set; }
    public Contact? Contact { get; set; }
    public EnrolmentStatus Status { get; set; } = EnrolmentStatus.Active;
    public StopReason? StopReason { get; set; }
    public DateTime? StoppedAt { get; set; }
    public List<EnrolmentStep> Steps { get; set; } = [];

    /// <summary>Ends the enrolment early; its steps not yet sent are cancelled (load <see cref="Steps"/> first).</summary>
    public void Stop(StopReason reason, DateTime now)
    {
        if (Status is EnrolmentStatus.Finished or EnrolmentStatus.Stopped)
            return;
        Status = EnrolmentStatus.Stopped;
        StopReason = reason;
        StoppedAt = now;
        foreach (var step in Steps.Where(s => s.IsOpen))
            step.Status = StepStatus.Cancelled;
    }
}

public enum StepStatus
{
    /// <summary>Waiting for its time (and send window).</summary>
    Scheduled,

    /// <summary>The Message-ID is recorded and the email is being handed to SMTP; a restart finds it here.</summary>
    Sending,

    /// <summary>The last attempt failed (SMTP down or refusing); tried again at <see cref="QueuedEmail.NextAttemptAt"/>.</summary>
    Retrying,
    Sent,

    /// <summary>A call or social step: the task was put on the owner's list.</summary>
    TaskCreated,

    /// <summary>The server refused the address for good: the enrolment stopped as bounced.</summary>
    Failed,

    /// <summary>The enrolment stopped before this step was due.</summary>
    Cancelled,
}

/// <summary>
/// One step of one enrolment: the durable queue the background sender reads, unique per (enrolment, position). A call
/// or social step becomes a task on the owner's list; an email step is sent as a <see cref="QueuedEmail"/>.
/// </summary>
public class EnrolmentStep : QueuedEmail
{
    public Guid EnrolmentId { get; set; }
    public Guid SequenceStepId { get; set; }
    public StepKind Kind { get; set; }
}

sealed class EnrolmentMapping : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> enrolment)
    {
        enrolment.Property(e => e.Status).HasConversion<string>().HasMaxLength(10);
        enrolment.Property(e => e.StopReason).HasConversion<string>().HasMaxLength(20);
        enrolment.HasOne<Sequence>().WithMany().HasForeignKey(e => e.SequenceId).OnDelete(DeleteBehavior.Restrict);
        enrolment.HasOne(e => e.Contact).WithMany().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Restrict);
        enrolment.HasMany(e => e.Steps).WithOne().HasForeignKey(s => s.EnrolmentId).OnDelete(DeleteBehavior.Cascade);
        enrolment.HasIndex(e => new { e.SequenceId, e.ContactId });
        enrolment.HasIndex(e => e.ContactId);
        enrolment.HasIndex(e => e.OwnerId);
    }
}

sealed class EnrolmentStepMapping : IEntityTypeConfiguration<EnrolmentStep>
{
    public void Configure(EntityTypeBuilder<EnrolmentStep> step)
    {
        QueuedEmail.Map(step);
        step.Property(s => s.Kind).HasConversion<string>().HasMaxLength(10);
        step.HasOne<SequenceStep>().WithMany().HasForeignKey(s => s.SequenceStepId).OnDelete(DeleteBehavior.Restrict);
        // The idempotency key of the queue: one row per step of an enrolment, whatever retries or restarts.
        step.HasIndex(s => new { s.EnrolmentId, s.Position }).IsUnique();
    }
}
