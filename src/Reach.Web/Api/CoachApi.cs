using System.ComponentModel.DataAnnotations;
using Reach.Coaching;

namespace Reach.Web.Api;

/// <summary><c>POST /api/v1/coach</c>: scores an email draft (docs/coach.md). Reads nothing and saves nothing, so a read-only token may call it.</summary>
public static class CoachApi
{
    public static void MapCoachApi(this RouteGroupBuilder api)
    {
        api.MapPost("/coach", Score)
            .WithTags("Coach")
            .WithJsonBody<CoachDraft>("The draft: an optional subject and the body, as plain text.")
            .Produces<CoachReport>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    public sealed record CoachDraft
    {
        [StringLength(EmailCoach.MaxSubjectLength)] public string? Subject { get; init; }
        [Required(AllowEmptyStrings = true), StringLength(EmailCoach.MaxBodyLength)] public string? Body { get; init; }
    }

    /// <summary>The findings (each with its span in the subject or body), the countdown, the score and the verdict.</summary>
    public static async Task<IResult> Score(HttpContext http, CancellationToken cancellationToken)
    {
        var draft = await JsonBody.ReadAsync<CoachDraft>(http, cancellationToken);
        return TypedResults.Ok(EmailCoach.Evaluate(draft.Subject, draft.Body));
    }
}
