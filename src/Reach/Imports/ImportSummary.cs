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
}
