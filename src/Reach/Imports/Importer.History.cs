using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Deals;

namespace Reach.Imports;

// A deal's stage history from a file of stage snapshots (Salesforce's OpportunityHistory: one row per change of the
// opportunity, with its stage then and when). The deals come first (`--as deals`); this rebuilds their stage logs.
public sealed partial class Importer
{
    // The logs of the batch's deals, oldest first, as tracked by this batch's context.
    readonly Dictionary<Guid, List<DealStageChange>> logs = [];
    readonly Dictionary<Guid, Deal> historyDeals = [];

    async Task PrefetchHistoryAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        logs.Clear();
        historyDeals.Clear();
        await PrefetchLinksAsync(rows, cancellationToken);
        var ids = links.Where(l => l.Key.StartsWith("deal-", StringComparison.Ordinal)).Select(l => l.Value).Distinct().ToList();
        foreach (var deal in await db.Deals.Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken))
        {
            historyDeals[deal.Id] = deal;
            logs[deal.Id] = [];
        }
        foreach (var change in await db.DealStageChanges.Where(c => ids.Contains(c.DealId)).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(cancellationToken))
            logs[change.DealId].Add(change);
    }

    /// <summary>
    /// One snapshot: the deal was in the stage at that time. It becomes an entry of the deal's log unless the log already
    /// says so (the entry before it is that stage); an entry of the same stage just after it (the import's guess of a close,
    /// an unordered file) moves to this earlier time, and an entry at the same instant of another stage takes this one's.
    /// Re-running the file finds every snapshot said and changes nothing.
    /// </summary>
    async ValueTask<Outcome> ApplyHistoryAsync(ImportRow row, CancellationToken cancellationToken)
    {
        var external = First(row.Text("dealExternalId"));
        var id = row.ReadId("dealId");
        var dealId = Link(id is null ? null : Key("deal-id", id.Value.ToString()), external is null ? null : Key("deal-source-id", external));
        if (dealId is null || !historyDeals.TryGetValue(dealId.Value, out var deal))
        {
            row.Reject(external is not null ? "dealExternalId" : "dealId", external ?? id?.ToString() ?? "",
                "No deal of the workspace has this id: import the deals (opportunities) first, then their history.");
            return Outcome.Rejected;
        }
        var at = row.Read("at", CellParser.ParseDateTime);
        var stageName = row.Text("stage");
        if (at is null)
            row.Reject("at", "", "The row says no date: a stage history needs the time of each change.");
        if (stageName is null)
            row.Reject("stage", "", "The row names no stage.");
        if (row.Errors.Count > 0 || at is not { } when || stageName is null)
            return Outcome.Rejected;
        var pipeline = pipelines.First(p => p.Id == deal.PipelineId);
        var stage = FindStage([.. pipeline.Stages], stageName);
        if (stage is null)
        {
            var standard = StandardStages.Find(stageName);
            if (standard is null && !options.CreateStages)
            {
                row.Reject("stage", stageName, $"The pipeline '{pipeline.Name}' has no stage '{stageName}': create it, or import with --create-stages.");
                return Outcome.Rejected;
            }
            try
            {
                (_, stage) = await CreateStageAsync(pipeline, standard?.Name ?? stageName,
                    standard?.Probability ?? stageProbabilities.GetValueOrDefault(CellParser.Squash(stageName)), cancellationToken);
            }
            catch (InputException e)
            {
                row.Reject("stage", stageName, e.Message);
                return Outcome.Rejected;
            }
        }
        report.StageMatched(stageName, stage.Name);
        report.Dated(when);

        var log = logs[deal.Id];
        var before = log.LastOrDefault(c => c.At <= when);
        var outcome = Outcome.Unchanged;
        if (before is not null && before.At == when && before.ToStageId != stage.Id && before.Id != 0)
        {
            before.ToStageId = stage.Id;
            outcome = Outcome.Updated;
        }
        else if (before?.ToStageId != stage.Id)
        {
            var next = log.FirstOrDefault(c => c.At > when);
            if (next is not null && next.ToStageId == stage.Id)
            {
                next.At = when;
                outcome = Outcome.Updated;
            }
            else
            {
                var change = new DealStageChange { DealId = deal.Id, ToStageId = stage.Id, At = when };
                db.DealStageChanges.Add(change);
                log.Add(change);
                outcome = Outcome.Inserted;
            }
        }
        if (outcome == Outcome.Unchanged)
            return outcome;

        // The chain of the log, and the deal's own dates, follow the rebuilt history.
        log.Sort((a, b) => a.At.CompareTo(b.At));
        Guid? previous = null;
        foreach (var change in log)
        {
            if (change.FromStageId != previous)
                change.FromStageId = previous;
            previous = change.ToStageId;
        }
        if (log[0].At < deal.CreatedAt)
            deal.CreatedAt = log[0].At;
        var entered = log.LastOrDefault(c => c.ToStageId == deal.StageId && log.Last().ToStageId == deal.StageId);
        if (entered is not null && entered.At != deal.StageEnteredAt)
            deal.StageEnteredAt = entered.At;
        return outcome;
    }
}
