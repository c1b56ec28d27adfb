using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Routing;

namespace Reach.Planning;

/// <summary>
/// Saving and activating the workspace's plan versions, shared by the API, the planner page and <c>reach plan save</c>.
/// Who may do it is <see cref="Access.AccessRules"/>' business (managers and admins), checked when saving.
/// </summary>
public static class PlanVersions
{
    /// <summary>Validates the plan and stores it as a new version; activates it (and re-routes) when asked.</summary>
    /// <exception cref="InputException">The name or the plan is invalid; plan errors are keyed by field path with their line.</exception>
    public static async Task<PlanVersion> SaveAsync(ReachDb db, string? name, string? yaml, bool activate, CancellationToken cancellationToken = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
            throw new InputException("name", "Give the version a name (e.g. \"2027 budget\").");
        if (name.Length > PlanVersion.MaxNameLength)
            throw new InputException("name", $"The name is {name.Length} characters long; at most {PlanVersion.MaxNameLength}.");
        if (string.IsNullOrWhiteSpace(yaml))
            throw new InputException("yaml", "The plan is empty.");
        if (yaml.Length > PlanVersion.MaxYamlLength)
            throw new InputException("yaml", $"The plan is {yaml.Length} characters long; at most {PlanVersion.MaxYamlLength}.");
        Check(yaml);

        var version = new PlanVersion
        {
            Name = name,
            Yaml = yaml,
            AuthorId = db.Actor?.UserId,
            AuthorName = db.Actor?.Name,
            CreatedAt = db.UtcNow,
        };
        if (!activate)
        {
            db.PlanVersions.Add(version);
            await db.SaveChangesAsync(cancellationToken);
            return version;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PlanVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await ActivateAsync(db, version, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    /// <summary>Makes <paramref name="version"/> the active plan and re-routes every account and lead by it, in one transaction.</summary>
    public static async Task<int> ActivateAsync(ReachDb db, PlanVersion version, CancellationToken cancellationToken = default)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // Two saves: the unique "one active" index must never see two active rows, whatever order EF writes in.
            var previous = await db.PlanVersions.Where(v => v.IsActive && v.Id != version.Id).ToListAsync(cancellationToken);
            foreach (var old in previous)
                old.IsActive = false;
            await db.SaveChangesAsync(cancellationToken);
            version.IsActive = true;
            version.ActivatedAt = db.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
            var routed = await Rerouting.RerouteAllAsync(db, Rerouting.RouterOf(version.Yaml), cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return routed;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    /// <summary>Throws the plan's validation errors as an <see cref="InputException"/> keyed by field path.</summary>
    public static PlanFile Check(string yaml)
    {
        try
        {
            var plan = PlanReader.Read(yaml);
            Planner.Evaluate(plan);
            return plan;
        }
        catch (PlanValidationException e)
        {
            throw new InputException(e.Errors
                .GroupBy(error => error.Field.Length == 0 ? "yaml" : error.Field)
                .ToDictionary(g => g.Key, g => g.Select(error => $"line {error.Line}: {error.Message}").ToArray()));
        }
    }
}
