using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>
/// The weekly results and insights log: a rep writes their own week through <see cref="WeeklyLogInput"/> (as
/// <c>PUT /api/v1/weekly-logs/mine</c> does); a manager or admin reads the team's logs beside each rep's figures
/// (<see cref="TeamWeek"/>) and promotes an insight into the playbook through <see cref="InsightPromotion"/>.
/// </summary>
public sealed class WeekModel(ReachDb db) : RecordPage(db)
{
    public TeamWeekView View { get; private set; } = new(default, "", []);
    public bool CanPromote => AccessRules.MayChangePlaybook(Actor);
    public DateOnly ThisWeek { get; private set; }

    [BindProperty] public WeekForm Mine { get; set; } = new();
    [BindProperty] public PromoteForm Promotion { get; set; } = new();

    public sealed class WeekForm
    {
        public DateOnly? Week { get; set; }
        public string? Worked { get; set; }
        public string? DidNotWork { get; set; }
        public string? Insight { get; set; }
    }

    public sealed class PromoteForm
    {
        public Guid LogId { get; set; }
        public PlaybookKind Kind { get; set; } = PlaybookKind.DifficultQa;
        public string? Title { get; set; }
    }

    public async Task OnGetAsync(string? week, CancellationToken cancellationToken)
    {
        await LoadAsync(ParseWeek(week), cancellationToken);
        var own = View.Reps.FirstOrDefault(r => r.UserId == Actor.UserId)?.Log;
        Mine = new WeekForm { Week = View.Week, Worked = own?.Worked, DidNotWork = own?.DidNotWork, Insight = own?.Insight };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        WeeklyLog? log = null;
        var saved = !UnreadableFields(nameof(Mine)) && await SaveAsync(async () =>
            log = await new WeeklyLogInput { Week = Mine.Week, Worked = Mine.Worked, DidNotWork = Mine.DidNotWork, Insight = Mine.Insight }.ApplyAsync(Db, cancellationToken));
        if (saved)
        {
            TempData[Flash.Notice] = $"Your week of {log!.Week:d MMM yyyy} is saved.";
            return Redirect($"/Playbook/Week?week={log.Week:yyyy-MM-dd}");
        }
        await LoadAsync(Mine.Week ?? DateOnly.FromDateTime(Db.UtcNow), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPromoteAsync(CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(Actor);
        var log = await Db.WeeklyLogs.AsNoTracking().FirstOrDefaultAsync(l => l.Id == Promotion.LogId, cancellationToken);
        if (log is null)
            return NotFound();
        PlaybookItem? item = null;
        var saved = !UnreadableFields(nameof(Promotion)) && await SaveAsync(async () =>
            item = await new InsightPromotion { Kind = Promotion.Kind, Title = Promotion.Title }.ApplyAsync(Db, log, cancellationToken));
        if (saved)
        {
            TempData[Flash.Notice] = $"Promoted into the playbook as “{item!.Title}”.";
            return Redirect($"/Playbook/Week?week={log.Week:yyyy-MM-dd}");
        }
        await LoadAsync(log.Week, cancellationToken);
        Mine = new WeekForm { Week = View.Week };
        return Page();
    }

    DateOnly ParseWeek(string? week) =>
        DateOnly.TryParseExact(week ?? "", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : DateOnly.FromDateTime(Db.UtcNow);

    async Task LoadAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var now = Db.UtcNow;
        ThisWeek = WeeklyLog.WeekOf(now);
        View = await TeamWeek.BuildAsync(Db, day, now, cancellationToken);
    }

    /// <summary>A figure as read: money in the workspace's currency, a count as a whole number, none as a dash.</summary>
    public string Figure(WeekFigure figure) =>
        figure.Value is not { } v ? "—"
        : figure.Metric == "bookings" ? Money(v, View.Currency)
        : v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
