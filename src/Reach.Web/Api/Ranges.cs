using Reach.Data;

namespace Reach.Web.Api;

/// <summary>The date-range filters every record list accepts: createdFrom/To, updatedFrom/To.</summary>
public static class Ranges
{
    public static IQueryable<T> Filter<T>(ListQuery query, IQueryable<T> records) where T : Record
    {
        if (query.Time("createdFrom") is { } createdFrom)
            records = records.Where(r => r.CreatedAt >= createdFrom);
        if (query.Until("createdTo") is { } createdTo)
            records = records.Where(r => r.CreatedAt < createdTo);
        if (query.Time("updatedFrom") is { } updatedFrom)
            records = records.Where(r => r.UpdatedAt >= updatedFrom);
        if (query.Until("updatedTo") is { } updatedTo)
            records = records.Where(r => r.UpdatedAt < updatedTo);
        return records;
    }
}
