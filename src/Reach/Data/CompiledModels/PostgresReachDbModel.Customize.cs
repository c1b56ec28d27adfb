namespace Reach.Data.CompiledModels.Postgres;

// The generated model (Data/CompiledModels/Postgres, regenerated as docs/decisions.md says) has no query filters: EF 10
// generates none. They are added here from the one list OnModelCreating applies too.
public partial class PostgresReachDbModel
{
    partial void Customize() => CompiledModelFilters.AddTo<PostgresReachDb>(this);
}
