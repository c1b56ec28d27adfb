using System.Runtime.CompilerServices;
using Reach.Data;
using Reach.Usage;

namespace Reach.Demo;

/// <summary>
/// The demo's product usage (b2e2b, seed 004): a few customers whose teams grow week after week until they cross the
/// threshold (the rule opens their expansion deals), a larger number whose handful of users stays flat, a small company
/// where a few users are a good share of its staff, people on free mail, and company domains no account has yet.
/// Eight weeks up to now, through the same ingest as the API's (matching, idempotency, the rule).
/// </summary>
public sealed partial class DemoWorkspace
{
    static readonly string[] UsageEventNames = ["login", "document.created", "document.shared", "comment.added", "report.exported", "invite.sent"];

    static readonly string[] CandidateDomains = ["northwind-labs.io", "tallgrass-studio.com", "pinecrest-analytics.com"];

    const int UsageWeeks = 8;

    /// <summary>Adds the usage; returns how many expansion deals (each with its note) the rule opened.</summary>
    async Task<int> AddUsageAsync(ReachDb db, CancellationToken ct)
    {
        // Its own random source: the rest of the demo is the same with or without usage.
        var dice = new Random(seed + 4);
        var customers = accounts.Where(a => a.Account is { Lifecycle: Lifecycle.Customer, OwnerId: not null, Domain: not null }).ToList();
        var large = customers.Where(a => a.Account.Employees >= 120).OrderBy(a => a.Account.Id).ToList();
        var growing = large.OrderBy(_ => dice.Next()).Take(6).ToList();
        var flat = customers.Except(growing).Where(a => a.Account.Employees >= 120).OrderBy(_ => dice.Next()).Take(10).ToList();
        var smallOne = customers.Except(growing).Except(flat).Where(a => a.Account.Employees is >= 30 and <= 60).OrderBy(_ => dice.Next()).Take(1).ToList();

        var plans = new List<(string Domain, Func<int, int> UsersInWeek, int Team)>();
        foreach (var demo in growing)
        {
            var target = dice.Next(12, 23);
            plans.Add((demo.Account.Domain!, week => (int)Math.Round(2 + (target - 2) * Math.Pow(week / (double)(UsageWeeks - 1), 1.5)), target));
        }
        foreach (var demo in flat)
        {
            var users = dice.Next(2, 5);
            plans.Add((demo.Account.Domain!, _ => users, users + 1));
        }
        foreach (var demo in smallOne)
            plans.Add((demo.Account.Domain!, _ => 4, 4));
        foreach (var domain in CandidateDomains.Where(d => !domains.Contains(d)))
        {
            var users = dice.Next(2, 6);
            plans.Add((domain, _ => users, users));
        }
        return (await UsageIngest.IngestAsync(db, Events(plans, dice, ct), limit: null, ct)).Opened.Count;
    }

    async IAsyncEnumerable<UsageEventInput> Events(List<(string Domain, Func<int, int> UsersInWeek, int Team)> plans, Random dice, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var region = DemoVocabulary.Regions[0];
        var number = 0;
        foreach (var (domain, usersInWeek, team) in plans)
        {
            var people = Enumerable.Range(0, team).Select(i => $"{region.FirstNames[(i * 7 + domain.Length) % region.FirstNames.Length]}.{region.LastNames[(i * 5 + domain.Length) % region.LastNames.Length]}{i}".ToLowerInvariant()).ToList();
            for (var week = 0; week < UsageWeeks; week++)
            {
                var weekStart = now.AddDays(-7 * (UsageWeeks - week));
                for (var person = 0; person < Math.Min(team, usersInWeek(week)); person++)
                {
                    for (var n = dice.Next(1, 5); n > 0; n--)
                    {
                        var at = weekStart.AddMinutes(dice.Next(0, 7 * 24 * 60));
                        // Some people sign up with a personal address: they count for nobody.
                        var email = person % 9 == 8 ? $"{people[person]}@gmail.com" : $"{people[person]}@{domain}";
                        yield return new UsageEventInput
                        {
                            EventId = $"demo-{seed}-{number++}",
                            Time = at,
                            Email = email,
                            Name = UsageEventNames[dice.Next(UsageEventNames.Length)],
                        };
                    }
                }
            }
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
        }
    }
}
