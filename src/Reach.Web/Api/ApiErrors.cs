using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Web.Api;

/// <summary>
/// Maps every failure of an API call to an RFC 9457 problem+json body that names the field and
/// the reason. Nothing has been saved when one of these is raised: saves happen last, in one transaction.
/// </summary>
public sealed partial class ApiErrors(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem is null)
            return false;
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == 503)
            httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails? Describe(Exception exception) => exception switch
    {
        InputException input => new HttpValidationProblemDetails(input.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = 400,
            Title = "The request has invalid fields.",
            Detail = input.Message,
        },
        Reach.Access.AccessDeniedException denied => new ProblemDetails { Status = 403, Title = TitleOf(403), Detail = denied.Message, Extensions = { ["field"] = denied.Field } },
        ApiException p when p.Field is not null => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [p.Field] = [p.Message] })
        {
            Status = p.Status,
            Title = "The request has invalid fields.",
            Detail = $"{p.Field}: {p.Message}",
        },
        ApiException p => new ProblemDetails { Status = p.Status, Title = TitleOf(p.Status), Detail = p.Message },
        JsonException json => Json(json),
        BadHttpRequestException bad when bad.StatusCode == 413 => new ProblemDetails { Status = 413, Title = "The body is too large.", Detail = bad.Message },
        BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = TitleOf(bad.StatusCode), Detail = bad.Message },
        _ when DatabaseBusy(exception) => new ProblemDetails { Status = 503, Title = "The database is busy.", Detail = Busy },
        _ when StorageFull.Is(exception) => new ProblemDetails { Status = 507, Title = "Insufficient storage.", Detail = StorageFull.Message },
        // The same answer whether the other record is one the caller may read or not (docs/access.md, "What a rep may learn").
        DbUpdateException unique when ImportKeys.IsUniqueViolation(unique) => new ProblemDetails
        {
            Status = 409,
            Title = TitleOf(409),
            Detail = ImportKeys.DuplicateMessage,
        },
        DbUpdateConcurrencyException => new ProblemDetails { Status = 412, Title = TitleOf(412), Detail = "The record changed since you read it. Read it again and reapply your change." },
        _ => null,
    };

    const string Busy = "The workspace database is held by another program (a backup tool, a second server) or is restarting: "
        + "nothing of this request was saved. Try again in a moment.";

    // SQLite still locked by another program after its busy timeout (60 s), or PostgreSQL restarting or out of reach: try again later.
    static bool DatabaseBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }
                || e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }
                || e is Npgsql.NpgsqlException { IsTransient: true } and not Npgsql.PostgresException)
                return true;
        }
        return false;
    }

    static HttpValidationProblemDetails Json(JsonException json)
    {
        var field = FieldOf(json.Path);
        var reason = json.Message switch
        {
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => "is not a known field.",
            var m when m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) => "appears more than once.",
            var m when ConvertTarget().Match(m) is { Success: true } match => $"must be {Expected(match.Groups[1].Value)}.",
            _ => "is not valid JSON here.",
        };
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal) && UnknownMember().Match(json.Message) is { Success: true } unknown)
            field = FieldOf(json.Path is null or "$" ? "$." + unknown.Groups[1].Value : json.Path);
        if (field.Length == 0 && json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) && Quoted().Match(json.Message) is { Success: true } quoted)
            field = quoted.Groups[1].Value;
        var key = field.Length == 0 ? "body" : field;
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [key] = [reason] })
        {
            Status = 400,
            Title = "The request has invalid fields.",
            Detail = field.Length == 0 ? $"The body {reason.TrimEnd('.')}: {FirstLine(json.Message)}" : $"{key} {reason}",
        };
    }

    static string FieldOf(string? path) => path is null ? "" : path.TrimStart('$').TrimStart('.');

    static string FirstLine(string message) => message.Split('\n')[0].Split(" Path:")[0];

    static string Expected(string clrType)
    {
        var name = NullableOf().Match(clrType) is { Success: true } inner ? inner.Groups[1].Value : clrType;
        var type = Type.GetType(name) ?? typeof(ReachDb).Assembly.GetType(name);
        if (type is { IsEnum: true })
            return "one of " + EnumNames.List(type);
        return name switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Decimal" or "System.Double" => "a number",
            "System.String" => "a string",
            "System.Boolean" => "true or false",
            "System.Guid" => "an id (a UUID)",
            "System.DateTime" => "a date-time with its offset, such as 2027-01-31T09:00:00Z",
            "System.DateOnly" => "a date such as 2027-01-31",
            _ => "of another type",
        };
    }

    static string TitleOf(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Sign in first.",
        403 => "You may not do this.",
        404 => "Not found.",
        409 => "Conflict.",
        412 => "The record changed since you read it.",
        413 => "The body is too large.",
        415 => "Unsupported media type.",
        428 => "Precondition required.",
        429 => "Too many requests.",
        _ => "The request failed.",
    };

    [GeneratedRegex(@"could not be converted to (\S+?)\. Path")]
    private static partial Regex ConvertTarget();

    [GeneratedRegex(@"The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();
}
