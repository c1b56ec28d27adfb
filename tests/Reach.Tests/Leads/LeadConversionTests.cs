using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Leads;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Leads;

/// <summary>A lead converted into account, contact and deal: the choices made, the workspace currency, DealInput's pipeline rule.</summary>
public abstract class LeadConversionTests(ReachServer server)
{
    async Task<Lead> NewLeadAsync(ReachDb db, string? domain = null, string? campaign = "Spring webinar")
    {
        _ = server.Http;
        var lead = new Lead
        {
            FirstName = "Ada",
            LastName = "Byrne",
            Email = $"ada-{Guid.NewGuid():N}@{domain ?? Guid.NewGuid().ToString("N")[..8] + ".example"}",
            Company = "Byrne Robotics",
            Domain = domain,
            Source = LeadSource.Event,
            Campaign = campaign,
            ReceivedAt = server.Clock.UtcNow,
        };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    [Fact]
    public async Task ConvertingWithADealUsesTheWorkspaceCurrencyAndTheChannelsFirstPipelineAndCarriesSourceAndCampaign()
    {
        await using var db = server.OpenDb();
        var lead = await NewLeadAsync(db);
        var close = new DateOnly(2030, 3, 31);

        var result = await LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "GBP", WithDeal = true, Amount = 24000m, ExpectedClose = close }, TestContext.Current.CancellationToken);

        var deal = result.Deal!;
        Assert.Equal("GBP", deal.Currency);
        Assert.Equal(24000m, deal.Amount);
        Assert.Equal(close, deal.ExpectedClose);
        Assert.Equal(LeadSource.Event, deal.Source);
        Assert.Equal("Spring webinar", deal.Campaign);
        var expected = await db.Pipelines.Where(p => p.Channel == Channel.Inside).OrderBy(p => p.CreatedAt).Select(p => p.Id).FirstAsync();
        Assert.Equal(expected, deal.PipelineId);
        Assert.Equal(LeadSource.Event, result.Account.Source);
        Assert.Equal("Byrne Robotics", result.Account.Name);
        Assert.Equal(result.Contact.Id, deal.PrimaryContactId);
        var stored = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id);
        Assert.Equal(LeadStatus.Converted, stored.Status);
        Assert.Equal(deal.Id, stored.ConvertedDealId);
        Assert.Single(await db.DealStageChanges.Where(c => c.DealId == deal.Id).ToListAsync());
    }

    [Fact]
    public async Task ConvertingIntoAChosenAccountAndContactCreatesNeitherAgain()
    {
        await using var db = server.OpenDb();
        var account = new Account { Name = "Chosen " + Guid.NewGuid().ToString("N")[..6], Channel = Channel.Field };
        db.Accounts.Add(account);
        var contact = new Reach.Contacts.Contact { FirstName = "Bea", AccountId = account.Id };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        var lead = await NewLeadAsync(db);
        var accounts = await db.Accounts.CountAsync();

        var result = await LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "EUR", AccountId = account.Id, ContactId = contact.Id, WithDeal = true }, TestContext.Current.CancellationToken);

        Assert.Equal(account.Id, result.Account.Id);
        Assert.Equal(contact.Id, result.Contact.Id);
        Assert.Equal(accounts, await db.Accounts.CountAsync());
        Assert.Equal(Channel.Field, result.Deal!.Channel);
        Assert.Equal(LeadSource.Event, result.Account.Source);
    }

    [Fact]
    public async Task ConvertingWithoutADealFindsTheAccountOfTheLeadsDomain()
    {
        await using var db = server.OpenDb();
        var domain = Guid.NewGuid().ToString("N")[..10] + ".example";
        var account = new Account { Name = "Domain match", Domain = domain };
        db.Accounts.Add(account);
        await db.SaveChangesAsync();
        var lead = await NewLeadAsync(db, domain);

        var result = await LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "EUR" }, TestContext.Current.CancellationToken);

        Assert.Equal(account.Id, result.Account.Id);
        Assert.Null(result.Deal);
    }

    [Fact]
    public async Task AContactOfAnotherAccountIsRefusedAndNothingIsSaved()
    {
        await using var db = server.OpenDb();
        var other = new Account { Name = "Other " + Guid.NewGuid().ToString("N")[..6] };
        db.Accounts.Add(other);
        var stranger = new Reach.Contacts.Contact { FirstName = "Cy", AccountId = other.Id };
        db.Contacts.Add(stranger);
        await db.SaveChangesAsync();
        var lead = await NewLeadAsync(db);
        var accounts = await db.Accounts.CountAsync();

        var refused = await Assert.ThrowsAsync<InputException>(() => LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "EUR", ContactId = stranger.Id, WithDeal = true }, TestContext.Current.CancellationToken));

        Assert.Contains("contactId", refused.Errors.Keys);
        await using var fresh = server.OpenDb();
        Assert.Equal(accounts, await fresh.Accounts.CountAsync());
        Assert.Equal(LeadStatus.New, (await fresh.Leads.SingleAsync(l => l.Id == lead.Id)).Status);
    }

    [Fact]
    public async Task ALeadIsConvertedOnlyOnce()
    {
        await using var db = server.OpenDb();
        var lead = await NewLeadAsync(db);
        await LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "EUR" }, TestContext.Current.CancellationToken);

        var again = await Assert.ThrowsAsync<InputException>(() => LeadConversion.ConvertAsync(db, lead, new LeadConversion.Choices { Currency = "EUR" }, TestContext.Current.CancellationToken));

        Assert.Contains("status", again.Errors.Keys);
    }
}

public sealed class LeadConversionOnSqliteTests(SqliteServer server) : LeadConversionTests(server), IClassFixture<SqliteServer>;

public sealed class LeadConversionOnPostgresTests(PostgresServer server) : LeadConversionTests(server), IClassFixture<PostgresServer>;
