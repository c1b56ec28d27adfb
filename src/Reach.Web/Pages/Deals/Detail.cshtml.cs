using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Audit;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;

namespace Reach.Web.Pages.Deals;

/// <summary>A deal: its facts and edit form, stage history, activities and changes.</summary>
public sealed class DetailModel(ReachDb db) : RecordPage(db)
{
    public Deal Deal { get; private set; } = null!;
    public List<Stage> Stages { get; private set; } = [];
    public List<(DealStageChange Change, string? From, string To)> History { get; private set; } = [];
    public List<Activity> Activities { get; private set; } = [];
    public List<AuditEntry> Changes { get; private set; } = [];
    public AuditText AuditText { get; private set; } = new(new Dictionary<Guid, string>());
    public string? OwnerName { get; private set; }
    public Reach.Forecasting.DealOutlook? Outlook { get; private set; }

    [BindProperty] public EditForm Edit { get; set; } = new();

    public sealed class EditForm
    {
        public string? Name { get; set; }
        public string? Amount { get; set; }
        public string? Currency { get; set; }
        public string? ExpectedClose { get; set; }
        public string? NextStep { get; set; }
        public ForecastCategory ForecastCategory { get; set; }
        public Guid StageId { get; set; }
        public string? LostReason { get; set; }
        public long Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Edit = new EditForm
        {
            Name = Deal.Name,
            Amount = Deal.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Currency = Deal.Currency,
            ExpectedClose = Deal.ExpectedClose?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            NextStep = Deal.NextStep,
            ForecastCategory = Deal.ForecastCategory,
            StageId = Deal.StageId,
            LostReason = Deal.LostReason,
            Version = Deal.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        var saved = await SaveAsync(async () =>
        {
            if (!decimal.TryParse(Edit.Amount, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var amount))
                throw new InputException("amount", $"'{Edit.Amount}' is not an amount; write it like 12000 or 12000.50.");
            DateOnly? close = null;
            if (!string.IsNullOrWhiteSpace(Edit.ExpectedClose))
                close = DateOnly.TryParseExact(Edit.ExpectedClose, "yyyy-MM-dd", out var d) ? d : throw new InputException("expectedClose", $"'{Edit.ExpectedClose}' is not a date such as 2027-01-31.");
            var input = DealInput.From(deal) with
            {
                Name = Edit.Name,
                Amount = amount,
                Currency = Edit.Currency?.Trim().ToUpperInvariant(),
                ExpectedClose = close,
                NextStep = string.IsNullOrWhiteSpace(Edit.NextStep) ? null : Edit.NextStep.Trim(),
                ForecastCategory = Edit.ForecastCategory,
                StageId = Edit.StageId,
                LostReason = Edit.LostReason,
            };
            InputRules.Validate(input);
            await input.ApplyAsync(Db, deal, cancellationToken);
            Db.Entry(deal).Property(d => d.Version).OriginalValue = Edit.Version;
            try
            {
                await Db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new InputException("version", "Someone changed this deal since you opened it. Your changes are still in the form: reload in another tab to compare, then save again.");
            }
            Notice = "Saved.";
        });
        await LoadAsync(id, cancellationToken);
        if (saved)
            return Redirect($"/Deals/{id}?saved=1");
        return Page();
    }

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (await LogAsync(Deal.AccountId, Deal.PrimaryContactId, Deal.Id, null, cancellationToken))
            await LoadAsync(id, cancellationToken);
        Edit = new EditForm { Name = Deal.Name, Amount = Deal.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), Currency = Deal.Currency, ExpectedClose = Deal.ExpectedClose?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), NextStep = Deal.NextStep, ForecastCategory = Deal.ForecastCategory, StageId = Deal.StageId, LostReason = Deal.LostReason, Version = Deal.Version };
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.AsNoTracking().Include(d => d.Account).Include(d => d.Stage).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return false;
        Deal = deal;
        Stages = await Db.Stages.AsNoTracking().Where(s => s.PipelineId == deal.PipelineId).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        var names = Stages.ToDictionary(s => s.Id, s => s.Name);
        var changes = await Db.DealStageChanges.AsNoTracking().Where(c => c.DealId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        History = [.. changes.Select(c => (c, c.FromStageId is { } f ? names.GetValueOrDefault(f) : null, names.GetValueOrDefault(c.ToStageId) ?? "?"))];
        Activities = await Db.Activities.AsNoTracking().Where(a => a.DealId == id).OrderByDescending(a => a.OccurredAt).Take(50).ToListAsync(cancellationToken);
        Changes = await Db.AuditEntries.AsNoTracking().Where(e => e.EntityId == id).OrderByDescending(e => e.Id).Take(30).ToListAsync(cancellationToken);
        AuditText = await AuditText.LoadAsync(Db, cancellationToken);
        var outlooks = deal.Status == DealStatus.Open
            ? await Reach.Forecasting.Forecaster.AssessAsync(Db, Db.UtcNow, Reach.Forecasting.PeriodKind.Month, [id], cancellationToken: cancellationToken)
            : [];
        Outlook = outlooks.Count > 0 ? outlooks[0] : null;
        OwnerName = deal.OwnerId is { } owner ? await Db.Users.Where(u => u.Id == owner).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) : null;
        return true;
    }

}
