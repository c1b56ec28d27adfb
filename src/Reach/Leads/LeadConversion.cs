using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Leads;

/// <summary>
/// Turns a qualified lead into an account (one chosen, else the existing one when its domain is known, else a new
/// one), a contact (one of the account's chosen, else a new one from the lead) and, when asked, a deal. Each record is
/// made through its input (<see cref="AccountInput"/>, <see cref="ContactInput"/>, <see cref="DealInput"/>), so the
/// same rules apply as everywhere: the deal goes to the pipeline DealInput picks for the account's channel, in the
/// workspace currency. The lead's source and campaign go to the deal, and to the account when it has none. One transaction.
/// </summary>
public static class LeadConversion
{
    public sealed record Result(Account Account, Contact Contact, Deal? Deal);

    /// <summary>What the person converting chose; all optional but the currency.</summary>
    public sealed record Choices
    {
        /// <summary>The deal's currency: the workspace's (WorkspaceSettings.CurrencyAsync).</summary>
        public required string Currency { get; init; }

        /// <summary>An existing account; none: the account of the lead's domain, else a new one named <see cref="AccountName"/>.</summary>
        public Guid? AccountId { get; init; }
        public string? AccountName { get; init; }

        /// <summary>An existing contact of the account; none: a new one from the lead.</summary>
        public Guid? ContactId { get; init; }
        public bool WithDeal { get; init; }
        public string? DealName { get; init; }
        public decimal? Amount { get; init; }
        public DateOnly? ExpectedClose { get; init; }
    }

    public static async Task<Result> ConvertAsync(ReachDb db, Lead lead, Choices choices, CancellationToken cancellationToken)
    {
        if (lead.Status == LeadStatus.Converted)
            throw new InputException("status", "This lead is converted already.");
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var account = await AccountAsync(db, lead, choices, cancellationToken);
            // Saved before the contact and deal, whose inputs check that their account exists.
            await db.SaveChangesAsync(cancellationToken);
            var contact = await ContactAsync(db, lead, account, choices.ContactId, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            Deal? deal = null;
            if (choices.WithDeal)
            {
                var input = new DealInput
                {
                    Name = string.IsNullOrWhiteSpace(choices.DealName) ? $"{account.Name} — new business" : choices.DealName.Trim(),
                    AccountId = account.Id,
                    PrimaryContactId = contact.Id,
                    Amount = choices.Amount ?? 0,
                    Currency = choices.Currency,
                    Channel = account.Channel ?? DealInput.DefaultChannel,
                    ExpectedClose = choices.ExpectedClose,
                    Source = lead.Source,
                    Campaign = lead.Campaign,
                    OwnerId = lead.OwnerId,
                };
                deal = await AddAsync<Deal, DealInput>(db, input, cancellationToken);
            }
            lead.Status = LeadStatus.Converted;
            lead.ConvertedAccountId = account.Id;
            lead.ConvertedContactId = contact.Id;
            lead.ConvertedDealId = deal?.Id;
            await db.SaveChangesAsync(cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return new Result(account, contact, deal);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    static async Task<Account> AccountAsync(ReachDb db, Lead lead, Choices choices, CancellationToken cancellationToken)
    {
        var domain = Account.NormaliseDomain(lead.Domain ?? lead.Email?.Split('@').LastOrDefault());
        var account = choices.AccountId is { } id
            ? await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new InputException("accountId", $"No account has the id {id}.")
            : domain is null ? null : await db.Accounts.FirstOrDefaultAsync(a => a.Domain == domain, cancellationToken);
        if (account is not null)
        {
            // An existing account keeps where it came from; one without a source learns it from this lead.
            if (account.Source is null && account.Campaign is null)
            {
                var input = AccountInput.From(account) with { Source = lead.Source, Campaign = lead.Campaign };
                InputRules.Validate(input);
                await ((IRecordInput<Account, AccountInput>)input).ApplyAsync(db, account, cancellationToken);
            }
            return account;
        }
        return await AddAsync<Account, AccountInput>(db, new AccountInput
        {
            Name = string.IsNullOrWhiteSpace(choices.AccountName) ? lead.Company ?? domain ?? $"{lead.FirstName} {lead.LastName}".Trim() : choices.AccountName.Trim(),
            Domain = domain,
            Employees = lead.Employees,
            ExpectedAcv = lead.ExpectedAcv,
            Industry = lead.Industry,
            Source = lead.Source,
            Campaign = lead.Campaign,
            OwnerId = lead.OwnerId,
        }, cancellationToken);
    }

    static async Task<Contact> ContactAsync(ReachDb db, Lead lead, Account account, Guid? contactId, CancellationToken cancellationToken)
    {
        if (contactId is { } id)
            return await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } chosen && chosen.AccountId == account.Id
                ? chosen
                : throw new InputException("contactId", $"The contact {id} is not one of {account.Name}'s contacts.");
        return await AddAsync<Contact, ContactInput>(db, new ContactInput
        {
            FirstName = lead.FirstName,
            LastName = lead.LastName,
            Email = lead.Email,
            Phone = lead.Phone,
            Title = lead.Title,
            AccountId = account.Id,
            OwnerId = lead.OwnerId,
        }, cancellationToken);
    }

    static async Task<TEntity> AddAsync<TEntity, TInput>(ReachDb db, TInput input, CancellationToken cancellationToken)
        where TEntity : class where TInput : IRecordInput<TEntity, TInput>
    {
        InputRules.Validate(input);
        var record = input.ToNew();
        await input.ApplyAsync(db, record, cancellationToken);
        db.Add(record);
        return record;
    }
}
