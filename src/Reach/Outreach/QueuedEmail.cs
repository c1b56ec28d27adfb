using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Outreach;

/// <summary>
/// An outreach email in the background sender's durable queue, a sequence step's (<see cref="EnrolmentStep"/>) or a
/// drip piece's (<see cref="DripSend"/>): its delivery state, which the sender moves along one way for both. The
/// Message-ID is stored before SMTP is asked, so a restart neither sends an email twice nor skips one.
/// </summary>
public abstract class QueuedEmail
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Position { get; set; }
    public StepStatus Status { get; set; } = StepStatus.Scheduled;
    public DateTime DueAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? MessageId { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public DateTime? DoneAt { get; set; }

    /// <summary>The touch recorded for it (the email activity, or a sequence's call/social task).</summary>
    public Guid? ActivityId { get; set; }

    /// <summary>Not yet done: waiting for its time, being handed to SMTP, or to be tried again.</summary>
    public bool IsOpen => Status is StepStatus.Scheduled or StepStatus.Sending or StepStatus.Retrying;

    /// <summary>The emails a pass of the sender takes at <paramref name="now"/>: due, to be retried, or claimed by a pass whose lease ran out.</summary>
    public static Expression<Func<T, bool>> DueBy<T>(DateTime now) where T : QueuedEmail =>
        s => (s.Status == StepStatus.Scheduled && s.DueAt <= now)
            || ((s.Status == StepStatus.Retrying || s.Status == StepStatus.Sending) && s.NextAttemptAt <= now);

    /// <summary>Fixes the Message-ID before the first attempt, in the sending mailbox's domain: every retry sends the very same message.</summary>
    public void AssignMessageId(string fromAddress) => MessageId = $"{Id:N}.reach@{fromAddress.Split('@').Last()}";

    /// <summary>Claims the email for this pass while it is handed to SMTP; after <paramref name="until"/> a crashed pass's email is taken again.</summary>
    public void Claim(DateTime until)
    {
        Status = StepStatus.Sending;
        Attempts++;
        NextAttemptAt = until;
    }

    public void MarkSent(DateTime now, Guid activityId) =>
        (Status, DoneAt, LastError, NextAttemptAt, ActivityId) = (StepStatus.Sent, now, null, null, activityId);

    /// <summary>The columns and indexes of the delivery state, the same on both queues' tables.</summary>
    internal static void Map<T>(EntityTypeBuilder<T> email) where T : QueuedEmail
    {
        email.Property(s => s.Status).HasConversion<string>().HasMaxLength(10);
        email.Property(s => s.LastError).HasMaxLength(1000);
        email.Property(s => s.MessageId).HasMaxLength(300);
        email.Property(s => s.Subject).HasMaxLength(300);
        email.Property(s => s.Body).HasMaxLength(20000);
        email.Ignore(s => s.IsOpen);
        email.HasIndex(s => new { s.Status, s.DueAt });
        email.HasIndex(s => s.MessageId);
    }
}
