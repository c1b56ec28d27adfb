namespace Reach.Data.CompiledModels.Sqlite;

// The generated model (Data/CompiledModels/Sqlite, regenerated as docs/decisions.md says) has no query filters: EF 10
// generates none. They are added here from the one list OnModelCreating applies too.
public partial class SqliteReachDbModel
{
    partial void Customize() => CompiledModelFilters.AddTo<SqliteReachDb>(this);
}
