using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Activities;
using Reach.Audit;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Products;

namespace Reach.Web.Pages.Deals;

/// <summary>
/// The deal page a rep lives on: the deal's facts and edit form, its cast of characters with their roles and the
/// coverage line, its line items (which make the amount), the next activity and tasks (one form schedules them), every activity with its notes (each edited, deleted or reopened in place), and the
/// story of the deal in words. Every change goes through the same inputs as the API; every post redirects (PRG).
/// </summary>
public sealed class DetailModel(ReachDb db) : RecordPage(db)
{
    public Deal Deal { get; private set; } = null!;
    public List<Stage> Stages { get; private set; } = [];
    public List<Activity> Activities { get; private set; } = [];

    /// <summary>The injected clock's now, for how long the deal has sat in its stage.</summary>
    public DateTime Now { get; private set; }
    public List<(DateTime At, string Text)> Story { get; private set; } = [];
    public Dictionary<Guid, string> UserNames { get; private set; } = [];
    public string? OwnerName { get; private set; }
    public Reach.Forecasting.DealOutlook? Outlook { get; private set; }
    public List<(DealContact Link, Contact Contact)> Cast { get; private set; } = [];
    public IReadOnlyList<ContactRole> MissingRoles { get; private set; } = [];
    public List<Contact> CandidateContacts { get; private set; } = [];
    public List<Product> Products { get; private set; } = [];
    public Dictionary<Guid, string> ProductNames { get; private set; } = [];
    public List<string> LostReasons { get; private set; } = [];
    public List<(Guid Id, string Name)> PossibleOwners { get; private set; } = [];
    public bool CanChange { get; private set; }
    public bool CanReassign { get; private set; }

    /// <summary>The playbook items that fit the deal and the Q&amp;A search (<c>?qa=</c>).</summary>
    public Reach.Web.Pages.Playbook.DealPlaybookView? Playbook { get; private set; }

    /// <summary>The competitive matrix's competitors, the choices of the deal's competitor (plus the one it names, if no longer listed).</summary>
    public List<string> Competitors { get; private set; } = [];

    [BindProperty] public EditForm Edit { get; set; } = new();
    [BindProperty] public CastForm CastInput { get; set; } = new();
    [BindProperty] public LineForm Line { get; set; } = new();

    public sealed class EditForm
    {
        public string? Name { get; set; }
        public string? Amount { get; set; }
        public string? Currency { get; set; }
        public string? ExpectedClose { get; set; }
        public string? NextStep { get; set; }
        public string? Competitor { get; set; }
        public ForecastCategory ForecastCategory { get; set; }
        public Guid StageId { get; set; }
        public string? LostReason { get; set; }
        public long Version { get; set; }
    }

    public sealed class CastForm
    {
        public Guid? ContactId { get; set; }
        public ContactRole? Role { get; set; }
    }

    public sealed class LineForm
    {
        public Guid? ItemId { get; set; }
        public Guid? ProductId { get; set; }
        public string? Quantity { get; set; }
        public string? UnitPrice { get; set; }
        public string? DiscountPercent { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        FillEdit();
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        var saved = await SaveAsync(async () =>
        {
            if (!decimal.TryParse(Edit.Amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                throw new InputException("amount", $"'{Edit.Amount}' is not an amount; write it like 12000 or 12000.50.");
            DateOnly? close = null;
            if (!string.IsNullOrWhiteSpace(Edit.ExpectedClose))
                close = DateOnly.TryParseExact(Edit.ExpectedClose, "yyyy-MM-dd", out var d) ? d : throw new InputException("expectedClose", $"'{Edit.ExpectedClose}' is not a date such as 2027-01-31.");
            var stage = await Db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == Edit.StageId, cancellationToken);
            var lost = stage?.Outcome == StageOutcome.Lost;
            if (stage is not null && RecordChanges.LostWithoutReason(stage, Edit.LostReason) is { } why)
                throw new InputException("lostReason", why);
            var input = DealInput.From(deal) with
            {
                Name = Edit.Name,
                Amount = amount,
                Currency = Edit.Currency?.Trim().ToUpperInvariant(),
                ExpectedClose = close,
                NextStep = string.IsNullOrWhiteSpace(Edit.NextStep) ? null : Edit.NextStep.Trim(),
                Competitor = string.IsNullOrWhiteSpace(Edit.Competitor) ? null : Edit.Competitor,
                ForecastCategory = Edit.ForecastCategory,
                StageId = Edit.StageId,
                LostReason = lost ? Edit.LostReason : null,
            };
            InputRules.Validate(input);
            await input.ApplyAsync(Db, deal, cancellationToken);
            if (!await Db.SaveIfUnchangedAsync(deal, Edit.Version, cancellationToken))
                throw RecordVersion.Stale("deal");
        });
        if (saved)
            return Redirect($"/Deals/{id}?saved=1");
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostLogAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        if (await LogAsync(Deal.AccountId, Deal.PrimaryContactId, Deal.Id, null, cancellationToken))
            return Redirect($"/Deals/{id}?logged={Uri.EscapeDataString(Notice ?? "Logged.")}#activity-heading");
        FillEdit();
        return Page();
    }

    public async Task<IActionResult> OnPostCastAsync(Guid id, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "#cast-heading", async deal =>
        {
            if (CastInput.ContactId is null)
                throw new InputException("contactId", "Choose a contact.");
            if (CastInput.Role is null)
                throw new InputException("role", "Choose the part they play in this deal.");
            await new DealContactInput { ContactId = CastInput.ContactId, Role = CastInput.Role }.ApplyAsync(Db, deal, cancellationToken);
        }, cancellationToken);

    public async Task<IActionResult> OnPostUncastAsync(Guid id, Guid contactId, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "#cast-heading", async deal =>
        {
            var link = await Db.DealContacts.FirstOrDefaultAsync(l => l.DealId == deal.Id && l.ContactId == contactId, cancellationToken);
            if (link is not null)
                Db.DealContacts.Remove(link);
        }, cancellationToken);

    public async Task<IActionResult> OnPostLineAsync(Guid id, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "#lines-heading", async deal =>
        {
            await Db.Entry(deal).Collection(d => d.LineItems).LoadAsync(cancellationToken);
            var item = Line.ItemId is { } itemId ? deal.LineItems.FirstOrDefault(i => i.Id == itemId) ?? throw new InputException("line", "That line is no longer on the deal.") : new DealLineItem();
            var input = new DealLineItemInput
            {
                ProductId = Line.ProductId,
                Quantity = Number(Line.Quantity, "quantity") ?? 1,
                UnitPrice = Number(Line.UnitPrice, "unitPrice"),
                Discount = Number(Line.DiscountPercent, "discount") is { } percent ? percent / 100m : 0,
            };
            if (Line.ProductId is null)
                throw new InputException("productId", "Choose a product.");
            await input.ApplyAsync(Db, deal, item, cancellationToken);
        }, cancellationToken);

    public async Task<IActionResult> OnPostUnlineAsync(Guid id, Guid itemId, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "#lines-heading", async deal =>
        {
            await Db.Entry(deal).Collection(d => d.LineItems).LoadAsync(cancellationToken);
            if (deal.LineItems.FirstOrDefault(i => i.Id == itemId) is { } item)
            {
                DealLineItemInput.Remove(deal, item);
                Db.DealLineItems.Remove(item);
            }
        }, cancellationToken);

    public async Task<IActionResult> OnPostOwnerAsync(Guid id, Guid? ownerId, CancellationToken cancellationToken) =>
        await ChangeAsync(id, "", async deal =>
        {
            var input = DealInput.From(deal) with { OwnerId = ownerId };
            InputRules.Validate(input);
            await input.ApplyAsync(Db, deal, cancellationToken);
        }, cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        await SoftDelete.DeleteAsync(Db, deal, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        return Redirect($"/Deals/{id}?deleted=1");
    }

    public async Task<IActionResult> OnPostRestoreAsync(Guid id, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        if (deal.DeletedAt is not null)
        {
            await SoftDelete.RestoreAsync(Db, deal, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
        }
        return Redirect($"/Deals/{id}?restored=1");
    }

    /// <summary>Runs a change of the deal's parts and saves it; input errors come back beside their fields.</summary>
    async Task<IActionResult> ChangeAsync(Guid id, string anchor, Func<Deal, Task> change, CancellationToken cancellationToken)
    {
        var deal = await Db.Deals.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return NotFound();
        var saved = await SaveAsync(async () =>
        {
            await change(deal);
            await Db.SaveChangesAsync(cancellationToken);
        });
        if (saved)
            return Redirect($"/Deals/{id}?saved=1{anchor}");
        await LoadAsync(id, cancellationToken);
        FillEdit();
        return Page();
    }

    static decimal? Number(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text.Trim().TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InputException(field, $"'{text}' is not a number; write it like 12 or 12.5.");

    void FillEdit()
    {
        Edit = new EditForm
        {
            Name = Deal.Name,
            Amount = Deal.Amount.ToString("0.##", CultureInfo.InvariantCulture),
            Currency = Deal.Currency,
            ExpectedClose = Deal.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            NextStep = Deal.NextStep,
            Competitor = Deal.Competitor,
            ForecastCategory = Deal.ForecastCategory,
            StageId = Deal.StageId,
            LostReason = Deal.LostReason,
            Version = Deal.Version,
        };
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        // A deleted deal still shows (read-only), so its undo is one click away.
        var deal = await Db.Deals.IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).AsNoTracking().Include(d => d.Account).Include(d => d.Stage).Include(d => d.LineItems)
            .FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deal is null)
            return false;
        Deal = deal;
        Stages = await Db.Stages.AsNoTracking().Where(s => s.PipelineId == deal.PipelineId).OrderBy(s => s.Position).ToListAsync(cancellationToken);
        UserNames = await Db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        OwnerName = deal.OwnerId is { } owner ? UserNames.GetValueOrDefault(owner) : null;
        CanChange = deal.DeletedAt is null && (deal.OwnerId is null || Actor.AnswersFor(deal.OwnerId));
        CanReassign = CanChange && Actor.Role != UserRole.Rep;
        if (CanReassign)
            PossibleOwners = [.. (await Db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(cancellationToken))
                .Where(u => Actor.AnswersFor(u.Id)).Select(u => (u.Id, u.Name))];

        var links = await Db.DealContacts.AsNoTracking().Where(l => l.DealId == id).OrderBy(l => l.AddedAt).ToListAsync(cancellationToken);
        var linkedIds = links.Select(l => l.ContactId).ToList();
        var contacts = await Db.Contacts.AsNoTracking().Where(c => linkedIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        Cast = [.. links.Where(l => contacts.ContainsKey(l.ContactId)).Select(l => (l, contacts[l.ContactId]))];
        // A new deal's primary contact counts with their own role until someone casts them on the deal.
        var primaryRole = deal.PrimaryContactId is { } primaryId && !linkedIds.Contains(primaryId)
            ? await Db.Contacts.AsNoTracking().Where(c => c.Id == primaryId).Select(c => (ContactRole?)c.Role).FirstOrDefaultAsync(cancellationToken)
            : null;
        MissingRoles = DealContact.Missing(Cast.Select(c => c.Link.Role).Concat(primaryRole is { } role ? new[] { role } : []));
        CandidateContacts = await Db.Contacts.AsNoTracking().Where(c => c.AccountId == deal.AccountId && !linkedIds.Contains(c.Id))
            .OrderBy(c => c.FirstName).ThenBy(c => c.LastName).Take(200).ToListAsync(cancellationToken);
        Products = await Db.Products.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var productIds = deal.LineItems.Select(i => i.ProductId).ToList();
        ProductNames = await Db.Products.IgnoreQueryFilters().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        LostReasons = await Db.LostReasons.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).Select(r => r.Name).ToListAsync(cancellationToken);
        if (deal.LostReason is { } current && !LostReasons.Contains(current))
            LostReasons.Add(current);

        var now = Now = Db.UtcNow;
        // What was done; what is still to do is in the deal's tasks (RecordTasks), the next one first.
        Activities = await Db.Activities.AsNoTracking().Where(a => a.DealId == id && (a.CompletedAt != null || a.DueAt == null))
            .OrderByDescending(a => a.OccurredAt).Take(100).ToListAsync(cancellationToken);

        // The story: stage moves with who made them, then every other change of the deal, newest first.
        var names = Stages.ToDictionary(s => s.Id, s => s.Name);
        var moves = await Db.DealStageChanges.AsNoTracking().Where(c => c.DealId == id).ToListAsync(cancellationToken);
        var changes = await Db.AuditEntries.AsNoTracking().Where(e => e.EntityId == id).OrderByDescending(e => e.Id).Take(60).ToListAsync(cancellationToken);
        var text = await AuditText.LoadAsync(Db, cancellationToken, [.. changes.SelectMany(AuditText.IdsIn).Distinct()]);
        Story = [.. moves.Select(m => (m.At, MoveText(m, names)))
            .Concat(changes.Select(e => (e.At, Text: Without(e, "stageId") is { } rest ? text.Sentence(rest) : null)).Where(e => e.Text is not null).Select(e => (e.At, e.Text!)))
            .OrderByDescending(s => s.At)];

        var outlooks = deal.Status == DealStatus.Open && deal.DeletedAt is null
            ? await Reach.Forecasting.Forecaster.AssessAsync(Db, now, PeriodKind.Month, [id], cancellationToken: cancellationToken)
            : [];
        Outlook = outlooks.Count > 0 ? outlooks[0] : null;
        Playbook = await Reach.Web.Pages.Playbook.DealPlaybookView.LoadAsync(Db, deal, Request.Query["qa"].FirstOrDefault(), cancellationToken);
        Competitors = [.. Playbook.Matrix.Competitors.Select(c => c.Name)];
        if (deal.Competitor is { } named && !Competitors.Contains(named))
            Competitors.Add(named);
        deal.Oversized = (await Reach.Expansion.DealSizeGuardrail.LoadAsync(Db, cancellationToken)).Check(deal, deal.Account?.Segment);
        return true;
    }

    string MoveText(DealStageChange move, Dictionary<Guid, string> stages)
    {
        var who = move.ByUserId is { } by ? UserNames.GetValueOrDefault(by) ?? "Someone" : "Reach";
        var to = stages.GetValueOrDefault(move.ToStageId) ?? "another pipeline's stage";
        return move.FromStageId is { } from
            ? $"{who} moved it from {stages.GetValueOrDefault(from) ?? "another pipeline's stage"} to {to}"
            : $"{who} created it in {to}";
    }

    // Stage moves are told from the stage history (which names who moved it); the audit entry keeps the rest of its change.
    // A part's entry (a contact cast, a line added) is told whole.
    static AuditEntry? Without(AuditEntry entry, string field)
    {
        if (AuditText.IsDealPart(entry))
            return entry;
        if (entry.Action != AuditAction.Update)
            return entry.Action == AuditAction.Create ? null : entry;
        var changes = System.Text.Json.Nodes.JsonNode.Parse(entry.Changes) as System.Text.Json.Nodes.JsonObject ?? [];
        string[] told = [field, "status", "closedAt", "stageEnteredAt", "forecastCategory", "version", "updatedAt"];
        var moved = changes.ContainsKey(field);
        foreach (var key in told.Where(k => moved || k is "version" or "updatedAt"))
            changes.Remove(key);
        return changes.Count == 0 ? null : new AuditEntry { At = entry.At, ActorId = entry.ActorId, ActorName = entry.ActorName, Action = entry.Action, EntityType = entry.EntityType, EntityId = entry.EntityId, Changes = changes.ToJsonString() };
    }

    public string UserName(Guid? id) => id is { } user ? UserNames.GetValueOrDefault(user) ?? "someone" : "nobody";

    public static string Role(ContactRole role) => role switch
    {
        ContactRole.EconomicBuyer => "economic buyer",
        ContactRole.TechnicalBuyer => "technical buyer",
        _ => Format.Words(role),
    };

    public static string When(DateTime at) => at.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
}
