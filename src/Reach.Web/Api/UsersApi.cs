using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary>A user as anyone in the workspace sees them: never a hash, a stamp or a lockout counter.</summary>
public sealed record UserView(Guid Id, string Name, string Email, UserRole Role, Guid? TeamId, string? Team, Channel? Channel, bool Active, bool PasswordIsTemporary, DateTime CreatedAt, bool Away)
{
    public static UserView Of(User u) => new(u.Id, u.Name, u.Email ?? "", u.Role, u.TeamId, u.Team?.Name, u.Channel, u.IsActive, u.PasswordIsTemporary, u.CreatedAt, u.Away);
}

/// <summary>Users: everyone signed in reads the directory (owners' names); only admins change it.</summary>
public static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Access");
        group.MapGet("/", List).Produces<List<UserView>>();
        var admin = group.MapGroup("").RequireAuthorization(ReachAccess.AdminPolicy);
        admin.MapPost("/", Add).WithJsonBody<NewUser>("The new user; they choose a password through the invite link in the answer.")
            .Produces<Invited>(201).ProducesValidationProblem();
        admin.MapPatch("/{id:guid}", Change).WithJsonBody<UserChanges>("The fields to change.").Produces<UserView>().ProducesValidationProblem().ProducesProblem(404);
        admin.MapPost("/{id:guid}/reset-password", ResetPassword).Produces<Invited>().ProducesProblem(404);
    }

    public sealed record Invited(UserView User, string InviteLink);

    public static async Task<IResult> List(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Users.AsNoTracking().Include(u => u.Team).OrderBy(u => u.Name).ToListAsync(cancellationToken)).Select(UserView.Of).ToList());

    public static async Task<IResult> Add(HttpContext http, UserDirectory directory, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<NewUser>(http, cancellationToken);
        var (user, token) = await directory.AddAsync(input, cancellationToken);
        return TypedResults.Created($"/api/v1/users/{user.Id}", new Invited(UserView.Of(user), UserDirectory.InviteLink(BaseUrl(http), user, token)));
    }

    public static async Task<IResult> Change(Guid id, HttpContext http, ReachDb db, UserDirectory directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var changes = await JsonBody.ReadAsync<UserChanges>(http, cancellationToken);
        var user = await FindAsync(db, id, cancellationToken);
        await directory.ChangeAsync(user, changes, clock.GetUtcNow().UtcDateTime, cancellationToken);
        await db.Entry(user).Reference(u => u.Team).LoadAsync(cancellationToken);
        return TypedResults.Ok(UserView.Of(user));
    }

    public static async Task<IResult> ResetPassword(Guid id, HttpContext http, ReachDb db, UserDirectory directory, CancellationToken cancellationToken)
    {
        var user = await FindAsync(db, id, cancellationToken);
        var token = await directory.ResetPasswordAsync(user);
        return TypedResults.Ok(new Invited(UserView.Of(user), UserDirectory.InviteLink(BaseUrl(http), user, token)));
    }

    static async Task<User> FindAsync(ReachDb db, Guid id, CancellationToken cancellationToken) =>
        await db.Users.Include(u => u.Team).FirstOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw ApiException.NotFound("user", id);

    static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
