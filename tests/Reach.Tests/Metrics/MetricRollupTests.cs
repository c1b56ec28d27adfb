using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Metrics;
using Reach.Metrics.Rollups;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Metrics;

/// <summary>
/// The rollups give every figure exactly as reading the deals one by one does (<see cref="MetricFacts.LoadDetailedAsync(ReachDb, string, DateTime, MetricQuery, CancellationToken)"/>,
/// itself checked against plain SQL in <see cref="MetricCorrectnessTests"/>): before they are built (all live), once
/// built (stored), after writes of every kind that move a figure (stale days live) and after the refresh that follows.
/// For the workspace, a rep and a manager's team; by channel and tier; over weeks, months, quarters and a custom range.
/// </summary>
public abstract class MetricRollupTests(ReachServer server)
{
    static readonly DateTime Now = MetricsWorkspace.Now;
    static readonly Period[] Periods =
    [
        Period.Parse("2027-Q1")!, Period.Parse("2027-02")!, Period.Parse("2027-03")!, Period.Containing(Now, PeriodKind.Week),
        Period.Range(new DateOnly(2027, 1, 10), new DateOnly(2027, 2, 21)),
    ];

    async Task<List<string>> DifferencesAsync(MetricsWorkspace workspace) => await DifferencesAsync(workspace, Now, Periods);

    async Task<List<string>> DifferencesAsync(MetricsWorkspace workspace, DateTime now, IReadOnlyList<Period> periods)
    {
        var differences = new List<string>();
        await using var setup = server.OpenDb();
        var manager = await Actor.ForAsync(setup, workspace.Manager, CancellationToken.None);
        var scopes = new (string Name, Actor? Actor, MetricQuery Cuts)[]
        {
            ("workspace", null, new MetricQuery(Periods[0])),
            ("workspace, inside", null, new MetricQuery(Periods[0]) { Channel = Channel.Inside }),
            ("workspace, tier A", null, new MetricQuery(Periods[0]) { Tier = Tier.A }),
            ("rep A", Actor.For(workspace.RepA), new MetricQuery(Periods[0]) { RepId = workspace.RepA.Id }),
            ("manager's team", manager, new MetricQuery(Periods[0]) { TeamId = workspace.EastTeam }),
            ("manager's team, tier B", manager, new MetricQuery(Periods[0]) { TeamId = workspace.EastTeam, Tier = Tier.B }),
            ("rep A, field", Actor.For(workspace.RepA), new MetricQuery(Periods[0]) { RepId = workspace.RepA.Id, Channel = Channel.Field }),
        };
        foreach (var (name, actor, cuts) in scopes)
        {
            foreach (var period in periods)
            {
                var query = cuts with { Period = period };
                await using var db = server.OpenDb();
                db.Actor = actor;
                var detailed = await MetricFacts.LoadDetailedAsync(db, "EUR", now, query);
                var rolled = await MetricFacts.LoadAsync(db, "EUR", now, query);
                foreach (var metric in MetricCatalogue.All)
                {
                    var (want, got) = (MetricService.Compute(detailed, metric, query, now), MetricService.Compute(rolled, metric, query, now));
                    var expected = Describe(want);
                    var actual = Describe(got);
                    if (expected != actual)
                        differences.Add($"{name}, {period.Label}, {metric.Id}: {actual} instead of {expected}");
                }
            }
        }
        return differences;
    }

    static string Describe(MetricResult result) =>
        string.Join("; ", new[] { result.Total }.Concat(result.Channels).Select(f => $"{f.Channel} {f.Value}/{f.Count}/{f.Previous}/{f.Target}"))
        + " | " + string.Join(",", result.Excluded.Select(e => e.Name)) + " | " + string.Join(" ", result.Notes);

    async Task<int> StaleDaysAsync()
    {
        await using var db = server.OpenDb();
        return await db.MetricRollupDays.CountAsync(d => d.Built != d.Version);
    }

    [Fact]
    public async Task EveryFigureIsTheSameFromTheRollupsBeforeAndAfterTheyAreBuiltAndAfterEveryKindOfWrite()
    {
        _ = server.Http;
        var workspace = await MetricsWorkspace.ForAsync(server);
        Assert.Empty(await DifferencesAsync(workspace));

        await using (var db = server.OpenDb())
        {
            // Built here, or already by the other test of the class (xUnit does not fix their order).
            await RollupRefresh.RunAsync(db);
            Assert.True(await db.MetricRollups.AnyAsync());
        }
        Assert.Equal(0, await StaleDaysAsync());
        Assert.Empty(await DifferencesAsync(workspace));

        // Writes that move figures, none followed by a refresh yet: the days they touch are computed live.
        await using (var db = server.OpenDb())
        {
            var d1 = await db.Deals.SingleAsync(d => d.Name.StartsWith("D1 "));
            d1.Amount = 12345;
            // Handed over: its figures move from one owner's stored rows to another's.
            var handedOver = await db.Deals.FirstAsync(d => d.OwnerId == workspace.RepA.Id && d.Status == DealStatus.Won && !d.Name.StartsWith("D1 "));
            handedOver.OwnerId = workspace.RepC.Id;
            var touchHandedOver = await db.Activities.FirstAsync(a => a.OwnerId == workspace.RepA.Id && a.Type == ActivityType.Call);
            touchHandedOver.OwnerId = workspace.RepC.Id;
            var reopened = await db.Deals.SingleAsync(d => d.Name.StartsWith("D4 "));
            (reopened.Status, reopened.ClosedAt, reopened.ExpectedClose) = (DealStatus.Open, null, new DateOnly(2027, 3, 28));
            var tierA = await db.Accounts.SingleAsync(a => a.Name == "Tier A Ltd");
            tierA.Tier = Tier.C;
            var call = await db.Activities.FirstAsync(a => a.Type == ActivityType.Call && a.DealId != null);
            call.DeletedAt = Now;
            var meeting = await db.Activities.FirstAsync(a => a.Type == ActivityType.Meeting && a.CompletedAt == null && a.DueAt != null);
            meeting.CompletedAt = meeting.DueAt;
            // Leads: a first touch deleted a day after the lead came in (its second touch is now its first), a lead
            // handed over.
            var l2 = await db.Leads.SingleAsync(l => l.FirstName == "L2");
            var l2Touch = await db.Activities.SingleAsync(a => a.LeadId == l2.Id && a.Type == ActivityType.Email);
            l2Touch.DeletedAt = Now;
            var l1 = await db.Leads.SingleAsync(l => l.FirstName == "L1");
            l1.OwnerId = workspace.RepB.Id;
            var repC = await db.Users.SingleAsync(u => u.Id == workspace.RepC.Id);
            repC.Channel = Channel.SelfService;
            var account = await db.Accounts.SingleAsync(a => a.Name == "Tier B Ltd");
            var stage = await db.Deals.Where(d => d.Name.StartsWith("D1 ")).Select(d => new { d.PipelineId, d.StageId }).SingleAsync();
            db.Deals.Add(new Deal
            {
                Name = "D17 new in SEK",
                Channel = Channel.Inside,
                Status = DealStatus.Won,
                Amount = 5000,
                Currency = "SEK",
                AccountId = account.Id,
                OwnerId = workspace.RepA.Id,
                CreatedAt = new DateTime(2027, 2, 2, 0, 0, 0, DateTimeKind.Utc),
                ClosedAt = new DateTime(2027, 3, 2, 0, 0, 0, DateTimeKind.Utc),
                PipelineId = stage.PipelineId,
                StageId = stage.StageId,
                StageEnteredAt = Now,
            });
            await db.SaveChangesAsync();
        }
        Assert.True(await StaleDaysAsync() > 0);
        Assert.Empty(await DifferencesAsync(workspace));

        await using (var db = server.OpenDb())
        {
            var run = await RollupRefresh.RunAsync(db);
            Assert.False(run.Built);
            Assert.True(run.Days > 0);
            Assert.Equal(0, run.StaleLeft);
        }
        Assert.Empty(await DifferencesAsync(workspace));

        // Proposals: a deal that entered a proposal stage handed over to another rep (its proposal counts for them now),
        // and a deal entering one again the same period (counted once).
        await using (var db = server.OpenDb())
        {
            var proposalStages = await MetricRecords.ProposalStagesAsync(db, TestContext.Current.CancellationToken);
            var change = await db.DealStageChanges.FirstAsync(c => proposalStages.Contains(c.ToStageId) && c.At >= new DateTime(2027, 1, 1) && c.At < new DateTime(2027, 4, 1));
            var deal = await db.Deals.SingleAsync(d => d.Id == change.DealId);
            deal.OwnerId = deal.OwnerId == workspace.RepC.Id ? workspace.RepA.Id : workspace.RepC.Id;
            db.DealStageChanges.Add(new DealStageChange { DealId = deal.Id, ToStageId = change.ToStageId, At = change.At.AddDays(3) });
            await db.SaveChangesAsync();
        }
        Assert.Empty(await DifferencesAsync(workspace));

        // A stage renamed so that it is no longer a proposal stage (saved the blocking way), and back: the days deals
        // entered it move, and its proposals leave the figures and come back.
        await using (var db = server.OpenDb())
        {
            await RollupRefresh.RunAsync(db);
            var entered = await db.DealStageChanges.Select(c => c.ToStageId).Distinct().ToListAsync();
            var stage = (await db.Stages.ToListAsync()).First(s => MetricRecords.IsProposalStage(s.Name) && entered.Contains(s.Id));
            var name = stage.Name;
            stage.Name = "Quote";
            db.SaveChanges();
            Assert.True(await StaleDaysAsync() > 0);
            Assert.Empty(await DifferencesAsync(workspace));
            stage.Name = name;
            await db.SaveChangesAsync();
        }
        Assert.Empty(await DifferencesAsync(workspace));

        // A converted lead takes its deal's channel: the deal moved to another channel moves the lead's day too.
        await using (var db = server.OpenDb())
        {
            var l2 = await db.Leads.SingleAsync(l => l.FirstName == "L2");
            l2.ConvertedDealId = (await db.Deals.SingleAsync(d => d.Name.StartsWith("D1 "))).Id;
            await db.SaveChangesAsync();
            await RollupRefresh.RunAsync(db);
            var d1 = await db.Deals.SingleAsync(d => d.Name.StartsWith("D1 "));
            d1.Channel = d1.Channel == Channel.Field ? Channel.SelfService : Channel.Field;
            await db.SaveChangesAsync();
        }
        Assert.Empty(await DifferencesAsync(workspace));
    }

    [Fact]
    public async Task ADayBuiltBeforeItEndedCountsItsTouchesUpToTheReadersClock()
    {
        _ = server.Http;
        var workspace = await MetricsWorkspace.ForAsync(server);
        // Every day built again by a refresher whose clock is at noon on a day with touches (a call at midnight, on D1).
        var noon = new DateTime(2027, 1, 12, 12, 0, 0, DateTimeKind.Utc);
        await using (var db = server.Database!.Open(new ManualClock(new DateTimeOffset(noon))))
        {
            await RollupRefresh.RunAsync(db);
            await RollupDays.MarkStaleAsync(db, await db.MetricRollupDays.Where(d => d.Day != RollupDays.BuiltMarker).Select(d => d.Day).ToListAsync(),
                CancellationToken.None);
            await RollupRefresh.RunAsync(db, 10_000);
            // Noon (the web app's own refresher may have been quicker, with today's clock: the day is still not over).
            Assert.NotNull((await db.MetricRollupDays.SingleAsync(d => d.Day == new DateOnly(2027, 1, 12))).TouchesUntil);
            Assert.Null((await db.MetricRollupDays.SingleAsync(d => d.Day == new DateOnly(2027, 1, 3))).TouchesUntil);
        }
        // Read earlier that day (its stored touches are "later" than the reader: the day is counted live), later that day
        // (stored up to noon, live since), and weeks later.
        Period[] periods = [Period.Containing(noon, PeriodKind.Week), Period.Parse("2027-01")!, Period.Parse("2027-Q1")!];
        foreach (var now in new[] { noon.AddHours(-6), noon.AddHours(6), Now })
            Assert.Empty(await DifferencesAsync(workspace, now, periods));

        // Once the day is over, the next refresh builds it again whole.
        await using (var db = server.Database!.Open(new ManualClock(new DateTimeOffset(noon.AddDays(1)))))
        {
            await RollupRefresh.RunAsync(db, 10_000);
            Assert.Null((await db.MetricRollupDays.SingleAsync(d => d.Day == new DateOnly(2027, 1, 12))).TouchesUntil);
        }
        Assert.Empty(await DifferencesAsync(workspace, Now, periods));
    }

    [Fact]
    public async Task TheLeadsAndTouchesBehindAFigureAreAsManyAsItCountsForEveryScopeChannelAndTier()
    {
        _ = server.Http;
        var workspace = await MetricsWorkspace.ForAsync(server);
        await using var setup = server.OpenDb();
        var manager = await Actor.ForAsync(setup, workspace.Manager, CancellationToken.None);
        var scopes = new (string Name, Actor? Actor, MetricQuery Cuts)[]
        {
            ("workspace", null, new MetricQuery(Periods[0])),
            ("workspace, tier A", null, new MetricQuery(Periods[0]) { Tier = Tier.A }),
            ("rep A", Actor.For(workspace.RepA), new MetricQuery(Periods[0]) { RepId = workspace.RepA.Id }),
            ("manager's team", manager, new MetricQuery(Periods[0]) { TeamId = workspace.EastTeam }),
            ("manager's team, tier B", manager, new MetricQuery(Periods[0]) { TeamId = workspace.EastTeam, Tier = Tier.B }),
            ("rep A, field", Actor.For(workspace.RepA), new MetricQuery(Periods[0]) { RepId = workspace.RepA.Id, Channel = Channel.Field }),
        };
        var checkedFigures = 0;
        foreach (var (name, actor, cuts) in scopes)
        {
            foreach (var period in Periods)
            {
                await using var db = server.OpenDb();
                db.Actor = actor;
                var counted = await MetricFacts.LoadDetailedAsync(db, "EUR", Now, cuts with { Period = period });
                var oneByOne = await MetricFacts.LoadTouchesOneByOneAsync(db, "EUR", Now, cuts with { Period = period });
                foreach (var metric in MetricCatalogue.All.Where(m => m.Source is MetricSource.Leads or MetricSource.Touches))
                {
                    foreach (var channel in new Channel?[] { null, Channel.SelfService, Channel.Inside, Channel.Field })
                    {
                        var query = cuts with { Period = period, Channel = channel };
                        var figure = MetricService.Compute(counted, metric, query, Now).Total;
                        Assert.Equal(figure, MetricService.Compute(oneByOne, metric, query, Now).Total);
                        var behind = metric.Source == MetricSource.Leads
                            ? MetricService.LeadsBehind(counted, metric, query, Now).Select(l => l.Id).ToList()
                            : MetricService.TouchesBehind(oneByOne, metric, query, Now).Select(t => t.Id).ToList();
                        Assert.True(figure.Count == behind.Count, $"{name}, {period.Label}, {metric.Id}, {channel?.ToString() ?? "all"}: {behind.Count} listed for a count of {figure.Count}");
                        Assert.Equal(behind.Count, behind.Distinct().Count());
                        checkedFigures += figure.Count > 0 ? 1 : 0;
                    }
                }
            }
        }
        Assert.True(checkedFigures > 50, $"only {checkedFigures} figures had leads or touches behind them");

        // The touches listed are the held ones of the period: none planned and still open, none in the future.
        await using (var db = server.OpenDb())
        {
            var query = new MetricQuery(Periods[0]);
            var facts = await MetricFacts.LoadTouchesOneByOneAsync(db, "EUR", Now, query);
            var ids = MetricService.TouchesBehind(facts, MetricCatalogue.Find("touches")!, query, Now).Select(t => t.Id).ToList();
            var listed = await db.Activities.Where(a => ids.Contains(a.Id)).ToListAsync();
            Assert.Equal(ids.Count, listed.Count);
            Assert.All(listed, a => Assert.True(Periods[0].Contains(a.OccurredAt) && a.OccurredAt <= Now && (a.DueAt is null || a.CompletedAt is not null)));
        }
    }

    [Fact]
    public async Task AReaderWhoSeesPartOfTheWorkspaceCountsAndListsOnlyTheLeadsAndTouchesTheyMayRead()
    {
        _ = server.Http;
        var workspace = await MetricsWorkspace.ForAsync(server);
        var rep = Actor.For(workspace.RepA);
        // No rep or team named: the figures are of everything the reader may read (the deal-by-deal path).
        var query = new MetricQuery(Periods[0]);
        await using var db = server.OpenDb();
        db.Actor = rep;
        var facts = await MetricFacts.LoadTouchesOneByOneAsync(db, "EUR", Now, query);
        var touches = MetricService.TouchesBehind(facts, MetricCatalogue.Find("touches")!, query, Now).Select(t => t.Id).ToList();
        var leads = MetricService.LeadsBehind(facts, MetricCatalogue.Find("new_leads")!, query, Now).Select(l => l.Id).ToList();
        Assert.NotEmpty(touches);
        Assert.Equal(touches.Count, await db.Activities.CountAsync(a => touches.Contains(a.Id)));
        Assert.Equal(leads.Count, await db.Leads.CountAsync(l => leads.Contains(l.Id)));

        // And fewer than the workspace has: the rep's share only.
        await using var all = server.OpenDb();
        var everyone = await MetricFacts.LoadTouchesOneByOneAsync(all, "EUR", Now, query);
        Assert.True(MetricService.TouchesBehind(everyone, MetricCatalogue.Find("touches")!, query, Now).Count > touches.Count);
        var counted = await MetricFacts.LoadDetailedAsync(db, "EUR", Now, query);
        Assert.Equal(touches.Count, MetricService.Compute(counted, MetricCatalogue.Find("touches")!, query, Now).Total.Count);
    }

    [Fact]
    public async Task ASavedChangeMarksTheDaysItMovedStaleAndAFailedOneMarksNothing()
    {
        _ = server.Http;
        await MetricsWorkspace.ForAsync(server);
        await using (var db = server.OpenDb())
            await RollupRefresh.RunAsync(db, 10_000);
        Assert.Equal(0, await StaleDaysAsync());

        await using (var db = server.OpenDb())
        {
            var deal = await db.Deals.FirstAsync(d => d.Status == DealStatus.Won && d.ClosedAt != null);
            var (created, closed) = (DateOnly.FromDateTime(deal.CreatedAt), DateOnly.FromDateTime(deal.ClosedAt!.Value));
            deal.Amount += 1;
            await db.SaveChangesAsync();
            var stale = await db.MetricRollupDays.Where(d => d.Built != d.Version).Select(d => d.Day).ToListAsync();
            Assert.Contains(created, stale);
            Assert.Contains(closed, stale);
        }
        await using (var db = server.OpenDb())
            await RollupRefresh.RunAsync(db, 10_000);

        // A save that fails (another user changed the deal first) rolls its marks back with it.
        await using (var db = server.OpenDb())
        {
            var deal = await db.Deals.FirstAsync(d => d.Status == DealStatus.Won && d.ClosedAt != null);
            db.Entry(deal).Property(d => d.Version).OriginalValue = deal.Version - 1;
            deal.ClosedAt = deal.ClosedAt!.Value.AddDays(-40);
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        }
        Assert.Equal(0, await StaleDaysAsync());
    }
}

public sealed class MetricRollupOnSqliteTests(SqliteServer server) : MetricRollupTests(server), IClassFixture<SqliteServer>;

public sealed class MetricRollupOnPostgresTests(PostgresServer server) : MetricRollupTests(server), IClassFixture<PostgresServer>;
