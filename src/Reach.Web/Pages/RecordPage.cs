using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Pages;

/// <summary>
/// A record's page: the one short form that logs a call, e-mail, meeting or note on it, checked by
/// the same <see cref="ActivityInput"/> rules as the API. What was typed stays in the form on an error.
/// </summary>
public abstract class RecordPage(ReachDb db) : PageModel
{
    protected ReachDb Db { get; } = db;

    public Actor Actor => ReachAccess.RequireActor(HttpContext);

    /// <summary>Field errors of the last post, keyed by the input's JSON field names.</summary>
    public Dictionary<string, string> Errors { get; } = [];

    public string? Notice { get; protected set; }

    [BindProperty] public LogForm Log { get; set; } = new();

    public sealed class LogForm
    {
        public ActivityType Type { get; set; } = ActivityType.Call;
        public string? Subject { get; set; }
        public string? Body { get; set; }
    }

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    /// <summary>Logs the form's activity on the record the page shows; returns false (errors filled) when it is refused.</summary>
    protected async Task<bool> LogAsync(Guid? accountId, Guid? contactId, Guid? dealId, Guid? leadId, CancellationToken cancellationToken)
    {
        var input = new ActivityInput
        {
            Type = Log.Type,
            Direction = Log.Type is ActivityType.Note ? Direction.None : Direction.Outbound,
            Subject = Log.Subject,
            Body = Log.Body,
            OccurredAt = Db.UtcNow,
            CompletedAt = Db.UtcNow,
            AccountId = accountId,
            ContactId = contactId,
            DealId = dealId,
            LeadId = leadId,
        };
        return await SaveAsync(async () =>
        {
            await AddAsync<Activity, ActivityInput>(input, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
            Notice = $"{Log.Type} logged.";
            Log = new LogForm();
            logged = true;
        });
    }

    bool logged;

    /// <summary>
    /// Post/Redirect/Get for the log form on every record page: once an activity is logged the page answers with a
    /// redirect to itself, so a refresh never logs it again; on an error the page is shown with what was typed.
    /// </summary>
    public override void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context)
    {
        if (logged && context.Exception is null && context.Result is PageResult)
        {
            TempData[Flash.Notice] = Notice;
            context.Result = new RedirectResult(Request.Path.Value ?? "/");
        }
        base.OnPageHandlerExecuted(context);
    }

    /// <summary>
    /// Checks an input as the API does (its attributes, then its rules against the database) and adds the record it
    /// makes, to be saved with the rest of the caller's changes.
    /// </summary>
    protected async Task<TEntity> AddAsync<TEntity, TInput>(TInput input, CancellationToken cancellationToken)
        where TEntity : class where TInput : IRecordInput<TEntity, TInput>
    {
        InputRules.Validate(input);
        var record = input.ToNew();
        await input.ApplyAsync(Db, record, cancellationToken);
        Db.Add(record);
        return record;
    }

    /// <summary>
    /// Fields of the posted <paramref name="form"/> that could not be read at all (a word where a number goes, a number
    /// too large) become field errors, rather than silently keeping their defaults; true when there were some.
    /// </summary>
    protected bool UnreadableFields(string form)
    {
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.Count == 0 || !key.StartsWith(form + ".", StringComparison.Ordinal))
                continue;
            var field = key[(form.Length + 1)..];
            Errors[char.ToLowerInvariant(field[0]) + field[1..]] = $"'{entry.AttemptedValue}' is not a valid value.";
        }
        return Errors.Count > 0;
    }

    /// <summary>Runs a save; input errors become field errors shown next to their fields.</summary>
    protected async Task<bool> SaveAsync(Func<Task> save)
    {
        try
        {
            await save();
            return true;
        }
        catch (InputException e)
        {
            foreach (var (field, messages) in e.Errors)
                Errors[field] = string.Join(" ", messages);
            Db.ChangeTracker.Clear();
            return false;
        }
    }

    protected static string Money(decimal amount, string currency) => Format.Money(amount, currency);

    /// <summary>
    /// A 403 page naming why, when the actor may not change a record owned by <paramref name="ownerId"/> (someone else's,
    /// outside their teams); null when they may. The save would refuse the change too (<see cref="AccessRules"/>): this
    /// answers before a form is even shown.
    /// </summary>
    protected IActionResult? RefuseChange(Guid? ownerId, string kind) =>
        ownerId is null || Actor.AnswersFor(ownerId) ? null
        : new ContentResult { StatusCode = StatusCodes.Status403Forbidden, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(403, $"This {kind} belongs to someone else; only its owner or their manager changes it.") };

    /// <summary>Whom the actor may hand this page's record to (empty for a rep: the choice is not shown).</summary>
    public List<(Guid Id, string Name)> OwnerChoices { get; protected set; } = [];

    /// <summary>A form's text as a whole number; blank is none, anything else unreadable is an error on the field.</summary>
    protected static int? IntOf(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text.Trim().Replace(",", "", StringComparison.Ordinal), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new InputException(field, $"'{text}' is not a whole number.");

    /// <summary>A form's text as an amount; blank is none.</summary>
    protected static decimal? DecimalOf(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text.Trim().Replace(",", "", StringComparison.Ordinal), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new InputException(field, $"'{text}' is not an amount; write it like 12000 or 12000.50.");

    /// <summary>A form's text as a date (yyyy-MM-dd, what a date field sends); blank is none.</summary>
    protected static DateOnly? DateOf(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d
        : throw new InputException(field, $"'{text}' is not a date such as 2027-01-31.");

    /// <summary>Blank text as null, so an emptied field clears the value.</summary>
    protected static string? TextOf(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>After a successful post the page redirects to itself (Post/Redirect/Get), the notice carried to the next view.</summary>
    protected IActionResult Reload(string notice)
    {
        TempData[Flash.Notice] = notice;
        return Redirect(Request.Path + Request.QueryString);
    }
}
