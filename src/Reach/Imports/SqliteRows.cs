using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Reach.Imports;

/// <summary>
/// SQLite's part of <see cref="BulkInsert"/>: one INSERT prepared on the native connection, each row's values bound by
/// position and stepped. Microsoft.Data.Sqlite finds every parameter by name at every execution (a UTF-8 copy of the
/// name and a linear scan), which was about half of a contact's import time; the values are written exactly as it
/// writes them (<c>SqliteValueBinder</c>: the same text for dates, decimals and ids), so a row reads back as if EF had
/// written it. Each column has a binder compiled once per entity: the property read, converted and bound by its type, with
/// no boxing and no type test per value.
/// </summary>
sealed class SqliteRows : IDisposable
{
    const int Ok = 0, Row = 100, Done = 101;

    readonly string sql;
    // Binds one column of a row at a position; returns SQLite's result code.
    readonly Func<SqliteRows, object, int, int>[] binders;
    sqlite3_stmt? statement;
    sqlite3? preparedOn;
    // Text is written as UTF-8 into this buffer and bound from it (SQLite copies it): no array per value.
    byte[] utf8 = new byte[512];

    SqliteRows(string sql, Func<SqliteRows, object, int, int>[] binders)
    {
        this.sql = sql;
        this.binders = binders;
    }

    /// <summary>
    /// The writer for an entity, or null when a column's type is one this binder does not write as Microsoft.Data.Sqlite would.
    /// <paramref name="providers"/> are the columns' provider values (<see cref="BulkInsert.ProviderExpression"/>; null
    /// for a shadow property, read through <paramref name="values"/>).
    /// </summary>
    public static SqliteRows? For(string insertInto, IProperty[] properties, RelationalTypeMapping[] mappings, System.Data.Common.DbConnection connection,
        LambdaExpression?[] providers, Func<object, object?>[] values)
    {
        var types = new SqliteType[properties.Length];
        using var command = connection.CreateCommand();
        for (var c = 0; c < properties.Length; c++)
        {
            var clr = mappings[c].Converter?.ProviderClrType ?? properties[c].ClrType;
            clr = Nullable.GetUnderlyingType(clr) ?? clr;
            if (clr.IsEnum)
                clr = Enum.GetUnderlyingType(clr);
            if (!Written.Contains(clr))
                return null;
            types[c] = ((SqliteParameter)mappings[c].CreateParameter(command, "@p", null, properties[c].IsNullable)).SqliteType;
        }
        var positions = string.Join(", ", Enumerable.Range(1, properties.Length).Select(i => "?" + i.ToString(CultureInfo.InvariantCulture)));
        var binders = new Func<SqliteRows, object, int, int>[properties.Length];
        for (var c = 0; c < binders.Length; c++)
        {
            var (value, type) = (values[c], types[c]);
            binders[c] = providers[c] is { } provider ? Binder(provider, type) : (writer, row, index) => writer.Bind(index, value(row), type);
        }
        return new SqliteRows($"{insertInto}({positions})", binders);
    }

    /// <summary>A column's binder: its provider value bound by the method of its type, the others boxed through <see cref="Bind"/>.</summary>
    static Func<SqliteRows, object, int, int> Binder(LambdaExpression provider, SqliteType type)
    {
        var writer = Expression.Parameter(typeof(SqliteRows), "writer");
        var index = Expression.Parameter(typeof(int), "index");
        var row = provider.Parameters[0];
        var value = Expression.Variable(provider.Body.Type, "value");
        var underlying = Nullable.GetUnderlyingType(value.Type);
        Expression read = underlying is null ? value : Expression.Property(value, "Value");
        Expression bind = BindTyped(writer, index, read, underlying ?? value.Type, type)
            ?? Expression.Call(writer, nameof(Bind), null, index, Expression.Convert(read, typeof(object)), Expression.Constant(type));
        if (underlying is not null)
            bind = Expression.Condition(Expression.Property(value, "HasValue"), bind, Expression.Call(writer, nameof(BindNull), null, index));
        var body = Expression.Block(typeof(int), [value], Expression.Assign(value, provider.Body), bind);
        return Expression.Lambda<Func<SqliteRows, object, int, int>>(body, writer, row, index).Compile();
    }

    // The typed call for a value of a type (as Bind writes it), or null for a type Bind handles boxed.
    static MethodCallExpression? BindTyped(ParameterExpression writer, ParameterExpression index, Expression value, Type clr, SqliteType type)
    {
        MethodCallExpression Call(string method, Expression argument) => Expression.Call(writer, method, null, index, argument);
        if (clr.IsEnum)
            return Call(nameof(BindInt64), Expression.Convert(Expression.Convert(value, Enum.GetUnderlyingType(clr)), typeof(long)));
        return clr switch
        {
            _ when clr == typeof(string) => Call(nameof(BindString), value),
            _ when clr == typeof(bool) => Call(nameof(BindBool), value),
            _ when clr == typeof(byte) || clr == typeof(short) || clr == typeof(int) || clr == typeof(long) => Call(nameof(BindInt64), Expression.Convert(value, typeof(long))),
            _ when clr == typeof(decimal) => Call(nameof(BindDecimal), value),
            _ when clr == typeof(Guid) && type != SqliteType.Blob => Call(nameof(BindGuid), value),
            _ when clr == typeof(DateTime) && type != SqliteType.Real => Call(nameof(BindDateTime), value),
            _ when clr == typeof(DateOnly) && type != SqliteType.Real => Call(nameof(BindDateOnly), value),
            _ => null,
        };
    }

    static readonly HashSet<Type> Written =
    [
        typeof(string), typeof(bool), typeof(byte), typeof(short), typeof(int), typeof(long), typeof(double), typeof(float),
        typeof(decimal), typeof(Guid), typeof(DateTime), typeof(DateOnly), typeof(byte[]),
    ];

    public void Insert(SqliteConnection connection, IReadOnlyList<object> rows)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        if (statement is null || preparedOn != handle)
        {
            Dispose();
            Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var prepared));
            statement = prepared;
            preparedOn = handle;
        }
        foreach (var row in rows)
        {
            for (var c = 0; c < binders.Length; c++)
                Check(handle, binders[c](this, row, c + 1));
            var rc = raw.sqlite3_step(statement);
            if (rc is not (Done or Row))
            {
                var error = Failure(handle, rc);
                raw.sqlite3_reset(statement);
                throw new DbUpdateException("The database refused an import batch.", error);
            }
            raw.sqlite3_reset(statement);
        }
    }

    // As Microsoft.Data.Sqlite's SqliteValueBinder writes each type (text unless the mapping asks for REAL or BLOB); the
    // typed binders below write the common types the same way without boxing.
    int Bind(int index, object? value, SqliteType type) =>
        value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            // An empty span would bind NULL (a null pointer): the empty text goes through the string overload.
            string { Length: 0 } => raw.sqlite3_bind_text(statement, index, ""),
            string s => BindText(index, s),
            bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
            byte b => raw.sqlite3_bind_int64(statement, index, b),
            short i => raw.sqlite3_bind_int64(statement, index, i),
            int i => raw.sqlite3_bind_int64(statement, index, i),
            long i => raw.sqlite3_bind_int64(statement, index, i),
            double d when !double.IsNaN(d) => raw.sqlite3_bind_double(statement, index, d),
            float f when !float.IsNaN(f) => raw.sqlite3_bind_double(statement, index, f),
            decimal m => BindFormatted(index, m, "0.0###########################"),
            Guid g when type == SqliteType.Blob => raw.sqlite3_bind_blob(statement, index, g.ToByteArray()),
            Guid g => BindGuid(index, g),
            DateTime d when type != SqliteType.Real => BindFormatted(index, d, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF"),
            DateOnly d when type != SqliteType.Real => BindFormatted(index, d, @"yyyy\-MM\-dd"),
            byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
            Enum e => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(e, CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException($"The import cannot write a {value.GetType().Name} to SQLite in bulk."),
        };

    int BindNull(int index) => raw.sqlite3_bind_null(statement, index);

    // An empty span would bind NULL (a null pointer): the empty text goes through the string overload.
    int BindString(int index, string? text) =>
        text is null ? raw.sqlite3_bind_null(statement, index) : text.Length == 0 ? raw.sqlite3_bind_text(statement, index, "") : BindText(index, text);

    int BindBool(int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

    int BindInt64(int index, long value) => raw.sqlite3_bind_int64(statement, index, value);

    int BindDecimal(int index, decimal value) => BindFormatted(index, value, "0.0###########################");

    int BindDateTime(int index, DateTime value) => BindFormatted(index, value, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF");

    int BindDateOnly(int index, DateOnly value) => BindFormatted(index, value, @"yyyy\-MM\-dd");

    int BindText(int index, string text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (utf8.Length < needed)
            utf8 = new byte[Math.Max(needed, 2 * utf8.Length)];
        var length = Encoding.UTF8.GetBytes(text, utf8);
        return raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, length));
    }

    int BindFormatted<T>(int index, T value, string format) where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(utf8, out var length, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"The import cannot write {value} to SQLite in bulk.");
        return raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, length));
    }

    // As Microsoft.Data.Sqlite writes an id as text: upper case, with dashes.
    int BindGuid(int index, Guid id)
    {
        id.TryFormat(utf8, out var length);
        var text = utf8.AsSpan(0, length);
        for (var i = 0; i < text.Length; i++)
            if (text[i] is >= (byte)'a' and <= (byte)'f')
                text[i] -= 'a' - 'A';
        return raw.sqlite3_bind_text(statement, index, text);
    }

    static void Check(sqlite3 handle, int rc)
    {
        if (rc != Ok)
            throw new DbUpdateException("The database refused an import batch.", Failure(handle, rc));
    }

    static SqliteException Failure(sqlite3 handle, int rc) =>
        new(raw.sqlite3_errmsg(handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(handle));

    public void Dispose()
    {
        statement?.Dispose();
        statement = null;
        preparedOn = null;
    }
}
