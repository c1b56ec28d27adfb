using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Leads;
using Reach.Pipelines;
using Reach.Products;

namespace Reach.Demo;

/// <summary>
/// A believable workspace to try Reach on: a sales team of three channels with 18 months of accounts,
/// deals, stage history and touches up to <c>now</c>. The same seed and <c>now</c> give the same rows,
/// ids included, so demos, screenshots and tests are reproducible.
/// </summary>
public sealed partial class DemoWorkspace
{
    const int AccountCount = 500;
    const int LeadCount = 300;

    readonly Random random;
    readonly DateTime now;

    // The start of the 18 months of history.
    readonly DateTime start;
    readonly IReadOnlyDictionary<Channel, Pipeline> pipelines;
    readonly Dictionary<Guid, string> openStageNames;

    readonly List<User> users = [];
    readonly List<Team> teams = [];
    readonly List<Product> products = [];
    readonly List<DemoAccount> accounts = [];
    readonly List<Lead> leads = [];
    readonly List<DemoDeal> deals = [];
    readonly List<DealStageChange> stageChanges = [];
    readonly List<Activity> activities = [];

    // Company names and domains are unique across accounts and leads, as they would be in a real market.
    readonly int seed;
    readonly HashSet<string> companyNames = [];
    readonly HashSet<string> domains = [];

    DemoWorkspace(DateTime now, int seed, IReadOnlyDictionary<Channel, Pipeline> pipelines)
    {
        random = new Random(seed);
        this.seed = seed;
        this.now = now;
        start = now.AddMonths(-18);
        this.pipelines = pipelines;
        openStageNames = pipelines.Values.SelectMany(p => p.Stages).Where(s => s.Outcome == StageOutcome.Open).ToDictionary(s => s.Id, s => s.Name);
    }

    /// <summary>
    /// Fills an empty, migrated database. Everything is relative to <paramref name="now"/>; the wall
    /// clock is never read (only <see cref="ReachDb"/> stamps UpdatedAt with its own clock).
    /// </summary>
    public static async Task<DemoSummary> SeedAsync(ReachDb db, DateTime now, int seed = 42, CancellationToken ct = default)
    {
        now = now.Kind == DateTimeKind.Local ? now.ToUniversalTime() : DateTime.SpecifyKind(now, DateTimeKind.Utc);
        if (await db.Users.AnyAsync(ct) || await db.Accounts.IgnoreQueryFilters().AnyAsync(ct))
            throw new InvalidOperationException("The demo workspace can only be added to an empty database.");

        await DefaultPipelines.EnsureAsync(db, ct);
        var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).ToListAsync(ct);
        foreach (var pipeline in pipelines)
            pipeline.Stages = [.. pipeline.Stages.OrderBy(s => s.Position)];

        var workspace = new DemoWorkspace(now, seed, pipelines.ToDictionary(p => p.Channel));
        workspace.Generate();
        await workspace.SaveAsync(db, ct);
        var opened = await workspace.AddUsageAsync(db, ct);
        var summary = workspace.Summary();
        return summary with { Deals = summary.Deals + opened, DealStageChanges = summary.DealStageChanges + opened, Activities = summary.Activities + opened };
    }

    void Generate()
    {
        AddPeople();
        AddProducts();
        AddAccounts();
        foreach (var account in accounts)
            AddDeals(account);
        SetLifecycles();
        AddOversizedDeal();
        AddLeads();
        AddActivities();
        AddPlannedTouches();
        AddTargets();
        AddExchangeRates();
        AddVoices();
    }

    async Task SaveAsync(ReachDb db, CancellationToken ct)
    {
        var detectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.RecordsAudit = false;
        try
        {
            // One transaction: SQLite syncs to disk once, and a failure leaves the database empty.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await InsertAsync(db, teams, ct);
            await InsertAsync(db, users, ct);
            await InsertAsync(db, products, ct);
            await InsertAsync(db, accounts.Select(a => a.Account), ct);
            await InsertAsync(db, accounts.SelectMany(a => a.Contacts), ct);
            DemoPlaybook.NameCompetitors(deals.Select(d => d.Deal), seed);
            await InsertAsync(db, deals.Select(d => d.Deal), ct);
            await InsertAsync(db, stageChanges, ct);
            await InsertAsync(db, leads, ct);
            await InsertAsync(db, activities, ct);
            await InsertAsync(db, targets, ct);
            await InsertAsync(db, costs, ct);
            await InsertAsync(db, rates, ct);
            await InsertAsync(db, references, ct);
            await InsertAsync(db, weeklyLogs, ct);
            var admin = users.First(u => u.Role == UserRole.Admin);
            await DemoPlan.AddAsync(db, admin.Id, admin.Name, now.AddDays(-30), ct);
            await DemoPlaybook.AddAsync(db, admin, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detectChanges;
            db.RecordsAudit = true;
        }
    }

    static async Task InsertAsync<T>(ReachDb db, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        // Clearing the tracker between batches keeps SaveChanges' work proportional to the batch.
        foreach (var batch in rows.Chunk(4000))
        {
            db.Set<T>().AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    DemoSummary Summary() => new(
        users.Count,
        teams.Count,
        products.Count,
        accounts.Count,
        accounts.Sum(a => a.Contacts.Count),
        leads.Count,
        deals.Count,
        stageChanges.Count,
        deals.Sum(d => d.Deal.LineItems.Count),
        activities.Count,
        [.. users.Select(u => new DemoLogin(u.Email!, u.Name, u.Role))]);

    void AddPeople()
    {
        var since = start.AddDays(-120);
        var velocity = new Team { Id = NewId(since), Name = "Velocity" };
        var enterprise = new Team { Id = NewId(since), Name = "Enterprise" };
        teams.AddRange([velocity, enterprise]);

        AddUser("Alex Morgan", "admin@reach.demo", UserRole.Admin, null, null, since);
        velocity.ManagerId = AddUser("Sofia Brandt", "sofia@reach.demo", UserRole.Manager, velocity, null, since).Id;
        enterprise.ManagerId = AddUser("Daniel Okafor", "daniel@reach.demo", UserRole.Manager, enterprise, null, since).Id;
        AddUser("Lena Fischer", "lena@reach.demo", UserRole.Rep, velocity, Channel.SelfService, since);
        AddUser("Tom Becker", "tom@reach.demo", UserRole.Rep, velocity, Channel.Inside, since);
        AddUser("Priya Nair", "priya@reach.demo", UserRole.Rep, velocity, Channel.Inside, since);
        AddUser("Marco Rossi", "marco@reach.demo", UserRole.Rep, enterprise, Channel.Inside, since);
        AddUser("Claire Dubois", "claire@reach.demo", UserRole.Rep, enterprise, Channel.Field, since);
        AddUser("James Whitaker", "james@reach.demo", UserRole.Rep, enterprise, Channel.Field, since);
    }

    User AddUser(string name, string email, UserRole role, Team? team, Channel? channel, DateTime since)
    {
        var createdAt = since.AddDays(users.Count * 3);
        var user = new User
        {
            Id = NewId(createdAt),
            Name = name,
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            // Identity would put random values here; derived ones keep the seed reproducible.
            SecurityStamp = $"DEMO{NewId(createdAt):N}".ToUpperInvariant(),
            ConcurrencyStamp = NewId(createdAt).ToString(),
            LockoutEnabled = true,
            Role = role,
            TeamId = team?.Id,
            Channel = channel,
            CreatedAt = createdAt,
        };
        users.Add(user);
        return user;
    }

    IReadOnlyList<User> Reps => [.. users.Where(u => u.Role == UserRole.Rep)];

    IReadOnlyList<User> RepsOf(Channel channel) => [.. users.Where(u => u.Role == UserRole.Rep && u.Channel == channel)];

    void AddProducts()
    {
        var since = start.AddDays(-100);
        AddProduct("Starter plan", "PLAN-STARTER", "Self-service, one workspace: 59 EUR a month, billed annually.", 708m, since);
        AddProduct("Pro plan", "PLAN-PRO", "Self-service with automation and reports: 199 EUR a month, billed annually.", 2_388m, since);
        AddProduct("Team plan", "PLAN-TEAM", "Per seat and year, sold by inside sales; 10 seats minimum.", 600m, since);
        AddProduct("Enterprise plan", "PLAN-ENTERPRISE", "Per seat and year: SSO, audit log, sandbox, EU data residency.", 1_200m, since);
        AddProduct("Onboarding package", "SVC-ONBOARDING", "Remote setup, data import and two training sessions.", 2_500m, since);
        AddProduct("Enterprise onboarding", "SVC-ENTERPRISE-ONBOARDING", "Project-managed rollout, integrations and on-site training.", 15_000m, since);
        AddProduct("Advanced reporting", "ADDON-REPORTING", "Add-on: board reports and forecasting, per workspace and year.", 600m, since);
        AddProduct("Premium support", "ADDON-SUPPORT", "Add-on: named success manager and a 4-hour response time.", 12_000m, since);
    }

    void AddProduct(string name, string sku, string description, decimal listPrice, DateTime createdAt) =>
        products.Add(new Product { Id = NewId(createdAt), Name = name, Sku = sku, Description = description, ListPrice = listPrice, Currency = "EUR", CreatedAt = createdAt });

    Product ProductOf(string sku) => products.First(p => p.Sku == sku);

    // Randomness. Every draw goes through the one Random, in a fixed order, so a seed replays exactly.

    // A time-ordered (version 7) id for a record made at that moment, drawn from the seeded Random.
    Guid NewId(DateTime at)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var milliseconds = new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    bool Chance(double probability) => random.NextDouble() < probability;

    double Between(double min, double max) => min + (random.NextDouble() * (max - min));

    T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    T PickWeighted<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var roll = random.NextDouble() * items.Sum(i => i.Weight);
        foreach (var (item, weight) in items)
        {
            roll -= weight;
            if (roll < 0)
                return item;
        }
        return items[^1].Item;
    }

    // Skewed quantities (company sizes, cycle lengths): most near the median, a long tail above.
    double LogNormal(double median, double sigma)
    {
        // Box–Muller; 1 - NextDouble() avoids log(0).
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return median * Math.Exp(sigma * normal);
    }

    // The same moment moved into office hours on a weekday: people sell Monday to Friday.
    DateTime WorkingHours(DateTime at)
    {
        var day = at.Date;
        if (day.DayOfWeek == DayOfWeek.Saturday)
            day = day.AddDays(2);
        else if (day.DayOfWeek == DayOfWeek.Sunday)
            day = day.AddDays(1);
        return DateTime.SpecifyKind(day.AddHours(7).AddMinutes(random.Next(0, 600)), DateTimeKind.Utc);
    }
}
