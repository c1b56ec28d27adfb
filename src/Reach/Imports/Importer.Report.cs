using Microsoft.EntityFrameworkCore;
using Reach.Pipelines;

namespace Reach.Imports;

// The migration report's closing part, and what --create-stages learns from the file before it runs.
public sealed partial class Importer
{
    /// <summary>
    /// Reads the file once for the stages no pipeline has and no CRM standard names: their funnel order is that of their
    /// deals' mean age (a deal further along has been open longer; one without a created date is youngest), and each
    /// one's probability is the share of the deals that reached it and were won: won ÷ (won + lost + open in it or later).
    /// </summary>
    async Task LearnStageProbabilitiesAsync(CsvInput input, CancellationToken cancellationToken)
    {
        var known = pipelines.SelectMany(p => p.Stages).Select(s => CellParser.Squash(s.Name)).ToHashSet(StringComparer.Ordinal);
        var now = db.UtcNow;
        int won = 0, lost = 0;
        var open = new Dictionary<string, (int Count, double Age)>(StringComparer.Ordinal);
        await foreach (var (number, cells) in input.ReadRowsAsync(cancellationToken))
        {
            var row = new ImportRow(number, cells, plan, format);
            if (row.IsBlank || row.IsFooter)
                continue;
            var stageName = row.Text("stage");
            var status = row.Text("status") is { } s ? CellParser.Squash(s) : null;
            var outcome = status switch
            {
                "won" or "closedwon" => StageOutcome.Won,
                "lost" or "closedlost" => StageOutcome.Lost,
                _ when row.Read("isWon", CellParser.ParseBool) == true => StageOutcome.Won,
                _ when row.Read("isClosed", CellParser.ParseBool) == true => StageOutcome.Lost,
                _ => stageName is null ? StageOutcome.Open : StandardStages.Find(stageName)?.Outcome ?? StageOutcome.Open,
            };
            if (outcome == StageOutcome.Won)
                won++;
            else if (outcome == StageOutcome.Lost)
                lost++;
            else if (stageName is not null && !known.Contains(CellParser.Squash(stageName)) && StandardStages.Find(stageName) is null)
            {
                var key = CellParser.Squash(stageName);
                var age = row.Read("createdAt", CellParser.ParseDateTime) is { } created ? Math.Max(0, (now - created).TotalDays) : 0;
                var (count, total) = open.GetValueOrDefault(key);
                open[key] = (count + 1, total + age);
            }
        }
        var later = 0;
        foreach (var (key, (count, _)) in open.OrderByDescending(o => o.Value.Age / o.Value.Count))
        {
            later += count;
            var reached = won + lost + later;
            stageProbabilities[key] = reached == 0 ? null : Math.Round((decimal)won / reached, 2);
        }
    }

    /// <summary>Currencies without rates, owners not found, and what to check next, in plain sentences.</summary>
    async Task FinishReportAsync(CancellationToken cancellationToken)
    {
        foreach (var currency in currencies.Where(c => !string.Equals(c, workspaceCurrency, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            if (!await db.ExchangeRates.AnyAsync(r => r.Currency == currency, cancellationToken))
                report.CurrenciesWithoutRates.Add(currency);
        report.OwnersNotFound.AddRange(unknownOwners.Order(StringComparer.OrdinalIgnoreCase));

        var next = report.CheckNext;
        if (report.CurrenciesWithoutRates.Count > 0)
            next.Add($"Add exchange rates for {string.Join(", ", report.CurrenciesWithoutRates)} (Exchange rates, or POST /api/v1/exchange-rates): until then figures in {workspaceCurrency} leave those amounts out.");
        if (report.OwnersNotFound.Count > 0)
            next.Add($"{report.OwnersNotFound.Count} owner(s) of the file are no user of the workspace: import the people first (reach import FILE --as users), then this file again.");
        if (report.DealsWithoutAccount > 0)
            next.Add($"{report.DealsWithoutAccount} deal(s) name no account in the file: they stand without one (\"no account\" on the Deals page).");
        if (report.DealsWithUnknownAccount > 0)
            next.Add($"{report.DealsWithUnknownAccount} deal(s) name an account by id or domain the workspace does not have: import the accounts, then this file again to link them.");
        if (report.AccountsCreated > 0)
            next.Add($"{report.AccountsCreated} account(s) were made from the deals' company names: complete them (domain, size, industry) or import the accounts file.");
        if (report.DealsWithoutCreatedDate > 0)
            next.Add($"{report.DealsWithoutCreatedDate} deal(s) had no created date: they start on their stage or close date (or the import's day when the file gives none). Map the created-date column with --map \"Column=createdAt\" if the file has one.");
        if (report.CreatedAfterHistory > 0)
            next.Add($"{report.CreatedAfterHistory} deal(s) were created in the file after they closed or entered a stage: they count as created at their first recorded date.");
        if (report.StagesCreated.Count > 0)
            next.Add($"Check the probabilities and order of the stages created ({string.Join(", ", report.StagesCreated)}) on the Pipelines page.");
        if (report.DealsWithUnknownProduct > 0)
            next.Add($"{report.DealsWithUnknownProduct} deal(s) name a product the workspace lacks: import the products (reach import FILE --as products), then this file again.");
        foreach (var (name, (rows, count)) in unknownCompetitors)
            summary.Notes.Add($"The competitive matrix has no competitor '{name}' ({(count == 1 ? "row" : "rows")} {string.Join(", ", rows)}{(count > rows.Count ? $" and {count - rows.Count} more" : "")}): "
                + "those deals were imported without it.");
        if (report.DealsWithUnknownCompetitor > 0)
            next.Add($"{report.DealsWithUnknownCompetitor} deal(s) name a competitor the competitive matrix lacks ({string.Join(", ", unknownCompetitors.Keys.Take(10))}): a manager adds them on the Playbook's matrix, then import this file again to set them.");
        if (report.UsersWithoutEmail > 0)
            next.Add($"{report.UsersWithoutEmail} user(s) have no e-mail in the file: they own records and count in figures, but sign in only once an admin gives them an e-mail.");
        if (summary.Failed > 0)
            next.Add($"{summary.Failed} row(s) were rejected: the report lists each with its row, column and reason.");
    }
}
