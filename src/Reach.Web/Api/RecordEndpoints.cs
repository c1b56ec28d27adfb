using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>
/// Read, create, update (merge patch with If-Match), delete and restore, the same way for every
/// kind of record. Each resource's file adds its list filters and maps these handlers.
/// </summary>
public static class RecordEndpoints<TEntity, TInput>
    where TEntity : Record
    where TInput : IRecordInput<TEntity, TInput>
{
    static readonly string What = typeof(TEntity).Name.ToLowerInvariant();

    /// <summary>
    /// Fills what a resource computes on read (a deal's size guardrail) on the records a handler answers with; set once
    /// by the resource's file when it maps its routes. The request is passed for what it may keep between requests (<see cref="ReadCache"/>).
    /// </summary>
    public static Func<ReachDb, IReadOnlyCollection<TEntity>, HttpContext, CancellationToken, Task>? Annotate { get; set; }

    static Task AnnotateAsync(ReachDb db, TEntity record, HttpContext http, CancellationToken cancellationToken) =>
        Annotate is { } annotate ? annotate(db, [record], http, cancellationToken) : Task.CompletedTask;

    public static RouteGroupBuilder MapRecord(RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Get).Produces<TEntity>().ProducesProblem(404);
        group.MapPost("/", Create).Produces<TEntity>(201).ProducesValidationProblem().WithJsonBody<TInput>("The new record's fields.");
        group.MapPatch("/{id:guid}", Update).Produces<TEntity>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(412)
            .WithJsonBody<TInput>("A JSON merge patch: the fields to change; null clears one.");
        group.MapDelete("/{id:guid}", Delete).Produces(204).ProducesProblem(404).ProducesProblem(412);
        group.MapPost("/{id:guid}/restore", Restore).Produces<TEntity>().ProducesProblem(404);
        return group;
    }

    /// <summary>Shares for records a rep would otherwise not see (contacts, leads, deals, activities).</summary>
    public static RouteGroupBuilder MapShares(RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/shares", Shares).Produces<List<Guid>>().ProducesProblem(404);
        group.MapPost("/{id:guid}/shares", Share).WithJsonBody<ShareRequest>("The user to share the record with.").Produces(204).ProducesProblem(403).ProducesProblem(404);
        group.MapDelete("/{id:guid}/shares/{userId:guid}", Unshare).Produces(204).ProducesProblem(403).ProducesProblem(404);
        return group;
    }

    public static async Task<IResult> Shares(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await FindAsync(db, id, cancellationToken);
        return TypedResults.Ok(await db.Shares.Where(s => s.RecordId == id).Select(s => s.UserId).ToListAsync(cancellationToken));
    }

    public static async Task<IResult> Share(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<ShareRequest>(http, cancellationToken);
        await Sharing.ShareAsync(db, await FindAsync(db, id, cancellationToken), request.UserId!.Value, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Unshare(Guid id, Guid userId, ReachDb db, CancellationToken cancellationToken)
    {
        await Sharing.UnshareAsync(db, await FindAsync(db, id, cancellationToken), userId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Get(Guid id, ReachDb db, HttpContext http, ReadCache cache, CancellationToken cancellationToken)
    {
        // The record as this user reads it, through the access filter, kept until the next commit to the workspace
        // (ReadCache): read again before any write, it costs no query and no serialisation. Untracked: a read changes nothing.
        var read = await cache.GetOrLoadAsync($"{What}:{id}:{db.Actor?.UserId}:{db.Actor?.Role}", async () =>
            await db.Set<TEntity>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } record
                ? await ReadAsync(db, record, http, cancellationToken)
                : null) ?? throw ApiException.NotFound(What, id);
        http.Response.Headers.ETag = read.ETag;
        return TypedResults.Bytes(read.Json, "application/json; charset=utf-8");
    }

    sealed record RecordRead(string ETag, byte[] Json);

    static async Task<RecordRead> ReadAsync(ReachDb db, TEntity record, HttpContext http, CancellationToken cancellationToken)
    {
        await AnnotateAsync(db, record, http, cancellationToken);
        return new RecordRead(ETagOf(record), JsonSerializer.SerializeToUtf8Bytes(record, JsonBody.Options(http)));
    }

    public static async Task<IResult> Create(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var options = JsonBody.Options(http);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var input = JsonBody.Deserialize<TInput>(body, options);
        InputRules.Validate(input);
        var record = input.ToNew();
        await input.ApplyAsync(db, record, cancellationToken);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await AnnotateAsync(db, record, http, cancellationToken);
        SetETag(http, record);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value!.TrimEnd('/')}/{record.Id}", record);
    }

    public static async Task<IResult> Update(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var options = JsonBody.Options(http);
        var patch = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var record = await FindAsync(db, id, cancellationToken);
        var expected = ExpectedVersion(http, record);

        var merged = (JsonObject)JsonSerializer.SerializeToNode(TInput.From(record), options)!;
        JsonBody.Merge(merged, patch);
        var input = JsonBody.Deserialize<TInput>(merged, options);
        InputRules.Validate(input);
        await input.ApplyAsync(db, record, cancellationToken);
        await SaveAsync(db, record, expected, cancellationToken);
        await AnnotateAsync(db, record, http, cancellationToken);
        SetETag(http, record);
        return TypedResults.Ok(record);
    }

    public static async Task<IResult> Delete(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var record = await FindAsync(db, id, cancellationToken);
        var expected = ExpectedVersion(http, record);
        await SoftDelete.DeleteAsync(db, record, cancellationToken);
        await SaveAsync(db, record, expected, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Restore(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var record = await db.Set<TEntity>().IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).FirstOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw ApiException.NotFound(What, id);
        if (record.DeletedAt is not null)
        {
            await TInput.From(record).CheckRestoreAsync(db, record, cancellationToken);
            await SoftDelete.RestoreAsync(db, record, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await AnnotateAsync(db, record, http, cancellationToken);
        SetETag(http, record);
        return TypedResults.Ok(record);
    }

    public static async Task<TEntity> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Set<TEntity>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw ApiException.NotFound(What, id);

    public static string ETagOf(Record record) => $"\"{record.Version.ToString(CultureInfo.InvariantCulture)}\"";

    static void SetETag(HttpContext http, Record record) => http.Response.Headers.ETag = ETagOf(record);

    /// <summary>The version the client last saw (If-Match), or the one just read when it sent none.</summary>
    static long ExpectedVersion(HttpContext http, Record record)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
            return record.Version;
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags) || tags.Count == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, $"'{ifMatch}' is not an entity tag; send the ETag header of your last read, quotes included (\"3\").", "If-Match");
        if (tags.All(t => !t.Compare(new EntityTagHeaderValue(ETagOf(record)), useStrongComparison: false)))
            throw ApiException.Stale(ETagOf(record));
        return record.Version;
    }

    /// <summary>Saves with the version check done by the database, so a write racing ours is caught too.</summary>
    static async Task SaveAsync(ReachDb db, TEntity record, long expected, CancellationToken cancellationToken)
    {
        if (await db.SaveIfUnchangedAsync(record, expected, cancellationToken))
            return;
        db.ChangeTracker.Clear();
        var current = await FindAsync(db, record.Id, cancellationToken);
        throw ApiException.Stale(ETagOf(current));
    }
}

public sealed record ShareRequest
{
    [System.ComponentModel.DataAnnotations.Required] public Guid? UserId { get; init; }
}
