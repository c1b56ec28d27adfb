using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Web.Pages.Contacts;

/// <summary>A new contact (from the list, or an account's page with the account chosen), or a contact's edit: <see cref="ContactInput"/>'s fields and rules.</summary>
public sealed class EditModel(ReachDb db) : RecordPage(db)
{
    public Guid? Id { get; private set; }
    public List<(Guid Id, string Name)> Accounts { get; private set; } = [];

    [BindProperty] public ContactForm Form { get; set; } = new();

    public sealed class ContactForm
    {
        public Guid? AccountId { get; set; }
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Title { get; set; }
        public ContactRole Role { get; set; }
        public string? CaresAbout { get; set; }
        public string? TimeZone { get; set; }
        public long Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid? id, Guid? accountId, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is null)
            Form.AccountId = accountId;
        else
        {
            var c = await Db.Contacts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
            if (c is null)
                return NotFound();
            if (RefuseChange(c.OwnerId, "contact") is { } refused)
                return refused;
            Form = new ContactForm
            {
                AccountId = c.AccountId,
                FirstName = c.FirstName,
                LastName = c.LastName,
                Email = c.Email,
                Phone = c.Phone,
                Title = c.Title,
                Role = c.Role,
                CaresAbout = c.CaresAbout,
                TimeZone = c.TimeZone,
                Version = c.Version,
            };
        }
        await LoadAccountsAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        var contact = id is null ? null : await Db.Contacts.FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (id is not null && contact is null)
            return NotFound();
        if (RefuseChange(contact?.OwnerId, "contact") is { } refused)
            return refused;
        var saved = !UnreadableFields(nameof(Form)) && await SaveAsync(async () =>
        {
            var input = (contact is null ? new ContactInput() : ContactInput.From(contact)) with
            {
                AccountId = Form.AccountId,
                FirstName = Form.FirstName,
                LastName = TextOf(Form.LastName),
                Email = TextOf(Form.Email),
                Phone = TextOf(Form.Phone),
                Title = TextOf(Form.Title),
                Role = Form.Role,
                CaresAbout = TextOf(Form.CaresAbout),
                TimeZone = TextOf(Form.TimeZone),
            };
            if (contact is null)
            {
                contact = await AddAsync<Contact, ContactInput>(input, cancellationToken);
                await Db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                InputRules.Validate(input);
                await ((IRecordInput<Contact, ContactInput>)input).ApplyAsync(Db, contact, cancellationToken);
                if (!await Db.SaveIfUnchangedAsync(contact, Form.Version, cancellationToken))
                    throw RecordVersion.Stale("contact");
            }
        });
        if (!saved)
        {
            await LoadAccountsAsync(cancellationToken);
            return Page();
        }
        TempData[Flash.Notice] = id is null ? $"Contact “{contact!.FullName}” created." : "Saved.";
        return Redirect($"/Contacts/{contact!.Id}");
    }

    async Task LoadAccountsAsync(CancellationToken cancellationToken)
    {
        // The chosen account first (it may not be among the first hundreds by name), then the others by name.
        var chosen = Form.AccountId;
        Accounts = [.. (await Db.Accounts.AsNoTracking().OrderBy(a => a.Id == chosen ? 0 : 1).ThenBy(a => a.Name).Take(500).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name)).OrderBy(a => a.Name)];
    }
}
