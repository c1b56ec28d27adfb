using Reach.Data;

namespace Reach.Access;

/// <summary>Who is acting: the signed-in user (web, API token) or the operator at the CLI.</summary>
public sealed record Actor(Guid? UserId, UserRole Role, Guid? TeamId, string Name)
{
    /// <summary>The operator at the machine's console (CLI commands run with the file's owner's rights).</summary>
    public static readonly Actor Operator = new(null, UserRole.Admin, null, "operator");

    public static Actor For(User user) => new(user.Id, user.Role, user.TeamId, user.Name);
}
