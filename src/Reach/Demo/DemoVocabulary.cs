using Reach.Contacts;

namespace Reach.Demo;

// A place a demo account sits: its time zone, web domain ending and phone prefix go together.
sealed record DemoLocale(string TimeZone, string Tld, string PhonePrefix, string LegalForm);

sealed record DemoRegion(string Name, double Weight, DemoLocale[] Locales, string[] FirstNames, string[] LastNames, string? Currency);

sealed record DemoIndustry(string Name, string[] Suffixes, decimal RevenuePerEmployee, double Fit);

// The words the demo workspace is made of. Names are ASCII so emails need no transliteration.
static class DemoVocabulary
{
    public static readonly DemoRegion[] Regions =
    [
        new("DACH", 0.24,
            [new("Europe/Berlin", "de", "+49", "GmbH"), new("Europe/Vienna", "at", "+43", "GmbH"), new("Europe/Zurich", "ch", "+41", "AG")],
            ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Maximilian", "Laura", "Tobias", "Julia", "Florian", "Katharina", "Stefan", "Sabine", "Moritz", "Lena"],
            ["Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Hartmann", "Lange", "Krause"],
            null),
        new("Nordics", 0.12,
            [new("Europe/Stockholm", "se", "+46", "AB"), new("Europe/Copenhagen", "dk", "+45", "ApS"), new("Europe/Oslo", "no", "+47", "AS"), new("Europe/Helsinki", "fi", "+358", "Oy")],
            ["Erik", "Astrid", "Lars", "Ingrid", "Mikkel", "Freja", "Johan", "Sofie", "Anders", "Elin", "Henrik", "Maja", "Oskar", "Sanna"],
            ["Lindqvist", "Andersen", "Johansson", "Nielsen", "Hansen", "Berg", "Virtanen", "Holm", "Dahl", "Nyberg", "Lund", "Eriksson", "Korhonen", "Solberg"],
            null),
        new("Benelux", 0.11,
            [new("Europe/Amsterdam", "nl", "+31", "B.V."), new("Europe/Brussels", "be", "+32", "NV")],
            ["Daan", "Emma", "Sem", "Sanne", "Thijs", "Fleur", "Bram", "Lotte", "Pieter", "Noor", "Jeroen", "Eline"],
            ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Peeters", "Maes", "Mulder", "de Graaf", "Willems", "Claes"],
            null),
        new("France", 0.11,
            [new("Europe/Paris", "fr", "+33", "SAS")],
            ["Louis", "Camille", "Hugo", "Chloe", "Arthur", "Manon", "Jules", "Ines", "Antoine", "Juliette", "Mathieu", "Claire"],
            ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefevre", "Roux", "Fontaine", "Girard", "Mercier", "Blanc", "Chevalier"],
            null),
        new("UK & Ireland", 0.15,
            [new("Europe/London", "co.uk", "+44", "Ltd"), new("Europe/Dublin", "ie", "+353", "Ltd")],
            ["Oliver", "Amelia", "Harry", "Isla", "George", "Olivia", "Jack", "Grace", "Thomas", "Emily", "Callum", "Niamh", "Rory", "Siobhan"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walsh", "Murphy", "Kelly", "Hughes", "Clarke", "Byrne", "Wright"],
            "GBP"),
        new("Southern Europe", 0.10,
            [new("Europe/Madrid", "es", "+34", "S.L."), new("Europe/Rome", "it", "+39", "S.r.l."), new("Europe/Lisbon", "pt", "+351", "Lda")],
            ["Pablo", "Lucia", "Marco", "Giulia", "Joao", "Ines", "Alejandro", "Sara", "Luca", "Marta", "Diego", "Chiara"],
            ["Garcia", "Rossi", "Fernandes", "Martinez", "Ferrari", "Silva", "Lopez", "Romano", "Costa", "Sanchez", "Ricci", "Pereira"],
            null),
        new("North America", 0.17,
            [new("America/New_York", "com", "+1", "Inc."), new("America/Chicago", "com", "+1", "Inc."), new("America/Los_Angeles", "io", "+1", "Inc."), new("America/Toronto", "ca", "+1", "Inc.")],
            ["James", "Emma", "Michael", "Olivia", "Ethan", "Ava", "Noah", "Madison", "Ryan", "Chloe", "Tyler", "Hannah", "Brandon", "Megan", "Kevin", "Ashley"],
            ["Miller", "Davis", "Johnson", "Anderson", "Thompson", "Moore", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Scott", "Green", "Baker", "Carter"],
            "USD"),
    ];

    public static readonly DemoIndustry[] Industries =
    [
        new("Software", ["Software", "Labs", "Cloud", "Systems", "Analytics"], 180_000m, 1.0),
        new("Financial services", ["Capital", "Finance", "Payments"], 250_000m, 0.9),
        new("E-commerce", ["Commerce", "Goods", "Shop"], 220_000m, 0.8),
        new("Professional services", ["Consulting", "Partners", "Advisory"], 140_000m, 0.8),
        new("Recruiting", ["Talent", "Recruiting", "People"], 120_000m, 0.7),
        new("Marketing agency", ["Media", "Creative", "Studio"], 110_000m, 0.6),
        new("Logistics", ["Logistics", "Freight", "Transport"], 160_000m, 0.5),
        new("Healthcare", ["Health", "Medical", "Care"], 130_000m, 0.5),
        new("Manufacturing", ["Industries", "Components", "Manufacturing"], 200_000m, 0.4),
        new("Energy", ["Energy", "Solar", "Power"], 300_000m, 0.4),
        new("Real estate", ["Properties", "Living", "Estates"], 190_000m, 0.4),
        new("Education", ["Learning", "Academy", "Education"], 90_000m, 0.3),
    ];

    public static readonly string[] CompanyRoots =
    [
        "Kestrel", "Brightwave", "Nordlys", "Alder", "Basalt", "Corvid", "Driftwood", "Ember", "Fjordline", "Granite",
        "Halcyon", "Ironbark", "Juniper", "Kilnworth", "Lumen", "Meridian", "Oakridge", "Pinecrest", "Quarrystone", "Redfern",
        "Saltmarsh", "Tidewater", "Umberfield", "Vantage", "Willowby", "Yarrow", "Zephyr", "Aster", "Beaconfield", "Cobalt",
        "Dunmore", "Elmstead", "Foxglove", "Glasswing", "Heron", "Isarline", "Jadeport", "Kettle", "Larkspur", "Moorland",
        "Nettle", "Orchard", "Peregrine", "Quill", "Ravensberg", "Silverbirch", "Thornbury", "Upland", "Velvetine", "Wrenfield",
        "Northgate", "Bluestem", "Copperleaf", "Deepwell", "Evergreen", "Fernhill", "Goldcrest", "Highmoor", "Inkwell", "Lanternfly",
        "Mistral", "Novalis", "Oxbow", "Pebblebrook", "Rivermark", "Sundial", "Tallow", "Vireo", "Westerly", "Arbor",
        "Bramble", "Cinder", "Dovetail", "Flintlock", "Greywater", "Harrow", "Keystone", "Lodestar", "Marigold", "Outpost",
    ];

    public static readonly IReadOnlyDictionary<ContactRole, string[]> Titles = new Dictionary<ContactRole, string[]>
    {
        [ContactRole.TechnicalBuyer] = ["CTO", "Head of IT", "IT Manager", "Solutions Architect"],
        [ContactRole.User] = ["Account Executive", "Sales Development Rep", "Customer Success Manager", "Account Manager", "Business Development Manager"],
        [ContactRole.Influencer] = ["Head of Marketing", "Head of Customer Success", "Finance Manager", "Marketing Operations Manager"],
        [ContactRole.Blocker] = ["Procurement Manager", "IT Security Officer", "Finance Director", "Data Protection Officer"],
        [ContactRole.Gatekeeper] = ["Executive Assistant", "Office Manager"],
        [ContactRole.Unknown] = ["Operations Manager", "Business Analyst", "Project Manager"],
    };

    // Who holds the budget and who pushes the deal depends on how big the company is.
    public static string[] EconomicBuyerTitles(int employees) => employees switch
    {
        < 50 => ["Founder & CEO", "Co-founder", "Managing Director"],
        < 500 => ["VP Sales", "COO", "Head of Revenue", "CEO"],
        _ => ["Chief Revenue Officer", "SVP Sales", "VP Sales Operations"],
    };

    public static string[] ChampionTitles(int employees) => employees switch
    {
        < 50 => ["Head of Sales", "Sales Lead", "Growth Lead"],
        < 500 => ["Sales Operations Manager", "Head of Sales", "RevOps Lead"],
        _ => ["Director Sales Operations", "Head of Revenue Operations", "Sales Excellence Lead"],
    };

    public static readonly IReadOnlyDictionary<ContactRole, string[]> CaresAbout = new Dictionary<ContactRole, string[]>
    {
        [ContactRole.EconomicBuyer] = ["Hitting the bookings target without adding headcount", "A forecast that holds up in front of the board", "Payback within twelve months", "Cost of acquiring a customer, per channel"],
        [ContactRole.Champion] = ["Getting reps to actually keep the CRM up to date", "Pipeline reviews from one screen instead of five spreadsheets", "A rollout that makes the team look good to the VP", "Cutting the weekly report from a day to an hour"],
        [ContactRole.TechnicalBuyer] = ["SSO and a clean security review", "API access and exports the company controls", "No extra admin work for IT"],
        [ContactRole.User] = ["Fewer clicks to log a call", "Knowing which leads to call first each morning", "Email templates that don't read like templates"],
        [ContactRole.Influencer] = ["Which campaigns bring the leads that close", "A clean handover from sales to customer success"],
        [ContactRole.Blocker] = ["Fewer tools, not more", "Data stays in the EU, DPA signed", "Budget frozen until next quarter", "The spreadsheet works fine, why change"],
        [ContactRole.Gatekeeper] = ["Protecting the CEO's calendar", "Short meeting requests with a clear reason"],
        [ContactRole.Unknown] = ["Not known yet: ask on the next call"],
    };

    // What a touch is about, by the stage the deal was in at the time.
    public static readonly IReadOnlyDictionary<string, (string Meeting, string[] Topics)> StageTopics = new Dictionary<string, (string, string[])>
    {
        ["Trial"] = ("Onboarding call", ["Getting your first project live", "Inviting your team", "Importing your contacts", "How is the trial going?"]),
        ["Checkout"] = ("Billing call", ["Annual or monthly billing", "Invoice details", "VAT number for the invoice"]),
        ["Qualified"] = ("Intro call", ["Intro and fit", "How your team sells today", "Timing and budget"]),
        ["Discovery"] = ("Discovery meeting", ["Where the current process hurts", "Who else should join", "Pipeline reporting today"]),
        ["Demo"] = ("Product demo", ["Demo recording and next steps", "Questions from the demo", "Demo for the wider team"]),
        ["Solution"] = ("Solution workshop", ["Requirements write-up", "Integration with your ERP", "Solution design review"]),
        ["Pilot"] = ("Pilot review", ["Pilot success criteria", "Pilot check-in", "Pilot results"]),
        ["Proposal"] = ("Proposal walkthrough", ["Proposal", "Pricing questions", "Business case for the board"]),
        ["Negotiation"] = ("Commercial terms call", ["Order form", "Payment terms", "Start date"]),
        ["Procurement"] = ("Security review call", ["Security questionnaire", "DPA and data residency", "Vendor onboarding forms"]),
    };

    public static readonly IReadOnlyDictionary<string, string[]> NextSteps = new Dictionary<string, string[]>
    {
        ["Trial"] = ["Check activation after day 3", "Offer onboarding call"],
        ["Checkout"] = ["Send invoice", "Confirm billing contact"],
        ["Qualified"] = ["Book discovery call", "Send one-pager"],
        ["Discovery"] = ["Map the cast of characters", "Book demo with the team"],
        ["Demo"] = ["Send demo recording", "Agree on proposal date"],
        ["Solution"] = ["Share requirements draft", "Agree pilot scope"],
        ["Pilot"] = ["Pilot review with sponsor", "Collect pilot usage numbers"],
        ["Proposal"] = ["Follow up on proposal", "Walk the economic buyer through pricing"],
        ["Negotiation"] = ["Send order form", "Agree start date"],
        ["Procurement"] = ["Answer security questionnaire", "Chase legal on the DPA"],
    };

    public static readonly string[] DripTopics =
    [
        "Benchmark: win rates by channel", "Why sales cycles run longer than planned", "Short emails get answers",
        "Three questions for your next pipeline review", "Land small, expand later", "Case study: from spreadsheet to forecast",
    ];

    public static readonly (string Reason, double Weight)[] SelfServiceLostReasons =
        [("Trial expired without activation", 5), ("Price too high", 2), ("Missing feature", 2), ("Chose a competitor", 1), ("Went dark", 2)];

    public static readonly (string Reason, double Weight)[] SalesLostReasons =
        [("No decision / status quo", 5), ("Chose a competitor", 4), ("No budget", 3), ("Timing: revisit next quarter", 3), ("Price too high", 2), ("Missing feature", 2), ("Champion left", 1), ("Went dark", 2)];

    public static readonly (string Reason, double Weight)[] FieldLostReasons =
        [.. SalesLostReasons, ("Security review failed", 1), ("Lost to in-house build", 1)];

    public static readonly string[] LeadDisqualifyReasons = ["Student project", "Too small for now", "Existing contract until next year", "No sales team", "Duplicate of an existing account"];
}
