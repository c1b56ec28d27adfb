using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Demo;

/// <summary>
/// The demo's playbook: a few items of every kind seed 004 lists, written by the demo's head of sales through the
/// same input rule as the app, so each has its first version.
/// </summary>
static class DemoPlaybook
{
    static readonly PlaybookItemInput[] Items =
    [
        new() { Kind = PlaybookKind.Script, Title = "Cold call opener", Stage = "Qualified", Channel = Channel.Inside,
            Body = "Hi {first name}, it's {me} from Reach. We help B2B startups turn a founder's selling into a repeatable process.\n"
                + "Two quick questions, then I'll let you go: who sells today, and how do you know which deals will close this quarter?" },
        new() { Kind = PlaybookKind.Script, Title = "Proposal walkthrough call", Stage = "Proposal",
            Body = "1. Recap the pain in their words (from discovery).\n2. Walk the proposal: scope, price, start date.\n"
                + "3. Ask: \"What would stop you signing by the end of the month?\"\n4. Agree the next step with a date: order form to the economic buyer." },
        new() { Kind = PlaybookKind.Script, Title = "Follow-up e-mail to a CEO",
            Body = "Hi John, have 5 mins to chat this week? Board meeting coming up and need to get on the same page on two quick things. Thx.\n\n"
                + "(As short as a tweet, one ask, written as a peer. No reply in a few days: forward it with \"Following up on the below. Thx.\")" },
        new() { Kind = PlaybookKind.Script, Title = "Order form call", Stage = "Negotiation", Channel = Channel.Inside,
            Body = "Confirm the business terms line by line (price, term, start date, payment). Say why behind every position: people say yes to a reason." },
        new() { Kind = PlaybookKind.OnePager, Title = "Reach one-pager", Link = "https://docs.example.com/reach-one-pager.pdf",
            Body = "The problem, the three outcomes we deliver, two customer quotes, the price range and how to start." },
        new() { Kind = PlaybookKind.OnePager, Title = "One-pager for enterprise (A) accounts", Segment = Tier.A, Link = "https://docs.example.com/reach-enterprise.pdf",
            Body = "Security, SSO, the rollout plan by team and the references from companies of their size." },
        new() { Kind = PlaybookKind.TalkingPoints, Title = "Presentation deck talking points", Link = "https://docs.example.com/reach-deck",
            Body = "Slide 2: the cost of an unpredictable pipeline.\nSlide 4: segments A/B/C and the channel each deserves.\nSlide 7: what changes in the first 30 days." },
        new() { Kind = PlaybookKind.DifficultQa, Title = "Why not keep using a spreadsheet?",
            Body = "A spreadsheet records deals; it does not tell you which will close or what to do next. Ask how long their Monday pipeline review takes." },
        new() { Kind = PlaybookKind.DifficultQa, Title = "Your price is higher than the alternatives", Stage = "Proposal",
            Body = "Compare it to one rep's salary and the deals lost to a slow follow-up. Offer a pilot with success criteria rather than a discount." },
        new() { Kind = PlaybookKind.DifficultQa, Title = "Is our data secure?", Segment = Tier.A,
            Body = "Hosted in the EU, encrypted at rest, SSO, an audit trail of every change; the security pack is in the references document." },
        new() { Kind = PlaybookKind.DifficultQa, Title = "We don't have time to switch this quarter", Stage = "Proposal",
            Body = "Import from their CRM takes an afternoon; we run it with them. Ask what waiting a quarter costs in deals they cannot see." },
        new() { Kind = PlaybookKind.UrgencyAngle, Title = "Board meeting coming up", Segment = Tier.A,
            Body = "Their board wants a forecast they can trust. Reach gives them one before the next meeting if they start this month." },
        new() { Kind = PlaybookKind.UrgencyAngle, Title = "Price change at quarter end", Segment = Tier.B,
            Body = "List prices rise next quarter; a signed order form this quarter keeps this year's price for two years." },
        new() { Kind = PlaybookKind.CastOfCharacters, Title = "Who we care about in an A account", Segment = Tier.A,
            Body = "Champion: the head of sales (cares about hitting the number, less admin).\nEconomic buyer: the CEO or CFO (cares about a forecast the board trusts).\n"
                + "Blocker: IT or security (cares about SSO and data location).\nUser: the reps (care about less data entry)." },
        new() { Kind = PlaybookKind.References, Title = "References document", Link = "https://docs.example.com/references",
            Body = "Five customers who take calls, by segment and channel, with what each will speak to." },
        new() { Kind = PlaybookKind.Proposal, Title = "Proposal", Stage = "Proposal",
            Body = "Prepared for {{contact.full_name}}, {{contact.title}}, {{account.name}}\n\n# Why {{account.name}} and Reach\n"
                + "Your team wants a forecast the board trusts and less time typing into a CRM. Reach plans the pipeline you need, routes every lead to the right channel and shows each rep what to do next.\n\n"
                + "# What we propose\n{{line_items}}\n\n# Who is involved\n{{contacts}}\n\n# Terms\n- Term: {{terms.length}}, from {{terms.start}} to {{terms.end}}\n"
                + "- Total: {{totals.total}} a year, invoiced annually in advance\n- This proposal is valid until {{terms.valid_until}}\n\n{{sender.name}} · {{sender.email}}" },
        new() { Kind = PlaybookKind.OrderForm, Title = "Order form", Stage = "Negotiation",
            Body = "# Customer\n{{account.name}} ({{account.domain}})\nSigner: {{contact.full_name}}, {{contact.title}}\n\n# Order\n{{line_items}}\n\n"
                + "# Business terms\n- Subscription term: {{terms.length}}, {{terms.start}} to {{terms.end}}\n- Fees: {{totals.total}} a year, payable within 30 days of invoice\n"
                + "- Renews for another year unless either side gives 60 days' notice\n\nSigned for {{account.name}}: ______________________   Date: __________" },
        new() { Kind = PlaybookKind.Agreement, Title = "Subscription agreement", Stage = "Negotiation",
            Body = "Between Reach and {{account.name}}, effective {{terms.start}}.\n\n## 1. Service\nReach provides the service described in the order form for {{deal.name}}.\n\n"
                + "## 2. Fees\nThe customer pays {{totals.total}} a year as the order form sets out.\n\n## 3. Data\nThe customer's data stays the customer's; Reach processes it only to provide the service.\n\n"
                + "## 4. Term\n{{terms.length}} from {{terms.start}}, renewing yearly.\n\nSigned: ______________________ ({{account.name}})" },
        new() { Kind = PlaybookKind.Other, Title = "Selling to marketplaces: worry about the C, not the B",
            Body = "When the prospect sells through a marketplace, be the expert on their consumer, not on their business." },
    ];

    static readonly string[] Criteria = ["Price", "Time to value", "Forecasting", "Security"];

    static readonly (string Name, string[] Cells)[] Rivals =
    [
        ("Spreadsheets", ["Free", "Today", "None: a list of deals", "Whoever has the file"]),
        ("BigCRM", ["3× ours per seat", "3–6 months with a consultant", "Add-on, extra cost", "SSO, audit, EU hosting"]),
        ("PipeLite", ["Similar", "A week", "Stage probabilities only", "No SSO"]),
    ];

    /// <summary>
    /// Names a competitor on some of the demo's deals, from a random sequence of its own so the rest of the demo is the
    /// same with or without it: the matrix's win rates have closed deals to count.
    /// </summary>
    public static void NameCompetitors(IEnumerable<Reach.Deals.Deal> deals, int seed)
    {
        var random = new Random(seed + 4);
        foreach (var deal in deals)
        {
            if (random.NextDouble() < 0.4)
                deal.Competitor = Rivals[random.Next(Rivals.Length)].Name;
        }
    }

    /// <summary>Adds the items as written by <paramref name="author"/> (the demo's admin).</summary>
    public static async Task AddAsync(ReachDb db, User author, CancellationToken ct)
    {
        var actor = db.Actor;
        db.Actor = Actor.For(author);
        try
        {
            foreach (var input in Items)
            {
                var item = new PlaybookItem { Title = "" };
                await input.ApplyAsync(db, item, ct);
                db.PlaybookItems.Add(item);
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            await CompetitiveMatrix.WriteAsync(db, new MatrixInput
            {
                Criteria = [.. Criteria],
                Competitors = [.. Rivals.Select(r => new MatrixRowInput { Name = r.Name, Cells = Criteria.Zip(r.Cells).ToDictionary(p => p.First, p => p.Second) })],
            }, ct);
            db.ChangeTracker.Clear();
        }
        finally
        {
            db.Actor = actor;
        }
    }
}
