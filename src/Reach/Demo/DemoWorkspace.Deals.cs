using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Products;

namespace Reach.Demo;

// A generated deal with its stage history; EurAmount feeds renewals whatever the currency.
sealed record DemoDeal(Deal Deal, DemoAccount Account, IReadOnlyList<DealStageChange> History, decimal EurAmount);

// What is being sold: line items priced from the catalogue, or a plain amount in EUR (renewals).
sealed record DealTerms(string Name, decimal Amount, IReadOnlyList<(Product Product, decimal Quantity, decimal Discount)> Items);

public sealed partial class DemoWorkspace
{
    // How the time of a won deal splits over the open stages, and where lost deals stall, per channel.
    // Later stages (pilot, proposal) take longest; most lost deals die early.
    static readonly Dictionary<Channel, (double[] Shares, double[] LostAt)> StageShape = new()
    {
        [Channel.SelfService] = ([0.8, 0.2], [0.85, 0.15]),
        [Channel.Inside] = ([0.12, 0.22, 0.2, 0.28, 0.18], [0.3, 0.25, 0.2, 0.15, 0.1]),
        [Channel.Field] = ([0.08, 0.15, 0.17, 0.25, 0.2, 0.15], [0.22, 0.22, 0.18, 0.16, 0.12, 0.1]),
    };

    // Seed 003: win rates and cycle lengths differ by channel; existing customers buy faster and more often.
    static double WinRate(Channel channel, DealKind kind) => (channel, kind) switch
    {
        (_, DealKind.Renewal) => 0.85,
        (_, DealKind.Expansion) => 0.55,
        (Channel.SelfService, _) => 0.36,
        (Channel.Inside, _) => 0.24,
        // Set above the ~25% the workspace then shows: won field deals take longest, so many are still
        // open while the lost ones have already closed and count against the rate.
        _ => 0.33,
    };

    // Days from creation to a win, with the spread real cycles have.
    double CycleDays(Channel channel, DealKind kind) => (channel, kind) switch
    {
        (Channel.SelfService, DealKind.New) => Math.Clamp(LogNormal(11, 0.45), 3, 35),
        (Channel.SelfService, _) => Math.Clamp(LogNormal(6, 0.5), 1, 20),
        (Channel.Inside, DealKind.New) => Math.Clamp(LogNormal(55, 0.4), 20, 180),
        (Channel.Inside, _) => Math.Clamp(LogNormal(30, 0.4), 10, 90),
        (_, DealKind.New) => Math.Clamp(LogNormal(200, 0.35), 90, 450),
        _ => Math.Clamp(LogNormal(60, 0.4), 20, 150),
    };

    void AddDeals(DemoAccount account)
    {
        // Some accounts from the purchased list have not been worked yet.
        if (!account.FromLead && Chance(0.03))
            return;

        var channel = account.Channel;
        var employees = account.Account.Employees!.Value;
        // Accounts from the purchased list are picked up over the year; new ones get worked soon after they appear.
        var firstAt = account.FromLead ? account.Account.CreatedAt
            : account.Account.CreatedAt < start ? start.AddDays(Between(0, 240))
            : account.Account.CreatedAt.AddDays(Between(0, channel == Channel.SelfService ? 20 : 60));
        AddBuyingThread(account, firstAt);

        // Bigger companies buy per team or division, each on its own clock.
        var moreThreads = channel switch
        {
            Channel.Field => (employees >= 2_000 ? 1 : 0) + (Chance(0.5) ? 1 : 0) + (Chance(0.3) ? 1 : 0),
            Channel.Inside => employees >= 100 && Chance(0.6) ? 1 : 0,
            _ => 0,
        };
        for (var i = 0; i < moreThreads; i++)
        {
            var at = firstAt.AddDays(Between(30, 360));
            if (at < now)
                AddBuyingThread(account, at);
        }
    }

    // New-business attempts one after another until one is won, still open, or given up.
    void AddBuyingThread(DemoAccount account, DateTime at)
    {
        var channel = account.Channel;
        while (at < now)
        {
            var deal = AddDeal(account, DealKind.New, at, NewBusiness(account));
            if (deal.Deal.Status == DealStatus.Open)
                return;
            if (deal.Deal.Status == DealStatus.Won)
            {
                AddCustomerDeals(account, deal);
                return;
            }
            // A lost deal is often tried again after a while: new budget, new champion, a better trial.
            if (!Chance(0.8))
                return;
            at = deal.Deal.ClosedAt!.Value.AddDays(LogNormal(channel == Channel.SelfService ? 30 : 60, 0.5));
        }
    }

    // Land and expand (seed 002): after the first win come add-ons, more seats and a yearly renewal.
    void AddCustomerDeals(DemoAccount account, DemoDeal won)
    {
        var annualValue = won.EurAmount;
        var wonAt = won.Deal.ClosedAt!.Value;
        var at = wonAt.AddDays(Between(30, 150));
        for (var n = 0; n < 4 && at < now && Chance(account.Channel == Channel.SelfService ? 0.6 : 0.8); n++)
        {
            var expansion = AddDeal(account, DealKind.Expansion, at, Expansion(account, won));
            if (expansion.Deal.Status == DealStatus.Open)
                break;
            if (expansion.Deal.Status == DealStatus.Won)
                annualValue += expansion.EurAmount;
            at = expansion.Deal.ClosedAt!.Value.AddDays(Between(45, 150));
        }

        // Self-service plans renew by card without anyone involved; sales-led contracts get a renewal deal.
        if (account.Channel == Channel.SelfService)
            return;
        var anniversary = wonAt.AddYears(1);
        var renewalStart = anniversary.AddDays(-Between(45, 90));
        if (renewalStart < now)
        {
            var amount = RoundTo(annualValue * (decimal)Between(1.0, 1.07), 10);
            AddDeal(account, DealKind.Renewal, renewalStart, new DealTerms($"{account.Account.Name} - Renewal {anniversary.Year}", amount, []));
        }
    }

    DealTerms NewBusiness(DemoAccount account)
    {
        var name = account.Account.Name;
        var employees = account.Account.Employees!.Value;
        switch (account.Channel)
        {
            case Channel.SelfService:
                var plan = ProductOf(Chance(0.7) ? "PLAN-STARTER" : "PLAN-PRO");
                return new($"{name} - {plan.Name}", 0, [(plan, 1, Chance(0.2) ? 0.1m : 0m)]);
            case Channel.Inside:
                var seats = (int)Math.Clamp(Math.Round(employees * Between(0.08, 0.35)), 10, 78);
                var discount = Pick([0m, 0m, 0.05m, 0.1m, 0.15m]);
                return new($"{name} - Team plan, {seats} seats", 0, Chance(0.5)
                    ? [(ProductOf("PLAN-TEAM"), seats, discount), (ProductOf("SVC-ONBOARDING"), 1, 0m)]
                    : [(ProductOf("PLAN-TEAM"), seats, discount)]);
            default:
                var licences = (int)Math.Clamp(Math.Round(employees * Between(0.03, 0.2)), 45, 300);
                var fieldDiscount = Pick([0m, 0.05m, 0.1m, 0.15m]);
                return new($"{name} - Enterprise, {licences} seats", 0, Chance(0.4)
                    ? [(ProductOf("PLAN-ENTERPRISE"), licences, fieldDiscount), (ProductOf("SVC-ENTERPRISE-ONBOARDING"), 1, 0m), (ProductOf("ADDON-SUPPORT"), 1, 0m)]
                    : [(ProductOf("PLAN-ENTERPRISE"), licences, fieldDiscount), (ProductOf("SVC-ENTERPRISE-ONBOARDING"), 1, 0m)]);
        }
    }

    DealTerms Expansion(DemoAccount account, DemoDeal won)
    {
        var name = account.Account.Name;
        switch (account.Channel)
        {
            case Channel.SelfService:
                var starter = ProductOf("PLAN-STARTER");
                var pro = ProductOf("PLAN-PRO");
                // The upgrade is billed as the difference, so it carries no catalogue line.
                return won.Deal.Name.EndsWith(starter.Name, StringComparison.Ordinal) && Chance(0.5)
                    ? new($"{name} - Upgrade to {pro.Name}", pro.ListPrice - starter.ListPrice, [])
                    : new($"{name} - Advanced reporting", 0, [(ProductOf("ADDON-REPORTING"), 1, 0m)]);
            case Channel.Inside:
                var seats = random.Next(5, 21);
                return new($"{name} - +{seats} seats", 0, [(ProductOf("PLAN-TEAM"), seats, 0m)]);
            default:
                if (Chance(0.3))
                    return new($"{name} - Premium support", 0, [(ProductOf("ADDON-SUPPORT"), 1, 0m)]);
                var licences = random.Next(20, 81);
                return new($"{name} - +{licences} seats", 0, [(ProductOf("PLAN-ENTERPRISE"), licences, 0.1m)]);
        }
    }

    // Walks the deal through its pipeline with Deal.MoveTo as far as now allows, so status, close time
    // and history follow the same rule as the app.
    DemoDeal AddDeal(DemoAccount account, DealKind kind, DateTime createdAt, DealTerms terms)
    {
        var channel = account.Channel;
        var pipeline = pipelines[channel];
        var openStages = pipeline.Stages.Where(s => s.Outcome == StageOutcome.Open).ToList();
        // Existing customers skip qualification and discovery: they start at the last two stages.
        var skipped = kind == DealKind.New ? 0 : Math.Max(0, openStages.Count - 2);
        var walk = openStages.Skip(skipped).ToList();
        var (shares, lostAt) = StageShape[channel];

        var won = Chance(WinRate(channel, kind));
        var cycleDays = CycleDays(channel, kind);
        var lastStage = won ? walk.Count - 1 : PickWeighted([.. lostAt.Skip(skipped).Select((w, i) => (i, w))]);
        // Lost deals linger: nobody closes a deal that has gone quiet on the day it went quiet.
        var pace = won ? 1 : Between(0.7, 1.6);
        var stageShares = shares.Skip(skipped).Select(s => s * Between(0.5, 1.5)).ToList();
        var shareTotal = stageShares.Sum();

        createdAt = WorkingHours(createdAt);
        if (createdAt > now)
            createdAt = now.AddMinutes(-random.Next(30, 600));
        var moves = new List<(Stage Stage, DateTime At)> { (walk[0], createdAt) };
        var planned = createdAt;
        for (var i = 0; i <= lastStage; i++)
        {
            planned = planned.AddDays(cycleDays * pace * stageShares[i] / shareTotal);
            var next = i < lastStage ? walk[i + 1] : pipeline.Stages.First(s => s.Outcome == (won ? StageOutcome.Won : StageOutcome.Lost));
            moves.Add((next, After(moves[^1].At, planned)));
        }

        var owner = account.Account.OwnerId;
        var eurAmount = terms.Items.Count > 0 ? terms.Items.Sum(i => Math.Round(i.Quantity * i.Product.ListPrice * (1 - i.Discount), 2)) : terms.Amount;
        // Sales-led deals often skip line items; deals in another currency never use the EUR price list.
        var withItems = terms.Items.Count > 0 && account.Currency == "EUR" && (channel == Channel.SelfService || Chance(channel == Channel.Inside ? 0.6 : 0.7));
        var deal = new Deal
        {
            Id = NewId(createdAt),
            Name = terms.Name,
            AccountId = account.Account.Id,
            PrimaryContactId = account.PrimaryContact.Id,
            Amount = account.Currency switch
            {
                "USD" => RoundTo(eurAmount * 1.08m, 100),
                "GBP" => RoundTo(eurAmount * 0.85m, 100),
                _ => withItems ? eurAmount : RoundTo(eurAmount, 100),
            },
            Currency = account.Currency,
            Channel = channel,
            PipelineId = pipeline.Id,
            StageId = walk[0].Id,
            StageEnteredAt = createdAt,
            Kind = kind,
            OwnerId = owner,
            CreatedAt = createdAt,
        };
        if (withItems)
            deal.LineItems = [.. terms.Items.Select(i => new DealLineItem { Id = NewId(createdAt), DealId = deal.Id, ProductId = i.Product.Id, Quantity = i.Quantity, UnitPrice = i.Product.ListPrice, Discount = i.Discount })];

        var history = new List<DealStageChange> { new() { DealId = deal.Id, ToStageId = walk[0].Id, At = createdAt, ByUserId = owner } };
        foreach (var (stage, at) in moves.Skip(1).TakeWhile(m => m.At <= now))
            history.Add(deal.MoveTo(stage, at, owner));
        // MoveTo sets the navigation; the stages belong to no context here and must not be inserted again.
        deal.Stage = null;

        var plannedClose = moves[^1].At;
        if (deal.Status == DealStatus.Lost)
        {
            deal.LostReason = PickWeighted(channel switch
            {
                Channel.SelfService => DemoVocabulary.SelfServiceLostReasons,
                Channel.Inside => DemoVocabulary.SalesLostReasons,
                _ => DemoVocabulary.FieldLostReasons,
            });
        }
        if (deal.Status == DealStatus.Open)
            SetForecast(deal, openStages, plannedClose, cycleDays);
        else
            // Reps are optimistic: the close date they had entered was usually earlier than the real one.
            deal.ExpectedClose = DateOnly.FromDateTime(plannedClose.AddDays(-Between(0, cycleDays * 0.25)));

        var demo = new DemoDeal(deal, account, history, eurAmount);
        account.Deals.Add(demo);
        deals.Add(demo);
        stageChanges.AddRange(history);
        return demo;
    }

    void SetForecast(Deal deal, List<Stage> openStages, DateTime plannedClose, double cycleDays)
    {
        var stage = openStages.First(s => s.Id == deal.StageId);
        deal.ForecastCategory = Chance(0.05) ? ForecastCategory.Omitted
            : stage == openStages[^1] ? ForecastCategory.Commit
            : stage.Probability >= 0.4m ? ForecastCategory.BestCase
            : ForecastCategory.Pipeline;
        // Some close dates were never updated and now lie in the past: the forecast flags them.
        deal.ExpectedClose = Chance(0.15)
            ? DateOnly.FromDateTime(now.AddDays(-Between(2, 45)))
            : DateOnly.FromDateTime(Later(plannedClose.AddDays(Between(-0.1, 0.1) * cycleDays), now.AddDays(1)));
        deal.NextStep = Chance(0.8) ? Pick(DemoVocabulary.NextSteps[stage.Name]) : null;
    }

    // The planned moment in working hours, never before the previous move.
    DateTime After(DateTime previous, DateTime planned)
    {
        var at = WorkingHours(planned);
        return at > previous ? at : previous.AddMinutes(random.Next(10, 240));
    }

    static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    static decimal RoundTo(decimal value, decimal step) => Math.Round(value / step) * step;

    /// <summary>
    /// One deal far out of scale, for the deal-size guardrail to flag (seed 002): an inside-sales customer's open expansion
    /// turned into a company-wide licence many times anything won in the mid-market. Draws nothing from the random
    /// source, so every other row stays as the seed makes it.
    /// </summary>
    void AddOversizedDeal()
    {
        var index = deals.FindIndex(d => d.Deal is { Kind: DealKind.Expansion, Status: DealStatus.Open, Currency: "EUR" } && d.Account.Channel == Channel.Inside);
        if (index < 0)
            return;
        var demo = deals[index];
        demo.Deal.LineItems.Clear();
        demo.Deal.Amount = 650_000m;
        demo.Deal.Name = $"{demo.Account.Account.Name} - Company-wide licence";
        deals[index] = demo with { EurAmount = demo.Deal.Amount };
    }
}
