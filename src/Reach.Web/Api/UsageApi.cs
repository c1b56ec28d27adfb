using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using Reach.Access;
using Reach.Data;
using Reach.Usage;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/usage</c>: product usage (b2e2b, docs/api.md "Usage"). The product sends its events with a usage token;
/// managers read which accounts crossed the threshold and which domains are candidate accounts; anyone reads an account's usage.
/// </summary>
public static class UsageApi
{
    /// <summary>The ingest endpoint's path: the only call a usage token may make.</summary>
    public const string IngestPath = "/api/v1/usage";

    public static void MapUsageApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/usage").WithTags("Usage");
        group.MapPost("/", Ingest).AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(UsageEventInput[]), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"Up to {UsageIngest.MaxEventsPerCall:N0} events: a JSON array (application/json) or one event a line (application/x-ndjson).",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema }, ["application/x-ndjson"] = new() { Schema = schema } },
            };
        }).Produces<UsageIngest.Summary>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(413).ProducesProblem(415);
        group.MapGet("/accounts", Accounts).RequireAuthorization(ReachAccess.ManagerPolicy).Produces<UsageAccountsView>().ProducesValidationProblem();
        group.MapGet("/accounts/{id:guid}", Account).Produces<AccountUsageView>().ProducesProblem(404);
        group.MapGet("/candidates", Candidates).RequireAuthorization(ReachAccess.ManagerPolicy).Produces<List<CandidateAccount>>();
    }

    public static async Task<IResult> Ingest(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        if (http.User.FindFirstValue(TokenAuthentication.ScopeClaim) != nameof(TokenScope.Usage))
            throw new AccessDeniedException("Usage is sent with a usage token (scope usage); an admin creates one under Settings → API tokens.");
        if (!ReachAccess.RequireActor(http).IsAdmin)
            throw new AccessDeniedException("A usage token must be an admin's: the events it sends open expansion deals for any account's owner.");
        var contentType = http.Request.ContentType ?? "";
        var lines = contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase);
        if (!lines && !http.Request.HasJsonContentType())
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Send the events as a JSON array (Content-Type: application/json) or one a line (application/x-ndjson).");
        var options = JsonBody.Options(http);
        var events = lines
            ? JsonSerializer.DeserializeAsyncEnumerable<UsageEventInput>(http.Request.Body, topLevelValues: true, options, cancellationToken)
            : JsonSerializer.DeserializeAsyncEnumerable<UsageEventInput>(http.Request.Body, options, cancellationToken);
        try
        {
            return TypedResults.Ok(await UsageIngest.IngestAsync(db, NotNull(events, cancellationToken), UsageIngest.MaxEventsPerCall, cancellationToken));
        }
        catch (JsonException e)
        {
            // The reader's path counts elements from the body's root ("$[3].time"); the API names them as events[3].time.
            throw new JsonException(e.Message, e.Path is { } path ? "$.events" + path.TrimStart('$') : null, e.LineNumber, e.BytePositionInLine, e);
        }
        catch (TooManyUsageEventsException e)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, e.Message + " Nothing of this call was stored.");
        }
    }

    static async IAsyncEnumerable<UsageEventInput> NotNull(IAsyncEnumerable<UsageEventInput?> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken))
            yield return e ?? new UsageEventInput();
    }

    /// <summary>The workspace's threshold and the accounts with usage, busiest first (<c>crossed=true</c>: only those past the threshold).</summary>
    public sealed record UsageAccountsView(int WeeklyActiveUsersThreshold, decimal EmployeeSharePercentThreshold, IReadOnlyList<AccountUsage> Items);

    public static async Task<IResult> Accounts(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var crossed = query.Bool("crossed") ?? false;
        query.RejectUnknown();
        var settings = await WorkspaceSettings.LoadAsync(db, cancellationToken);
        var items = await UsageFigures.ForAccountsAsync(db, null, db.UtcNow, cancellationToken);
        if (crossed)
            items = await CrossedAsync(db, items, cancellationToken);
        return TypedResults.Ok(new UsageAccountsView(settings.UsageWeeklyActiveUsers, settings.UsageEmployeeSharePercent, items));
    }

    /// <summary>The accounts that crossed the threshold (a deal was opened), whether or not they are over it today.</summary>
    public static async Task<List<AccountUsage>> CrossedAsync(ReachDb db, List<AccountUsage> recent, CancellationToken cancellationToken)
    {
        var crossedIds = await db.UsageCrossings.AsNoTracking().Select(c => c.AccountId).ToListAsync(cancellationToken);
        var missing = crossedIds.Except(recent.Select(r => r.AccountId)).ToList();
        var all = missing.Count == 0 ? recent : [.. recent, .. await UsageFigures.ForAccountsAsync(db, missing, db.UtcNow, cancellationToken)];
        return [.. all.Where(u => u.CrossedAt is not null).OrderByDescending(u => u.CrossedAt)];
    }

    /// <summary>An account's usage with its weekly active users over the last 8 weeks (oldest first).</summary>
    public sealed record AccountUsageView(AccountUsage Usage, IReadOnlyList<WeekPoint> Weeks, string? Evidence);

    public sealed record WeekPoint(DateTime Until, int Users);

    public static async Task<IResult> Account(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            throw ApiException.NotFound("account", id);
        return TypedResults.Ok(await AccountViewAsync(db, id, cancellationToken));
    }

    public static async Task<AccountUsageView> AccountViewAsync(ReachDb db, Guid id, CancellationToken cancellationToken)
    {
        var now = db.UtcNow;
        var usage = (await UsageFigures.ForAccountsAsync(db, [id], now, cancellationToken)).Single();
        var weeks = await UsageFigures.WeeklySeriesAsync(db, id, now, 8, cancellationToken);
        var evidence = await db.UsageCrossings.AsNoTracking().Where(c => c.AccountId == id).Select(c => c.Evidence).FirstOrDefaultAsync(cancellationToken);
        return new AccountUsageView(usage, [.. weeks.Select(w => new WeekPoint(w.Until, w.Users))], evidence);
    }

    public static async Task<IResult> Candidates(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        new ListQuery(request.Query).RejectUnknown();
        return TypedResults.Ok(await UsageFigures.CandidatesAsync(db, db.UtcNow, 200, cancellationToken));
    }
}
