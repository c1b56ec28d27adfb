using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Cli;
using Reach.Cli.Commands;
using Reach.Deals;
using Reach.Imports;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>
/// HubSpot and Pipedrive deal exports (built from the real headers in data/export_formats.md) imported through the CLI and
/// through the API on each database: their dates become the deals' own, and re-running either way changes nothing.
/// </summary>
public abstract class ExportFormatsEndToEndTests(ReachServer server)
{
    static DateTime Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    static string Unique() => Guid.NewGuid().ToString("N")[..8];

    static string Write(string name, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"reach-{Unique()}-{name}");
        File.WriteAllText(path, text);
        return path;
    }

    async Task<(int Exit, string Output)> CliAsync(string path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ImportCommand.RunAsync(new FileInfo(path), new ImportOptions { Entity = ImportEntity.Deals, Map = new Dictionary<string, string>() },
            new FileInfo(path + ".rejected.csv"), server.Database!, output, error, CancellationToken.None);
        return (exit, output + error.ToString());
    }

    async Task<(int Inserted, int Updated, int Skipped, int Failed, string Format)> ApiAsync(string text)
    {
        var response = await server.Http.PostAsync("/api/v1/imports?as=deals", new StringContent(text, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.ReadObjectAsync();
        return ((int)summary["inserted"]!, (int)summary["updated"]!, (int)summary["skipped"]!, (int)summary["failed"]!, (string)summary["format"]!);
    }

    async Task<List<(string ExternalId, DateTime CreatedAt, DateTime? ClosedAt, DealStatus Status, long Version, int Log)>> DealsAsync(string source, params string[] ids)
    {
        await using var db = server.OpenDb();
        var deals = await db.Deals.Where(d => d.ExternalSource == source && ids.Contains(d.ExternalId!)).OrderBy(d => d.ExternalId)
            .Select(d => new { d.ExternalId, d.CreatedAt, d.ClosedAt, d.Status, d.Version, Log = db.DealStageChanges.Count(c => c.DealId == d.Id) }).ToListAsync();
        return [.. deals.Select(d => (d.ExternalId!, d.CreatedAt, d.ClosedAt, d.Status, d.Version, d.Log))];
    }

    [Fact]
    public async Task AHubSpotExportImportedAtTheConsoleKeepsItsDatesAndReRunningThroughTheConsoleOrTheApiChangesNothing()
    {
        var tag = Unique();
        var header = ImportWorkspace.HeaderFromFormats("\"Record ID\",\"Deal Name\",\"Last Activity Date\"")
            + ",\"Create Date\",\"Date entered Appointment Scheduled (Sales Pipeline)\",\"Date entered Closed Won (Sales Pipeline)\"";
        var text = header + "\n" + string.Join("\n",
            ImportWorkspace.RowFor(header, new()
            {
                ["Record ID"] = $"{tag}1",
                ["Deal Name"] = $"Renewal {tag}",
                ["Deal Stage"] = "Closed Won",
                ["Amount"] = "1200",
                ["Create Date"] = "2020-01-10 10:00",
                ["Date entered Appointment Scheduled (Sales Pipeline)"] = "2020-01-10 10:00",
                ["Date entered Closed Won (Sales Pipeline)"] = "2020-03-15 16:00",
            }),
            ImportWorkspace.RowFor(header, new()
            {
                ["Record ID"] = $"{tag}2",
                ["Deal Name"] = $"New logo {tag}",
                ["Deal Stage"] = "Appointment Scheduled",
                ["Amount"] = "800",
                ["Create Date"] = "2020-02-03 09:00",
                ["Date entered Appointment Scheduled (Sales Pipeline)"] = "2020-02-03 09:00",
            })) + "\n";
        var path = Write("hubspot-deals.csv", text);

        var (exit, output) = await CliAsync(path);

        Assert.True(exit == ExitCode.Ok, output);
        Assert.Contains("inserted 2, updated 0, skipped 0, failed 0", output, StringComparison.Ordinal);
        var first = await DealsAsync("hubspot", $"{tag}1", $"{tag}2");
        Assert.Equal([($"{tag}1", Utc(2020, 1, 10, 10), Utc(2020, 3, 15, 16), DealStatus.Won), ($"{tag}2", Utc(2020, 2, 3, 9), null, DealStatus.Open)],
            first.Select(d => (d.ExternalId, d.CreatedAt, d.ClosedAt, d.Status)));
        Assert.Equal([2, 1], first.Select(d => d.Log));

        var (again, againOutput) = await CliAsync(path);
        Assert.True(again == ExitCode.Ok, againOutput);
        Assert.Contains("inserted 0, updated 0, skipped 2, failed 0", againOutput, StringComparison.Ordinal);
        Assert.Equal((0, 0, 2, 0, "hubspot"), await ApiAsync(text));
        Assert.Equal(first, await DealsAsync("hubspot", $"{tag}1", $"{tag}2"));
    }

    [Fact]
    public async Task APipedriveExportImportedThroughTheApiKeepsItsDatesAndReRunningThroughTheApiOrTheConsoleChangesNothing()
    {
        var tag = Unique();
        var header = ImportWorkspace.HeaderFromFormats("Deal - ID,");
        var text = header + "\n" + string.Join("\n",
            ImportWorkspace.RowFor(header, new()
            {
                ["Deal - ID"] = $"pd{tag}1",
                ["Deal - Title"] = $"Muster rollout {tag}",
                ["Deal - Value"] = "12500",
                ["Deal - Currency of Value"] = "EUR",
                ["Deal - Organization"] = $"Muster {tag} GmbH",
                ["Deal - Organization ID"] = $"org{tag}",
                ["Deal - Stage"] = "Proposal Made",
                ["Deal - Status"] = "Won",
                ["Deal - Deal created"] = "2024-01-05 08:00:00",
                ["Deal - Won time"] = "2024-03-05 14:30:00",
            }),
            ImportWorkspace.RowFor(header, new()
            {
                ["Deal - ID"] = $"pd{tag}2",
                ["Deal - Title"] = $"Muster phase 2 {tag}",
                ["Deal - Value"] = "3000",
                ["Deal - Organization"] = $"Muster {tag} GmbH",
                ["Deal - Organization ID"] = $"org{tag}",
                ["Deal - Stage"] = "Lost",
                ["Deal - Status"] = "Lost",
                ["Deal - Deal created"] = "2024-02-01 08:00:00",
                ["Deal - Lost time"] = "2024-02-20 12:00:00",
            })) + "\n";

        Assert.Equal((2, 0, 0, 0, "pipedrive"), await ApiAsync(text));
        var first = await DealsAsync("pipedrive", $"pd{tag}1", $"pd{tag}2");
        Assert.Equal([($"pd{tag}1", Utc(2024, 1, 5, 8), Utc(2024, 3, 5, 14, 30), DealStatus.Won), ($"pd{tag}2", Utc(2024, 2, 1, 8), Utc(2024, 2, 20, 12), DealStatus.Lost)],
            first.Select(d => (d.ExternalId, d.CreatedAt, d.ClosedAt, d.Status)));
        await using (var db = server.OpenDb())
            Assert.Equal(2, await db.Deals.CountAsync(d => d.Account!.ExternalId == $"org{tag}" && d.Account.ExternalSource == "pipedrive"));

        Assert.Equal((0, 0, 2, 0, "pipedrive"), await ApiAsync(text));
        var (exit, output) = await CliAsync(Write("pipedrive-deals.csv", text));
        Assert.True(exit == ExitCode.Ok, output);
        Assert.Contains("inserted 0, updated 0, skipped 2, failed 0", output, StringComparison.Ordinal);
        Assert.Equal(first, await DealsAsync("pipedrive", $"pd{tag}1", $"pd{tag}2"));
    }
}

public sealed class ExportFormatsEndToEndOnSqliteTests(SqliteServer server) : ExportFormatsEndToEndTests(server), IClassFixture<SqliteServer>;

public sealed class ExportFormatsEndToEndOnPostgresTests(PostgresServer server) : ExportFormatsEndToEndTests(server), IClassFixture<PostgresServer>;
