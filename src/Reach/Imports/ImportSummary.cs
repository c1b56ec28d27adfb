namespace Reach.Imports;

/// <summary>What to import and how.</summary>
public sealed record ImportOptions
{
    public required ImportEntity Entity { get; init; }
    public SourceFormat Format { get; init; } = SourceFormat.Auto;

    /// <summary>Column header → Reach field, over (and beyond) the source's known headers.</summary>
    public IReadOnlyDictionary<string, string> Map { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A saved <see cref="ImportMapping"/> to start from: its format (unless one is given) and its column map,
    /// under <see cref="Map"/>'s entries. Its columns the file lacks are passed over.
    /// </summary>
    public string? Mapping { get; init; }

    /// <summary>Everything is checked and matched, then rolled back.</summary>
    public bool DryRun { get; init; }

    /// <summary>A deal stage missing from the pipeline is created (as the last open stage) instead of rejecting the row.</summary>
    public bool CreateStages { get; init; }

    /// <summary>The owner of imported records: a workspace user's email. Default: the first admin, else none.</summary>
    public string? OwnerEmail { get; init; }

    /// <summary>utf-8 (strict, the default), windows-1252 or latin1.</summary>
    public string? Encoding { get; init; }

    /// <summary>Rows per transaction: a kill loses at most the batch in flight, and a re-run completes it.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>The currency of amounts that name none; the workspace's (its settings) when not given.</summary>
    public string? Currency { get; init; }
}

/// <summary>A row that was not imported: which cell, and why. Row 1 is the header.</summary>
public sealed record RejectedRow(int Row, string Column, string Value, string Reason);

/// <summary>How far an import is, reported after each batch.</summary>
public sealed record ImportProgress(int Done, int Total, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    public TimeSpan? Remaining => RowsPerSecond > 0 && Total >= Done ? TimeSpan.FromSeconds((Total - Done) / RowsPerSecond) : null;
}

/// <summary>The outcome of an import: counts, the rejected rows (the first <see cref="MaxRejectedListed"/>), and notes.</summary>
public sealed class ImportSummary
{
    public const int MaxRejectedListed = 1000;

    /// <summary>accounts, contacts, leads, deals or activities.</summary>
    public required string Entity { get; init; }

    /// <summary>The source format read (detected or given): reach, hubspot, salesforce, pipedrive or csv.</summary>
    public required string Format { get; init; }
    public bool DryRun { get; init; }
    public int Rows { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }

    /// <summary>Rows that matched a record and changed nothing, and blank or footer rows.</summary>
    public int Skipped { get; set; }
    public int Failed { get; set; }
    public double Seconds { get; set; }

    /// <summary>Header columns no field was read from.</summary>
    public List<string> IgnoredColumns { get; init; } = [];
    public List<string> Notes { get; init; } = [];
    public List<RejectedRow> Rejected { get; init; } = [];

    /// <summary>The migration report: history span, owners, stages, currency, what to check next.</summary>
    public MigrationReport Report { get; init; } = new();
}

/// <summary>
/// What a migration should be checked for after an import (docs/imports.md, "The migration report"): the span of the
/// history brought in, what was matched or made on the way, the currency amounts were read in, and what to look at next.
/// </summary>
public sealed class MigrationReport
{
    /// <summary>The earliest and latest date of the history the import kept (created, stage entries, close).</summary>
    public DateTime? HistoryFrom { get; set; }
    public DateTime? HistoryTo { get; set; }

    /// <summary>The workspace currency, which amounts without a currency were read in.</summary>
    public string? Currency { get; set; }

    /// <summary>Currencies of imported amounts with no exchange rate stored: figures leave these amounts out until rates are added.</summary>
    public List<string> CurrenciesWithoutRates { get; init; } = [];

    /// <summary>Owners the file names, with the user each matched (by e-mail or full name); unmatched ones are in <see cref="OwnersNotFound"/>.</summary>
    public SortedDictionary<string, string> OwnersMatched { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> OwnersNotFound { get; init; } = [];

    /// <summary>Stage names of the file → the stage they were read as.</summary>
    public SortedDictionary<string, string> StagesMatched { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> StagesCreated { get; init; } = [];
    public int AccountsCreated { get; set; }
    public int DealsWithoutAccount { get; set; }
    public int DealsWithUnknownAccount { get; set; }
    public int DealsWithoutCreatedDate { get; set; }
    public int CreatedAfterHistory { get; set; }
    public int LineItemsCreated { get; set; }
    public int DealsWithUnknownProduct { get; set; }
    public int DealsWithUnknownCompetitor { get; set; }
    public int UsersInvited { get; set; }
    public int UsersWithoutEmail { get; set; }

    /// <summary>Users the import made who have an e-mail: the CLI and the page give each a one-time link to choose a password.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<Guid> InvitedUserIds { get; init; } = [];
    public int TeamsCreated { get; set; }

    /// <summary>What the user should look at next, in plain sentences.</summary>
    public List<string> CheckNext { get; init; } = [];

    /// <summary>The report as the CLI prints it and the Import page shows it, one line each.</summary>
    public IEnumerable<string> Lines(ImportSummary summary)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        yield return "Migration report";
        yield return string.Create(c, $"  {summary.Entity}: inserted {summary.Inserted:N0}, updated {summary.Updated:N0}, unchanged {summary.Skipped:N0}, rejected {summary.Failed:N0}");
        if (AccountsCreated > 0)
            yield return string.Create(c, $"  accounts: inserted {AccountsCreated:N0} (from the deals' company names)");
        if (LineItemsCreated > 0)
            yield return string.Create(c, $"  line items: inserted {LineItemsCreated:N0}");
        if (UsersInvited > 0 || TeamsCreated > 0)
            yield return string.Create(c, $"  users invited {UsersInvited:N0}, teams created {TeamsCreated:N0}");
        if (HistoryFrom is { } from && HistoryTo is { } to)
            yield return string.Create(c, $"  history: {from:yyyy-MM-dd} to {to:yyyy-MM-dd}");
        if (OwnersMatched.Count > 0 || OwnersNotFound.Count > 0)
            yield return string.Create(c, $"  owners: {OwnersMatched.Count:N0} matched{(OwnersNotFound.Count > 0 ? $", not found: {string.Join(", ", OwnersNotFound.Take(10))}" : "")}");
        if (StagesMatched.Count > 0)
            yield return $"  stages: {string.Join(", ", StagesMatched.Select(s => string.Equals(s.Key, s.Value, StringComparison.OrdinalIgnoreCase) ? s.Key : $"{s.Key} → {s.Value}"))}";
        if (StagesCreated.Count > 0)
            yield return $"  stages created: {string.Join(", ", StagesCreated)}";
        if (Currency is not null)
            yield return $"  currency: {Currency}{(CurrenciesWithoutRates.Count > 0 ? $"; no exchange rate for {string.Join(", ", CurrenciesWithoutRates)}" : "")}";
        foreach (var next in CheckNext)
            yield return $"  check next: {next}";
    }

    public void Dated(DateTime? at)
    {
        if (at is not { } t)
            return;
        if (HistoryFrom is null || t < HistoryFrom)
            HistoryFrom = t;
        if (HistoryTo is null || t > HistoryTo)
            HistoryTo = t;
    }

    public void StageMatched(string fileName, string stage)
    {
        if (StagesMatched.Count < 100)
            StagesMatched.TryAdd(fileName, stage);
    }
}
