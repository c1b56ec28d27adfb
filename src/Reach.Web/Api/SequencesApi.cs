using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Outreach;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/sequences</c>, <c>/api/v1/enrolments</c>, <c>/api/v1/mail-account</c> and <c>/api/v1/outreach/run</c>:
/// sequences with their steps, enrolling contacts, each step's status, and the user's own mailbox.
/// Reps see and change their own sequences and enrolments, managers their teams' (ReachDb's filters, AccessRules).
/// </summary>
public static class SequencesApi
{
    public sealed record StepView(Guid Id, int Position, StepKind Kind, int DelayDays, string? Subject, string? Body, bool ForwardsPrevious);

    public sealed record SequenceView(Guid Id, string Name, bool Paused, string TimeZone, int WindowStartHour, int WindowEndHour,
        Guid? OwnerId, DateTime CreatedAt, long Version, IReadOnlyList<StepView> Steps);

    /// <summary>A sequence in the list: <c>paused</c> is its own flag, the counts are its enrolments by status.</summary>
    public sealed record SequenceSummary(Guid Id, string Name, bool Paused, int Steps, int Active, int PausedEnrolments, int Finished, int Stopped);

    public sealed record EnrolmentStepView(int Position, StepKind Kind, StepStatus Status, DateTime DueAt, DateTime? DoneAt,
        int Attempts, string? LastError, DateTime? NextAttemptAt, string? MessageId, string? Subject);

    public sealed record EnrolmentView(Guid Id, Guid SequenceId, Guid ContactId, string ContactName, string? ContactEmail, Guid? OwnerId,
        EnrolmentStatus Status, StopReason? StopReason, DateTime CreatedAt, DateTime? StoppedAt, IReadOnlyList<EnrolmentStepView> Steps);

    public sealed record EnrolRequest
    {
        public List<Guid>? ContactIds { get; init; }

        /// <summary>Enrol every contact you can see whose name, email, title or account name contains this.</summary>
        [System.ComponentModel.DataAnnotations.StringLength(200)] public string? Search { get; init; }
        public Guid? AccountId { get; init; }
    }

    public sealed record EnrolmentChange
    {
        /// <summary>pause, resume or stop.</summary>
        [System.ComponentModel.DataAnnotations.Required] public string? Action { get; init; }

        /// <summary>Why it stops (stop only): meeting_booked, unsubscribed, replied, bounced or manual (the default).</summary>
        public StopReason? Reason { get; init; }
    }

    public sealed record MailAccountView(string FromName, string FromAddress, string SmtpHost, int SmtpPort, MailSecurity SmtpSecurity, string? SmtpUser,
        bool HasSmtpPassword, string? ImapHost, int ImapPort, MailSecurity ImapSecurity, string? ImapUser, bool HasImapPassword, int DailyLimit,
        DateTime? LastPolledAt, string? LastPollError);

    public sealed record ConnectionTest(bool Ok, string Message);

    public static void MapSequencesApi(this RouteGroupBuilder api)
    {
        var sequences = api.MapGroup("/sequences").WithTags("Outreach");
        sequences.MapGet("/", List).Produces<List<SequenceSummary>>();
        sequences.MapPost("/", Create).WithJsonBody<SequenceInput>("The sequence: name, time zone, send window and its steps in order.").Produces<SequenceView>(201).ProducesValidationProblem();
        sequences.MapGet("/{id:guid}", Get).Produces<SequenceView>();
        sequences.MapPut("/{id:guid}", Update).WithJsonBody<SequenceInput>("The whole sequence as it should be.").Produces<SequenceView>().ProducesValidationProblem();
        sequences.MapPost("/{id:guid}/pause", (Guid id, OutreachService outreach, CancellationToken ct) => SetPaused(id, true, outreach, ct)).Produces<SequenceView>();
        sequences.MapPost("/{id:guid}/resume", (Guid id, OutreachService outreach, CancellationToken ct) => SetPaused(id, false, outreach, ct)).Produces<SequenceView>();
        sequences.MapGet("/{id:guid}/enrolments", Enrolments).Produces<List<EnrolmentView>>();
        sequences.MapPost("/{id:guid}/enrolments", Enrol).WithJsonBody<EnrolRequest>("contactIds, or search (and accountId) to enrol the matching contacts.").Produces<EnrolResult>().ProducesValidationProblem();

        var enrolments = api.MapGroup("/enrolments").WithTags("Outreach");
        enrolments.MapGet("/{id:guid}", GetEnrolment).Produces<EnrolmentView>();
        enrolments.MapPost("/{id:guid}", ChangeEnrolment).WithJsonBody<EnrolmentChange>("action: pause, resume or stop (with a reason).").Produces<EnrolmentView>().ProducesValidationProblem();

        var mailbox = api.MapGroup("/mail-account").WithTags("Outreach");
        mailbox.MapGet("/", GetMailAccount).Produces<MailAccountView>();
        mailbox.MapPut("/", SaveMailAccount).WithJsonBody<MailAccountInput>("SMTP (to send) and IMAP (to read replies); passwords left out keep the stored ones.").Produces<MailAccountView>().ProducesValidationProblem();
        mailbox.MapPost("/test", TestMailAccount).Produces<ConnectionTest>();

        api.MapPost("/outreach/run", Run).WithTags("Outreach").RequireAuthorization(ReachAccess.ManagerPolicy).Produces<OutreachRun>();
    }

    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken)
    {
        var list = await db.Sequences.AsNoTracking().OrderBy(s => s.Name).Select(s => new SequenceSummary(s.Id, s.Name, s.Paused, s.Steps.Count,
            db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Active),
            db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Paused),
            db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Finished),
            db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Stopped))).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(list);
    }

    public static async Task<IResult> Create(HttpContext http, OutreachService outreach, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<SequenceInput>(http, cancellationToken);
        var sequence = await outreach.CreateAsync(input, cancellationToken);
        return TypedResults.Created($"/api/v1/sequences/{sequence.Id}", View(sequence));
    }

    public static async Task<IResult> Get(Guid id, OutreachService outreach, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await Find(id, outreach, cancellationToken)));

    public static async Task<IResult> Update(Guid id, HttpContext http, OutreachService outreach, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<SequenceInput>(http, cancellationToken);
        var sequence = await outreach.UpdateAsync(await Find(id, outreach, cancellationToken), input, cancellationToken);
        return TypedResults.Ok(View(sequence));
    }

    static async Task<IResult> SetPaused(Guid id, bool paused, OutreachService outreach, CancellationToken cancellationToken)
    {
        var sequence = await Find(id, outreach, cancellationToken);
        await outreach.SetPausedAsync(sequence, paused, cancellationToken);
        return TypedResults.Ok(View(sequence));
    }

    /// <summary>Filter: <c>status</c> (active, paused, finished, stopped).</summary>
    public static async Task<IResult> Enrolments(Guid id, HttpRequest request, ReachDb db, OutreachService outreach, CancellationToken cancellationToken)
    {
        await Find(id, outreach, cancellationToken);
        var query = new ListQuery(request.Query);
        var enrolments = db.Enrolments.AsNoTracking().Where(e => e.SequenceId == id);
        if (query.Enum<EnrolmentStatus>("status") is { } status)
            enrolments = enrolments.Where(e => e.Status == status);
        var list = await enrolments.Include(e => e.Steps).Include(e => e.Contact).OrderByDescending(e => e.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Select(View).ToList());
    }

    public static async Task<IResult> Enrol(Guid id, HttpContext http, OutreachService outreach, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<EnrolRequest>(http, cancellationToken);
        var sequence = await Find(id, outreach, cancellationToken);
        if (request.ContactIds is { Count: > 0 } && (request.Search is not null || request.AccountId is not null))
            throw new InputException("contactIds", "Send either contactIds or a search (with accountId), not both.");
        var result = request.ContactIds is { Count: > 0 } ids
            ? await outreach.EnrolAsync(sequence, ids, cancellationToken)
            : request.Search is not null || request.AccountId is not null
                ? await outreach.EnrolMatchingAsync(sequence, request.Search, request.AccountId, cancellationToken)
                : throw new InputException("contactIds", "Name the contacts to enrol (contactIds), or a search that finds them.");
        return TypedResults.Ok(result);
    }

    public static async Task<IResult> GetEnrolment(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(View(await FindEnrolment(id, db, cancellationToken)));

    public static async Task<IResult> ChangeEnrolment(Guid id, HttpContext http, ReachDb db, OutreachService outreach, CancellationToken cancellationToken)
    {
        var change = await JsonBody.ReadAsync<EnrolmentChange>(http, cancellationToken);
        var enrolment = await FindEnrolment(id, db, cancellationToken);
        await outreach.ChangeAsync(enrolment, change.Action!, change.Reason, cancellationToken);
        return TypedResults.Ok(View(enrolment));
    }

    public static async Task<IResult> GetMailAccount(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == actor.UserId, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, "You have no mailbox connected; PUT /api/v1/mail-account to connect one.");
        return TypedResults.Ok(View(account));
    }

    public static async Task<IResult> SaveMailAccount(HttpContext http, OutreachService outreach, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        if (actor.UserId is not { } userId)
            throw new ApiException(StatusCodes.Status400BadRequest, "Only a signed-in user connects a mailbox.");
        var input = await JsonBody.ReadAsync<MailAccountInput>(http, cancellationToken);
        return TypedResults.Ok(View(await outreach.SaveMailAccountAsync(userId, input, cancellationToken)));
    }

    public static async Task<IResult> TestMailAccount(HttpContext http, ReachDb db, MailClient mail, CancellationToken cancellationToken)
    {
        var actor = ReachAccess.RequireActor(http);
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == actor.UserId, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, "You have no mailbox connected; PUT /api/v1/mail-account to connect one.");
        try
        {
            return TypedResults.Ok(new ConnectionTest(true, await mail.TestAsync(account, cancellationToken)));
        }
        catch (MailConnectionException failed)
        {
            return TypedResults.Ok(new ConnectionTest(false, failed.Message));
        }
    }

    /// <summary>One pass of the background sender now: replies read, due steps sent (what the worker does on its timer).</summary>
    public static async Task<IResult> Run(OutreachSender sender, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sender.RunOnceAsync(cancellationToken));

    static async Task<Sequence> Find(Guid id, OutreachService outreach, CancellationToken cancellationToken) =>
        await outreach.FindAsync(id, cancellationToken) ?? throw ApiException.NotFound("sequence", id);

    static async Task<Enrolment> FindEnrolment(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        await db.Enrolments.Include(e => e.Steps).Include(e => e.Contact).FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("enrolment", id);

    public static SequenceView View(Sequence s) => new(s.Id, s.Name, s.Paused, s.TimeZone, s.WindowStartHour, s.WindowEndHour, s.OwnerId, s.CreatedAt, s.Version,
        [.. s.Steps.OrderBy(x => x.Position).Select(x => new StepView(x.Id, x.Position, x.Kind, x.DelayDays, x.Subject, x.Body, x.ForwardsPrevious))]);

    public static EnrolmentView View(Enrolment e) => new(e.Id, e.SequenceId, e.ContactId, e.Contact?.FullName ?? "", e.Contact?.Email, e.OwnerId,
        e.Status, e.StopReason, e.CreatedAt, e.StoppedAt,
        [.. e.Steps.OrderBy(s => s.Position).Select(s => new EnrolmentStepView(s.Position, s.Kind, s.Status, s.DueAt, s.DoneAt, s.Attempts, s.LastError, s.NextAttemptAt, s.MessageId, s.Subject))]);

    static MailAccountView View(MailAccount a) => new(a.FromName, a.FromAddress, a.SmtpHost, a.SmtpPort, a.SmtpSecurity, a.SmtpUser, a.SmtpPasswordProtected is not null,
        a.ImapHost, a.ImapPort, a.ImapSecurity, a.ImapUser, a.ImapPasswordProtected is not null, a.DailyLimit, a.LastPolledAt, a.LastPollError);
}
