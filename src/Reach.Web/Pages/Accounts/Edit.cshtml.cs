using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Routing;

namespace Reach.Web.Pages.Accounts;

/// <summary>A new account, or an account's edit: the fields of <see cref="AccountInput"/>, checked by its rules.</summary>
public sealed class EditModel(ReachDb db) : RecordPage(db)
{
    public Guid? Id { get; private set; }

    [BindProperty] public AccountForm Form { get; set; } = new();

    public sealed class AccountForm
    {
        public string? Name { get; set; }
        public string? Domain { get; set; }
        public string? Employees { get; set; }
        public string? AnnualRevenue { get; set; }
        public string? ExpectedAcv { get; set; }
        public string? Industry { get; set; }
        public string? Region { get; set; }
        public Tier? Tier { get; set; }
        public Channel? Channel { get; set; }
        public Lifecycle Lifecycle { get; set; } = Lifecycle.Prospect;
        public long Version { get; set; }
    }

    /// <summary><paramref name="domain"/> prefills a new account's name and domain (a candidate account of the usage view).</summary>
    public async Task<IActionResult> OnGetAsync(Guid? id, string? domain, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is null)
        {
            if (Account.NormaliseDomain(domain) is { } d)
                Form = new AccountForm { Name = d, Domain = d };
            return Page();
        }
        var a = await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (a is null)
            return NotFound();
        if (RefuseChange(a.OwnerId, "account") is { } refused)
            return refused;
        Form = new AccountForm
        {
            Name = a.Name,
            Domain = a.Domain,
            Employees = a.Employees?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnnualRevenue = a.AnnualRevenue?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            ExpectedAcv = a.ExpectedAcv?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            Industry = a.Industry,
            Region = a.Region,
            Tier = HandSetTier.Of(a),
            Channel = a.Channel,
            Lifecycle = a.Lifecycle,
            Version = a.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        var account = id is null ? null : await Db.Accounts.FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (id is not null && account is null)
            return NotFound();
        if (RefuseChange(account?.OwnerId, "account") is { } refused)
            return refused;
        if (UnreadableFields(nameof(Form)))
            return Page();
        var saved = await SaveAsync(async () =>
        {
            var input = (account is null ? new AccountInput() : AccountInput.From(account)) with
            {
                Name = Form.Name,
                Domain = TextOf(Form.Domain),
                Employees = IntOf(Form.Employees, "employees"),
                AnnualRevenue = DecimalOf(Form.AnnualRevenue, "annualRevenue"),
                ExpectedAcv = DecimalOf(Form.ExpectedAcv, "expectedAcv"),
                Industry = TextOf(Form.Industry),
                Region = TextOf(Form.Region),
                Tier = Form.Tier,
                Channel = Form.Channel,
                Lifecycle = Form.Lifecycle,
            };
            if (account is null)
            {
                account = await AddAsync<Account, AccountInput>(input, cancellationToken);
                await Db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                InputRules.Validate(input);
                await ((IRecordInput<Account, AccountInput>)input).ApplyAsync(Db, account, cancellationToken);
                if (!await Db.SaveIfUnchangedAsync(account, Form.Version, cancellationToken))
                    throw RecordVersion.Stale("account");
            }
        });
        if (!saved)
            return Page();
        TempData[Flash.Notice] = id is null ? $"Account “{account!.Name}” created." : "Saved.";
        return Redirect($"/Accounts/{account!.Id}");
    }
}
