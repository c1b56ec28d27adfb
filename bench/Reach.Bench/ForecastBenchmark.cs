using System.Diagnostics;
using System.Globalization;
using System.Text;
using Reach.Deals;
using Reach.Forecasting;
using Reach.Pipelines;

namespace Reach.Bench;

/// <summary>
/// The forecast's Monte Carlo: 10,000 trials over 100,000 synthetic open deals (and 20,000 closed ones to fit the
/// model on), against two baselines measured in the same run: the same simulation on one thread, and a
/// straightforward one (deal objects, System.Random, a close date drawn per deal and trial, sums in a dictionary
/// per group) run on fewer trials and compared per deal-trial.
/// </summary>
internal static class ForecastBenchmark
{
    public const int DefaultOpenDeals = 100_000;
    public const int DefaultTrials = 10_000;
    const int NaiveTrials = 100;

    /// <summary>At full size by default; fewer deals or trials for a quick look (closed deals are a fifth of the open ones).</summary>
    public static string Run(int openDeals = DefaultOpenDeals, int trials = DefaultTrials)
    {
        var asOf = new DateTime(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc);
        var closedDeals = openDeals / 5;
        var history = Synthetic(asOf, openDeals, closedDeals);
        var options = new ForecastOptions { Trials = trials, Seed = 42 };

        // Warm-up: JIT and the model's caches are not what is measured.
        Forecaster.Forecast(history, asOf, options with { Trials = 100 });

        var loadAtStart = Load();
        // The whole forecast, and the same with no refits (the fitted model alone), in turn: goal 4 of issue 31 is the
        // first within 1.5× of the second.
        var clock = Stopwatch.StartNew();
        var report = Forecaster.Forecast(history, asOf, options);
        var endToEnd = clock.Elapsed;
        clock.Restart();
        Forecaster.Forecast(history, asOf, options with { ModelDraws = 0 });
        var oneFit = clock.Elapsed;
        Summary.Add($"forecast of {openDeals:N0} open deals, {trials:N0} trials, with {options.ModelDraws} refits", string.Create(CultureInfo.InvariantCulture, $"{endToEnd.TotalSeconds:F1} s"),
            string.Create(CultureInfo.InvariantCulture, $"{oneFit.TotalSeconds:F1} s (the same forecast on one fit)"),
            string.Create(CultureInfo.InvariantCulture, $"{endToEnd.TotalSeconds / oneFit.TotalSeconds:F2}×"), "≤ 1.5×");

        var model = StageOdds.Fit(history, asOf, Smoothing.Default);
        var period = Period.Containing(asOf, PeriodKind.Month);
        var deals = new List<SimulatedDeal>();
        var naive = new List<NaiveDeal>();
        foreach (var deal in history.Deals)
        {
            if (history.StateAt(deal, asOf) is not { IsOpen: true } state)
                continue;
            var (_, inCurrent, byNextEnd) = Forecaster.Assess(model, deal, state, period);
            var cell = ((int)deal.Channel * 64) + (deal.OwnerId is { } o ? o.GetHashCode() & 63 : 0);
            deals.Add(new SimulatedDeal((double)deal.Amount, inCurrent, byNextEnd, cell));
            var odds = model.Odds(state.Stage.Id, deal.Kind, (asOf - state.EnteredAt).TotalDays);
            naive.Add(new NaiveDeal(deal.Channel.ToString(), $"team {cell % 5}", $"rep {cell}", (double)deal.Amount, odds.WinProbability, odds.Remaining));
        }
        var array = deals.ToArray();

        clock.Restart();
        var parallel = BookingSimulation.Run(array, 3 * 64, [], trials, 42);
        var parallelTime = clock.Elapsed;
        clock.Restart();
        var sequential = BookingSimulation.Run(array, 3 * 64, [], trials, 42, parallel: false);
        var sequentialTime = clock.Elapsed;
        if (!parallel.AsSpan().SequenceEqual(sequential))
            throw new InvalidOperationException("The parallel and single-threaded simulations disagree.");
        // What the forecast runs: the channel's common shock (normal thresholds, a table draw per deal).
        clock.Restart();
        BookingSimulation.Run([array], 3 * 64, [], trials, 42, new CommonShock(ForecastOptions.DefaultCorrelation, [.. Enumerable.Range(0, 3 * 64).Select(c => c / 64)]));
        var sharedTime = clock.Elapsed;

        clock.Restart();
        var naiveSums = RunNaive(naive, asOf, period, NaiveTrials);
        var naiveTime = clock.Elapsed;

        double PerSecond(TimeSpan time, int trials) => (double)array.Length * trials / time.TotalSeconds;
        var fast = PerSecond(parallelTime, trials);
        string Row(string name, TimeSpan time, int trials) => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {trials:N0} | {time.TotalSeconds:F2} | {PerSecond(time, trials) / 1e6:N0} | {fast / PerSecond(time, trials):F1}× |");

        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{array.Length:N0} synthetic open deals (of which {array.Count(d => d.ByNextEnd > 0):N0} have a chance of closing within the two months; the forecast itself skips the others, the benchmark draws them all) in 3 channels and 64 reps, a model fitted on {closedDeals:N0} closed deals. The baselines run in the same process: the same simulation on one thread, and a straightforward implementation (deal objects, `System.Random`, a close date drawn from the deal's remaining-days distribution per deal and trial, sums in a dictionary per total, channel, team and rep) on {NaiveTrials} trials, compared per deal-trial.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Load average when it started (other work on the machine): {loadAtStart}. The last column is the parallel fast simulation's speed as a multiple of the row's.")
            .AppendLine()
            .AppendLine("| simulation | trials | seconds | million deal-trials/s | parallel fast one's speed × |")
            .AppendLine("|---|---|---|---|---|")
            .AppendLine(Row("fast, Parallel.For", parallelTime, trials))
            .AppendLine(Row("fast with the channel's common shock (ρ 0.1), Parallel.For", sharedTime, trials))
            .AppendLine(Row("fast, one thread (baseline)", sequentialTime, trials))
            .AppendLine(Row("straightforward (baseline)", naiveTime, NaiveTrials))
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The whole forecast (fit, {options.ModelDraws} bootstrap refits, per-deal odds under each, simulation with the common shock, percentiles for total, channels, teams and reps) took {endToEnd.TotalSeconds:F2} s for {trials:N0} trials, {endToEnd.TotalSeconds / oneFit.TotalSeconds:F2}× the same forecast on the fitted model alone (no refits: {oneFit.TotalSeconds:F2} s, run right after); its total P50 this month is {report.Periods[0].Total.P50:N0}. Mean bookings over both months: {parallel.Sum() / trials:N0} from the fast simulation, {naiveSums:N0} from the straightforward one ({NaiveTrials} trials).")
            .ToString();
    }

    static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    sealed record NaiveDeal(string Channel, string Team, string Rep, double Amount, double WinProbability, RemainingDays? Remaining);

    static double RunNaive(List<NaiveDeal> deals, DateTime asOf, Period period, int trials)
    {
        var random = new Random(42);
        var next = period.Next();
        var sums = new Dictionary<string, List<double>>();
        for (var t = 0; t < trials; t++)
        {
            var trial = new Dictionary<string, double>();
            foreach (var deal in deals)
            {
                if (random.NextDouble() >= deal.WinProbability || deal.Remaining is null)
                    continue;
                var close = asOf.AddDays(deal.Remaining.Quantile(Math.Max(1e-9, random.NextDouble())));
                var label = period.Contains(close) ? period.Label : next.Contains(close) ? next.Label : null;
                if (label is null)
                    continue;
                foreach (var key in new[] { "total", deal.Channel, deal.Team, deal.Rep })
                    trial[$"{label}/{key}"] = trial.GetValueOrDefault($"{label}/{key}") + deal.Amount;
            }
            foreach (var (key, value) in trial)
            {
                if (!sums.TryGetValue(key, out var list))
                    sums[key] = list = [];
                list.Add(value);
            }
        }
        return sums.Where(kv => kv.Key.EndsWith("/total", StringComparison.Ordinal)).Sum(kv => kv.Value.Sum()) / trials;
    }

    // Deals walk the default pipelines: each stage won onward with the team's stage probability, in 3–30 days.
    static ForecastHistory Synthetic(DateTime asOf, int openDeals, int closedDeals)
    {
        var random = new Random(7);
        var pipelines = DefaultPipelines.Create();
        var stages = pipelines.SelectMany(p => p.Stages.Select(s => new ForecastStage(s.Id, p.Name, p.Channel, s.Name, s.Position, s.Outcome, (double)s.Probability))).ToList();
        var reps = Enumerable.Range(0, 64).Select(i => new ForecastRep(Guid.CreateVersion7(), $"Rep {i}", null)).ToList();
        var deals = new List<ForecastDeal>(openDeals + closedDeals);
        for (var i = 0; i < openDeals + closedDeals; i++)
        {
            var pipeline = pipelines[random.Next(pipelines.Count)];
            var open = pipeline.Stages.Where(s => s.Outcome == StageOutcome.Open).OrderBy(s => s.Position).ToList();
            var isOpen = i < openDeals;
            var created = asOf.AddDays(-(isOpen ? random.Next(0, 150) : random.Next(200, 700)));
            var log = new List<StageEntry> { new(open[0].Id, created) };
            var at = created;
            var reached = isOpen ? random.Next(open.Count) : open.Count;
            for (var s = 1; s <= reached; s++)
            {
                at = at.AddDays(3 + (random.NextDouble() * 27));
                if (isOpen && at >= asOf)
                    break;
                var won = isOpen || random.NextDouble() < (double)(open[s - 1].Probability + 0.3m);
                if (!won)
                {
                    log.Add(new(pipeline.Stages.First(x => x.Outcome == StageOutcome.Lost).Id, at));
                    break;
                }
                log.Add(new(s < open.Count ? open[s].Id : pipeline.Stages.First(x => x.Outcome == StageOutcome.Won).Id, at));
            }
            deals.Add(new ForecastDeal(Guid.CreateVersion7(), $"Deal {i}", pipeline.Channel, DealKind.New, 1000 + random.Next(100_000), "EUR",
                reps[random.Next(reps.Count)].Id, created, null, ForecastCategory.Pipeline, log));
        }
        return new ForecastHistory(stages, deals, reps, new Dictionary<Guid, string>());
    }
}
