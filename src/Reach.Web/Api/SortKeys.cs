using System.Linq.Expressions;
using Reach.Data;

namespace Reach.Web.Api;

/// <summary>The fields a list can be sorted by; ties are broken by id so pages never overlap.</summary>
public sealed class SortKeys<T>(string defaultKey) where T : Record
{
    readonly Dictionary<string, LambdaExpression> keys = new(StringComparer.OrdinalIgnoreCase);

    public SortKeys<T> Add<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        keys[name] = key;
        return this;
    }

    public IQueryable<T> Apply(IQueryable<T> items, string? sort)
    {
        sort ??= defaultKey;
        var descending = sort.StartsWith('-');
        var name = sort.TrimStart('-', '+');
        if (!keys.TryGetValue(name, out var key))
            throw new InputException("sort", $"'{name}' is not sortable; sort by one of {string.Join(", ", keys.Keys)} (prefix - for descending).");
        var call = Expression.Call(typeof(Queryable), descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
            [typeof(T), key.ReturnType], items.Expression, Expression.Quote(key));
        var ordered = (IOrderedQueryable<T>)items.Provider.CreateQuery<T>(call);
        return descending ? ordered.ThenByDescending(r => r.Id) : ordered.ThenBy(r => r.Id);
    }
}
