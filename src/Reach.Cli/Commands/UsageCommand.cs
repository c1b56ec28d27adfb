using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Reach.Data;
using Reach.Imports;
using Reach.Usage;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach usage import FILE | accounts [--crossed] [--json] | candidates</c>: product usage at the console. An import
/// goes through the API's ingest (<see cref="UsageIngest"/>): the same checks, matching, idempotency and threshold rule.
/// </summary>
public static class UsageCommand
{
    public static Command Create()
    {
        var command = new Command("usage", "Product usage (b2e2b): import events, list accounts' active users and the threshold crossed.");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Accounts());
        command.Subcommands.Add(Candidates());
        return command;
    }

    static Command Import()
    {
        var database = new DatabaseOptions();
        var file = new Argument<string>("FILE") { Description = "Events as JSON Lines (.jsonl, .ndjson: one event object a line) or CSV (.csv: eventId,time,email,userId,accountHint,name,properties)" };
        var at = At("Check and evaluate as of this UTC instant (a backfill replayed as of its day); default now");
        var command = new Command("import", "Import product events; events already stored (by eventId) are skipped, so a file can be imported again.") { file, at };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
                throw new InputException("file", $"{path} does not exist.");
            var db = workspace.Db;
            // The file is read twice, as every import is: first every event is checked, so a bad one stores nothing;
            // then the events are stored a batch at a time, in constant memory.
            var now = db.UtcNow;
            var problems = new Dictionary<string, string[]>();
            var index = 0;
            await foreach (var e in ReadAsync(path, cancellationToken))
            {
                foreach (var (field, message) in e.Check(index++, now).Where(_ => problems.Count < UsageIngest.MaxProblemsListed))
                    problems[field] = [message];
            }
            if (problems.Count > 0)
                throw new InputException(problems.ToDictionary(p => p.Key, p => p.Value.Select(m => $"{p.Key} {m}").ToArray()));
            var summary = await UsageIngest.IngestAsync(db, ReadAsync(path, cancellationToken), limit: null, cancellationToken);
            var output = result.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{summary.Received} event(s): {summary.Stored} stored, {summary.Duplicates} already known; {summary.Matched} matched to an account, {summary.Unmatched} not.");
            foreach (var opened in summary.Opened)
                await output.WriteLineAsync($"  {opened.AccountName} crossed the threshold ({opened.Rule}): expansion deal {opened.DealId} opened.");
            return ExitCode.Ok;
        }, ClockAt(result.GetValue(at)), cancellationToken: cancellationToken));
        return command;
    }

    /// <summary>The events of a JSONL or CSV file, one at a time; a line that is no event is bad input naming its line.</summary>
    static async IAsyncEnumerable<UsageEventInput> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            CsvInput csv;
            try
            {
                csv = await CsvInput.InspectAsync(path, cancellationToken: cancellationToken);
            }
            catch (ImportFileException e)
            {
                throw new InputException("file", e.Message);
            }
            var columns = csv.Header.Select((name, i) => (name: name.Trim(), i)).ToDictionary(c => c.name, c => c.i, StringComparer.OrdinalIgnoreCase);
            string? Cell(string[] cells, string name) => columns.TryGetValue(name, out var i) && i < cells.Length && cells[i].Trim() is { Length: > 0 } v ? v : null;
            await foreach (var (row, cells) in csv.ReadRowsAsync(cancellationToken))
            {
                var time = Cell(cells, "time");
                DateTime? at = null;
                if (time is not null)
                {
                    // An instant with its offset, as the API takes it: a bare local time says nothing.
                    if (!time.Contains('Z', StringComparison.OrdinalIgnoreCase) && !time[Math.Min(time.Length, 10)..].Contains('+', StringComparison.Ordinal) && !time[Math.Min(time.Length, 10)..].Contains('-', StringComparison.Ordinal)
                        || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                        throw new InputException($"row {row}", $"row {row}: time '{time}' is not an instant with its offset (2027-01-31T09:00:00Z).");
                    at = parsed.UtcDateTime;
                }
                JsonElement? properties = null;
                if (Cell(cells, "properties") is { } json)
                {
                    try
                    {
                        properties = JsonDocument.Parse(json).RootElement;
                    }
                    catch (JsonException)
                    {
                        throw new InputException($"row {row}", $"row {row}: properties '{json}' is not JSON.");
                    }
                }
                yield return new UsageEventInput
                {
                    EventId = Cell(cells, "eventId"),
                    Time = at,
                    Email = Cell(cells, "email"),
                    UserId = Cell(cells, "userId"),
                    AccountHint = Cell(cells, "accountHint"),
                    Name = Cell(cells, "name"),
                    Properties = properties,
                };
            }
            yield break;
        }
        var options = new JsonSerializerOptions();
        ReachApp.Configure(options);
        using var reader = new StreamReader(path);
        var line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            UsageEventInput? e;
            try
            {
                e = JsonSerializer.Deserialize<UsageEventInput>(text, options);
            }
            catch (JsonException x)
            {
                throw new InputException($"line {line}", $"line {line}: {x.Path?.TrimStart('$', '.')} {x.Message.Split(" Path:")[0]}".Trim());
            }
            yield return e ?? new UsageEventInput();
        }
    }

    static Command Accounts()
    {
        var database = new DatabaseOptions();
        var crossed = new Option<bool>("--crossed") { Description = "Only the accounts that crossed the threshold (an expansion deal was opened)" };
        var json = new Option<bool>("--json") { Description = "Print the list as JSON, as GET /api/v1/usage/accounts answers" };
        var at = At("The figures as of this UTC instant; default now");
        var command = new Command("accounts", "Accounts' active users (last day, 7 days, 30 days), growth, share of employees, score and the threshold.") { crossed, json, at };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var db = workspace.Db;
            var output = result.InvocationConfiguration.Output;
            var settings = await Reach.Access.WorkspaceSettings.LoadAsync(db, cancellationToken);
            var items = await UsageFigures.ForAccountsAsync(db, null, db.UtcNow, cancellationToken);
            if (result.GetValue(crossed))
                items = await Reach.Web.Api.UsageApi.CrossedAsync(db, items, cancellationToken);
            if (result.GetValue(json))
            {
                var options = new JsonSerializerOptions { WriteIndented = true };
                ReachApp.Configure(options);
                await output.WriteLineAsync(JsonSerializer.Serialize(new Reach.Web.Api.UsageApi.UsageAccountsView(settings.UsageWeeklyActiveUsers, settings.UsageEmployeeSharePercent, items), options));
                return ExitCode.Ok;
            }
            await output.WriteLineAsync($"Threshold: {settings.UsageWeeklyActiveUsers} weekly active users, or {settings.UsageEmployeeSharePercent.ToString("0.#", CultureInfo.InvariantCulture)} % of employees.");
            if (items.Count == 0)
            {
                await output.WriteLineAsync(result.GetValue(crossed) ? "No account has crossed the threshold." : "No account has usage in the last 30 days.");
                return ExitCode.Ok;
            }
            await output.WriteLineAsync($"{"Account",-30} {"Day",5} {"Week",5} {"Month",6} {"Growth",8} {"Share",7} {"Score",5}  Crossed");
            foreach (var u in items)
            {
                var growth = u.WeeklyGrowthPercent is { } g ? (g >= 0 ? "+" : "") + g.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "new";
                var share = u.EmployeeSharePercent is { } s ? s.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";
                var crossedAt = u.CrossedAt is { } at ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + $" (deal {u.DealId})" : u.OverThreshold ? "over, not yet evaluated" : "";
                await output.WriteLineAsync($"{Cut(u.AccountName, 30),-30} {u.DailyActiveUsers,5} {u.WeeklyActiveUsers,5} {u.MonthlyActiveUsers,6} {growth,8} {share,7} {u.Score,5}  {crossedAt}");
            }
            return ExitCode.Ok;
        }, ClockAt(result.GetValue(at)), cancellationToken: cancellationToken));
        return command;
    }

    static Command Candidates()
    {
        var database = new DatabaseOptions();
        var command = new Command("candidates", "Company domains whose people use the product but which no account has (free mail never counts).");
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var candidates = await UsageFigures.CandidatesAsync(workspace.Db, workspace.Db.UtcNow, 200, cancellationToken);
            if (candidates.Count == 0)
            {
                await output.WriteLineAsync("No unmatched company domain in the last 30 days.");
                return;
            }
            foreach (var c in candidates)
                await output.WriteLineAsync($"{c.Domain}: {c.Users} user(s), {c.Events} event(s), last seen {c.LastSeenAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }, cancellationToken));
        return command;
    }

    static Option<DateTime?> At(string description) => new("--at") { Description = description, HelpName = "INSTANT" };

    static FixedClock? ClockAt(DateTime? at) => at is { } instant ? new FixedClock(instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : DateTime.SpecifyKind(instant, DateTimeKind.Utc)) : null;

    sealed class FixedClock(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow);
    }

    static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
