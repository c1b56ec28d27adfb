using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Routing;

namespace Reach.Demo;

// An account being generated, with what the later steps need to know about it.
sealed class DemoAccount(Account account, DemoRegion region, DemoLocale locale, bool fromLead, string currency)
{
    public Account Account { get; } = account;
    public DemoRegion Region { get; } = region;
    public DemoLocale Locale { get; } = locale;

    // Came in as an inbound lead: its first deal starts the day the lead was converted.
    public bool FromLead { get; } = fromLead;
    public string Currency { get; } = currency;
    public Channel Channel => Account.Channel!.Value;
    public List<Contact> Contacts { get; } = [];
    public List<DemoDeal> Deals { get; } = [];

    public Contact PrimaryContact => Contacts.FirstOrDefault(c => c.Role == ContactRole.Champion) ?? Contacts[0];
}

public sealed partial class DemoWorkspace
{
    void AddAccounts()
    {
        // A third of the accounts arrived with a purchased list before the history starts; the rest trickle in.
        var listImportedAt = start.AddDays(-90).Date.AddHours(10);
        for (var i = 0; i < AccountCount; i++)
        {
            var region = PickWeighted(DemoVocabulary.Regions.Select(r => (r, r.Weight)).ToList());
            var locale = Pick(region.Locales);
            var industry = Pick(DemoVocabulary.Industries);
            var employees = (int)Math.Clamp(Math.Round(LogNormal(45, 1.9)), 2, 60_000);
            var channel = ChannelFor(employees);
            var createdAt = Chance(0.33)
                ? listImportedAt.AddSeconds(i)
                : WorkingHours(start.AddDays(-60).AddDays(Between(0, (now - start).TotalDays + 60 - 14)));
            var name = NewCompanyName(industry, locale);
            var account = new Account
            {
                Id = NewId(createdAt),
                Name = name,
                Domain = NewDomain(name, industry, locale),
                Employees = employees,
                AnnualRevenue = RoundTo(employees * industry.RevenuePerEmployee * (decimal)Between(0.6, 1.5), 1_000),
                Industry = industry.Name,
                Region = region.Name,
                Tier = TierFor(industry, employees),
                // The demo's tiers are its people's judgement, which the plan activated later keeps.
                TierReason = HandSetTier.Reason,
                TierSetByHand = true,
                Channel = channel,
                OwnerId = Pick(RepsOf(channel)).Id,
                CreatedAt = createdAt,
            };
            var fromLead = createdAt > start && Chance(channel switch { Channel.SelfService => 0.05, Channel.Inside => 0.45, _ => 0.35 });
            // A few British and American customers buy in their own currency; the rest of the book is in EUR.
            var currency = region.Currency is { } local && channel != Channel.SelfService && Chance(0.25) ? local : "EUR";
            var demo = new DemoAccount(account, region, locale, fromLead, currency);
            AddContacts(demo);
            accounts.Add(demo);
        }
    }

    // Seed 003: small customers buy on their own, mid-sized ones over the phone, large ones in person.
    static Channel ChannelFor(int employees) => employees switch
    {
        < 50 => Channel.SelfService,
        < 500 => Channel.Inside,
        _ => Channel.Field,
    };

    Tier TierFor(DemoIndustry industry, int employees)
    {
        // Fit is industry first, then the size band the product serves best, then what the reps learned.
        var score = industry.Fit + (employees is >= 20 and <= 2_000 ? 0.4 : 0.1) + Between(0, 0.6);
        return score switch
        {
            >= 1.55 => Tier.A,
            >= 1.15 => Tier.B,
            _ => Tier.C,
        };
    }

    string NewCompanyName(DemoIndustry industry, DemoLocale locale)
    {
        while (true)
        {
            var name = $"{Pick(DemoVocabulary.CompanyRoots)} {Pick(industry.Suffixes)}";
            if (companyNames.Add(name))
                return Chance(0.35) ? $"{name} {locale.LegalForm}" : name;
        }
    }

    string NewDomain(string companyName, DemoIndustry industry, DemoLocale locale)
    {
        var words = companyName.Split(' ');
        var root = AsciiLetters(words[0]);
        var suffix = AsciiLetters(words[1]);
        var tld = Chance(0.3) ? "com" : locale.Tld;
        string[] candidates =
        [
            $"{root}.{tld}",
            $"{root}{suffix}.{tld}",
            $"{root}-{suffix}.{tld}",
            industry.Name == "Software" ? $"get{root}.io" : $"{root}-{suffix}.com",
            $"{root}{suffix}hq.com",
        ];
        foreach (var candidate in candidates.Skip(random.Next(3)))
        {
            if (domains.Add(candidate))
                return candidate;
        }
        for (var n = 2; ; n++)
        {
            var numbered = $"{root}{suffix}{n}.{tld}";
            if (domains.Add(numbered))
                return numbered;
        }
    }

    static string AsciiLetters(string text) => new([.. text.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);

    void AddContacts(DemoAccount demo)
    {
        var employees = demo.Account.Employees!.Value;
        // More people to win over in a bigger company, with a spread.
        var count = (int)Math.Clamp(Math.Round(1 + (1.9 * Math.Log10(employees) * Between(0.6, 1.6))), 1, 25);
        var taken = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var role = i switch
            {
                0 when count == 1 => ContactRole.EconomicBuyer,
                0 => ContactRole.Champion,
                1 => ContactRole.EconomicBuyer,
                _ => PickWeighted<ContactRole>([(ContactRole.User, 35), (ContactRole.Influencer, 20), (ContactRole.TechnicalBuyer, 15), (ContactRole.Blocker, 10), (ContactRole.Gatekeeper, 8), (ContactRole.Unknown, 12)]),
            };
            var title = role switch
            {
                ContactRole.EconomicBuyer => Pick(DemoVocabulary.EconomicBuyerTitles(employees)),
                ContactRole.Champion => Pick(DemoVocabulary.ChampionTitles(employees)),
                _ => Pick(DemoVocabulary.Titles[role]),
            };
            var (firstName, lastName) = (Pick(demo.Region.FirstNames), Pick(demo.Region.LastNames));
            var createdAt = demo.Account.CreatedAt.AddMinutes(i * 7);
            demo.Contacts.Add(new Contact
            {
                Id = NewId(createdAt),
                AccountId = demo.Account.Id,
                FirstName = firstName,
                LastName = lastName,
                Email = UniqueEmail(firstName, lastName, demo.Account.Domain!, taken),
                Phone = Chance(0.6) ? PhoneNumber(demo.Locale) : null,
                Title = title,
                Role = role,
                CaresAbout = Pick(DemoVocabulary.CaresAbout[role]),
                // Bigger companies have people in other offices of the region.
                TimeZone = employees > 200 && Chance(0.25) ? Pick(demo.Region.Locales).TimeZone : demo.Locale.TimeZone,
                OwnerId = demo.Account.OwnerId,
                CreatedAt = createdAt,
            });
        }
    }

    static string UniqueEmail(string firstName, string lastName, string domain, HashSet<string> taken)
    {
        var (first, last) = (AsciiLetters(firstName), AsciiLetters(lastName));
        foreach (var local in new[] { $"{first}.{last}", $"{first[0]}.{last}", $"{first}.{last[0]}" })
        {
            if (taken.Add(local))
                return $"{local}@{domain}";
        }
        for (var n = 2; ; n++)
        {
            if (taken.Add($"{first}.{last}{n}"))
                return $"{first}.{last}{n}@{domain}";
        }
    }

    string PhoneNumber(DemoLocale locale) => $"{locale.PhonePrefix} {random.Next(20, 990)} {random.Next(100_000, 9_999_999)}";

    void SetLifecycles()
    {
        foreach (var demo in accounts)
        {
            var won = demo.Deals.Where(d => d.Deal.Status == DealStatus.Won).ToList();
            var lostRenewal = demo.Deals.Any(d => d.Deal is { Kind: DealKind.Renewal, Status: DealStatus.Lost });
            demo.Account.Lifecycle = (won.Count, lostRenewal) switch
            {
                (0, _) => Lifecycle.Prospect,
                (_, true) => Lifecycle.Churned,
                _ => Lifecycle.Customer,
            };
        }

        // A handful of happy, well-known customers who have been live for a while take reference calls.
        var candidates = accounts
            .Where(a => a.Account is { Lifecycle: Lifecycle.Customer, Tier: Tier.A or Tier.B, Channel: not Channel.SelfService })
            .Where(a => a.Deals.Any(d => d.Deal.Status == DealStatus.Won && d.Deal.ClosedAt < now.AddMonths(-6)))
            .ToArray();
        random.Shuffle(candidates);
        foreach (var reference in candidates.Take(8))
            reference.Account.Lifecycle = Lifecycle.Reference;
    }

    void AddLeads()
    {
        // Inbound demo requests that became accounts: the lead arrived shortly before the first deal.
        foreach (var demo in accounts.Where(a => a.FromLead && a.Deals.Count > 0))
        {
            var deal = demo.Deals[0].Deal;
            var contact = demo.PrimaryContact;
            var receivedAt = deal.CreatedAt.AddHours(-Between(4, 72));
            // Qualified before it was converted: the first touch comes before the deal.
            var firstTouchMinutes = Math.Min(LogNormal(120, 1.0), (deal.CreatedAt - receivedAt).TotalMinutes / 2);
            leads.Add(new Lead
            {
                Id = NewId(receivedAt),
                FirstName = contact.FirstName,
                LastName = contact.LastName,
                Email = contact.Email,
                Phone = contact.Phone,
                Title = contact.Title,
                Company = demo.Account.Name,
                Domain = demo.Account.Domain,
                Employees = demo.Account.Employees,
                Industry = demo.Account.Industry,
                Source = PickWeighted<LeadSource>([(LeadSource.Inbound, 55), (LeadSource.Referral, 15), (LeadSource.Event, 15), (LeadSource.List, 10), (LeadSource.Partner, 5)]),
                Status = LeadStatus.Converted,
                ReceivedAt = receivedAt,
                FirstTouchAt = receivedAt.AddMinutes(firstTouchMinutes),
                ConvertedAccountId = demo.Account.Id,
                ConvertedContactId = contact.Id,
                ConvertedDealId = deal.Id,
                OwnerId = deal.OwnerId,
                CreatedAt = receivedAt,
            });
        }

        // The rest never became accounts (yet). Recent ones are still being worked; the newest are untouched.
        var open = LeadCount - leads.Count;
        for (var i = 0; i < open; i++)
        {
            var receivedAt = i < 14
                ? now.AddHours(-Between(0.5, 72))
                : now.AddDays(-Math.Max(3, (now - start).TotalDays * Math.Pow(random.NextDouble(), 1.6)));
            leads.Add(NewLead(receivedAt, untouched: i < 14));
        }

        // Inbound leads were given to their rep the moment they arrived, as the capture endpoint does today.
        foreach (var lead in leads.Where(l => l.Source == LeadSource.Inbound))
            lead.AssignedAt = lead.ReceivedAt;
    }

    Lead NewLead(DateTime receivedAt, bool untouched)
    {
        var region = PickWeighted(DemoVocabulary.Regions.Select(r => (r, r.Weight)).ToList());
        var locale = Pick(region.Locales);
        var industry = Pick(DemoVocabulary.Industries);
        var employees = (int)Math.Clamp(Math.Round(LogNormal(30, 1.6)), 1, 20_000);
        var company = NewCompanyName(industry, locale);
        var domain = NewDomain(company, industry, locale);
        var (firstName, lastName) = (Pick(region.FirstNames), Pick(region.LastNames));
        var age = now - receivedAt;
        var status = untouched ? LeadStatus.New : age.TotalDays switch
        {
            < 21 => PickWeighted<LeadStatus>([(LeadStatus.Working, 50), (LeadStatus.Qualified, 30), (LeadStatus.Disqualified, 20)]),
            < 60 => PickWeighted<LeadStatus>([(LeadStatus.Working, 20), (LeadStatus.Qualified, 25), (LeadStatus.Disqualified, 55)]),
            _ => PickWeighted<LeadStatus>([(LeadStatus.Working, 6), (LeadStatus.Qualified, 6), (LeadStatus.Disqualified, 88)]),
        };
        var firstTouch = receivedAt.AddMinutes(Math.Min(LogNormal(180, 1.2), 3 * 24 * 60));
        return new Lead
        {
            Id = NewId(receivedAt),
            FirstName = firstName,
            LastName = lastName,
            Email = UniqueEmail(firstName, lastName, domain, []),
            Phone = Chance(0.5) ? PhoneNumber(locale) : null,
            Title = Pick(DemoVocabulary.ChampionTitles(employees).Concat(DemoVocabulary.EconomicBuyerTitles(employees)).ToList()),
            Company = company,
            Domain = domain,
            Employees = employees,
            Industry = industry.Name,
            Source = PickWeighted<LeadSource>([(LeadSource.Inbound, 45), (LeadSource.List, 25), (LeadSource.Event, 15), (LeadSource.Referral, 10), (LeadSource.Partner, 5)]),
            Status = status,
            ReceivedAt = receivedAt,
            FirstTouchAt = status == LeadStatus.New || firstTouch > now ? null : firstTouch,
            OwnerId = Pick(RepsOf(ChannelFor(employees))).Id,
            CreatedAt = receivedAt,
        };
    }
}
