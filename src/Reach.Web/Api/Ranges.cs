using System.Linq.Expressions;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// from/to on a list of records that each cover a period (costs, targets): those whose period (start included, end
    /// excluded) overlaps the days from <c>from</c> to <c>to</c>, both included.
    /// </summary>
    public static IQueryable<T> Overlapping<T>(ListQuery query, IQueryable<T> records, Expression<Func<T, DateOnly>> start, Expression<Func<T, DateOnly>> end)
    {
        if (query.Date("from") is { } from)
            records = records.Where(Compare(end, Expression.GreaterThan, from));
        if (query.Date("to") is { } to)
            records = records.Where(Compare(start, Expression.LessThanOrEqual, to));
        return records;
    }

    // The date goes in as a captured variable, as in a lambda written in place, so the database sees a parameter.
    static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateOnly>> side, Func<Expression, Expression, BinaryExpression> compare, DateOnly value) =>
        Expression.Lambda<Func<T, bool>>(
            compare(side.Body, Expression.Field(Expression.Constant(new StrongBox<DateOnly>(value)), nameof(StrongBox<DateOnly>.Value))),
            side.Parameters);
}
