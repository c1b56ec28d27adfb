using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Reach.Access;
using Reach.Contacts;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Data;

/// <summary>
/// The compiled models (<c>src/Reach/Data/CompiledModels</c>) that every context uses are generated from
/// <c>OnModelCreating</c> without the query filters, which they add back as they load (<c>CompiledModelFilters</c>):
/// what runs must be what <c>OnModelCreating</c> builds, filters included, and the filters must read each context's actor.
/// </summary>
public abstract class CompiledModelTests(ReachServer server)
{
    protected abstract string Provider { get; }

    [Fact]
    public void TheCompiledModelIsTheOneOnModelCreatingBuilds()
    {
        using var db = server.OpenDb();
        var compiled = db.Model;
        Assert.Equal($"Reach.Data.CompiledModels.{Provider}", compiled.GetType().Namespace);
        // EF builds the design-time model from OnModelCreating even when a compiled model exists (migrations need it),
        // and keeps the runtime model it finalises from it beside it.
        var built = (IModel?)db.GetService<IDesignTimeModel>().Model.FindRuntimeAnnotationValue("ReadOnlyModel");
        Assert.NotNull(built);
        Assert.NotSame(built, compiled);

        var regenerate = $"The compiled model differs from OnModelCreating's: regenerate it (docs/decisions.md, \"Compiled models\"): " +
            $"rm -r src/Reach/Data/CompiledModels/{Provider} && dotnet ef dbcontext optimize -p src/Reach -s src/Reach -c {Provider}ReachDb " +
            $"-o Data/CompiledModels/{Provider} -n Reach.Data.CompiledModels.{Provider} -- --without-query-filters";
        var expected = Describe(built);
        var actual = Describe(compiled);
        var firstDifference = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
            .FirstOrDefault(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i], -1);
        // The description holds the filters themselves, so a filter missing or changed in either model is a difference.
        var describesFilters = expected.Any(line => line.StartsWith($"{typeof(Contact).FullName} filter {ReachDb.AccessFilter}: ", StringComparison.Ordinal));
        if (firstDifference < 0 && describesFilters)
            return;
        var files = Path.Combine(Path.GetTempPath(), $"reach-compiled-model-{Provider}");
        Directory.CreateDirectory(files);
        File.WriteAllLines(Path.Combine(files, "OnModelCreating.txt"), expected);
        File.WriteAllLines(Path.Combine(files, "compiled.txt"), actual);
        Assert.True(describesFilters, $"The models' description has no query filters (see {files}).");
        Assert.Fail($"{regenerate}\nOnModelCreating: {Line(expected, firstDifference)}\ncompiled:        {Line(actual, firstDifference)}\n(both in full: {files})");
    }

    [Fact]
    public void EveryRecordHasItsSoftDeleteFilterAndTheOwnedRecordsTheirAccessFilter()
    {
        using var db = server.OpenDb();
        foreach (var entityType in db.Model.GetEntityTypes().Where(e => typeof(Reach.Data.Record).IsAssignableFrom(e.ClrType) && e.BaseType is null))
            Assert.NotNull(entityType.FindDeclaredQueryFilter(ReachDb.SoftDeleteFilter));
        foreach (var type in new[] { typeof(Contact), typeof(Reach.Leads.Lead), typeof(Reach.Deals.Deal), typeof(Reach.Activities.Activity) })
            Assert.NotNull(db.Model.FindEntityType(type)!.FindDeclaredQueryFilter(ReachDb.AccessFilter));
    }

    [Fact]
    public async Task EachContextsFiltersReadItsOwnActor()
    {
        var (owner, _) = await server.AddUserAsync(UserRole.Rep, "Compiled Owner");
        var (other, _) = await server.AddUserAsync(UserRole.Rep, "Compiled Other");
        Guid id;
        await using (var db = server.OpenDb())
        {
            db.Actor = Actor.Operator;
            var contact = new Contact { FirstName = "Compiled", OwnerId = owner.Id };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            id = contact.Id;
        }

        // Three contexts alive at once, queried in turn: each filter reads the actor of the context running the query.
        await using var asOwner = server.OpenDb();
        asOwner.Actor = Actor.For(owner);
        await using var asOther = server.OpenDb();
        asOther.Actor = Actor.For(other);
        await using var asAdmin = server.OpenDb();
        asAdmin.Actor = Actor.Operator;
        Assert.True(await asOwner.Contacts.AnyAsync(c => c.Id == id));
        Assert.False(await asOther.Contacts.AnyAsync(c => c.Id == id));
        Assert.True(await asAdmin.Contacts.AnyAsync(c => c.Id == id));
        Assert.False(await asOther.Contacts.AnyAsync(c => c.Id == id));

        // The filter's query over another set (Shares) reads the database as it is now.
        asAdmin.Shares.Add(new Share { RecordId = id, UserId = other.Id });
        await asAdmin.SaveChangesAsync();
        Assert.True(await asOther.Contacts.AnyAsync(c => c.Id == id));

        // Deleted: hidden from everyone, reached by ignoring only the soft-delete filter.
        await SoftDelete.DeleteAsync(asAdmin, await asAdmin.Contacts.SingleAsync(c => c.Id == id), CancellationToken.None);
        await asAdmin.SaveChangesAsync();
        Assert.False(await asOwner.Contacts.AnyAsync(c => c.Id == id));
        Assert.True(await asOwner.Contacts.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AnyAsync(c => c.Id == id));
    }

    static string Line(List<string> lines, int index) => index < lines.Count ? lines[index].Trim() : "(nothing)";

    // The whole model as EF prints it (entity types, properties, keys, indexes, foreign keys, navigations, annotations,
    // tables), then each entity type's query filters by name with their expressions.
    static List<string> Describe(IModel model) =>
    [
        .. model.ToDebugString(MetadataDebugStringOptions.LongDefault).Split('\n'),
        .. model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e => e.GetDeclaredQueryFilters()
            .OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{e.Name} filter {f.Key}: {f.Expression}")),
    ];
}

public sealed class CompiledModelOnSqliteTests(SqliteServer server) : CompiledModelTests(server), IClassFixture<SqliteServer>
{
    protected override string Provider => "Sqlite";
}

public sealed class CompiledModelOnPostgresTests(PostgresServer server) : CompiledModelTests(server), IClassFixture<PostgresServer>
{
    protected override string Provider => "Postgres";
}
