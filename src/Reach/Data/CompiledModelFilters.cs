using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Query;

namespace Reach.Data;

/// <summary>
/// Puts the query filters (<see cref="ReachDb.QueryFilters"/>, the same list <c>OnModelCreating</c> applies) into a
/// compiled model as it loads. EF 10 generates no compiled model with query filters ("Compiled model can't be generated,
/// because query filters are not supported"), so the compiled models (<c>Data/CompiledModels</c>) are generated without
/// them and their <c>Customize</c> calls this. <c>CompiledModelTests</c> fails, on both providers, when a compiled model
/// differs from the one <c>OnModelCreating</c> builds, filters included.
/// </summary>
static class CompiledModelFilters
{
    /// <summary>Adds every query filter to <paramref name="model"/>, built as <c>OnModelCreating</c> builds them.</summary>
    /// <typeparam name="TContext">The provider's context the model is for.</typeparam>
    public static void AddTo<TContext>(RuntimeModel model) where TContext : ReachDb
    {
        // The filters read the actor from the context that builds them (ViewerId, Shares…), as a constant EF replaces by
        // the context running each query (ExpressionTreeFuncletizer's context accessors) — exactly as for the filters
        // OnModelCreating builds, whose context is the first one that happened to build the model. No constructor runs:
        // this context only stands for "the current context" in the expressions and is never used.
        var standIn = (TContext)RuntimeHelpers.GetUninitializedObject(typeof(TContext));
        IModel read = model;
        var queryRoots = new DbSetsAsQueryRoots(read);
        foreach (var filters in standIn.QueryFilters(read.GetEntityTypes()).GroupBy(f => f.Entity))
        {
            var entityType = (RuntimeEntityType)EntityType(read, filters.Key);
            // As the model's finalising (QueryFilterRewritingConvention, RuntimeModelConvention) stores them: the context's
            // sets as query roots, in EF's collection of runtime filters under its annotation.
#pragma warning disable EF1001 // EF's own types for a runtime model's filters; CompiledModelTests checks them against OnModelCreating's on every EF update.
            entityType.AddAnnotation(
                Microsoft.EntityFrameworkCore.Metadata.Internal.CoreAnnotationNames.QueryFilter,
                new Microsoft.EntityFrameworkCore.Metadata.Internal.QueryFilterCollection(filters.Select(f =>
                    new Microsoft.EntityFrameworkCore.Metadata.Internal.RuntimeQueryFilter(f.Name, (LambdaExpression)queryRoots.Visit(f.Filter)))));
#pragma warning restore EF1001
        }
    }

    /// <summary>A context's set in a filter (<c>Shares.Any(…)</c>) as the query root of its entity type.</summary>
    sealed class DbSetsAsQueryRoots(IModel model) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node is { Expression: { } owner, Type: { IsGenericType: true } type }
                && typeof(DbContext).IsAssignableFrom(owner.Type) && type.GetGenericTypeDefinition() == typeof(DbSet<>)
                ? new EntityQueryRootExpression(EntityType(model, type.GetGenericArguments()[0]))
                : base.VisitMember(node);
    }

    static IEntityType EntityType(IModel model, Type type) => model.FindEntityType(type)
        ?? throw new InvalidOperationException($"The compiled model has no entity type {type.Name}: regenerate it (docs/decisions.md).");
}
