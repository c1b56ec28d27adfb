using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Reach.Data;
using Reach.Metrics;
using Reach.Planning;
using Xunit;

namespace Reach.Tests.Planning;

/// <summary>Calibration on <see cref="CalibrationWorkspace"/>'s deals, figures worked out by hand there.</summary>
public sealed class CalibrationTests : IAsyncLifetime
{
    // 2026-01-01 to 2027-01-01 is 365 days, so rep B's 292 days there are exactly 0.8 of a rep-year.
    private static readonly DateTime AsOf = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("reach-calibration-");
    private Calibration calibration = null!;
    private Reach.Data.Database database = null!;

    public async ValueTask InitializeAsync()
    {
        database = await CalibrationWorkspace.CreateSqliteAsync(directory.FullName, AsOf);
        await using var db = database.Open();
        calibration = await Calibration.ComputeAsync(db, Plans.DocExample, AsOf, "EUR");
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private ChannelCalibration Channel(string name) => calibration.Channels.Single(c => c.Name == name);

    [Fact]
    public void CoversTheTrailingTwelveMonths()
    {
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), calibration.From);
        Assert.Equal(AsOf, calibration.AsOf);
        Assert.Equal(["self-service", "inside", "field"], calibration.Channels.Select(c => c.Name));
    }

    [Fact]
    public void InsideActualsAreTheWindowsNewBusinessOnly()
    {
        var inside = Channel("inside");

        Assert.Equal((3, 2), (inside.Won, inside.Lost));
        Assert.Equal(0.6m, inside.ActualWinRate);
        Assert.Equal(0.2m, inside.WinRate);
        Assert.Equal(60m, inside.ActualCycleDays);
        Assert.Equal(60m, inside.CycleDays);
        Assert.Equal(1.8m, inside.RepYears);
        Assert.Equal(3m / 1.8m, inside.ActualDealsPerRepPerYear);
        Assert.Equal(40m, inside.DealsPerRepPerYear);
        // 3 / 1.8 = 1.7 won deals per rep-year against 40 planned.
        Assert.Equal([CalibrationFlag.DealsPerRepOptimistic], inside.Flags);
    }

    [Fact]
    public void FieldIsFlaggedForALongerCycleAndALowerWinRate()
    {
        var field = Channel("field");

        Assert.Equal((1, 5), (field.Won, field.Lost));
        Assert.Equal(1m / 6m, field.ActualWinRate);
        Assert.Equal(300m, field.ActualCycleDays);
        Assert.Equal(1m, field.ActualDealsPerRepPerYear);
        Assert.Equal([CalibrationFlag.CycleUnderestimated, CalibrationFlag.WinRateOptimistic, CalibrationFlag.DealsPerRepOptimistic, CalibrationFlag.LeadToOpportunityOptimistic], field.Flags);
    }

    [Fact]
    public void LeadToOpportunityCountsTheWindowsMaturedLeadsByTheirRoutedChannel()
    {
        // Field: 1 of the 10 leads received in the window (not its last 30 days) became a deal, against 30% planned.
        var field = Channel("field");
        Assert.Equal((10, 1, 0.1m, 0.3m), (field.Leads, field.ConvertedLeads, field.ActualLeadToOpportunity!.Value, field.LeadToOpportunity!.Value));
        // Inside: 1 of 4, exactly the plan's 25%: no flag.
        var inside = Channel("inside");
        Assert.Equal((4, 1, 0.25m), (inside.Leads, inside.ConvertedLeads, inside.ActualLeadToOpportunity!.Value));
        Assert.DoesNotContain(CalibrationFlag.LeadToOpportunityOptimistic, inside.Flags);
        // Self-service has no lead-to-opportunity in the plan, and no leads were routed to it.
        Assert.Null(Channel("self-service").LeadToOpportunity);
        Assert.Null(Channel("self-service").ActualLeadToOpportunity);
    }

    [Fact]
    public void EachFlagIsAWarningWithItsNumbers()
    {
        var warnings = PlanReport.Warnings(Plans.DocExample, Planner.Evaluate(Plans.DocExample), calibration);
        Assert.Contains("field: planned lead-to-opportunity 30%, actual 10% (1 of 10 leads; lead_to_opportunity_optimistic).", warnings);
        Assert.Contains("field: planned win rate 25%, actual 16.7% (1 won, 5 lost; win_rate_optimistic).", warnings);
        Assert.Contains("field: planned cycle 210 days, actual median 300 days (1 won deal; cycle_underestimated).", warnings);
    }

    [Fact]
    public void AChannelWithoutDealsHasNoActualsNoFlagsAndSaysSo()
    {
        var selfService = Channel("self-service");

        Assert.Equal((0, 0), (selfService.Won, selfService.Lost));
        Assert.Null(selfService.ActualWinRate);
        Assert.Null(selfService.ActualCycleDays);
        Assert.Null(selfService.ActualDealsPerRepPerYear);
        Assert.Null(selfService.WinRate);
        Assert.Equal(14m, selfService.CycleDays);
        Assert.Empty(selfService.Flags);
        Assert.Contains(calibration.Notes, n => n.StartsWith("self-service: no self-service deals closed", StringComparison.Ordinal));
    }

    [Fact]
    public void SegmentAcvIsTheMedianWonAmountInThePlansCurrency()
    {
        var small = calibration.Segments.Single(s => s.Name == "small");
        var micro = calibration.Segments.Single(s => s.Name == "micro");

        Assert.Equal((4000m, 4500m, 2, 5000m), (small.Acv, small.ActualAcv!.Value, small.WonDeals, small.LargestWon!.Value));
        Assert.Null(micro.ActualAcv);
        Assert.Equal(0, micro.WonDeals);
        Assert.Equal(1, calibration.OtherCurrencyDeals);
        Assert.Contains(calibration.Notes, n => n.Contains("no exchange rate converts them", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASegmentPricedFarFromItsMedianWinIsFlagged()
    {
        // small's median won is 4,500: 10,000 is above 1.5 × 4,500 = 6,750; 2,000 is below 4,500 / 1.5 = 3,000.
        await using var db = database.Open();
        PlanFile Priced(decimal acv) => Plans.DocExample with
        {
            Segments = [.. Plans.DocExample.Segments.Select(s => s.Name == "small" ? s with { Acv = acv } : s)],
        };

        var high = await Calibration.ComputeAsync(db, Priced(10000), AsOf, "EUR");
        var low = await Calibration.ComputeAsync(db, Priced(2000), AsOf, "EUR");

        Assert.Equal([CalibrationFlag.AcvAboveActual], high.Segments.Single(s => s.Name == "small").Flags);
        Assert.Equal([CalibrationFlag.AcvBelowActual], low.Segments.Single(s => s.Name == "small").Flags);
        Assert.Empty(calibration.Segments.Single(s => s.Name == "small").Flags);
    }

    [Fact]
    public async Task AWinInAnotherCurrencyCountsAtTheRateOfItsCloseDate()
    {
        await using var db = Database.Sqlite(Path.Combine(directory.FullName, "workspace.db")).Open();
        // USD in EUR: 0.5 until after the USD win (closed 250 days into the window), 0.9 from a day before it.
        db.Add(new ExchangeRate { Currency = "USD", Rate = 0.5m, ValidFrom = DateOnly.FromDateTime(AsOf.AddYears(-2)) });
        db.Add(new ExchangeRate { Currency = "USD", Rate = 0.9m, ValidFrom = DateOnly.FromDateTime(AsOf.AddMonths(-12).AddDays(249)) });
        db.Add(new ExchangeRate { Currency = "USD", Rate = 2m, ValidFrom = DateOnly.FromDateTime(AsOf.AddMonths(-12).AddDays(260)) });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var converted = await Calibration.ComputeAsync(db, Plans.DocExample, AsOf, "EUR", TestContext.Current.CancellationToken);

        // EUR wins 4,000 and 5,000 and the USD win's 9,000 × 0.9 = 8,100: the median is 5,000 over 3 deals.
        var small = converted.Segments.Single(s => s.Name == "small");
        Assert.Equal((5000m, 3), (small.ActualAcv!.Value, small.WonDeals));
        Assert.Equal(0, converted.OtherCurrencyDeals);
        Assert.DoesNotContain(converted.Notes, n => n.Contains("exchange rate", StringComparison.Ordinal));
    }

    [Fact]
    public void JsonAddsCalibrationAndKeepsThePlannersKeys()
    {
        var result = Planner.Evaluate(Plans.DocExample);

        var json = JsonNode.Parse(calibration.AddTo(result))!.AsObject();

        var planned = JsonNode.Parse(result.ToJson())!.AsObject();
        Assert.Equal([.. planned.Select(p => p.Key), "calibration"], json.Select(p => p.Key));
        foreach (var (key, value) in planned)
            Assert.True(JsonNode.DeepEquals(value, json[key]), key);
        var field = json["calibration"]!["channels"]![2]!.AsObject();
        Assert.Equal("field", (string)field["name"]!);
        Assert.Equal(["cycle_underestimated", "win_rate_optimistic", "deals_per_rep_optimistic", "lead_to_opportunity_optimistic"], field["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(300m, (decimal)field["actual_cycle_days"]!);
        Assert.Equal("2026-01-01T00:00:00Z", (string)json["calibration"]!["from"]!);
        Assert.Null(json["calibration"]!["channels"]![0]!["actual_win_rate"]);
        Assert.Equal(4500m, (decimal)json["calibration"]!["segments"]![1]!["actual_acv"]!);
    }
}
