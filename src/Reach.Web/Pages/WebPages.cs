using System.Reflection;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Reach.Web.Pages;

/// <summary>
/// The web app: server-rendered Razor Pages over the same services and rules as the API. Every
/// page needs a signed-in user except sign-in and the invite link; every form post checks the
/// antiforgery token (Razor Pages' default).
/// </summary>
public static class WebPages
{
    public static void AddReachPages(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/");
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AllowAnonymousToPage("/Invite");
                o.Conventions.AllowAnonymousToPage("/Status");
                o.Conventions.AddPageRoute("/SignIn", "/sign-in");
                o.Conventions.AddPageRoute("/SignOut", "/sign-out");
                o.Conventions.AddPageRoute("/Status", "/status/{code:int}");
            })
            .AddMvcOptions(o => o.Filters.Add<AccessDeniedPageFilter>())
            // The pages are compiled into this assembly; the executable hosting it is the CLI.
            .ConfigureApplicationPartManager(parts =>
            {
                parts.ApplicationParts.Clear();
                parts.ApplicationParts.Add(new CompiledRazorAssemblyPart(typeof(WebPages).Assembly));
                parts.ApplicationParts.Add(new AssemblyPart(typeof(WebPages).Assembly));
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "reach.antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "RequestVerificationToken";
        });
    }

    public static void MapReachPages(this WebApplication app)
    {
        app.MapGet("/assets/{name}", Asset).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
    }

    // CSS and JS ship inside the assembly, so the CLI, a dotnet tool install and the tests serve the same files.
    static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css", ".js" => "text/javascript", _ => null };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("Reach.Web.Pages.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type + "; charset=utf-8");
    }
}
