using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Leads;

namespace Reach.Web.Pages.Leads;

/// <summary>A lead: its fields, activities and tasks, and its conversion as a short form (account, contact, deal or not).</summary>
public sealed class DetailModel(ReachDb db) : RecordPage(db)
{
    public Lead Lead { get; private set; } = null!;
    public string? OwnerName { get; private set; }
    public List<Activity> Activities { get; private set; } = [];
    public Dictionary<Guid, string> Authors { get; private set; } = [];
    public List<(Guid Id, string Name)> Accounts { get; private set; } = [];
    public List<(Guid Id, string Name)> Contacts { get; private set; } = [];
    public string Currency { get; private set; } = Metrics.MetricService.DefaultCurrency;
    public bool ConvertOpen { get; private set; }

    [BindProperty] public ConvertForm Convert { get; set; } = new();

    public sealed class ConvertForm
    {
        public Guid? AccountId { get; set; }
        public string? AccountName { get; set; }
        public Guid? ContactId { get; set; }
        public bool WithDeal { get; set; } = true;
        public string? DealName { get; set; }
        public string? Amount { get; set; }
        public string? ExpectedClose { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, bool convert, Guid? accountId, CancellationToken cancellationToken)
    {
        Currency = await WorkspaceSettings.CurrencyAsync(Db, cancellationToken);
        // A deleted lead still opens, read-only, with its undo; nothing is posted to it until it is restored.
        if (!await LoadAsync(id, cancellationToken, evenTrashed: true))
            return NotFound();
        ConvertOpen = convert;
        var domain = Reach.Accounts.Account.NormaliseDomain(Lead.Domain ?? Lead.Email?.Split('@').LastOrDefault());
        Convert = new ConvertForm
        {
            AccountId = accountId ?? (domain is null ? null : await Db.Accounts.Where(a => a.Domain == domain).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken)),
            AccountName = Lead.Company,
            ExpectedClose = DateOnly.FromDateTime(Db.UtcNow).AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Amount = Lead.ExpectedAcv?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        };
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    /// <summary>The contacts of an account the user may see, for the conversion form's contact list (JSON, as the script asks).</summary>
    public async Task<IActionResult> OnGetContactsAsync(Guid id, Guid accountId, CancellationToken cancellationToken)
    {
        if (!await Db.Leads.AnyAsync(l => l.Id == id, cancellationToken))
            return NotFound();
        Convert.AccountId = accountId;
        await LoadChoicesAsync(cancellationToken);
        return new JsonResult(Contacts.Select(c => new { id = c.Id, name = c.Name }));
    }

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        await LogAsync(null, null, null, id, cancellationToken);
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostConvertAsync(Guid id, CancellationToken cancellationToken)
    {
        Currency = await WorkspaceSettings.CurrencyAsync(Db, cancellationToken);
        var lead = await Db.Leads.FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
            return NotFound();
        LeadConversion.Result? result = null;
        var converted = !UnreadableFields(nameof(Convert)) && await SaveAsync(async () =>
        {
            var choices = new LeadConversion.Choices
            {
                Currency = Currency,
                AccountId = Convert.AccountId,
                AccountName = TextOf(Convert.AccountName),
                ContactId = Convert.ContactId,
                WithDeal = Convert.WithDeal,
                DealName = TextOf(Convert.DealName),
                Amount = DecimalOf(Convert.Amount, "amount"),
                ExpectedClose = DateOf(Convert.ExpectedClose, "expectedClose"),
            };
            result = await LeadConversion.ConvertAsync(Db, lead, choices, cancellationToken);
        });
        if (converted)
        {
            TempData[Flash.Notice] = result!.Deal is { } deal
                ? $"Converted: {result.Contact.FullName} at {result.Account.Name}, and the deal “{deal.Name}”."
                : $"Converted: {result.Contact.FullName} at {result.Account.Name}.";
            return Redirect(result.Deal is { } d ? $"/Deals/{d.Id}" : $"/Accounts/{result.Account.Id}");
        }
        await LoadAsync(id, cancellationToken);
        ConvertOpen = true;
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool evenTrashed = false)
    {
        var leads = evenTrashed ? Db.Leads.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]) : Db.Leads;
        var lead = await leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
            return false;
        Lead = lead;
        OwnerName = lead.OwnerId is { } owner ? await Db.Users.Where(u => u.Id == owner).Select(u => u.Name).FirstOrDefaultAsync(cancellationToken) : null;
        Activities = await Db.Activities.AsNoTracking().Where(a => a.LeadId == id && a.DueAt == null).OrderByDescending(a => a.OccurredAt).Take(100).ToListAsync(cancellationToken);
        Authors = await Timeline.AuthorsAsync(Db, Activities, cancellationToken);
        OwnerChoices = await RecordChanges.OwnerChoicesAsync(Db, Actor, cancellationToken);
        return true;
    }

    async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var chosen = Convert.AccountId;
        Accounts = [.. (await Db.Accounts.AsNoTracking().OrderBy(a => a.Id == chosen ? 0 : 1).ThenBy(a => a.Name).Take(500).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name)).OrderBy(a => a.Name)];
        Contacts = chosen is null ? [] : [.. (await Db.Contacts.AsNoTracking().Where(c => c.AccountId == chosen).OrderBy(c => c.LastName)
            .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(cancellationToken)).Select(c => (c.Id, $"{c.FirstName} {c.LastName}".Trim()))];
    }
}
