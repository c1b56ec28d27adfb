using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Pages.Deals;

/// <summary>A new deal (from the list, an account's or a contact's page): <see cref="DealInput"/>'s fields and rules, in the workspace currency by default.</summary>
public sealed class NewModel(ReachDb db) : RecordPage(db)
{
    public List<(Guid Id, string Name)> Accounts { get; private set; } = [];
    public List<(Guid Id, string Name)> Contacts { get; private set; } = [];

    [BindProperty] public DealForm Form { get; set; } = new();

    public sealed class DealForm
    {
        public string? Name { get; set; }
        public Guid? AccountId { get; set; }
        public Guid? PrimaryContactId { get; set; }
        public string? Amount { get; set; }
        public string? Currency { get; set; }
        public Channel? Channel { get; set; }
        public string? ExpectedClose { get; set; }
        public DealKind Kind { get; set; }
        public string? NextStep { get; set; }

        /// <summary>Chosen by the board's "+" of a column: the deal starts in that pipeline and stage.</summary>
        public Guid? PipelineId { get; set; }
        public Guid? StageId { get; set; }
    }

    public async Task OnGetAsync(Guid? accountId, Guid? contactId, Guid? pipelineId, Guid? stageId, CancellationToken cancellationToken)
    {
        if (contactId is not null && accountId is null)
            accountId = await Db.Contacts.Where(c => c.Id == contactId).Select(c => c.AccountId).FirstOrDefaultAsync(cancellationToken);
        Form = new DealForm { AccountId = accountId, PrimaryContactId = contactId, PipelineId = pipelineId, StageId = stageId, Currency = await Reach.Access.WorkspaceSettings.CurrencyAsync(Db, cancellationToken) };
        if (accountId is not null)
        {
            var account = await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
            Form.Channel = account?.Channel;
            Form.Name = account is null ? null : $"{account.Name} — new business";
        }
        await LoadChoicesAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Deal? deal = null;
        var saved = !UnreadableFields(nameof(Form)) && await SaveAsync(async () =>
        {
            var accountChannel = Form.AccountId is { } a ? await Db.Accounts.Where(x => x.Id == a).Select(x => x.Channel).FirstOrDefaultAsync(cancellationToken) : null;
            var input = new DealInput
            {
                Name = Form.Name,
                AccountId = Form.AccountId,
                PrimaryContactId = Form.PrimaryContactId,
                Amount = DecimalOf(Form.Amount, "amount"),
                Currency = TextOf(Form.Currency)?.ToUpperInvariant(),
                // A pipeline chosen on the board decides the channel; else the same default as a lead's conversion:
                // the account's channel, else DealInput's default.
                Channel = Form.PipelineId is null ? Form.Channel ?? accountChannel ?? DealInput.DefaultChannel : Form.Channel,
                PipelineId = Form.PipelineId,
                StageId = Form.StageId,
                ExpectedClose = DateOf(Form.ExpectedClose, "expectedClose"),
                Kind = Form.Kind,
                NextStep = TextOf(Form.NextStep),
            };
            deal = await AddAsync<Deal, DealInput>(input, cancellationToken);
            await Db.SaveChangesAsync(cancellationToken);
        });
        if (!saved)
        {
            await LoadChoicesAsync(cancellationToken);
            return Page();
        }
        TempData[Flash.Notice] = $"Deal “{deal!.Name}” created.";
        return Redirect($"/Deals/{deal.Id}");
    }

    async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        var chosen = Form.AccountId;
        Accounts = [.. (await Db.Accounts.AsNoTracking().OrderBy(a => a.Id == chosen ? 0 : 1).ThenBy(a => a.Name).Take(500).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name)).OrderBy(a => a.Name)];
        Contacts = chosen is null ? [] : [.. (await Db.Contacts.AsNoTracking().Where(c => c.AccountId == chosen).OrderBy(c => c.LastName)
            .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(cancellationToken)).Select(c => (c.Id, $"{c.FirstName} {c.LastName}".Trim()))];
    }
}
