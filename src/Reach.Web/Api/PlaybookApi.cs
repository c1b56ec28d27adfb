using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Api;

/// <summary>
/// The playbook: items read by everyone, written by managers and admins (AccessRules); every change kept as a version.
/// A deal's items are those whose segment, channel and stage fit the deal.
/// </summary>
public static class PlaybookApi
{
    public static void MapPlaybookApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/playbook").WithTags("Playbook");
        group.MapGet("/", List).Produces<Page<PlaybookItem>>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", Get).Produces<PlaybookItem>().ProducesProblem(404);
        group.MapGet("/{id:guid}/versions", Versions).Produces<List<PlaybookItemVersion>>().ProducesProblem(404);
        group.MapGet("/{id:guid}/versions/{version:int}", Version).Produces<PlaybookItemVersion>().ProducesProblem(404);
        group.MapPost("/", Create).Produces<PlaybookItem>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithJsonBody<PlaybookItemInput>("The item: kind, title, text, link and its segment, channel and stage tags (empty: all).");
        group.MapPatch("/{id:guid}", Update).Produces<PlaybookItem>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(412)
            .WithJsonBody<PlaybookItemInput>("The fields to change; If-Match with the item's ETag guards against overwriting a newer version.");
        group.MapDelete("/{id:guid}", Delete).Produces(204).ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/matrix", Matrix).Produces<MatrixView>();
        group.MapPut("/matrix", WriteMatrix).Produces<MatrixView>().ProducesValidationProblem().ProducesProblem(403)
            .WithJsonBody<MatrixInput>("The whole matrix: the criteria in order and each competitor's row (name, cells by criterion).");
        api.MapGet("/deals/{id:guid}/playbook", ForDeal).WithTags("Playbook").Produces<List<PlaybookItem>>().ProducesProblem(404);
        group.MapGet("/checklist", Checklist).Produces<ChecklistView>();
        api.MapGet("/deals/{id:guid}/cast", Cast).WithTags("Playbook").Produces<CastCheck>().ProducesProblem(404);
    }

    /// <summary>The items matching <c>q</c> (title or text), <c>kind</c>, <c>segment</c>, <c>channel</c>, <c>stage</c>.</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var filter = new PlaybookFilter
        {
            Text = query.Text("q"),
            Kind = query.Enum<PlaybookKind>("kind"),
            Segment = query.Enum<Tier>("segment"),
            Channel = query.Enum<Channel>("channel"),
            Stage = query.Text("stage"),
        };
        return TypedResults.Ok(await query.PageAsync((IOrderedQueryable<PlaybookItem>)filter.Apply(db.PlaybookItems.AsNoTracking()), cancellationToken));
    }

    public static async Task<IResult> Get(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var item = await FindAsync(db, id, cancellationToken);
        http.Response.Headers.ETag = ETagOf(item);
        return TypedResults.Ok(item);
    }

    /// <summary>Every version of the item, newest first: who changed it, when, and what it said.</summary>
    public static async Task<IResult> Versions(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await FindAsync(db, id, cancellationToken);
        return TypedResults.Ok(await db.PlaybookItemVersions.AsNoTracking().Where(v => v.ItemId == id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken));
    }

    public static async Task<IResult> Version(Guid id, int version, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.PlaybookItemVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == id && v.Version == version, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"The playbook item {id} has no version {version}."));

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        Reach.Access.AccessRules.CheckPlaybookChange(db.Actor);
        var input = JsonBody.Deserialize<PlaybookItemInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var item = new PlaybookItem { Title = "" };
        await input.ApplyAsync(db, item, cancellationToken);
        db.PlaybookItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        http.Response.Headers.ETag = ETagOf(item);
        return TypedResults.Created($"{http.Request.PathBase}/api/v1/playbook/{item.Id}", item);
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        Reach.Access.AccessRules.CheckPlaybookChange(db.Actor);
        var options = JsonBody.Options(http);
        var patch = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var item = await FindAsync(db, id, cancellationToken);
        CheckIfMatch(http, item);
        var merged = (System.Text.Json.Nodes.JsonObject)System.Text.Json.JsonSerializer.SerializeToNode(PlaybookItemInput.From(item), options)!;
        JsonBody.Merge(merged, patch);
        if (await JsonBody.Deserialize<PlaybookItemInput>(merged, options).ApplyAsync(db, item, cancellationToken))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                throw ApiException.Stale(ETagOf(await FindAsync(db, id, cancellationToken)));
            }
        }
        http.Response.Headers.ETag = ETagOf(item);
        return TypedResults.Ok(item);
    }

    /// <summary>Removes the item and its versions.</summary>
    public static async Task<IResult> Delete(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        Reach.Access.AccessRules.CheckPlaybookChange(db.Actor);
        db.PlaybookItems.Remove(await FindAsync(db, id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The items for a deal the caller may read: those whose segment, channel and stage fit it.</summary>
    public static async Task<IResult> ForDeal(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        var deal = await db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("deal", id);
        return TypedResults.Ok(await DealPlaybook.ItemsAsync(db, deal, cancellationToken));
    }

    /// <summary>Seed 004's start-selling checklist: which items the workspace has, what was found, where to fill each gap.</summary>
    public static async Task<IResult> Checklist(ReachDb db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await StartSellingChecklist.ComputeAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken));

    /// <summary>The deal's contact roles against its segment's cast of characters: who plays each role, which are missing.</summary>
    public static async Task<IResult> Cast(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        var deal = await db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage).FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("deal", id);
        return TypedResults.Ok(await SegmentCast.CheckAsync(db, deal, cancellationToken));
    }

    /// <summary>The competitive matrix with each competitor's win rate over the workspace's closed deals naming it.</summary>
    public static async Task<IResult> Matrix(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await CompetitiveMatrix.ReadAsync(db, cancellationToken));

    /// <summary>Replaces the matrix (managers and admins); a competitor kept by name keeps the deals that name it.</summary>
    public static async Task<IResult> WriteMatrix(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        Reach.Access.AccessRules.CheckPlaybookChange(db.Actor);
        var input = JsonBody.Deserialize<MatrixInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        await CompetitiveMatrix.WriteAsync(db, input, cancellationToken);
        return TypedResults.Ok(await CompetitiveMatrix.ReadAsync(db, cancellationToken));
    }

    static string ETagOf(PlaybookItem item) => $"\"{item.Version.ToString(CultureInfo.InvariantCulture)}\"";

    static void CheckIfMatch(HttpContext http, PlaybookItem item)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
            return;
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, $"'{ifMatch}' is not an entity tag; send the ETag header of your last read, quotes included (\"3\").", "If-Match");
        if (tags.All(t => !t.Compare(new EntityTagHeaderValue(ETagOf(item)), useStrongComparison: false)))
            throw ApiException.Stale(ETagOf(item));
    }

    static async Task<PlaybookItem> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.PlaybookItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw ApiException.NotFound("playbook item", id);
}
