using Reach.Deals;
using Reach.Forecasting;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary>
/// The model estimates every age of a stage in one sweep and shares its sorted history between refits; these tests hold
/// it to the straightforward estimate it replaced (one pass over the whole sample per age, the history read again per
/// refit), kept below as the reference.
/// </summary>
public sealed class StageOddsSweepTests
{
    static readonly DateTime AsOf = new(2027, 1, 20, 0, 0, 0, DateTimeKind.Utc);

    // Deals of three kinds created over the last 400 days: some moved on to B (a few back to A), most closed, the rest
    // still open; moves on whole days (ties) and at odd hours, some the instant the deal was created.
    static ForecastHistory RandomHistory(int seed, int deals, bool oneKind = false)
    {
        var random = new Random(seed);
        var histories = new Histories();
        DealKind[] kinds = [DealKind.New, DealKind.Expansion, DealKind.Renewal];
        for (var i = 0; i < deals; i++)
        {
            double Days() => random.Next(3) == 0 ? random.Next(0, 40) : random.NextDouble() * 60;
            var created = AsOf.AddDays(-random.NextDouble() * 400);
            var moves = new List<(ForecastStage, double)>();
            var at = 0.0;
            if (random.Next(2) == 0)
            {
                moves.Add((Histories.B, at += Days()));
                if (random.Next(5) == 0)
                {
                    moves.Add((Histories.A, at += Days()));
                    moves.Add((Histories.B, at += Days()));
                }
            }
            if (random.Next(4) > 0)
                moves.Add((random.Next(3) == 0 ? Histories.Lost : Histories.Won, at + Days()));
            histories.Add(created, 1000, oneKind ? DealKind.New : kinds[random.Next(kinds.Length)], null, [.. moves]);
        }
        return histories.Build();
    }

    public static TheoryData<int, bool> Samples() => new() { { 1, false }, { 2, false }, { 3, true }, { 4, true } };

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryAgeMatchesTheStraightforwardEstimate(int seed, bool oneKind)
    {
        var history = RandomHistory(seed, 300, oneKind);
        foreach (var smoothing in new[] { Smoothing.Default, new Smoothing(0, 0, false), new Smoothing(2, 3, true) })
        {
            var fitted = StageOdds.Fit(history, AsOf, smoothing);
            foreach (var (resample, model) in new (ulong?, StageOdds)[] { (null, fitted), (11, fitted.Refit(11)), (12, StageOdds.Fit(history, AsOf, smoothing, resample: 12)) })
            {
                var reference = new StraightforwardOdds(history, AsOf, smoothing, resample);
                foreach (var stage in new[] { Histories.A, Histories.B })
                {
                    foreach (var kind in new[] { DealKind.New, DealKind.Expansion, DealKind.Renewal })
                    {
                        for (var age = 0.0; age < 70; age += 0.75)
                            AssertSameOdds(reference.Odds(stage.Id, kind, age), model.Odds(stage.Id, kind, age), $"{stage.Name}, {kind}, {age} days, resample {resample}");
                    }
                }
            }
        }
    }

    [Fact]
    public void ARefitIsTheModelFittedWithTheSameDraws()
    {
        var history = RandomHistory(5, 200);
        var fitted = StageOdds.Fit(history, AsOf, Smoothing.Default);

        foreach (ulong resample in new ulong[] { 1, 2, 99 })
        {
            var refit = fitted.Refit(resample);
            var fresh = StageOdds.Fit(history, AsOf, Smoothing.Default, resample);
            for (var age = 0; age < 60; age++)
            {
                var a = refit.Odds(Histories.A.Id, DealKind.Renewal, age);
                var b = fresh.Odds(Histories.A.Id, DealKind.Renewal, age);
                Assert.Equal(b.WinProbability, a.WinProbability);
                Assert.Equal(b.Remaining?.Quantile(0.5), a.Remaining?.Quantile(0.5));
                Assert.Equal(b.Remaining?.Below(age / 2.0), a.Remaining?.Below(age / 2.0));
            }
        }
        Assert.NotEqual(fitted.Odds(Histories.A.Id, DealKind.New, 0).WinProbability, fitted.Refit(1).Odds(Histories.A.Id, DealKind.New, 0).WinProbability);
    }

    // The same probability, and the same distribution of remaining days: the same chance below every day it holds and
    // between them (rounding apart: sums are taken in another order).
    static void AssertSameOdds(DealOdds expected, DealOdds actual, string what)
    {
        Assert.True(Math.Abs(expected.WinProbability - actual.WinProbability) < 1e-12, $"{what}: P(won) {actual.WinProbability} instead of {expected.WinProbability}");
        Assert.True((expected.Remaining is null) == (actual.Remaining is null), $"{what}: timing {(actual.Remaining is null ? "missing" : "unexpected")}");
        if (expected.Remaining is not { } days)
            return;
        for (var q = 0.05; q < 1; q += 0.05)
        {
            var day = days.Quantile(q);
            foreach (var at in new[] { day, day + 0.25, day - 0.25 })
                Assert.True(Math.Abs(days.Below(at) - actual.Remaining!.Below(at)) < 1e-12, $"{what}: P(< {at}) {actual.Remaining!.Below(at)} instead of {days.Below(at)}");
        }
    }

    /// <summary>The model as it was first written: per age, one pass over the stage's whole sample, fitted from the history.</summary>
    sealed class StraightforwardOdds
    {
        enum Outcome { Won, Lost, Open }

        readonly record struct Observation(double Duration, double Dwell, Outcome Outcome, double Weight);

        readonly IReadOnlyDictionary<Guid, ForecastStage> stages;
        readonly Smoothing smoothing;
        readonly Dictionary<Guid, List<Observation>> byStage = [];
        readonly Dictionary<(Guid, DealKind), List<Observation>> byKind = [];

        public StraightforwardOdds(ForecastHistory history, DateTime asOf, Smoothing smoothing, ulong? resample)
        {
            stages = history.Stages;
            this.smoothing = smoothing;
            for (var index = 0; index < history.Deals.Count; index++)
            {
                var deal = history.Deals[index];
                var weight = resample is { } stream ? -Math.Log(1 - BookingSimulation.Uniform(stream, (ulong)index)) : 1;
                if (history.StateAt(deal, asOf) is not { } state)
                    continue;
                var end = state.IsOpen ? asOf : state.EnteredAt;
                var outcome = state.IsOpen ? Outcome.Open : state.IsWon ? Outcome.Won : Outcome.Lost;
                foreach (var (stageId, enteredAt, leftAt) in ForecastHistory.Visits(deal, end, history.Stages))
                {
                    var observation = new Observation((end - enteredAt).TotalDays, (leftAt - enteredAt).TotalDays, outcome, weight);
                    Add(byStage, stageId, observation);
                    Add(byKind, (stageId, deal.Kind), observation);
                }
            }
            foreach (var list in byStage.Values.Concat(byKind.Values))
            {
                var sorted = list.OrderBy(o => o.Duration).ThenBy(o => o.Outcome == Outcome.Open ? 1 : 0).ToList();
                list.Clear();
                list.AddRange(sorted);
            }
        }

        static void Add<TKey>(Dictionary<TKey, List<Observation>> samples, TKey key, Observation observation)
            where TKey : notnull
        {
            if (!samples.TryGetValue(key, out var list))
                samples[key] = list = [];
            list.Add(observation);
        }

        public DealOdds Odds(Guid stageId, DealKind kind, double ageDays)
        {
            var stage = stages[stageId];
            var days = Math.Max(0, (int)Math.Floor(ageDays));
            var pooled = Estimate(byStage.GetValueOrDefault(stageId) ?? [], days);
            var stageRate = Shrink(pooled.Rate, pooled.Resolved, stage.Prior, smoothing.PriorStrength);
            var rate = stageRate;
            var timing = pooled.Timing;
            if (smoothing.ByKind)
            {
                var own = Estimate(byKind.GetValueOrDefault((stageId, kind)) ?? [], days);
                rate = Shrink(own.Rate, own.Resolved, stageRate, smoothing.ShrinkStrength);
                if (own.Timing is not null && timing is not null)
                {
                    var weight = own.Won / (own.Won + smoothing.ShrinkStrength);
                    timing = RemainingDays.Mix([(own.Timing, weight), (timing, 1 - weight)]);
                }
            }
            timing ??= Estimate(byStage.GetValueOrDefault(stageId) ?? [], 0).Timing;
            return new DealOdds(rate, timing);
        }

        static (double Rate, int Resolved, int Won, RemainingDays? Timing) Estimate(List<Observation> sample, double ageDays)
        {
            var atRisk = 0.0;
            var resolved = 0;
            foreach (var o in sample)
            {
                if (o.Dwell > ageDays || ageDays <= 0)
                {
                    atRisk += o.Weight;
                    resolved += o.Outcome == Outcome.Open ? 0 : 1;
                }
            }
            double survival = 1, won = 0, lost = 0;
            var wins = new List<(double Day, double Weight)>();
            foreach (var o in sample)
            {
                if (o.Dwell <= ageDays && ageDays > 0)
                    continue;
                if (o.Outcome != Outcome.Open)
                {
                    var share = atRisk <= 0 ? 0 : survival * o.Weight / atRisk;
                    survival -= share;
                    if (o.Outcome == Outcome.Won)
                    {
                        won += share;
                        wins.Add((Math.Max(0, o.Duration - ageDays), share));
                    }
                    else
                    {
                        lost += share;
                    }
                }
                atRisk -= o.Weight;
            }
            var rate = won + lost > 0 ? won / (won + lost) : double.NaN;
            return (rate, resolved, wins.Count, wins.Count == 0 ? null : RemainingDays.Weighted(wins));
        }

        static double Shrink(double rate, int resolved, double prior, double strength) =>
            resolved + strength == 0 || double.IsNaN(rate) ? prior : ((resolved * rate) + (strength * prior)) / (resolved + strength);
    }
}
