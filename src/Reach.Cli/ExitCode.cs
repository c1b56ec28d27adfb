namespace Reach.Cli;

/// <summary>
/// The exit codes of every <c>reach</c> command: one table, each code with one meaning (README, "Exit codes").
/// A command returns one of these and nothing else; <c>ExitCodeTests</c> holds every command's failures to it.
/// </summary>
public static class ExitCode
{
    public const int Ok = 0;

    /// <summary>An unexpected failure (a bug): the error is on stderr.</summary>
    public const int Failed = 1;

    /// <summary>The command line or its input is wrong (an option, a missing or malformed file, an unknown user or team, a path that cannot be written): nothing was changed.</summary>
    public const int InvalidInput = 2;

    /// <summary>The workspace database cannot be opened, read or written (or copied, by <c>reach backup</c>).</summary>
    public const int DatabaseFailed = 3;

    /// <summary><c>reach import</c> finished but rejected some rows: they are in the report file.</summary>
    public const int RowsRejected = 4;

    /// <summary><c>reach forecast --backtest</c> found no period to replay: its scores would be zeros that look perfect.</summary>
    public const int NothingToReplay = 5;

    /// <summary><c>reach report --pdf</c> could not print (no Chromium, or it failed).</summary>
    public const int PrintFailed = 6;

    /// <summary><c>reach restore</c> refused: a server runs on the workspace, or the backup failed its checks; nothing was replaced.</summary>
    public const int RestoreRefused = 7;

    /// <summary>The disk is full (or the workspace reached Reach:Limits:SqliteMegabytes): BSD's EX_IOERR. What was being written was not committed.</summary>
    public const int DiskFull = 74;

    /// <summary>Every code with its meaning, in the order the README lists them.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> Table { get; } =
    [
        (Ok, "done"),
        (Failed, "an unexpected failure (a bug; the error is on stderr)"),
        (InvalidInput, "wrong command line or input: an option, a missing or malformed file, an unknown user or team, an output path that cannot be written; nothing was changed"),
        (DatabaseFailed, "the workspace database cannot be opened, read or written (or copied by `reach backup`)"),
        (RowsRejected, "`reach import` finished but rejected some rows (see the report file)"),
        (NothingToReplay, "`reach forecast --backtest` has no period to replay"),
        (PrintFailed, "`reach report --pdf` could not print (no Chromium)"),
        (RestoreRefused, "`reach restore` refused: a server runs on the workspace, or the backup failed its checks"),
        (DiskFull, "the disk is full (or the workspace reached `Reach:Limits:SqliteMegabytes`); nothing half-written was committed"),
    ];
}
