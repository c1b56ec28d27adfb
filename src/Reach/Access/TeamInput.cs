using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Data;

namespace Reach.Access;

/// <summary>A team as an admin creates or changes it; on a change only the fields given change.</summary>
public sealed record TeamInput
{
    [StringLength(100, MinimumLength = 1)] public string? Name { get; init; }

    /// <summary>The channel the team sells through (inside, field, self_service); none for a mixed team.</summary>
    public Channel? Channel { get; init; }

    /// <summary>The user who manages the team (a manager or an admin); <see cref="Guid.Empty"/> removes the manager.</summary>
    public Guid? ManagerId { get; init; }
}

/// <summary>Creating, changing and removing teams: the rules the API, the admin pages and `reach team` share.</summary>
public static class TeamEditor
{
    const string Settings = "Teams are settings: only an admin changes them.";

    public static async Task<Team> CreateAsync(ReachDb db, TeamInput input, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        InputRules.Validate(input);
        if (string.IsNullOrWhiteSpace(input.Name))
            throw new InputException("name", "Name the team (1 to 100 characters).");
        var team = new Team { Name = input.Name.Trim(), Channel = input.Channel };
        await CheckNameAsync(db, team, cancellationToken);
        team.ManagerId = await ManagerAsync(db, input.ManagerId, cancellationToken);
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return team;
    }

    public static async Task<Team> ChangeAsync(ReachDb db, Team team, TeamInput input, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        InputRules.Validate(input);
        if (input.Name is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Name))
                throw new InputException("name", "Name the team (1 to 100 characters).");
            team.Name = input.Name.Trim();
            await CheckNameAsync(db, team, cancellationToken);
        }
        if (input.Channel is not null)
            team.Channel = input.Channel;
        if (input.ManagerId is { } managerId)
            team.ManagerId = managerId == Guid.Empty ? null : await ManagerAsync(db, managerId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return team;
    }

    /// <summary>Removes a team that has no members; its targets go with it.</summary>
    public static async Task RemoveAsync(ReachDb db, Team team, CancellationToken cancellationToken)
    {
        AccessRules.CheckSettingsChange(db.Actor, Settings);
        var members = await db.Users.Where(u => u.TeamId == team.Id).OrderBy(u => u.Name).Select(u => u.Name).ToListAsync(cancellationToken);
        if (members.Count > 0)
            throw new InputException("team", $"The team '{team.Name}' has {members.Count} member(s) ({string.Join(", ", members.Take(5))}{(members.Count > 5 ? "…" : "")}); move them to another team first.");
        db.Teams.Remove(team);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The team named <paramref name="name"/> (exactly, or else ignoring case), or an input error listing the teams.</summary>
    public static async Task<Team> MustFindAsync(ReachDb db, string name, CancellationToken cancellationToken)
    {
        var trimmed = name.Trim();
        var teams = await db.Teams.ToListAsync(cancellationToken);
        return teams.FirstOrDefault(t => t.Name == trimmed)
            ?? teams.FirstOrDefault(t => string.Equals(t.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? throw new InputException("team", teams.Count == 0
                ? $"No team is named '{trimmed}'; there are no teams yet."
                : $"No team is named '{trimmed}'; teams: {string.Join(", ", teams.Select(t => t.Name).Order())}.");
    }

    static async Task CheckNameAsync(ReachDb db, Team team, CancellationToken cancellationToken)
    {
        var others = await db.Teams.Where(t => t.Id != team.Id).Select(t => t.Name).ToListAsync(cancellationToken);
        if (others.Any(n => string.Equals(n, team.Name, StringComparison.OrdinalIgnoreCase)))
            throw new InputException("name", $"A team named '{team.Name}' exists already.");
    }

    static async Task<Guid?> ManagerAsync(ReachDb db, Guid? managerId, CancellationToken cancellationToken)
    {
        if (managerId is null || managerId == Guid.Empty)
            return null;
        var manager = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == managerId, cancellationToken)
            ?? throw new InputException("managerId", $"No user has the id {managerId}.");
        if (manager.Role == UserRole.Rep)
            throw new InputException("managerId", $"{manager.Name} is a rep; make them a manager first, then the team's manager.");
        if (!manager.IsActive)
            throw new InputException("managerId", $"{manager.Name} is disabled.");
        return manager.Id;
    }
}
