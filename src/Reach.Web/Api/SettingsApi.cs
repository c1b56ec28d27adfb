using Reach.Access;
using Reach.Data;
using Reach.Web.Access;

namespace Reach.Web.Api;

/// <summary><c>/api/v1/settings</c>: the workspace's name, currency, fiscal year start and time zone; everyone reads them, admins change them.</summary>
public static class SettingsApi
{
    public static void MapSettingsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings").WithTags("Access");
        group.MapGet("/", Get).Produces<SettingsView>();
        group.MapPatch("/", Change).RequireAuthorization(ReachAccess.AdminPolicy)
            .WithJsonBody<WorkspaceSettingsInput>("The fields to change. Exchange rates are relative to the currency: change them with it.")
            .Produces<SettingsView>().ProducesValidationProblem();
    }

    public sealed record SettingsView(string Name, string Currency, int FiscalYearStartMonth, string TimeZone, DateTime UpdatedAt, decimal DealSizeFactor, int ReferenceUsesPerQuarter,
        int SelfServiceResponseMinutes, int InsideResponseMinutes, int FieldResponseMinutes, int UsageWeeklyActiveUsers, decimal UsageEmployeeSharePercent)
    {
        public static SettingsView Of(WorkspaceSettings s) => new(s.Name, s.Currency, s.FiscalYearStartMonth, s.TimeZone, s.UpdatedAt, s.DealSizeFactor, s.ReferenceUsesPerQuarter,
            s.SelfServiceResponseMinutes, s.InsideResponseMinutes, s.FieldResponseMinutes, s.UsageWeeklyActiveUsers, s.UsageEmployeeSharePercent);
    }

    public static async Task<IResult> Get(ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(SettingsView.Of(await WorkspaceSettings.LoadAsync(db, cancellationToken)));

    public static async Task<IResult> Change(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<WorkspaceSettingsInput>(http, cancellationToken);
        return TypedResults.Ok(SettingsView.Of(await input.ApplyAsync(db, cancellationToken)));
    }
}
