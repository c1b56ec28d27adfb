using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Pages.Admin;

/// <summary>The workspace settings, through <see cref="WorkspaceSettingsInput"/> as the API: name, currency, fiscal year start, time zone.</summary>
public sealed class SettingsModel(ReachDb db) : AdminPage(db)
{
    public WorkspaceSettings Stored { get; private set; } = null!;

    /// <summary>Currencies that have stored exchange rates: they are relative to the workspace currency.</summary>
    public int Rates { get; private set; }

    [BindProperty] public SettingsForm Form { get; set; } = new();

    public sealed class SettingsForm
    {
        public string? Name { get; set; }
        public string? Currency { get; set; }
        public int FiscalYearStartMonth { get; set; } = 1;
        public string? TimeZone { get; set; }
        public decimal DealSizeFactor { get; set; } = 3m;
        public int ReferenceUsesPerQuarter { get; set; } = 2;
        public int UsageWeeklyActiveUsers { get; set; } = 10;
        public decimal UsageEmployeeSharePercent { get; set; } = 5m;
        public int SelfServiceResponseMinutes { get; set; } = WorkspaceSettings.DefaultSelfServiceResponseMinutes;
        public int InsideResponseMinutes { get; set; } = WorkspaceSettings.DefaultInsideResponseMinutes;
        public int FieldResponseMinutes { get; set; } = WorkspaceSettings.DefaultFieldResponseMinutes;
    }

    /// <summary>Time zones offered in the list (IANA names); any other IANA name typed is accepted too.</summary>
    public static IReadOnlyList<string> Zones { get; } = [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC").Order()];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Form = new SettingsForm
        {
            Name = Stored.Name,
            Currency = Stored.Currency,
            FiscalYearStartMonth = Stored.FiscalYearStartMonth,
            TimeZone = Stored.TimeZone,
            DealSizeFactor = Stored.DealSizeFactor,
            ReferenceUsesPerQuarter = Stored.ReferenceUsesPerQuarter,
            UsageWeeklyActiveUsers = Stored.UsageWeeklyActiveUsers,
            UsageEmployeeSharePercent = Stored.UsageEmployeeSharePercent,
            SelfServiceResponseMinutes = Stored.SelfServiceResponseMinutes,
            InsideResponseMinutes = Stored.InsideResponseMinutes,
            FieldResponseMinutes = Stored.FieldResponseMinutes
        };
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var before = await WorkspaceSettings.CurrencyAsync(Db, cancellationToken);
        var input = new WorkspaceSettingsInput
        {
            Name = Form.Name ?? "",
            Currency = (Form.Currency ?? "").Trim().ToUpperInvariant(),
            FiscalYearStartMonth = Form.FiscalYearStartMonth,
            TimeZone = (Form.TimeZone ?? "").Trim(),
            DealSizeFactor = Form.DealSizeFactor,
            ReferenceUsesPerQuarter = Form.ReferenceUsesPerQuarter,
            UsageWeeklyActiveUsers = Form.UsageWeeklyActiveUsers,
            UsageEmployeeSharePercent = Form.UsageEmployeeSharePercent,
            SelfServiceResponseMinutes = Form.SelfServiceResponseMinutes,
            InsideResponseMinutes = Form.InsideResponseMinutes,
            FieldResponseMinutes = Form.FieldResponseMinutes,
        };
        var saved = await input.ApplyAsync(Db, cancellationToken);
        return saved.Currency == before
            ? "The workspace settings are saved."
            : $"The workspace currency is {saved.Currency} now. Exchange rates are relative to it: check them (each says what one unit of a currency is worth in {saved.Currency}).";
    }, () => LoadAsync(cancellationToken));

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Stored = await WorkspaceSettings.LoadAsync(Db, cancellationToken);
        Rates = await Db.ExchangeRates.CountAsync(cancellationToken);
    }
}
