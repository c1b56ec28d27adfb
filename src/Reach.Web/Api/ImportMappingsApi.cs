using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Imports;

namespace Reach.Web.Api;

/// <summary>
/// <c>/api/v1/import-mappings</c>: the saved column maps of imports. Everyone reads them (the workspace shares its file
/// layouts); their author (or the author's manager, or an admin) renames, changes and deletes them (AccessRules).
/// </summary>
public static class ImportMappingsApi
{
    static readonly SortKeys<ImportMapping> Sorts = new SortKeys<ImportMapping>("name")
        .Add("name", m => m.Name).Add("createdAt", m => m.CreatedAt).Add("updatedAt", m => m.UpdatedAt);

    public static void MapImportMappingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/import-mappings").WithTags("Imports");
        group.MapGet("/", List);
        RecordEndpoints<ImportMapping, ImportMappingInput>.MapRecord(group);
    }

    /// <summary>Filters: <c>entity</c> (accounts, contacts, leads, deals, activities).</summary>
    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        var mappings = db.ImportMappings.AsNoTracking();
        if (query.Enum<ImportEntity>("entity") is { } entity)
            mappings = mappings.Where(m => m.Entity == entity);
        return TypedResults.Ok(await query.PageAsync(mappings, Sorts, cancellationToken));
    }
}
