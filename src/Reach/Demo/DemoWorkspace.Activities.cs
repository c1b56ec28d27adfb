using Reach.Accounts;
using Reach.Activities;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;

namespace Reach.Demo;

public sealed partial class DemoWorkspace
{
    // Enough touches for ~20,000 activities over the history; tuned together with the deal counts.
    const double TouchDensity = 1.25;

    // Self-service is mostly email; field sales is meetings.
    static readonly Dictionary<Channel, (ActivityType, double)[]> TouchMix = new()
    {
        [Channel.SelfService] = [(ActivityType.Email, 70), (ActivityType.Call, 10), (ActivityType.Note, 10), (ActivityType.Meeting, 5), (ActivityType.Social, 5)],
        [Channel.Inside] = [(ActivityType.Email, 45), (ActivityType.Call, 30), (ActivityType.Meeting, 12), (ActivityType.Note, 8), (ActivityType.Social, 5)],
        [Channel.Field] = [(ActivityType.Email, 38), (ActivityType.Call, 20), (ActivityType.Meeting, 27), (ActivityType.Note, 10), (ActivityType.Social, 5)],
    };

    void AddActivities()
    {
        foreach (var deal in deals)
            AddDealTouches(deal);
        foreach (var account in accounts)
        {
            if (account.Deals.Count == 0)
                AddDripTouches(account);
            else if (account.Account.Lifecycle != Lifecycle.Prospect)
                AddCustomerCheckIns(account);
        }
        foreach (var lead in leads)
            AddLeadTouches(lead);
    }

    void AddDealTouches(DemoDeal demo)
    {
        var deal = demo.Deal;
        var end = deal.ClosedAt ?? now;
        var days = (end - deal.CreatedAt).TotalDays;
        var perDay = deal.Channel switch { Channel.SelfService => 0.15, Channel.Inside => 0.25, _ => 0.2 };
        var baseline = deal.Channel switch { Channel.SelfService => 2, Channel.Inside => 3, _ => 5 };
        var count = (int)Math.Round((baseline + (days * perDay)) * TouchDensity * Between(0.6, 1.4));

        var times = Enumerable.Range(0, count)
            .Select(_ => deal.CreatedAt.AddDays(Between(0, days)))
            .Select(t => InWindow(WorkingHours(t), t, deal.CreatedAt, end))
            .Order()
            .ToList();
        foreach (var at in times)
        {
            var stageName = StageNameAt(demo, at);
            var contact = Chance(0.4) ? demo.Account.PrimaryContact : Pick(demo.Account.Contacts);
            var type = PickWeighted(TouchMix[deal.Channel]);
            activities.Add(Touch(type, stageName, at, deal.OwnerId, demo.Account.Account, contact, deal.Id));
        }

        if (deal.Status != DealStatus.Open)
        {
            var closed = deal.ClosedAt!.Value;
            var subject = deal.Status == DealStatus.Won ? $"Closed won: {deal.Name}" : $"Closed lost: {deal.LostReason}";
            activities.Add(new Activity
            {
                Id = NewId(closed),
                Type = ActivityType.Note,
                Direction = Direction.None,
                Subject = subject,
                Body = deal.Status == DealStatus.Won ? "Kickoff booked; handing over to customer success." : "Asked for feedback; revisit in a few months.",
                OccurredAt = closed,
                CompletedAt = closed,
                AccountId = deal.AccountId,
                ContactId = deal.PrimaryContactId,
                DealId = deal.Id,
                OwnerId = deal.OwnerId,
                CreatedAt = closed,
            });
        }
    }

    // The moment in working hours if that stays inside the deal's life, else the raw moment.
    static DateTime InWindow(DateTime working, DateTime raw, DateTime from, DateTime to) => working >= from && working <= to ? working : raw;

    // The open stage the deal was in at that moment: what the touch was about.
    string StageNameAt(DemoDeal demo, DateTime at)
    {
        var current = demo.History.LastOrDefault(h => h.At <= at && openStageNames.ContainsKey(h.ToStageId)) ?? demo.History[0];
        return openStageNames[current.ToStageId];
    }

    // Prospects nobody is selling to yet still get the drip track (seed 004: the rule of seven touches).
    void AddDripTouches(DemoAccount account)
    {
        var from = Later(account.Account.CreatedAt, start);
        var count = random.Next(0, 7);
        for (var i = 0; i < count; i++)
        {
            var at = WorkingHours(from.AddDays(Between(0, (now - from).TotalDays)));
            if (at > now)
                continue;
            var contact = Pick(account.Contacts);
            var social = Chance(0.25);
            activities.Add(new Activity
            {
                Id = NewId(at),
                Type = social ? ActivityType.Social : ActivityType.Email,
                Direction = Direction.Outbound,
                Subject = social ? "Commented on a LinkedIn post" : $"Drip: {Pick(DemoVocabulary.DripTopics)}",
                Outcome = social ? null : PickWeighted([("sent", 5.0), ("opened", 3.0), ("clicked", 1.0)]),
                OccurredAt = at,
                CompletedAt = at,
                AccountId = account.Account.Id,
                ContactId = contact.Id,
                OwnerId = account.Account.OwnerId,
                CreatedAt = at,
            });
        }
    }

    // Customers hear from their rep every quarter or so: that is where expansions start.
    void AddCustomerCheckIns(DemoAccount account)
    {
        var firstWin = account.Deals.Where(d => d.Deal.Status == DealStatus.Won).Min(d => d.Deal.ClosedAt!.Value);
        for (var at = firstWin.AddDays(Between(60, 100)); at < now; at = at.AddDays(Between(70, 110)))
        {
            var when = WorkingHours(at);
            if (when > now)
                break;
            var review = account.Channel != Channel.SelfService && Chance(0.6);
            activities.Add(new Activity
            {
                Id = NewId(when),
                Type = review ? ActivityType.Meeting : ActivityType.Call,
                Direction = review ? Direction.None : Direction.Outbound,
                Subject = review ? "Quarterly business review" : "Customer check-in",
                Outcome = review ? "held" : PickWeighted([("connected", 3.0), ("left voicemail", 1.0)]),
                OccurredAt = when,
                CompletedAt = when,
                AccountId = account.Account.Id,
                ContactId = account.PrimaryContact.Id,
                OwnerId = account.Account.OwnerId,
                CreatedAt = when,
            });
        }
    }

    void AddLeadTouches(Lead lead)
    {
        if (lead.FirstTouchAt is not { } first)
            return;
        var opener = lead.Source == LeadSource.Inbound ? "Re: your demo request" : $"Intro: {lead.Company}";
        activities.Add(LeadTouch(lead, Chance(0.5) ? ActivityType.Call : ActivityType.Email, opener, first));

        var followUps = lead.Status switch
        {
            LeadStatus.Working => random.Next(1, 4),
            LeadStatus.Disqualified or LeadStatus.Qualified => random.Next(0, 3),
            _ => 0,
        };
        var at = first;
        for (var i = 0; i < followUps; i++)
        {
            at = WorkingHours(at.AddDays(Between(2, 5)));
            if (at > now)
                return;
            activities.Add(LeadTouch(lead, Chance(0.6) ? ActivityType.Email : ActivityType.Call, "Following up on the below", at));
        }
        if (lead.Status is LeadStatus.Disqualified or LeadStatus.Qualified)
        {
            at = at.AddHours(Between(1, 48));
            if (at > now)
                return;
            var subject = lead.Status == LeadStatus.Qualified ? "Qualified: budget, need and timing confirmed" : $"Disqualified: {Pick(DemoVocabulary.LeadDisqualifyReasons)}";
            activities.Add(LeadTouch(lead, ActivityType.Note, subject, at));
        }
    }

    Activity LeadTouch(Lead lead, ActivityType type, string subject, DateTime at) => new()
    {
        Id = NewId(at),
        Type = type,
        Direction = type == ActivityType.Note ? Direction.None : Direction.Outbound,
        Subject = type == ActivityType.Call ? $"Call: {lead.FirstName} {lead.LastName}, {lead.Company}" : subject,
        Outcome = type switch
        {
            ActivityType.Call => PickWeighted([("connected", 3.0), ("left voicemail", 2.0), ("no answer", 2.0)]),
            ActivityType.Email => PickWeighted([("sent", 3.0), ("replied", 1.0)]),
            _ => null,
        },
        OccurredAt = at,
        CompletedAt = at,
        LeadId = lead.Id,
        OwnerId = lead.OwnerId,
        CreatedAt = at,
    };

    // A done touch on a deal; subject and outcome fit the type and the stage the deal was in.
    Activity Touch(ActivityType type, string stageName, DateTime at, Guid? owner, Account account, Contact contact, Guid dealId)
    {
        var (meeting, topics) = DemoVocabulary.StageTopics[stageName];
        var topic = Pick(topics);
        var inbound = type is ActivityType.Email or ActivityType.Call && Chance(type == ActivityType.Email ? 0.35 : 0.15);
        var (subject, outcome) = type switch
        {
            ActivityType.Email when inbound => ($"Re: {topic}", "received"),
            // Seed 004: resend after a few days with one line on top.
            ActivityType.Email => (Chance(0.15) ? "Following up on the below" : topic, PickWeighted([("sent", 5.0), ("opened", 4.0), ("replied", 2.0), ("bounced", 0.2)])),
            ActivityType.Call when inbound => ($"Call from {contact.FirstName}: {topic}", "connected"),
            ActivityType.Call => ($"Call: {topic}", PickWeighted([("connected", 4.0), ("left voicemail", 3.0), ("no answer", 3.0), ("booked meeting", 1.0)])),
            ActivityType.Meeting => ($"{meeting} with {contact.FirstName}", PickWeighted([("held", 8.0), ("no show", 1.0), ("rescheduled", 1.0)])),
            ActivityType.Social => (Pick(["LinkedIn message", "LinkedIn connection request", "Commented on a LinkedIn post"]), Pick<string?>([null, "accepted", "replied"])),
            _ => ($"Note: {topic}", (string?)null),
        };
        return new Activity
        {
            Id = NewId(at),
            Type = type,
            Direction = type switch
            {
                ActivityType.Meeting or ActivityType.Note => Direction.None,
                _ when inbound => Direction.Inbound,
                _ => Direction.Outbound,
            },
            Subject = subject,
            // The cast of characters at work: a note records what this person cares about.
            Body = type == ActivityType.Note ? $"{contact.FullName} ({contact.Title}) cares about: {contact.CaresAbout}" : null,
            Outcome = outcome,
            OccurredAt = at,
            // Meetings and calls were usually booked ahead; the booked time is when they were due.
            DueAt = type is ActivityType.Meeting || (type == ActivityType.Call && Chance(0.2)) ? at : null,
            CompletedAt = at,
            AccountId = account.Id,
            ContactId = contact.Id,
            DealId = dealId,
            OwnerId = owner,
            CreatedAt = at,
        };
    }

    // Each rep's queue for "My day": touches due today, overdue ones and the next few days.
    void AddPlannedTouches()
    {
        foreach (var rep in Reps)
        {
            var open = deals.Where(d => d.Deal.OwnerId == rep.Id && d.Deal.Status == DealStatus.Open).ToList();
            if (open.Count == 0)
                continue;
            var dueInWorkingDays = Enumerable.Repeat(0, random.Next(3, 7))
                .Concat(Enumerable.Range(0, random.Next(3, 9)).Select(_ => -random.Next(1, 9)))
                .Concat(Enumerable.Range(0, random.Next(3, 9)).Select(_ => random.Next(1, 8)));
            foreach (var offset in dueInWorkingDays)
            {
                var demo = Pick(open);
                var due = WorkingDay(offset).AddHours(8).AddMinutes(random.Next(0, 9 * 60));
                activities.Add(PlannedTouch(demo, due));
            }
        }

        // New leads wait for their first touch: due an hour after they arrived, so the response clock shows.
        foreach (var lead in leads.Where(l => l.Status == LeadStatus.New))
        {
            var due = lead.ReceivedAt.AddHours(1);
            activities.Add(new Activity
            {
                Id = NewId(lead.ReceivedAt),
                Type = ActivityType.Call,
                Direction = Direction.Outbound,
                Subject = $"First touch: {lead.FirstName} {lead.LastName}, {lead.Company}",
                OccurredAt = due,
                DueAt = due,
                LeadId = lead.Id,
                OwnerId = lead.OwnerId,
                CreatedAt = lead.ReceivedAt,
            });
        }
    }

    // The date that many working days from today (back when negative), skipping weekends.
    DateTime WorkingDay(int offset)
    {
        var day = now.Date;
        for (var step = Math.Sign(offset); offset != 0; offset -= step)
        {
            day = day.AddDays(step);
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                day = day.AddDays(step);
        }
        return day;
    }

    Activity PlannedTouch(DemoDeal demo, DateTime due)
    {
        var deal = demo.Deal;
        var stageName = openStageNames[deal.StageId];
        var topic = Pick(DemoVocabulary.StageTopics[stageName].Topics);
        var type = PickWeighted([(ActivityType.Call, 4.0), (ActivityType.Email, 4.0), (ActivityType.Task, 2.0)]);
        var createdAt = (due < now ? due : now).AddDays(-Between(1, 6));
        return new Activity
        {
            Id = NewId(createdAt),
            Type = type,
            Direction = type == ActivityType.Task ? Direction.None : Direction.Outbound,
            Subject = type switch
            {
                ActivityType.Call => $"Call {demo.Account.PrimaryContact.FirstName}: {topic}",
                ActivityType.Email => $"Follow up: {topic}",
                _ => deal.NextStep ?? $"Next step for {deal.Name}",
            },
            OccurredAt = due,
            DueAt = due,
            AccountId = deal.AccountId,
            ContactId = deal.PrimaryContactId,
            DealId = deal.Id,
            OwnerId = deal.OwnerId,
            CreatedAt = createdAt,
        };
    }
}
