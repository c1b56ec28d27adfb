using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reach.Playbook;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Imports;

/// <summary>
/// A deal's competitor through the import and the export (over real HTTP, on each database): a "Competitor" column
/// names the competitive matrix's competitors, an unknown one costs the deal nothing but is named, and the export
/// writes it back so that its re-import changes nothing.
/// </summary>
public abstract class DealCompetitorImportTests(ReachServer server)
{
    HttpClient Http => server.Http;

    static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    const string Import = "/api/v1/imports?as=deals&format=csv&map=Deal%3Dname&map=Id%3DexternalId&map=Competitor%3Dcompetitor";

    async Task<(int Inserted, int Updated, int Skipped, int Failed, System.Text.Json.Nodes.JsonObject Summary)> ImportAsync(string query, string text)
    {
        var response = await Http.PostAsync(query, Csv(text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.ReadObjectAsync();
        return ((int)summary["inserted"]!, (int)summary["updated"]!, (int)summary["skipped"]!, (int)summary["failed"]!, summary);
    }

    async Task<Dictionary<string, string?>> CompetitorsAsync(string tag)
    {
        await using var db = server.OpenDb();
        return await db.Deals.Where(d => d.Name.EndsWith(tag)).ToDictionaryAsync(d => d.Name, d => d.Competitor);
    }

    [Fact]
    public async Task ACompetitorColumnNamesTheMatrixsCompetitorsAnUnknownOneIsNotedAndTheExportCarriesItBack()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using (var db = server.OpenDb())
        {
            db.Competitors.Add(new Competitor { Name = $"Pipedrive {tag}", Position = 90 });
            await db.SaveChangesAsync();
        }
        var file = $"Deal,Id,Amount,Competitor\nAlpha {tag},{tag}1,1000,pipedrive {tag}\nBeta {tag},{tag}2,2000,Zoho {tag}\nGamma {tag},{tag}3,3000,\n";

        var first = await ImportAsync(Import, file);

        // Every deal is imported; the competitor is the matrix's spelling, and the unknown one is named with its row.
        Assert.Equal((3, 0, 0, 0), (first.Inserted, first.Updated, first.Skipped, first.Failed));
        Assert.Contains(first.Summary["notes"]!.AsArray(), n => ((string)n!).Contains($"no competitor 'Zoho {tag}' (row 3)", StringComparison.Ordinal));
        Assert.Contains(first.Summary["report"]!["checkNext"]!.AsArray(), n => ((string)n!).StartsWith($"1 deal(s) name a competitor the competitive matrix lacks (Zoho {tag})", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, string?> { [$"Alpha {tag}"] = $"Pipedrive {tag}", [$"Beta {tag}"] = null, [$"Gamma {tag}"] = null }, await CompetitorsAsync(tag));

        // Re-running changes nothing; once the matrix has the competitor, running it again sets it.
        var again = await ImportAsync(Import, file);
        Assert.Equal((0, 0, 3, 0), (again.Inserted, again.Updated, again.Skipped, again.Failed));
        await using (var db = server.OpenDb())
        {
            db.Competitors.Add(new Competitor { Name = $"Zoho {tag}", Position = 91 });
            await db.SaveChangesAsync();
        }
        var filled = await ImportAsync(Import, file);
        Assert.Equal((0, 1, 2, 0), (filled.Inserted, filled.Updated, filled.Skipped, filled.Failed));
        Assert.Equal($"Zoho {tag}", (await CompetitorsAsync(tag))[$"Beta {tag}"]);

        // The export writes the column, and its re-import (Reach's own format) changes nothing.
        var export = await Http.GetStringAsync($"/api/v1/exports/deals?format=csv&q={tag}");
        var lines = export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var column = Array.IndexOf(header, "competitor");
        Assert.Equal(Array.IndexOf(header, "lostReason") + 1, column);
        Assert.Equal([$"Pipedrive {tag}", $"Zoho {tag}", ""], lines.Skip(1).Select(l => l.Split(',')).OrderBy(c => c[1], StringComparer.Ordinal).Select(c => c[column]));
        var back = await ImportAsync("/api/v1/imports?as=deals", export);
        Assert.Equal("reach", (string)back.Summary["format"]!);
        Assert.Equal((0, 0, 3, 0), (back.Inserted, back.Updated, back.Skipped, back.Failed));
    }
}

public sealed class DealCompetitorImportOnSqliteTests(SqliteServer server) : DealCompetitorImportTests(server), IClassFixture<SqliteServer>;

public sealed class DealCompetitorImportOnPostgresTests(PostgresServer server) : DealCompetitorImportTests(server), IClassFixture<PostgresServer>;
