using System.Text.Json;
using Reach.Forecasting;
using Reach.Web;
using Xunit;

namespace Reach.Tests.Forecasting;

public sealed class BookingSimulationTests
{
    static readonly SimulatedDeal[] Deals =
    [
        new(100, 0.3, 0.5, 0),
        new(250, 0.1, 0.9, 1),
        new(40, 0.6, 0.6, 1),
    ];

    [Fact]
    public void TheSameSeedGivesTheSameTrialsOnAnyNumberOfThreads()
    {
        var parallel = BookingSimulation.Run(Deals, 2, [], 5_000, seed: 7);
        var again = BookingSimulation.Run(Deals, 2, [], 5_000, seed: 7);
        var sequential = BookingSimulation.Run(Deals, 2, [], 5_000, seed: 7, parallel: false);
        var other = BookingSimulation.Run(Deals, 2, [], 5_000, seed: 8);

        Assert.Equal(parallel, again);
        Assert.Equal(parallel, sequential);
        Assert.NotEqual(parallel, other);
    }

    [Fact]
    public void EachDealLandsInAPeriodAsOftenAsItsProbabilities()
    {
        const int Trials = 40_000;
        var results = BookingSimulation.Run([new SimulatedDeal(100, 0.3, 0.5, 0)], 1, [], Trials, seed: 1);

        var current = Enumerable.Range(0, Trials).Count(t => results[t * 2] == 100) / (double)Trials;
        var next = Enumerable.Range(0, Trials).Count(t => results[(t * 2) + 1] == 100) / (double)Trials;

        // Three standard errors of a share near 0.3 over 40,000 trials is about 0.007.
        Assert.Equal(0.3, current, 0.01);
        Assert.Equal(0.2, next, 0.01);
    }

    [Fact]
    public void ACommonShockKeepsEachDealsOddsButMakesAChannelsDealsCloseTogether()
    {
        const int Trials = 20_000;
        // 40 deals of 1 in one channel (cell 0), each 30% this period, 20% next.
        SimulatedDeal[] deals = [.. Enumerable.Range(0, 40).Select(_ => new SimulatedDeal(1, 0.3, 0.5, 0))];
        var independent = BookingSimulation.Run([deals], 1, [], Trials, seed: 5, CommonShock.None);
        var shared = BookingSimulation.Run([deals], 1, [], Trials, seed: 5, new CommonShock(0.3, [0]));
        var again = BookingSimulation.Run([deals], 1, [], Trials, seed: 5, new CommonShock(0.3, [0]), parallel: false);

        double Mean(double[] r, int p) => Enumerable.Range(0, Trials).Average(t => r[(t * 2) + p]);
        double Variance(double[] r, int p)
        {
            var mean = Mean(r, p);
            return Enumerable.Range(0, Trials).Average(t => Math.Pow(r[(t * 2) + p] - mean, 2));
        }
        Assert.Equal(shared, again);
        // Each deal keeps its chances: 40 × 0.3 this period, 40 × 0.2 next.
        Assert.Equal(12, Mean(shared, 0), 0.2);
        Assert.Equal(8, Mean(shared, 1), 0.2);
        // Independent deals: the binomial variance 40 × 0.3 × 0.7 = 8.4; together they spread far wider.
        Assert.Equal(8.4, Variance(independent, 0), 0.5);
        Assert.True(Variance(shared, 0) > 3 * 8.4, $"variance {Variance(shared, 0)}");
    }

    [Fact]
    public void EachTrialTakesItsModelDrawInTurn()
    {
        // Draw 0 books the deal this period for sure, draw 1 never.
        SimulatedDeal[][] draws = [[new(10, 1, 1, 0)], [new(10, 0, 0, 0)]];
        var results = BookingSimulation.Run(draws, 1, [], 6, seed: 1, CommonShock.None);

        Assert.Equal([10.0, 0, 10, 0, 10, 0], Enumerable.Range(0, 6).Select(t => results[t * 2]));
    }

    [Fact]
    public void TheNormalQuantileMatchesKnownValues()
    {
        Assert.Equal(0, BookingSimulation.Normal.Quantile(0.5), 9);
        Assert.Equal(1.2815515655, BookingSimulation.Normal.Quantile(0.9), 7);
        Assert.Equal(-2.3263478740, BookingSimulation.Normal.Quantile(0.01), 7);
        Assert.Equal(double.NegativeInfinity, BookingSimulation.Normal.Quantile(0));
        Assert.Equal(double.PositiveInfinity, BookingSimulation.Normal.Quantile(1));
    }

    [Fact]
    public void OneAlternativeOfNewBusinessIsDrawnPerTrial()
    {
        const int Trials = 10_000;
        var results = BookingSimulation.Run([], 1, [[10, 1], [20, 2]], Trials, seed: 3);

        var currents = Enumerable.Range(0, Trials).Select(t => results[t * 2]).ToList();
        Assert.All(Enumerable.Range(0, Trials), t => Assert.Equal(results[t * 2] / 10, results[(t * 2) + 1]));
        Assert.Equal([10.0, 20.0], currents.Distinct().Order());
        Assert.Equal(15, currents.Average(), 0.5);
    }

    [Fact]
    public void AForecastIsReproducibleForAFixedSeed()
    {
        var asOf = new DateTime(2027, 1, 10, 0, 0, 0, DateTimeKind.Utc);
        var histories = new Histories();
        for (var i = 0; i < 30; i++)
            histories.Add(asOf.AddDays(-200 + i), 100 + i, (Histories.B, 5), (i % 3 == 0 ? Histories.Lost : Histories.Won, 10 + i));
        for (var i = 0; i < 20; i++)
            histories.Add(asOf.AddDays(-i), 1000 + (10 * i));
        var history = histories.Build();
        var json = new JsonSerializerOptions();
        ReachApp.Configure(json);

        string Run(ulong seed) => JsonSerializer.Serialize(Forecaster.Forecast(history, asOf, new ForecastOptions { Trials = 2_000, Seed = seed }), json);

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
