using Reach.Data;
using Reach.Deals;
using Reach.Expansion;
using Reach.Playbook;

namespace Reach.Demo;

// The customers who agreed to speak for Reach, and the reps' weekly notes: what a manager reads on Monday. Drawn from a
// Random of their own, so adding them leaves every other row of the demo as it was.
public sealed partial class DemoWorkspace
{
    readonly List<Reference> references = [];
    readonly List<WeeklyLog> weeklyLogs = [];

    static readonly (string Worked, string DidNotWork, string Insight)[] InsideWeeks =
    [
        ("Calling within ten minutes of a demo request: four of six answered and two booked a discovery call.",
            "Cold e-mails with a case study attached: no replies at all this week.",
            "Prospects answer a one-line e-mail from a peer; attachments look like marketing."),
        ("Asking \"what would stop you signing by the end of the month?\" on proposal calls surfaced two blockers early.",
            "Leaving voicemails on Friday afternoons: nobody called back.",
            "Ask for the blocker before sending the order form, not after."),
        ("The price objection answer from the playbook (one rep's salary) worked twice.",
            "Discounting to close before the quarter's end: the buyer simply waited for more.",
            "A pilot with success criteria closes faster than a discount."),
        ("Multi-threading: adding the finance lead to the proposal call moved a stuck deal to negotiation.",
            "Demos longer than 30 minutes: attention dropped after slide 7.",
            "Keep the demo to the three outcomes; send the rest as a follow-up."),
    ];

    static readonly (string Worked, string DidNotWork, string Insight)[] FieldWeeks =
    [
        ("On-site workshop with the economic buyer and IT together: agreed the rollout plan in one meeting.",
            "Security questionnaire arrived late again and stalled legal for a week.",
            "Send the security pack with the proposal, before legal asks for it."),
        ("A reference call with a customer of the same size convinced the CFO.",
            "The procurement portal needed a vendor number we did not have.",
            "Register as a vendor at the first meeting with a large account."),
        ("Mapping the cast of characters early: we found the real decision maker in week one.",
            "Our champion left the company mid-deal; nobody else knew us.",
            "Always have two contacts who know the deal, not one."),
    ];

    static readonly (string Worked, string DidNotWork, string Insight)[] SelfServiceWeeks =
    [
        ("The in-app checklist: trials that finished it converted twice as often.",
            "The onboarding webinar: 3 attendees of 40 registered.",
            "Nudge trial users inside the product, not by e-mail."),
        ("Usage e-mail on day 3 of the trial brought back a third of inactive trials.",
            "Price page A/B test: no difference either way.",
            "Day 3 is when a trial is won or lost."),
    ];

    void AddVoices()
    {
        var voices = new Random(seed + 7);
        AddReferences(voices);
        AddWeeklyLogs(voices);
    }

    void AddReferences(Random voices)
    {
        var number = 300_000;
        foreach (var demo in accounts.Where(a => a.Account.Lifecycle == Lifecycle.Reference))
        {
            var firstWin = demo.Deals.Where(d => d.Deal.Status == DealStatus.Won).Min(d => d.Deal.ClosedAt!.Value);
            var agreed = firstWin.AddDays(voices.Next(60, 150));
            if (agreed > now)
                agreed = now.AddDays(-voices.Next(5, 30));
            var contact = demo.PrimaryContact;
            references.Add(new Reference
            {
                Id = NewIdWithoutDraw(agreed, ++number),
                AccountId = demo.Account.Id,
                AgreedBy = $"{contact.FirstName} {contact.LastName}",
                ContactId = contact.Id,
                AgreedOn = DateOnly.FromDateTime(agreed),
                ForCall = true,
                ForLogo = voices.NextDouble() < 0.7,
                ForCaseStudy = voices.NextDouble() < 0.3,
                Note = "Happy to take a call a quarter; ask a week ahead.",
                CreatedAt = agreed,
                UpdatedAt = agreed,
            });
        }
    }

    void AddWeeklyLogs(Random voices)
    {
        // The six weeks before this one; this week's is left for the rep to write (My day reminds them on Friday).
        var thisWeek = WeeklyLog.WeekOf(now);
        var number = 400_000;
        foreach (var rep in Reps)
        {
            var weeks = rep.Channel switch { Channel.Field => FieldWeeks, Channel.SelfService => SelfServiceWeeks, _ => InsideWeeks };
            for (var back = 6; back >= 1; back--)
            {
                // Now and then a rep skips a week, as people do.
                if (voices.NextDouble() < 0.15)
                    continue;
                var week = thisWeek.AddDays(-7 * back);
                var written = week.AddDays(4).ToDateTime(new TimeOnly(16, voices.Next(0, 60)), DateTimeKind.Utc);
                var (worked, didNotWork, insight) = weeks[voices.Next(weeks.Length)];
                weeklyLogs.Add(new WeeklyLog
                {
                    Id = NewIdWithoutDraw(written, ++number),
                    UserId = rep.Id,
                    Week = week,
                    Worked = worked,
                    DidNotWork = didNotWork,
                    Insight = insight,
                    CreatedAt = written,
                    UpdatedAt = written,
                });
            }
        }
    }
}
