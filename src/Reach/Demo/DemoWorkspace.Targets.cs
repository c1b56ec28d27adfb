using Reach.Data;
using Reach.Deals;
using Reach.Metrics;

namespace Reach.Demo;

public sealed partial class DemoWorkspace
{
    readonly List<Target> targets = [];
    readonly List<ChannelCost> costs = [];
    readonly List<ExchangeRate> rates = [];

    // Monthly rates to EUR for the other currencies the demo's accounts buy in (about what their amounts were priced
    // at), so no amount is left out of the figures; deterministic, like the targets.
    void AddExchangeRates()
    {
        var month = Period.Containing(now.AddMonths(-24), PeriodKind.Month);
        for (var i = 0; month.StartsAt <= now; i++, month = month.Next())
        {
            var wobble = (decimal)Math.Sin(i / 2.0);
            foreach (var (currency, perEuro) in (ReadOnlySpan<(string, decimal)>)[("USD", 1.08m), ("GBP", 0.85m)])
            {
                rates.Add(new ExchangeRate
                {
                    Id = NewIdWithoutDraw(month.StartsAt, 200_000 + rates.Count),
                    Currency = currency,
                    Rate = Math.Round(1 / perEuro * (1 + (0.015m * wobble)), 4),
                    ValidFrom = month.Start,
                    CreatedAt = month.StartsAt,
                });
            }
        }
    }

    // A growth plan drawn from the workspace's own last twelve months, so the dashboard and the reports have targets to
    // be read against and CAC has costs: bookings per month for the workspace (each channel and the blend) and each
    // team, per quarter for each rep, a win rate and new leads; the channels' monthly costs. No random draws: the rest
    // of the demo replays exactly as before.
    void AddTargets()
    {
        var yearAgo = now.AddMonths(-12);
        var lastYear = deals.Where(d => d.Deal.Status == DealStatus.Won && d.Deal.ClosedAt >= yearAgo && d.Deal.ClosedAt < now).ToList();
        var total = lastYear.Sum(d => d.EurAmount);
        if (total == 0)
            return;
        var monthly = Enum.GetValues<Channel>().ToDictionary(c => c, c => lastYear.Where(d => d.Deal.Channel == c).Sum(d => d.EurAmount) / 12);
        decimal ShareOf(Func<Deal, bool> owned) => lastYear.Where(d => owned(d.Deal)).Sum(d => d.EurAmount) / total;
        var teamOf = users.Where(u => u.TeamId is not null).ToDictionary(u => u.Id, u => u.TeamId);
        var thisMonth = Period.Containing(now, PeriodKind.Month);

        // Twelve months back to the end of next quarter (whose months make its reps' targets), growing 2% a month: this
        // month's target is a little above last year's pace.
        var month = thisMonth;
        for (var i = 0; i < 12; i++)
            month = month.Previous();
        var until = Period.Containing(now, PeriodKind.Quarter).Next().End;
        for (var step = -12; month.Start < until; step++, month = month.Next())
        {
            var growth = 1.1m + (0.02m * step);
            var channels = monthly.ToDictionary(c => c.Key, c => Round(c.Value * growth));
            foreach (var (channel, value) in channels)
                AddTarget("bookings", month, value, channel: channel);
            var blend = channels.Values.Sum();
            AddTarget("bookings", month, blend);
            foreach (var team in teams)
                AddTarget("bookings", month, Round(blend * ShareOf(d => d.OwnerId is { } o && teamOf.GetValueOrDefault(o) == team.Id)), team: team.Id);
            var leadsPerMonth = leads.Count(l => l.ReceivedAt >= yearAgo && l.ReceivedAt < now) / 12m;
            AddTarget("new_leads", month, Math.Ceiling(leadsPerMonth * growth));
            if (step <= 0)
                AddCosts(month, monthly[Channel.SelfService]);
        }

        // Each rep's quarter: their share of the blend over the quarter's three months; the win rate for the workspace.
        for (var (quarter, step) = (Period.Containing(now, PeriodKind.Quarter).Previous().Previous().Previous(), 0); step < 5; quarter = quarter.Next(), step++)
        {
            var blend = targets.Where(t => t.Metric == "bookings" && t.Channel is null && t.TeamId is null && t.UserId is null
                && t.PeriodStart >= quarter.Start && t.PeriodEnd <= quarter.End).Sum(t => t.Value);
            foreach (var rep in Reps)
                AddTarget("bookings", quarter, Round(blend * ShareOf(d => d.OwnerId == rep.Id)), user: rep.Id);
            AddTarget("win_rate", quarter, 0.3m);
        }
    }

    void AddTarget(string metric, Period period, decimal value, Channel? channel = null, Guid? team = null, Guid? user = null)
    {
        if (value <= 0)
            return;
        targets.Add(new Target
        {
            Id = NewIdWithoutDraw(period.StartsAt, targets.Count),
            Metric = metric,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            Channel = channel,
            TeamId = team,
            UserId = user,
            Value = value,
            CreatedAt = period.StartsAt.AddDays(-7) < now ? period.StartsAt.AddDays(-7) : now,
        });
    }

    // What each channel costs a month: self-service's marketing at a third of what it books, a rep's salary and tools.
    void AddCosts(Period month, decimal selfServiceBookings)
    {
        (Channel Channel, decimal Amount, string Note)[] spend =
        [
            (Channel.SelfService, Math.Round(selfServiceBookings / 300) * 100, "Ads, content and trials"),
            (Channel.Inside, 7_500m * RepsOf(Channel.Inside).Count, "Inside reps' salaries and tools"),
            (Channel.Field, 14_000m * RepsOf(Channel.Field).Count, "Field reps' salaries, travel and tools"),
        ];
        foreach (var (channel, amount, note) in spend)
        {
            costs.Add(new ChannelCost
            {
                Id = NewIdWithoutDraw(month.StartsAt, 100_000 + costs.Count),
                Channel = channel,
                PeriodStart = month.Start,
                PeriodEnd = month.End,
                Amount = amount,
                Currency = "EUR",
                Note = note,
                CreatedAt = month.StartsAt < now ? month.StartsAt : now,
            });
        }
    }

    static decimal Round(decimal value) => Math.Round(value / 1000, MidpointRounding.AwayFromZero) * 1000;

    // A time-ordered id that takes nothing from the seeded Random, so adding these records changes no other record.
    static Guid NewIdWithoutDraw(DateTime at, int number)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = 0x7D;
        bytes[8] = 0x80;
        bytes[9] = 0xDE;
        BitConverter.TryWriteBytes(bytes[10..14], number);
        return new Guid(bytes, bigEndian: true);
    }
}
