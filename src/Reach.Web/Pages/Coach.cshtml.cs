using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Reach.Coaching;

namespace Reach.Web.Pages;

/// <summary>
/// The email coach: a subject and body scored as you type (coach.js) against the seed's advice for emailing
/// executives. <see cref="OnPostScore"/> is what every <c>textarea[data-coach]</c> calls, on any page.
/// </summary>
public sealed class CoachModel(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : PageModel
{
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    public CoachReport? Report { get; private set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>Without script: the form posts here and the page shows the findings.</summary>
    public void OnPost()
    {
        Error = Check(Subject, Body);
        if (Error is null)
            Report = EmailCoach.Evaluate(Subject, Body);
    }

    /// <summary>For scripts (antiforgery header): the same JSON as <c>POST /api/v1/coach</c>.</summary>
    public IActionResult OnPostScore(string? subject, string? body) =>
        Check(subject, body) is { } error
            ? new JsonResult(new { message = error }) { StatusCode = StatusCodes.Status400BadRequest }
            : new JsonResult(EmailCoach.Evaluate(subject, body), json.Value.SerializerOptions);

    static string? Check(string? subject, string? body) =>
        (subject?.Length ?? 0) > EmailCoach.MaxSubjectLength ? $"The subject is {subject!.Length} characters; the coach reads at most {EmailCoach.MaxSubjectLength}."
        : (body?.Length ?? 0) > EmailCoach.MaxBodyLength ? $"The body is {body!.Length} characters; the coach reads at most {EmailCoach.MaxBodyLength}."
        : null;

    public static string Words(CoachVerdict verdict) => verdict switch
    {
        CoachVerdict.Ready => "Ready to send",
        CoachVerdict.NeedsWork => "Needs work",
        CoachVerdict.Rewrite => "Rewrite it",
        _ => "Start typing",
    };
}
