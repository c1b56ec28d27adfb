using Reach.Metrics.Reports;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/report-schedules</c>: reports e-mailed after each period closes, from your mailbox, with your rights.
/// You see and change your own schedules (admins all of them); the scope follows the Reports page's rules (403 otherwise).
/// </summary>
public static class ReportSchedulesApi
{
    public sealed record SendNowResult(string Message);

    public static void MapReportSchedulesApi(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/report-schedules").WithTags("Reports");
        schedules.MapGet("/", List).Produces<List<ReportScheduleView>>();
        schedules.MapPost("/", Create).WithJsonBody<ReportScheduleInput>("kind (weekly, monthly, quarterly), rep or team (empty: your own scope), recipients.")
            .Produces<ReportScheduleView>(201).ProducesValidationProblem().ProducesProblem(403);
        schedules.MapGet("/{id:guid}", Get).Produces<ReportScheduleView>();
        schedules.MapPost("/{id:guid}/pause", (Guid id, ReportScheduleService service, CancellationToken ct) => SetPaused(id, true, service, ct)).Produces<ReportScheduleView>();
        schedules.MapPost("/{id:guid}/resume", (Guid id, ReportScheduleService service, CancellationToken ct) => SetPaused(id, false, service, ct)).Produces<ReportScheduleView>();
        schedules.MapPost("/{id:guid}/send", SendNow).Produces<SendNowResult>().ProducesProblem(502);
        schedules.MapDelete("/{id:guid}", Delete).Produces(204);
    }

    public static async Task<IResult> List(ReportScheduleService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListAsync(cancellationToken));

    public static async Task<IResult> Create(HttpContext http, ReportScheduleService service, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<ReportScheduleInput>(http, cancellationToken);
        var schedule = await service.CreateAsync(input, cancellationToken);
        return TypedResults.Created($"/api/v1/report-schedules/{schedule.Id}", await service.ViewAsync(schedule, cancellationToken));
    }

    public static async Task<IResult> Get(Guid id, ReportScheduleService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ViewAsync(await Find(id, service, cancellationToken), cancellationToken));

    static async Task<IResult> SetPaused(Guid id, bool paused, ReportScheduleService service, CancellationToken cancellationToken)
    {
        var schedule = await Find(id, service, cancellationToken);
        await service.SetPausedAsync(schedule, paused, cancellationToken);
        return TypedResults.Ok(await service.ViewAsync(schedule, cancellationToken));
    }

    /// <summary>Sends the last closed period's report now (a test); 502 with the reason when it cannot.</summary>
    public static async Task<IResult> SendNow(Guid id, ReportScheduleService service, CancellationToken cancellationToken)
    {
        var schedule = await Find(id, service, cancellationToken);
        try
        {
            return TypedResults.Ok(new SendNowResult(await service.SendNowAsync(schedule, cancellationToken)));
        }
        catch (Exception error) when (error is not OperationCanceledException and not Reach.Access.AccessDeniedException)
        {
            throw new ApiException(StatusCodes.Status502BadGateway, $"The report was not sent: {ReportMailer.Describe(error)}");
        }
    }

    public static async Task<IResult> Delete(Guid id, ReportScheduleService service, CancellationToken cancellationToken)
    {
        await service.DeleteAsync(await Find(id, service, cancellationToken), cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<ReportSchedule> Find(Guid id, ReportScheduleService service, CancellationToken cancellationToken) =>
        await service.FindAsync(id, cancellationToken) ?? throw new ApiException(StatusCodes.Status404NotFound, $"No report schedule {id} that you can see.");
}
