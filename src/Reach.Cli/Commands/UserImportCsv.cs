using CsvHelper;
using Reach.Access;
using Reach.Data;

namespace Reach.Cli.Commands;

/// <summary>
/// The file `reach user import` reads: a CSV with a header row naming email and name (required), and role, team,
/// manager (the e-mail of the team's manager) and channel, in any order and any case.
/// </summary>
public static class UserImportCsv
{
    static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["email"] = "email",
        ["e-mail"] = "email",
        ["name"] = "name",
        ["role"] = "role",
        ["team"] = "team",
        ["manager"] = "manager",
        ["manager email"] = "manager",
        ["manager_email"] = "manager",
        ["manager e-mail"] = "manager",
        ["channel"] = "channel",
    };

    /// <summary>The rows of the file; a bad header, role or channel is an input error naming the row and column.</summary>
    public static List<UserImportRow> Read(TextReader reader)
    {
        using var csv = CsvReader.Create(reader, new CsvReaderOptions { HasHeader = false, Mode = CsvMode.Rfc4180, SkipEmptyLines = true, FieldCountMismatch = CsvFieldCountHandling.Allow }, false);
        if (!csv.Read())
            throw new InputException("file", "The file is empty; its first line names the columns: email, name, role, team, manager, channel.");
        var header = Cells(csv);
        var index = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (!Columns.TryGetValue(header[i].Trim(), out var column))
                throw new InputException("file", $"Unknown column '{header[i]}'; the columns are email, name, role, team, manager and channel.");
            index[column] = i;
        }
        foreach (var required in new[] { "email", "name" })
        {
            if (!index.ContainsKey(required))
                throw new InputException("file", $"The file has no '{required}' column.");
        }
        var rows = new List<UserImportRow>();
        var errors = new Dictionary<string, string[]>();
        while (csv.Read())
        {
            var number = rows.Count + 1;
            var cells = Cells(csv);
            string? Field(string column) => index.TryGetValue(column, out var i) && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            UserRole? role = null;
            if (Field("role") is { } roleText)
            {
                if (Enum.TryParse<UserRole>(roleText, ignoreCase: true, out var parsed) && !char.IsAsciiDigit(roleText[0]))
                    role = parsed;
                else
                    errors[$"rows[{number}].role"] = [$"'{roleText}' is not a role: expected admin, manager or rep."];
            }
            Channel? channel = null;
            try
            {
                channel = TeamCommand.ChannelOf(Field("channel"));
            }
            catch (InputException e)
            {
                errors[$"rows[{number}].channel"] = [.. e.Errors["channel"]];
            }
            rows.Add(new UserImportRow(Field("email"), Field("name"), role, Field("team"), Field("manager"), channel));
        }
        if (errors.Count > 0)
            throw new InputException(errors);
        return rows;
    }

    static string[] Cells(CsvReader reader)
    {
        var cells = new string[reader.FieldCount];
        for (var i = 0; i < cells.Length; i++)
            cells[i] = reader.GetString(i);
        return cells;
    }
}
