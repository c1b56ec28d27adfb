using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Access;

/// <summary>
/// Sign-in, sessions, API tokens and the acting user. Identity's defaults are raised where they fall
/// short of OWASP ASVS level 2; each raised setting has a test in tests/Reach.Tests/Access.
/// </summary>
public static class ReachAccess
{
    public const string AdminPolicy = "admin";
    public const string ManagerPolicy = "manager";
    const string SelectScheme = "Reach";
    static readonly string[] ComputeOnly = ["/api/v1/coach", "/api/v1/plan"];

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA512 (Identity's v3 hash); Identity's default is 100,000.</summary>
    public const int HashIterations = 210_000;

    public static void AddReachAccess(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Users and their tokens came with the workspace (ReachApp.AddWorkspace); the web adds signing in.
        new IdentityBuilder(typeof(User), services).AddSignInManager();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<SignInFailures>();
        services.AddSingleton<CommitWatch>();
        services.AddSingleton<ReadCache>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectScheme;
                o.DefaultChallengeScheme = SelectScheme;
            })
            .AddPolicyScheme(SelectScheme, "Token on /api, session cookie on pages", o =>
                o.ForwardDefaultSelector = http => http.Request.Path.StartsWithSegments("/api") ? TokenAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "reach.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the page came over TLS; plain http only serves the loopback demo.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.AccessDeniedPath = "/denied";
            o.ReturnUrlParameter = "returnUrl";
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<Database, TimeProvider>((cookie, workspace, clock) => cookie.SessionStore = new SessionTicketStore(workspace, clock));
        // The acting-user middleware checks the stamp on every request instead (see UseReachAccess).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromDays(365));

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => ActorOf(c.Resource) is { IsAdmin: true }))
            .AddPolicy(ManagerPolicy, p => p.RequireAuthenticatedUser().RequireAssertion(c => ActorOf(c.Resource) is { IsManagerOrAdmin: true }));
    }

    /// <summary>
    /// Users, passwords, invite and reset tokens, and the key ring that signs them: what the CLI needs of access
    /// without the web's sign-in (a link a CLI command prints must open in the web app).
    /// </summary>
    public static IdentityBuilder AddReachIdentity(this IServiceCollection services, IConfiguration configuration, Database database)
    {
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = HashIterations);
        var identity = services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                // Failures are counted per e-mail and address (SignInFailures), not per account: Identity's lockout
                // let anyone lock anyone out with 5 requests.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddPasswordValidator<PasswordRules>()
            .AddEntityFrameworkStores<ReachDb>()
            .AddDefaultTokenProviders();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = UserDirectory.InviteLifetime);
        services.AddScoped<UserDirectory>();
        var keyFile = KeyCertificate.PathFor(configuration, database);
        var certificate = KeyCertificate.LoadOrCreate(keyFile);
        services.AddDataProtection().SetApplicationName("Reach").ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new ProtectionKeyStore(sp.GetRequiredService<Database>())));
        return identity;
    }

    /// <summary>
    /// Authentication, then the acting user, then authorization. A session whose user was disabled
    /// or changed password since it began ends here, on its next request.
    /// </summary>
    public static void UseReachAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                var actor = await ResolveAsync(http);
                if (actor is null)
                {
                    if (http.User.Identity.AuthenticationType != TokenAuthentication.SchemeName)
                        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
                    http.User = new ClaimsPrincipal(new ClaimsIdentity());
                }
                else
                {
                    // A read-only token reads: it may not start anything either (a report e-mail, a mailbox test),
                    // whether or not that saves a row. The coach and the plan calculator only compute an answer.
                    if (!actor.CanWrite && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                        && !ComputeOnly.Any(path => http.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)))
                        throw new AccessDeniedException(AccessRules.ReadOnlyToken);
                    // A lead-capture token (a website form's) creates leads through the capture endpoint and does nothing else.
                    if (http.User.FindFirstValue(TokenAuthentication.ScopeClaim) == nameof(TokenScope.LeadCapture)
                        && !(HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Api.LeadsApi.CapturePath, StringComparison.OrdinalIgnoreCase)))
                        throw new AccessDeniedException(AccessRules.LeadCaptureToken);
                    // A usage token (the product's) sends events and does nothing else.
                    if (http.User.FindFirstValue(TokenAuthentication.ScopeClaim) == nameof(TokenScope.Usage)
                        && !(HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Api.UsageApi.IngestPath, StringComparison.OrdinalIgnoreCase)))
                        throw new AccessDeniedException(AccessRules.UsageToken);
                    http.Items[typeof(Actor)] = actor;
                    http.RequestServices.GetRequiredService<ReachDb>().Actor = actor;
                    if (actor.MustChangePassword && !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/assets")
                        && !http.Request.Path.StartsWithSegments("/Password") && !http.Request.Path.StartsWithSegments("/sign-out"))
                    {
                        http.Response.Redirect("/Password");
                        return;
                    }
                }
            }
            await next(http);
        });
        app.UseAuthorization();
    }

    /// <summary>The acting user of a request (after <see cref="UseReachAccess"/>), or null when signed out.</summary>
    public static Actor? ActorOf(object? resource) => resource switch
    {
        HttpContext http => http.Items[typeof(Actor)] as Actor,
        _ => null,
    };

    public static Actor RequireActor(HttpContext http) =>
        ActorOf(http) ?? throw new InvalidOperationException("This endpoint must require authorization.");

    static async Task<Actor?> ResolveAsync(HttpContext http)
    {
        // A token: its handler checked the token and its user and left the actor.
        if (http.User.Identity!.AuthenticationType == TokenAuthentication.SchemeName)
            return http.Items[TokenAuthentication.ActorKey] as Actor;
        if (!Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
            return null;
        var db = http.RequestServices.GetRequiredService<ReachDb>();
        var cache = http.RequestServices.GetRequiredService<ReadCache>();
        var session = await cache.GetOrLoadAsync("user:" + userId, async () =>
            await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, http.RequestAborted) is { } user
                ? new SessionUser(user, await Actor.ForAsync(db, user, http.RequestAborted) with { MustChangePassword = user.PasswordIsTemporary })
                : null);
        if (session is not { User.IsActive: true })
            return null;
        var stampClaim = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return http.User.FindFirstValue(stampClaim) == session.User.SecurityStamp ? session.Actor : null;
    }

    /// <summary>A signed-in user as read (and kept by <see cref="ReadCache"/>): never changed once made.</summary>
    sealed record SessionUser(User User, Actor Actor);
}
