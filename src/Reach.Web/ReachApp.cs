using System.Text.Json;
using System.Text.Json.Serialization;
using Reach.Data;
using Reach.Pipelines;
using Reach.Web.Access;
using Reach.Web.Api;
using Reach.Web.Imports;
using Reach.Web.Pages;
using Reach.Web.Security;
using Scalar.AspNetCore;

namespace Reach.Web;

/// <summary>The web host: pages, /api/v1 and background work, over one workspace database.</summary>
public static class ReachApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Builds the host. Configuration comes, in rising priority, from appsettings.json, environment
    /// variables (Reach__Db, Reach__Postgres, ASPNETCORE_URLS…), then <paramref name="overrides"/> from the CLI.
    /// </summary>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.ConfigureKestrel();
        // A call without a valid token is answered 401 with the reason; logging each at Information wrote 20 MB in 15 s
        // under load. Failures of the token handler itself still log (Warning and up).
        builder.Logging.AddFilter(typeof(TokenAuthentication).FullName, LogLevel.Warning);

        var database = DatabaseFrom(builder.Configuration);
        builder.Services.AddWorkspace(builder.Configuration, database, TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiErrors>();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Reach API";
            document.Info.Description = "Accounts, contacts, leads, deals (with their contacts' roles and line items), lost reasons, products, activities, pipelines, the planner, the forecast, metrics, targets, costs, exchange rates, reports and their e-mail schedules, outreach sequences, the email coach and the audit trail. "
                + "Errors are RFC 9457 problem+json naming the field; updates take If-Match with the record's ETag.";
            return Task.CompletedTask;
        }));
        builder.Services.AddApiRateLimit(builder.Configuration);
        builder.AddReachAccess();
        builder.Services.AddReachPages();
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ImportJobs>());
        builder.Services.AddHostedService<OutreachWorker>();
        builder.Services.AddHostedService<ReportMailWorker>();
        builder.Services.AddHostedService<RollupWorker>();
        builder.Services.AddHostedService<LeadEscalationWorker>();
        builder.Services.AddHostedService<RunningWorkspace>();
        builder.Services.AddSingleton<DailyBackup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DailyBackup>());
        // Sent only on HTTPS responses (and never for localhost), as browsers ignore it over plain HTTP.
        builder.Services.AddHsts(o => (o.MaxAge, o.IncludeSubDomains) = (TimeSpan.FromDays(365), true));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseRequestLimits();
        // API errors are problem+json; a page's bare 404 or 403 gets the web app's page.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
        // Routing after the status pages, so a re-executed request (the 404 page) is routed anew.
        app.UseRouting();
        app.UseHsts();
        app.UseSecurityHeaders();
        app.UseReachAccess();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", scalar => scalar.WithTitle("Reach API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        var api = app.MapGroup("/api/v1").RequireRateLimiting(ApiRateLimit.Policy).RequireAuthorization();
        api.MapAuthApi();
        api.MapUsersApi();
        api.MapTokensApi();
        api.MapTeamsApi();
        api.MapSettingsApi();
        api.MapAccountsApi();
        api.MapContactsApi();
        api.MapLeadsApi();
        api.MapDealsApi();
        api.MapLostReasonsApi();
        api.MapProductsApi();
        api.MapActivitiesApi();
        api.MapPipelinesApi();
        api.MapPlanApi();
        api.MapPlansApi();
        api.MapForecastApi();
        api.MapAuditApi();
        api.MapImportsApi();
        api.MapMetricsApi();
        api.MapTargetsApi();
        api.MapCostsApi();
        api.MapExchangeRatesApi();
        api.MapImportMappingsApi();
        api.MapReportsApi();
        api.MapReportSchedulesApi();
        api.MapCoachApi();
        api.MapSequencesApi();
        api.MapDripsApi();
        api.MapPlaybookApi();
        api.MapExpansionApi();
        api.MapReferencesApi();
        api.MapUsageApi();
        api.MapDealDocumentsApi();
        api.MapWeeklyLogsApi();
        api.MapFallback(() => Results.Problem(statusCode: 404, title: "Not found.", detail: "No such API route; see /api/docs."));

        app.MapReachPages();
        // The same reports for the signed-in web user (session cookie), opened from the Reports page.
        app.MapGet("/reports/{kind}", ReportsApi.Get).RequireAuthorization().ExcludeFromDescription();
        // The lists' export buttons: the API's export, for the signed-in web user.
        app.MapGet("/exports/{entity}", ImportsApi.Export).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>The workspace database named by configuration: Reach:Postgres, else the SQLite file Reach:Db (default reach.db).</summary>
    public static Database DatabaseFrom(IConfiguration configuration) =>
        configuration["Reach:Postgres"] is { Length: > 0 } postgres
            ? Database.Postgres(postgres)
            : Database.Sqlite(configuration["Reach:Db"] is { Length: > 0 } file ? file : "reach.db") with
            {
                MaxMegabytes = configuration.GetValue<int?>("Reach:Limits:SqliteMegabytes"),
            };

    /// <summary>
    /// The workspace's services without the web: its database, the clock, users and their tokens, mail and report
    /// e-mails. The web host adds pages, the API and its workers; a CLI command uses these alone (no host to build).
    /// </summary>
    public static void AddWorkspace(this IServiceCollection services, IConfiguration configuration, Database database, TimeProvider clock)
    {
        services.AddSingleton(clock);
        database.Register(services);
        services.AddReachIdentity(configuration, database);
        services.AddSingleton<Reach.Outreach.MailSecrets>();
        services.AddSingleton(new Reach.Outreach.MailHosts(configuration.GetValue("Reach:Mail:AllowInternalHosts", false)));
        services.AddSingleton<Reach.Outreach.MailClient>();
        services.AddScoped<Reach.Outreach.OutreachService>();
        services.AddScoped<Reach.Outreach.OutreachSender>();
        services.AddScoped<Reach.Outreach.DripService>();
        services.AddSingleton(new Reach.Metrics.Reports.ReportMailSettings(configuration["Reach:Chromium"]));
        services.AddScoped<Reach.Metrics.Reports.ReportMailer>();
        services.AddScoped<Reach.Metrics.Reports.ReportScheduleService>();
    }

    /// <summary>Creates and migrates the database and gives a new workspace its default pipelines and lost reasons.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await PrepareAsync(app.Services.GetRequiredService<Database>(), scope.ServiceProvider.GetRequiredService<ReachDb>(), app.Configuration, cancellationToken);
    }

    /// <summary>The one way a workspace is made ready, by the web host at start and by a CLI command whose workspace is behind.</summary>
    public static async Task PrepareAsync(Database database, ReachDb db, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        await database.MigrateAsync(db, cancellationToken);
        await DefaultPipelines.EnsureAsync(db, cancellationToken);
        await Reach.Access.WorkspaceSettings.EnsureAsync(db, configuration["Reach:Currency"], cancellationToken);
        await Reach.Deals.LostReason.EnsureAsync(db, cancellationToken);
    }

    /// <summary>JSON as the API speaks it: camelCase fields, snake_case enum values, strict reading.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.Converters.Add(new UtcInstantConverter());
        options.Converters.Add(new JsonStringEnumConverter(EnumNames.Policy, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.ReferenceHandler = ReferenceHandler.IgnoreCycles;
    }
}
