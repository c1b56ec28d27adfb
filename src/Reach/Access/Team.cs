using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Access;

public class Team
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Reach.Data.Channel? Channel { get; set; }
    public Guid? ManagerId { get; set; }

    /// <summary>
    /// The teams a user answers for: their own and the ones they manage. The one definition of a manager's teams; the
    /// actor carries its result (<see cref="Actor.TeamIds"/>, <see cref="Actor.TeamUserIds"/>).
    /// </summary>
    public static Expression<Func<Team, bool>> AnsweredForBy(Guid userId, Guid? teamId) => t => t.Id == teamId || t.ManagerId == userId;
}

sealed class TeamMapping : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> team)
    {
        team.Property(t => t.Name).HasMaxLength(100);
        team.HasIndex(t => t.Name).IsUnique();
    }
}
