using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Leads;
using Reach.Routing;

namespace Reach.Web.Pages.Leads;

/// <summary>A new lead, or a lead's edit: <see cref="LeadInput"/>'s fields and rules.</summary>
public sealed class EditModel(ReachDb db) : RecordPage(db)
{
    public Guid? Id { get; private set; }

    [BindProperty] public LeadForm Form { get; set; } = new();

    public sealed class LeadForm
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? Title { get; set; }
        public string? Company { get; set; }
        public string? Domain { get; set; }
        public string? Employees { get; set; }
        public string? Industry { get; set; }
        public string? ExpectedAcv { get; set; }
        public LeadSource Source { get; set; } = LeadSource.Inbound;
        public string? Campaign { get; set; }
        public LeadStatus Status { get; set; } = LeadStatus.New;
        public Tier? Tier { get; set; }
        public long Version { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is null)
            return Page();
        var l = await Db.Leads.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (l is null)
            return NotFound();
        if (RefuseChange(l.OwnerId, "lead") is { } refused)
            return refused;
        Form = new LeadForm
        {
            FirstName = l.FirstName,
            LastName = l.LastName,
            Email = l.Email,
            Phone = l.Phone,
            Title = l.Title,
            Company = l.Company,
            Domain = l.Domain,
            Employees = l.Employees?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Industry = l.Industry,
            ExpectedAcv = l.ExpectedAcv?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            Source = l.Source,
            Campaign = l.Campaign,
            Status = l.Status,
            Tier = HandSetTier.Of(l),
            Version = l.Version,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        var lead = id is null ? null : await Db.Leads.FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (id is not null && lead is null)
            return NotFound();
        if (RefuseChange(lead?.OwnerId, "lead") is { } refused)
            return refused;
        var saved = !UnreadableFields(nameof(Form)) && await SaveAsync(async () =>
        {
            // A new lead's receivedAt is the moment it is saved (LeadInput.ApplyAsync).
            var input = (lead is null ? new LeadInput() : LeadInput.From(lead)) with
            {
                FirstName = Form.FirstName,
                LastName = TextOf(Form.LastName),
                Email = TextOf(Form.Email),
                Phone = TextOf(Form.Phone),
                Title = TextOf(Form.Title),
                Company = TextOf(Form.Company),
                Domain = TextOf(Form.Domain),
                Employees = IntOf(Form.Employees, "employees"),
                Industry = TextOf(Form.Industry),
                ExpectedAcv = DecimalOf(Form.ExpectedAcv, "expectedAcv"),
                Source = Form.Source,
                Campaign = TextOf(Form.Campaign),
                Status = lead?.Status == LeadStatus.Converted ? LeadStatus.Converted : Form.Status,
                Tier = Form.Tier,
            };
            if (lead is null)
            {
                lead = await AddAsync<Lead, LeadInput>(input, cancellationToken);
                await Db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                InputRules.Validate(input);
                await ((IRecordInput<Lead, LeadInput>)input).ApplyAsync(Db, lead, cancellationToken);
                if (!await Db.SaveIfUnchangedAsync(lead, Form.Version, cancellationToken))
                    throw RecordVersion.Stale("lead");
            }
        });
        if (!saved)
            return Page();
        TempData[Flash.Notice] = id is null ? $"Lead “{lead!.FirstName} {lead.LastName}” created." : "Saved.";
        return Redirect($"/Leads/{lead!.Id}");
    }
}
