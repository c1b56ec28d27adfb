using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Reach.Tests.Data;

/// <summary>Every model change comes with a migration for each provider (docs/decisions.md says how to add one).</summary>
public sealed class SchemaMigrationTests
{
    [Fact]
    public void TheSqliteMigrationsDescribeTheWholeModel()
    {
        using var db = Reach.Data.Database.Sqlite(Path.Combine(Path.GetTempPath(), "reach-model-check.db")).Open();

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a SQLite migration: run `dotnet ef migrations add NAME -p src/Reach -s src/Reach -c SqliteReachDb -o Data/Migrations/Sqlite`.");
    }

    [Fact]
    public void ThePostgresMigrationsDescribeTheWholeModel()
    {
        // The model is compared with the migrations' snapshot; no server is reached.
        using var db = Reach.Data.Database.Postgres("Host=127.0.0.1;Database=reach_model_check").Open();

        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a PostgreSQL migration: run `dotnet ef migrations add NAME -p src/Reach -s src/Reach -c PostgresReachDb -o Data/Migrations/Postgres`.");
    }
}
