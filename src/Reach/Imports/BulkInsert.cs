using System.Data.Common;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Reach.Data;

namespace Reach.Imports;

/// <summary>
/// Writes an import batch's new records with multi-row INSERTs in the batch's transaction, columns and values as EF's
/// own model maps them (its type mappings and converters, so a row reads back exactly as if EF had written it).
/// EF's change tracking costs more than the import's own work per new row; updates still go through EF.
/// </summary>
/// <remarks>
/// It writes what <see cref="ReachDb"/>'s SaveChanges would, minus that method's hooks: the caller stamps the records
/// (<see cref="Stamp"/>), writes their audit entry and marks rollup days, and uses it only for an actor the access
/// rules let write anything (the CLI's operator, an admin).
/// </remarks>
sealed class BulkInsert : IDisposable
{
    // Well under PostgreSQL's 65,535 parameters per statement.
    const int MaxParameters = 30_000;

    readonly IProperty[] properties;
    readonly RelationalTypeMapping[] mappings;
    // Each column's value as the database takes it (the property read and converted), compiled once per entity.
    readonly Func<object, object?>[] values;
    readonly string insertInto;
    readonly int rowsPerStatement;
    readonly Dictionary<int, DbCommand> commands = [];
    // SQLite: one statement prepared on the native connection, parameters bound by position (see SqliteRows).
    readonly SqliteRows? sqliteRows;
    // The transaction the commands were prepared in. Between batches the connection closes and may come back from the pool
    // as another native connection, on which a statement prepared before is an API misuse (SQLite error 21): each batch
    // prepares its own.
    DbTransaction? preparedIn;

    public BulkInsert(ReachDb db, Type type)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        properties = [.. entity.GetProperties().Where(p => p.GetColumnName(table) is not null && p.ValueGenerated != ValueGenerated.OnAdd)];
        mappings = [.. properties.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping())];
        values = [.. properties.Select((p, c) => ProviderValue(p, mappings[c].Converter))];
        var sql = db.GetService<ISqlGenerationHelper>();
        insertInto = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) VALUES ";
        // SQLite runs in-process, and finds a parameter by name with a linear scan: one prepared row at a time is fastest.
        // PostgreSQL pays a round trip per statement: many rows each.
        rowsPerStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, MaxParameters / properties.Length);
        if (db.Database.IsSqlite())
            sqliteRows = SqliteRows.For(insertInto, properties, mappings, db.Database.GetDbConnection(),
                [.. properties.Select((p, c) => ProviderExpression(p, mappings[c].Converter))], values);
    }

    public void Dispose()
    {
        foreach (var command in commands.Values)
            command.Dispose();
        commands.Clear();
        sqliteRows?.Dispose();
    }

    /// <summary>What SaveChanges stamps on a new record: created (unless the record carries its own date), updated, version 1.</summary>
    public static void Stamp(Record record, DateTime now)
    {
        if (record.CreatedAt == default)
            record.CreatedAt = now;
        record.UpdatedAt = record.CreatedAt > now ? record.CreatedAt : now;
        record.Version = 1;
    }

    /// <summary>Inserts the rows in the context's current transaction; a refusal comes back as EF's <see cref="DbUpdateException"/>.</summary>
    public async Task InsertAsync(ReachDb db, IReadOnlyList<object> rows, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (transaction is null || transaction != preparedIn)
        {
            Dispose();
            preparedIn = transaction;
        }
        if (sqliteRows is not null)
        {
            sqliteRows.Insert((Microsoft.Data.Sqlite.SqliteConnection)connection, rows);
            return;
        }
        for (var start = 0; start < rows.Count; start += rowsPerStatement)
        {
            var count = Math.Min(rowsPerStatement, rows.Count - start);
            var command = CommandFor(connection, count);
            command.Transaction = transaction;
            for (var r = 0; r < count; r++)
            {
                var row = rows[start + r];
                for (var c = 0; c < properties.Length; c++)
                    command.Parameters[r * properties.Length + c].Value = values[c](row) ?? DBNull.Value;
            }
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException e)
            {
                // A refused statement may be left mid-step (SQLite): the row-by-row retry gets a freshly prepared one.
                commands.Remove(count);
                command.Dispose();
                throw new DbUpdateException("The database refused an import batch.", e);
            }
        }
    }

    /// <summary>
    /// What EF's getter and value converter give for a column (the provider's value, null for null), as one compiled
    /// delegate: the property read directly and the converter's expression inlined.
    /// </summary>
    static Func<object, object?> ProviderValue(IProperty property, ValueConverter? converter)
    {
        if (ProviderExpression(property, converter) is not { } typed)
        {
            // A shadow property has no member to read: EF's getter.
            var getter = property.GetGetter();
            return converter is null ? getter.GetClrValue : row => getter.GetClrValue(row) is { } value ? converter.ConvertToProvider(value) : null;
        }
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(typed.Body, typeof(object)), typed.Parameters).Compile();
    }

    /// <summary>
    /// The provider's value of a column as a typed expression of the row (<c>object row</c>): the property read directly,
    /// the converter's expression inlined, null for null (a nullable value type stays nullable). Null for a shadow property.
    /// </summary>
    internal static LambdaExpression? ProviderExpression(IProperty property, ValueConverter? converter)
    {
        if (property.IsShadowProperty() || property.GetMemberInfo(forMaterialization: false, forSet: false) is not { DeclaringType: { } declaring } member)
            return null;
        var row = Expression.Parameter(typeof(object), "row");
        Expression read = Expression.MakeMemberAccess(Expression.Convert(row, declaring), member);
        if (converter is null)
            return Expression.Lambda(read, row);
        var convert = converter.ConvertToProviderExpression;
        var model = convert.Parameters[0].Type;
        Expression converted = Expression.Invoke(convert, read.Type == model ? read : Expression.Convert(read, model));
        if (read.Type.IsValueType && Nullable.GetUnderlyingType(read.Type) is null)
            return Expression.Lambda(converted, row);
        // A null model value is null in the database (the converter is not called): a value-type result becomes nullable.
        var type = converted.Type.IsValueType && Nullable.GetUnderlyingType(converted.Type) is null
            ? typeof(Nullable<>).MakeGenericType(converted.Type)
            : converted.Type;
        return Expression.Lambda(
            Expression.Condition(Expression.Equal(read, Expression.Constant(null, read.Type)), Expression.Constant(null, type), Expression.Convert(converted, type)),
            row);
    }

    DbCommand CommandFor(DbConnection connection, int rows)
    {
        if (commands.TryGetValue(rows, out var command) && command.Connection == connection)
            return command;
        command?.Dispose();
        command = connection.CreateCommand();
        var text = new StringBuilder(insertInto);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < properties.Length; c++)
            {
                var name = $"@p{r * properties.Length + c}";
                text.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(mappings[c].CreateParameter(command, name, null, properties[c].IsNullable));
            }
            text.Append(')');
        }
        command.CommandText = text.ToString();
        commands[rows] = command;
        return command;
    }
}
