using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Reach.Access;
using Reach.Data;
using Reach.Forecasting;
using Reach.Metrics;
using Reach.Web;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach forecast [--period month|quarter] [--json] [--backtest [--tune]] [--db FILE | --postgres CONNSTR]</c>:
/// the Monte Carlo bookings forecast of the workspace, or its backtest (docs/forecasting.md).
/// </summary>
public static class ForecastCommand
{
    /// <param name="clock">The forecast's "now"; tests pass a fixed one.</param>
    public static Command Create(TimeProvider? clock = null)
    {
        var database = new DatabaseOptions();
        var period = new Option<PeriodKind>("--period")
        {
            Description = "Forecast this month and the next, or this quarter and the next",
            DefaultValueFactory = _ => PeriodKind.Month,
            HelpName = "month|quarter",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (see docs/forecasting.md)" };
        var backtest = new Option<bool>("--backtest") { Description = "Replay the forecast at past dates and compare it with what was booked" };
        var tune = new Option<bool>("--tune") { Description = "With --backtest: also compare the smoothing settings of the tuning grid" };
        var trials = new Option<int>("--trials")
        {
            Description = "Monte Carlo trials (default 10,000; 2,000 per as-of date with --backtest)",
            DefaultValueFactory = _ => 0,
        };
        var modelDraws = new Option<int>("--model-draws")
        {
            Description = "Plausible models (bootstrap refits of the history) the trials share out; 0 treats the fitted rates as exact",
            DefaultValueFactory = _ => new ForecastOptions().ModelDraws,
        };
        var correlation = new Option<double>("--correlation")
        {
            Description = "How much the open deals of a channel slip and close together (0 = independently, below 1)",
            DefaultValueFactory = _ => ForecastOptions.DefaultCorrelation,
        };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed and data give the same figures", DefaultValueFactory = _ => 42 };
        var asOf = new Option<DateTime?>("--as-of")
        {
            Description = "Forecast as it would have been at this past UTC date, from the stage-change log",
            HelpName = "DATE",
        };
        var command = new Command("forecast", "Forecast bookings of this and the next period from the open pipeline, with P10/P50/P90");
        database.AddTo(command);
        command.Options.Add(period);
        command.Options.Add(json);
        command.Options.Add(backtest);
        command.Options.Add(tune);
        command.Options.Add(trials);
        command.Options.Add(modelDraws);
        command.Options.Add(correlation);
        command.Options.Add(seed);
        command.Options.Add(asOf);
        command.Validators.Add(result =>
        {
            if (result.GetValue(period) is not (PeriodKind.Month or PeriodKind.Quarter))
                result.AddError("--period must be month or quarter.");
            if (result.GetValue(trials) is < 0 or > 1_000_000)
                result.AddError("--trials must be from 1 to 1,000,000.");
            if (result.GetValue(modelDraws) is < 0 or > 200)
                result.AddError("--model-draws must be from 0 to 200.");
            if (result.GetValue(correlation) is < 0 or >= 1 || double.IsNaN(result.GetValue(correlation)))
                result.AddError("--correlation must be from 0 up to, not including, 1.");
            if (result.GetValue(tune) && !result.GetValue(backtest))
                result.AddError("--tune only goes with --backtest.");
        });
        command.SetAction((result, cancellationToken) =>
        {
            var configuration = database.Configuration(result);
            var isBacktest = result.GetValue(backtest);
            var options = new ForecastOptions
            {
                PeriodKind = result.GetValue(period),
                Seed = result.GetValue(seed),
                ModelDraws = result.GetValue(modelDraws),
                Correlation = result.GetValue(correlation),
                Trials = result.GetValue(trials) is > 0 and var n ? n : isBacktest ? 2_000 : 10_000,
            };
            var fixedClock = result.GetValue(asOf) is { } at ? new FixedClock(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
            return RunAsync(ReachApp.DatabaseFrom(configuration), options, isBacktest, result.GetValue(tune), result.GetValue(json),
                fixedClock ?? clock ?? TimeProvider.System, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, configuration, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        Database database, ForecastOptions options, bool backtest, bool tune, bool json, TimeProvider clock,
        TextWriter output, TextWriter error, IConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        ForecastHistory history = null!;
        CurrencyConverter rates = null!;
        // A SQLite path that does not exist would be an empty workspace forecasting nothing: mustExist.
        var opened = await WorkspaceAction.RunAsync(error, "forecast", configuration ?? CliConfiguration.Read(), database, async workspace =>
        {
            var db = workspace.Db;
            history = await ForecastHistory.LoadAsync(db, cancellationToken);
            options = options with { WorkspaceCurrency = await WorkspaceSettings.CurrencyAsync(db, cancellationToken) };
            rates = await CurrencyConverter.LoadAsync(db, options.WorkspaceCurrency, cancellationToken);
            return ExitCode.Ok;
        }, clock, mustExist: true, cancellationToken);
        if (opened != ExitCode.Ok)
            return opened;

        var jsonOptions = new JsonSerializerOptions { WriteIndented = true };
        ReachApp.Configure(jsonOptions);
        if (backtest)
        {
            var report = Backtest.Run(history, now, options, tune);
            if (json)
                output.WriteLine(JsonSerializer.Serialize(report, jsonOptions));
            if (report.Points.Count == 0)
            {
                error.WriteLine("reach forecast: nothing to replay: a backtest needs deals created at least six months before a "
                    + "whole period that has ended; this workspace's history is shorter, so there is no score.");
                return ExitCode.NothingToReplay;
            }
            if (!json)
                WriteBacktest(report, output);
        }
        else
        {
            var report = Forecaster.ForecastWithTrackRecord(history, now, options, rates);
            if (json)
                output.WriteLine(JsonSerializer.Serialize(report, jsonOptions));
            else
                WriteForecast(report, output);
        }
        return ExitCode.Ok;
    }

    public static void WriteForecast(ForecastReport report, TextWriter output)
    {
        var console = ConsoleFor(output);
        console.Write(new Text(
            $"Bookings forecast in {report.Currency} as of {report.AsOf:yyyy-MM-dd HH:mm} UTC: {report.OpenDeals:N0} open deals, "
            + $"a model of {report.ClosedDeals:N0} closed deals, {report.Trials:N0} trials (seed {report.Seed}).\n"));
        foreach (var period in report.Periods)
        {
            var table = NewTable($"{period.Label} ({period.Start:yyyy-MM-dd} to {period.End.AddDays(-1):yyyy-MM-dd})",
                ("", false), ("booked", true), ("expected", true), ("P10", true), ("P50", true), ("P90", true),
                ("commit", true), ("best case", true), ("pipeline", true));
            void Row(string prefix, Bookings b) => table.AddRow(Cells(prefix + b.Name, Money(b.ClosedWon), Money(b.Expected), Money(b.P10), Money(b.P50),
                Money(b.P90), Money(b.RepCall.Commit), Money(b.RepCall.BestCase), Money(b.RepCall.Pipeline)));
            Row("", period.Total);
            foreach (var b in period.Channels)
                Row("channel ", b with { Name = Labels.Channel(b.Name) });
            foreach (var b in period.Teams)
                Row("team ", b);
            foreach (var b in period.Reps)
                Row("rep ", b);
            console.Write(table);
        }
        console.Write(new Text("booked: won so far in the period; expected and P10–P90 include it, the open pipeline and business not yet "
            + "in the pipeline; commit, best case and pipeline: the reps' own categories for deals expected to close in the period.\n"));

        WriteTrackRecord(report, console);

        const int Shown = 20;
        if (report.FlaggedDeals.Count > 0)
        {
            var flagged = NewTable($"Close dates to check ({report.FlaggedDeals.Count})",
                ("deal", false), ("stage", false), ("amount", true), ("expected close", false), ("earliest plausible", false),
                ("likely close", false), ("P(win)", true), ("flag", false));
            foreach (var d in report.FlaggedDeals.Take(Shown))
            {
                flagged.AddRow(Cells(d.Name, d.Stage, Money(d.Amount), $"{d.ExpectedClose:yyyy-MM-dd}", $"{d.EarliestPlausibleClose:yyyy-MM-dd}",
                    $"{d.LikelyClose:yyyy-MM-dd}", Percent(d.WinProbability), string.Join(", ", d.Flags.Select(Labels.Of))));
            }
            console.Write(flagged);
            if (report.FlaggedDeals.Count > Shown)
                console.Write(new Text($"… and {report.FlaggedDeals.Count - Shown} more (--json lists them all).\n"));
        }

        if (report.OversizedDeals.Count > 0)
        {
            // Their win chance is not the stage's: say which odds were used and from how many deals.
            var oversized = NewTable($"Deals far out of scale with what was won ({report.OversizedDeals.Count})",
                ("deal", false), ("stage", false), ("amount", true), ("guardrail; odds used", false), ("P(win)", true));
            foreach (var d in report.OversizedDeals.Take(Shown))
            {
                oversized.AddRow(Cells(d.Name, d.Stage, Money(d.Amount), $"{d.Oversized!.Text}; {d.SimilarDeals?.Text}", Percent(d.WinProbability)));
            }
            console.Write(oversized);
            if (report.OversizedDeals.Count > Shown)
                console.Write(new Text($"… and {report.OversizedDeals.Count - Shown} more (--json lists them all).\n"));
        }

        var stages = NewTable("Stage history", ("pipeline", false), ("stage", false), ("closed", true), ("won", true), ("P(win)", true),
            ("days to win P10", true), ("P50", true), ("P90", true));
        foreach (var s in report.Stages)
        {
            stages.AddRow(Cells(s.Stage.Pipeline, s.Stage.Name, $"{s.Closed:N0}", $"{s.Won:N0}", Percent(s.WinProbability),
                Days(s.RemainingP10), Days(s.RemainingP50), Days(s.RemainingP90)));
        }
        console.Write(stages);
        foreach (var note in report.Notes)
            console.Write(new Text($"! {note}\n", new Style(Color.Yellow)));
    }

    // The forecast's own backtest beside it: how often its band held, how far its P50 was off, and the widening applied.
    static void WriteTrackRecord(ForecastReport report, IAnsiConsole console)
    {
        if (report.TrackRecord is not { } record)
            return;
        if (!record.Available)
        {
            console.Write(new Text($"! Track record: {record.Reason}\n", new Style(Color.Yellow)));
            return;
        }

        var table = NewTable($"Track record: this forecast replayed on {record.Periods} month starts, {record.From:yyyy-MM} to {record.To:yyyy-MM}",
            ("", false), ("periods", true), ("P10–P90 held", true), ("P50 error", true), ("band widened ×", true), ("calibrated band held", true));
        foreach (var horizon in record.Horizons)
        {
            var when = horizon.Horizon == 0 ? "this period" : "next period";
            foreach (var g in horizon.Channels.Prepend(horizon.Total))
            {
                table.AddRow(Cells($"{when}: {(g.Channel is { } c ? "channel " + c : "total")}", $"{g.Points}", $"{g.Held} ({Percent(g.Coverage)})",
                    g.P50Error is { } e ? Percent(e) : "–", g.Factor.ToString("0.00", CultureInfo.InvariantCulture),
                    g.CalibratedCoverage is { } cc ? Percent(cc) : "too few periods"));
            }
        }
        console.Write(table);
        console.Write(new Text("P10–P90 held: backtested periods whose actual bookings fell inside the simulated band; the band shown above is "
            + "widened (or narrowed) by the factor that made it hold in 80% of them; calibrated band held: the same with each period left out "
            + "of its own factor.\n"));
    }

    public static void WriteBacktest(BacktestReport report, TextWriter output)
    {
        var console = ConsoleFor(output);
        console.Write(new Text($"Backtest in {report.Currency}, {report.PeriodKind.ToString().ToLowerInvariant()}s, {report.Points.Count / 2} as-of dates, "
            + $"{report.Trials:N0} trials each, {Describe(report.Smoothing, report.Correlation, report.ModelDraws)}.\n"));
        var points = NewTable("Forecasts against actual bookings", ("as of", false), ("period", false), ("actual", true), ("expected", true),
            ("P10", true), ("P50", true), ("P90", true), ("in P10–P90", false));
        foreach (var p in report.Points)
        {
            points.AddRow(Cells($"{p.AsOf:yyyy-MM-dd}", p.Period, Money(p.Actual), Money(p.Expected), Money(p.P10), Money(p.P50), Money(p.P90),
                p.Inside ? "yes" : "no"));
        }
        console.Write(points);
        console.Write(SummaryTable("Errors", [(Describe(report.Smoothing, report.Correlation, report.ModelDraws), report.Summary)]));
        if (report.Tuning.Count > 0)
            console.Write(SummaryTable("Settings compared", [.. report.Tuning.Select(t => (Describe(t.Smoothing, t.Correlation, t.ModelDraws), t.Summary))]));
    }

    static Table SummaryTable(string title, IReadOnlyList<(string Setting, IReadOnlyList<BacktestSummary> Summary)> rows)
    {
        var table = NewTable(title, ("setting", false), ("horizon", false), ("periods", true), ("MAPE of P50", true), ("bias", true),
            ("in P10–P90", true), ("channels in P10–P90", true), ("Brier (deals)", true));
        foreach (var (setting, summary) in rows)
        {
            foreach (var s in summary)
            {
                table.AddRow(Cells(setting, s.Horizon == 0 ? "this period" : "next period", $"{s.Points}", Percent(s.Mape), Percent(s.Bias),
                    Percent(s.Coverage), $"{Percent(s.ChannelCoverage)} of {s.ChannelPoints}", s.Brier.ToString("0.0000", CultureInfo.InvariantCulture)));
            }
        }
        return table;
    }

    static string Describe(Smoothing s, double correlation, int modelDraws) => (s.ByKind
        ? $"prior {s.PriorStrength:0.#}, by kind {s.ShrinkStrength:0.#}"
        : $"prior {s.PriorStrength:0.#}, no kind split") + string.Create(CultureInfo.InvariantCulture, $", ρ {correlation:0.##}, {modelDraws} model draws");


    static string Money(decimal amount) => amount.ToString("N0", CultureInfo.InvariantCulture);

    static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    static string Days(double? days) => days is { } d ? d.ToString("0", CultureInfo.InvariantCulture) : "–";

    // Text, not Markup: deal and rep names may hold '[' characters.
    static IRenderable[] Cells(params string[] cells) => [.. cells.Select(c => (IRenderable)new Text(c))];

    static Table NewTable(string title, params (string Header, bool Numeric)[] columns)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var (header, numeric) in columns)
            table.AddColumn(new TableColumn(new Text(header)) { Alignment = numeric ? Justify.Right : Justify.Left });
        return table;
    }

    static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        // Redirected output has no width to detect; keep the tables' rows unwrapped for files and tests.
        if (!console.Profile.Out.IsTerminal)
            console.Profile.Width = 200;
        return console;
    }

    sealed class FixedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }
}
