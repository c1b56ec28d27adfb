using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Leads;

/// <summary>
/// Turns a qualified lead into an account (the existing one when its domain is known), a contact
/// and, when asked, a deal in the pipeline of the account's channel. One transaction.
/// </summary>
public static class LeadConversion
{
    public sealed record Result(Account Account, Contact Contact, Deal? Deal);

    public static async Task<Result> ConvertAsync(ReachDb db, Lead lead, bool withDeal, CancellationToken cancellationToken)
    {
        if (lead.Status == LeadStatus.Converted)
            throw new InputException("status", "This lead is converted already.");
        var domain = Account.NormaliseDomain(lead.Domain ?? lead.Email?.Split('@').LastOrDefault());
        var account = domain is null ? null : await db.Accounts.FirstOrDefaultAsync(a => a.Domain == domain, cancellationToken);
        if (account is null)
        {
            account = new Account
            {
                Name = lead.Company ?? domain ?? $"{lead.FirstName} {lead.LastName}".Trim(),
                Domain = domain,
                Employees = lead.Employees,
                ExpectedAcv = lead.ExpectedAcv,
                Industry = lead.Industry,
                OwnerId = lead.OwnerId,
            };
            db.Accounts.Add(account);
        }
        var contact = new Contact
        {
            FirstName = lead.FirstName,
            LastName = lead.LastName,
            Email = lead.Email,
            Phone = lead.Phone,
            Title = lead.Title,
            AccountId = account.Id,
            OwnerId = lead.OwnerId,
        };
        db.Contacts.Add(contact);
        Deal? deal = null;
        if (withDeal)
        {
            var channel = account.Channel ?? Channel.Inside;
            var pipeline = await db.Pipelines.Include(p => p.Stages).Where(p => p.Channel == channel).OrderBy(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InputException("channel", $"No pipeline sells through {channel}; create one first.");
            var first = pipeline.Stages.OrderBy(s => s.Position).First();
            deal = new Deal
            {
                Name = $"{account.Name} — new business",
                AccountId = account.Id,
                PrimaryContactId = contact.Id,
                Currency = "EUR",
                PipelineId = pipeline.Id,
                Channel = pipeline.Channel,
                OwnerId = lead.OwnerId,
            };
            var change = deal.MoveTo(first, db.UtcNow, null);
            change.FromStageId = null;
            db.Deals.Add(deal);
            db.DealStageChanges.Add(change);
        }
        lead.Status = LeadStatus.Converted;
        lead.ConvertedAccountId = account.Id;
        lead.ConvertedContactId = contact.Id;
        lead.ConvertedDealId = deal?.Id;
        await db.SaveChangesAsync(cancellationToken);
        return new Result(account, contact, deal);
    }
}
