using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;
using Reach.Deals;
using Reach.Pipelines;
using Reach.Products;

namespace Reach.Imports;

// Deals keep the history the source recorded: created, stage entries and close at the file's dates, never the
// import's. A deal without an account is kept (its account made from the row's company name when it has one).
public sealed partial class Importer
{
    // Products by squashed name (a deal's product column makes its line item).
    readonly Dictionary<string, Product> productsByName = new(StringComparer.Ordinal);
    readonly HashSet<string> notedProducts = new(StringComparer.OrdinalIgnoreCase);

    async Task LoadProductsAsync(CancellationToken cancellationToken)
    {
        foreach (var p in await db.Products.AsNoTracking().OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken))
            productsByName.TryAdd(CellParser.Squash(p.Name), p);
    }

    async Task PrefetchDealsAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        matches.Clear();
        await PrefetchLinksAsync(rows, cancellationToken);
        // In a table empty when the import began, a row with a source id can only meet a deal this import wrote: earlier in
        // the batch (matched in memory), or in an earlier batch, which the source id's unique index refuses (the row-by-row
        // retry then looks it up). A Reach id or a name has no such guard.
        if (startedEmpty && rows.All(r => IdOf(r, "id") is null && ExternalIdOf(r) is not null))
            return;
        var ids = rows.Select(r => IdOf(r, "id")).OfType<Guid>().ToList();
        var externals = rows.Select(ExternalIdOf).OfType<string>().Distinct().ToList();
        var names = rows.Where(r => ExternalIdOf(r) is null).Select(r => r.Text("name")).OfType<string>().Distinct().ToList();
        IQueryable<Deal> deals = db.Deals;
        if (plan.Has("product"))
            deals = deals.Include(d => d.LineItems);
        foreach (var d in await deals
                     .Where(d => ids.Contains(d.Id) || (d.ExternalSource == source && externals.Contains(d.ExternalId!)) || (d.ExternalId == null && names.Contains(d.Name)))
                     .OrderBy(d => d.CreatedAt).ToListAsync(cancellationToken))
            IndexDeal(d);
    }

    void IndexDeal(Deal d) =>
        Index(d, IdKey(d.Id), ExternalKey(d.ExternalSource, d.ExternalId), d.ExternalId is null ? NameKey("name", $"{d.Name}|{d.AccountId}") : null);

    /// <summary>
    /// The deal's account: the one the row links to, else one made from the row's account name (with the source's
    /// account id when given), else none: the deal stands without an account. A Reach id that matches nothing rejects.
    /// </summary>
    Guid? DealAccountOf(ImportRow row)
    {
        var id = row.ReadId("accountId");
        var external = First(row.Text("accountExternalId"));
        var domain = Account.NormaliseDomain(row.Text("accountDomain"));
        var name = row.Text("account");
        var found = Link(id is null ? null : Key("account-id", id.Value.ToString()), external is null ? null : Key("account-source-id", external),
            domain is null ? null : Key("account-domain", domain), name is null ? null : NameKey("account-name", name));
        if (found is not null)
            return found;
        if (id is not null)
        {
            row.Reject("accountId", id.ToString(), $"No account of the workspace has the id {id}.");
            return null;
        }
        if (name is null)
        {
            if (external is not null || domain is not null)
                report.DealsWithUnknownAccount++;
            else
                report.DealsWithoutAccount++;
            return null;
        }
        var input = new AccountInput { Name = name, Domain = domain, ExternalId = external, OwnerId = defaultOwner };
        if (!Valid(row, input))
            return null;
        var account = input.ToNew();
        input.ApplyTo(account);
        account.ExternalSource = external is null ? null : source;
        db.Accounts.Add(account);
        report.AccountsCreated++;
        links[NameKey("account-name", name)] = account.Id;
        if (external is not null)
            links[Key("account-source-id", external)] = account.Id;
        if (account.Domain is not null)
            links[Key("account-domain", account.Domain)] = account.Id;
        return account.Id;
    }

    async ValueTask<Outcome> ApplyDealAsync(ImportRow row, CancellationToken cancellationToken)
    {
        var id = row.ReadId("id");
        var external = ExternalIdOf(row);
        var name = row.Text("name");
        var nameKey = external is null && name is not null;
        var existingByKey = Match<Deal>(id is null ? null : Key("id", id.Value.ToString()),
            ExternalKey(format == SourceFormat.Reach ? row.Text("externalSource") : source, external));
        var accountId = DealAccountOf(row);
        if (row.Errors.Count > 0)
            return Outcome.Rejected;
        var existing = existingByKey ?? (nameKey ? Match<Deal>(NameKey("name", $"{name}|{accountId}")) : null);
        var isNew = existing is null;
        var current = existing is null ? new DealInput() : DealInput.From(existing);
        var money = row.Read("amount", CellParser.ParseMoney);
        var contactEmail = EmailOf(row, "contactEmail");
        var contactId = row.ReadId("primaryContactId") is { } cid ? Link(Key("contact-id", cid.ToString())) : contactEmail is null ? null : Link(Key("contact-email", contactEmail));
        if (contactId is null && (contactEmail is not null || row.Text("primaryContactId") is not null))
            row.Reject(contactEmail is not null ? "contactEmail" : "primaryContactId", null, "No contact of the workspace matches it: import the contacts first.");
        var createdAt = row.Read("createdAt", CellParser.ParseDateTime);
        var stageEnteredAt = row.Read("stageEnteredAt", CellParser.ParseDateTime);
        var closedAt = row.Read("closedAt", CellParser.ParseDateTime);
        var expectedClose = row.Read("expectedClose", CellParser.ParseDate);
        var stageDates = row.StageDates();
        var input = current with
        {
            // A file without deal names (Maven's) names each by its account and product, else its source id.
            Name = name ?? current.Name ?? NameOf(row.Text("account"), row.Text("product"), external),
            AccountId = accountId ?? current.AccountId,
            PrimaryContactId = contactId ?? current.PrimaryContactId,
            Amount = money?.Amount ?? current.Amount ?? 0m,
            Currency = row.Text("currency")?.ToUpperInvariant() ?? money?.Currency ?? current.Currency ?? workspaceCurrency,
            ExpectedClose = expectedClose ?? current.ExpectedClose,
            ForecastCategory = row.Read("forecastCategory", t => CellParser.ParseEnum<ForecastCategory>(t)) ?? current.ForecastCategory,
            Kind = row.Read("kind", ParseDealKind) ?? current.Kind,
            LostReason = row.Text("lostReason") ?? current.LostReason,
            Competitor = CompetitorOf(row) ?? current.Competitor,
            NextStep = row.Text("nextStep") ?? current.NextStep,
            OwnerId = OwnerOf(row, current.OwnerId, isNew),
            ExternalId = external ?? current.ExternalId,
        };
        if (!Valid(row, input))
            return Outcome.Rejected;
        var place = await StageOfAsync(row, existing, cancellationToken);
        if (place is not var (pipeline, stage))
            return Outcome.Rejected;
        var product = ProductOf(row);
        if (row.Errors.Count > 0)
            return Outcome.Rejected;

        var deal = existing ?? WithId(new Deal { Name = input.Name!, Currency = input.Currency! }, id);
        // A deal this batch writes in bulk (new, or made by an earlier row of the batch) takes its parts the same way.
        var bulk = isNew ? WritesInBulk : pending.Contains(deal);
        var parts = new List<object>(3);
        // A closed deal closed at the file's close time, else on its close date.
        var closeAt = stage.Outcome == StageOutcome.Open ? (DateTime?)null
            : closedAt ?? (expectedClose ?? existing?.ExpectedClose)?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (isNew)
        {
            deal.PipelineId = pipeline.Id;
            deal.Channel = pipeline.Channel;
            var log = await HistoryOfAsync(pipeline, stage, createdAt, stageEnteredAt, closeAt, stageDates, cancellationToken);
            Guid? previous = null;
            foreach (var (entered, at) in log)
            {
                var change = deal.MoveTo(entered, at, by: null);
                change.FromStageId = previous;
                previous = entered.Id;
                parts.Add(change);
            }
            deal.Stage = null; // the cached stage is not tracked by this context; the id is enough
            var first = log[0].At;
            if (createdAt is { } created && created > first)
                report.CreatedAfterHistory++;
            deal.CreatedAt = createdAt is { } c && c <= first ? c : first;
            // The report's history span is the file's: a row without any date (started at the import) is counted apart.
            if (createdAt is not null || stageEnteredAt is not null || closeAt is not null || stageDates.Count > 0)
            {
                report.Dated(deal.CreatedAt);
                report.Dated(deal.ClosedAt);
            }
            if (createdAt is null)
                report.DealsWithoutCreatedDate++;
        }
        else if (deal.StageId != stage.Id)
        {
            var previousStage = deal.StageId;
            deal.PipelineId = pipeline.Id;
            deal.Channel = pipeline.Channel;
            // A move the file shows without a date happened between the last import and this one: now is the best
            // there is (the file's dates win when it has them).
            var change = deal.MoveTo(stage, closeAt ?? stageEnteredAt ?? db.UtcNow, by: null);
            deal.Stage = null;
            change.FromStageId = previousStage;
            parts.Add(change);
        }
        input.ApplyTo(deal);
        if (deal.Status != DealStatus.Open && closeAt is { } closed && deal.ClosedAt != closed && (isNew || closedAt is not null))
            deal.ClosedAt = closed < deal.CreatedAt ? deal.CreatedAt : closed;
        deal.ExternalSource = ExternalSourceOf(row, external, existing?.ExternalSource);
        if (product is not null && deal.LineItems.All(l => l.ProductId != product.Id))
        {
            var item = new DealLineItem
            {
                DealId = deal.Id,
                ProductId = product.Id,
                Quantity = 1,
                UnitPrice = deal.Amount > 0 ? deal.Amount : product.ListPrice,
            };
            // EF finds it through the deal it tracks; a bulk-written deal's is written after it.
            deal.LineItems.Add(item);
            if (bulk)
                parts.Add(item);
            report.LineItemsCreated++;
        }
        currencies.Add(deal.Currency);
        if (isNew)
        {
            if (bulk)
                Insert(deal);
            else
                db.Deals.Add(deal);
            IndexDeal(deal);
        }
        foreach (var part in parts)
        {
            if (bulk)
                Insert(part);
            else if (part is DealStageChange change)
                db.DealStageChanges.Add(change);
        }
        return Settle(deal, isNew);
    }

    // A file without deal names names each "account - product", or by whichever of them it has, else by its source id.
    static string NameOf(string? account, string? product, string? external) => (account, product) switch
    {
        ({ } a, { } p) => a + " - " + p,
        ({ } a, null) => a,
        (null, { } p) => p,
        _ => external ?? "Imported deal",
    };

    /// <summary>
    /// The stages a new deal went through, oldest first: the source's stage dates when it has them (HubSpot's
    /// "Date entered" columns), else created (in the pipeline's first stage) → its stage → closed, at the file's dates.
    /// Only a deal the file gives no date at all starts at the import's time.
    /// </summary>
    /// <remarks>
    /// A row without stage dates (most files) takes the synchronous path: nothing to create, no await, no state machine.
    /// </remarks>
    ValueTask<List<(Stage Stage, DateTime At)>> HistoryOfAsync(Pipeline pipeline, Stage stage, DateTime? createdAt, DateTime? stageEnteredAt,
        DateTime? closeAt, List<(string Stage, DateTime At)> stageDates, CancellationToken cancellationToken) =>
        stageDates.Count == 0
            ? ValueTask.FromResult(HistoryOf(pipeline, stage, createdAt, stageEnteredAt, closeAt, []))
            : DatedHistoryOfAsync(pipeline, stage, createdAt, stageEnteredAt, closeAt, stageDates, cancellationToken);

    async ValueTask<List<(Stage Stage, DateTime At)>> DatedHistoryOfAsync(Pipeline pipeline, Stage stage, DateTime? createdAt, DateTime? stageEnteredAt,
        DateTime? closeAt, List<(string Stage, DateTime At)> stageDates, CancellationToken cancellationToken)
    {
        var log = new List<(Stage Stage, DateTime At)>();
        foreach (var (stageName, at) in stageDates.OrderBy(d => d.At))
        {
            var known = FindStage(PipelineById(pipeline.Id), stageName);
            if (known is null && (StandardStages.Find(stageName) is { Outcome: StageOutcome.Open } || options.CreateStages))
                (_, known) = await CreateStageAsync(pipeline, StandardStages.Find(stageName)?.Name ?? stageName,
                    StandardStages.Find(stageName)?.Probability ?? stageProbabilities.GetValueOrDefault(CellParser.Squash(stageName)), cancellationToken);
            if (known is null)
            {
                if (notedPipelines.Add("history:" + stageName))
                    summary.Notes.Add($"The pipeline '{pipeline.Name}' has no stage '{stageName}': the dates deals entered it were passed over (import with --create-stages to keep them).");
                continue;
            }
            log.Add((known, at));
        }
        return HistoryOf(pipeline, stage, createdAt, stageEnteredAt, closeAt, log);
    }

    /// <summary>The log from the stage dates already matched (<paramref name="log"/>, maybe empty), else from the row's dates.</summary>
    List<(Stage Stage, DateTime At)> HistoryOf(Pipeline pipeline, Stage stage, DateTime? createdAt, DateTime? stageEnteredAt,
        DateTime? closeAt, List<(Stage Stage, DateTime At)> log)
    {
        var stages = StagesOf(PipelineById(pipeline.Id));
        var firstOpen = FirstOpen(stages);
        var start = createdAt ?? stageEnteredAt ?? closeAt ?? db.UtcNow;
        if (log.Count > 0)
        {
            if (log[^1].Stage.Id != stage.Id)
                log.Add((stage, closeAt ?? stageEnteredAt ?? log[^1].At));
            if (createdAt is { } created && created < log[0].At && log[0].Stage.Outcome == StageOutcome.Open && log[0].Stage.Id != firstOpen!.Id)
                log.Insert(0, (firstOpen, created));
            return log;
        }
        if (stage.Outcome == StageOutcome.Open)
        {
            if (stageEnteredAt is { } entered && createdAt is { } c && c < entered && firstOpen is not null && firstOpen.Id != stage.Id)
                return [(firstOpen, c), (stage, entered)];
            return [(stage, start)];
        }
        var close = closeAt ?? start;
        if (firstOpen is not null && start < close)
            return [(firstOpen, start), (stage, close)];
        return [(stage, close)];
    }

    static Stage? FirstOpen(List<Stage> stages)
    {
        foreach (var stage in stages)
            if (stage.Outcome == StageOutcome.Open)
                return stage;
        return null;
    }

    // The pipelines as loaded last (a created stage reloads them): a row's pipeline is looked up by id in the current load.
    Pipeline PipelineById(Guid id)
    {
        foreach (var pipeline in pipelines)
            if (pipeline.Id == id)
                return pipeline;
        throw new InvalidOperationException($"The pipeline {id} is not loaded.");
    }

    /// <summary>
    /// <see cref="FindStage(IReadOnlyList{Stage}, string)"/> for a pipeline's stages in funnel order, remembered per
    /// pipeline and name as the file spells it until the pipelines are loaded again (a file names a few stages, in every row).
    /// </summary>
    Stage? FindStage(Pipeline pipeline, string name)
    {
        var stages = StagesOf(pipeline);
        if (stageByName.TryGetValue((pipeline, name), out var found))
            return found;
        found = FindStage(stages, name);
        // Bounded: a file of many distinct stage names still runs in constant memory (the rest are looked up each time).
        if (stageByName.Count < MaxStageNamesRemembered)
            stageByName[(pipeline, name)] = found;
        return found;
    }

    const int MaxStageNamesRemembered = 1000;

    Stage? FindStage(IReadOnlyList<Stage> stages, string name)
    {
        var squashed = CellParser.Squash(name);
        return stages.FirstOrDefault(s => SquashedName(s) == squashed)
            ?? (StandardStages.Find(squashed) is { Outcome: not StageOutcome.Open } closed ? stages.FirstOrDefault(s => s.Outcome == closed.Outcome) : null);
    }

    // A pipeline's stages in funnel order and their squashed names, worked out once per load of the pipelines rather than
    // for every row (a reload makes new objects, so the caches start again with it).
    readonly Dictionary<Pipeline, List<Stage>> stagesInOrder = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<Stage, string> squashedNames = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<(Pipeline, string), Stage?> stageByName = new(PipelineAndName.Instance);
    List<Pipeline>? stagesLoadedFrom;

    // A pipeline by reference (each load makes new objects), a name as spelled.
    sealed class PipelineAndName : IEqualityComparer<(Pipeline Pipeline, string Name)>
    {
        public static readonly PipelineAndName Instance = new();

        public bool Equals((Pipeline Pipeline, string Name) x, (Pipeline Pipeline, string Name) y) =>
            ReferenceEquals(x.Pipeline, y.Pipeline) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode((Pipeline Pipeline, string Name) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Pipeline), StringComparer.Ordinal.GetHashCode(key.Name));
    }

    List<Stage> StagesOf(Pipeline pipeline)
    {
        if (stagesLoadedFrom != pipelines)
        {
            stagesInOrder.Clear();
            squashedNames.Clear();
            stageByName.Clear();
            stagesLoadedFrom = pipelines;
        }
        if (!stagesInOrder.TryGetValue(pipeline, out var stages))
            stagesInOrder[pipeline] = stages = [.. pipeline.Stages.OrderBy(s => s.Position)];
        return stages;
    }

    string SquashedName(Stage stage)
    {
        if (!squashedNames.TryGetValue(stage, out var squashed))
            squashedNames[stage] = squashed = CellParser.Squash(stage.Name);
        return squashed;
    }

    /// <summary>The product a row names, by name ignoring case, spaces and punctuation (noted when only that way).</summary>
    Product? ProductOf(ImportRow row)
    {
        if (row.Text("product") is not { } name)
            return null;
        if (productsByName.TryGetValue(CellParser.Squash(name), out var product))
        {
            if (!string.Equals(product.Name, name, StringComparison.OrdinalIgnoreCase) && notedProducts.Add(name))
                summary.Notes.Add($"The product '{name}' was read as '{product.Name}' (the names differ only in spaces or punctuation): check it is the same product.");
            return product;
        }
        if (notedProducts.Add(name))
            summary.Notes.Add($"No product is named '{name}': its deals were imported without a line item (import the products first, then this file again).");
        report.DealsWithUnknownProduct++;
        return null;
    }

    // The competitive matrix's competitors, and the unknown names a file gave with their first rows and count (bounded:
    // an import keeps constant memory however many rows name them).
    IReadOnlyList<string> competitors = [];
    readonly SortedDictionary<string, (List<int> Rows, int Count)> unknownCompetitors = new(StringComparer.OrdinalIgnoreCase);
    const int UnknownCompetitorsListed = 20, UnknownCompetitorRowsListed = 10;

    /// <summary>
    /// The competitor a row names, as the competitive matrix spells it (the rule of <see cref="DealInput"/>'s competitor).
    /// An unknown name does not cost the deal: it is imported without it (keeping the one it had), and the summary names
    /// the competitor and its rows, as an unknown product is; adding it to the matrix and importing again fills it in.
    /// </summary>
    string? CompetitorOf(ImportRow row)
    {
        if (row.Text("competitor") is not { } name)
            return null;
        if (Reach.Playbook.CompetitiveMatrix.Spelling(competitors, name) is { } known)
            return known;
        report.DealsWithUnknownCompetitor++;
        var key = name.Trim();
        if (!unknownCompetitors.TryGetValue(key, out var seen))
        {
            if (unknownCompetitors.Count >= UnknownCompetitorsListed)
                return null;
            seen = (new List<int>(), 0);
        }
        if (seen.Rows.Count < UnknownCompetitorRowsListed)
            seen.Rows.Add(row.Number);
        unknownCompetitors[key] = (seen.Rows, seen.Count + 1);
        return null;
    }

    DealKind ParseDealKind(string text) => ParseVendorValue(text, DealKind.New,
        (DealKind.Renewal, ["renew"]), (DealKind.Expansion, ["existing", "upgrade", "upsell", "expansion", "crosssell"]));

    /// <summary>
    /// The pipeline and stage of a deal row. The pipeline is the one the row names, else the deal's own, else
    /// the inside-sales pipeline. A won/lost status wins over the stage column; stage names compare ignoring
    /// case and punctuation, and the standard closed stages of every CRM mean the pipeline's won or lost stage.
    /// A standard open stage the pipeline lacks is created in funnel order; another one with --create-stages
    /// (probability from the file's deals), else the row is rejected naming it.
    /// </summary>
    async ValueTask<(Pipeline, Stage)?> StageOfAsync(ImportRow row, Deal? existing, CancellationToken cancellationToken)
    {
        var pipelineName = row.Text("pipeline");
        var pipeline = pipelineName is null ? null : pipelines.FirstOrDefault(p => CellParser.Squash(p.Name) == CellParser.Squash(pipelineName));
        if (pipelineName is not null && pipeline is null && notedPipelines.Add(pipelineName))
            summary.Notes.Add($"The workspace has no pipeline '{pipelineName}': its deals went to the deal's current pipeline, else '{DefaultPipeline()?.Name}'.");
        pipeline ??= existing is null ? null : pipelines.FirstOrDefault(p => p.Id == existing.PipelineId);
        pipeline ??= DefaultPipeline();
        if (pipeline is null)
        {
            row.Reject("pipeline", pipelineName, "The workspace has no pipeline: create one first.");
            return null;
        }

        var status = row.Text("status") is { } s ? CellParser.Squash(s) : null;
        if (status == "deleted")
        {
            row.Reject("status", row.Text("status"), "The deal is deleted in the source.");
            return null;
        }
        var isWon = row.Read("isWon", CellParser.ParseBool);
        var isClosed = row.Read("isClosed", CellParser.ParseBool);
        var outcome = status switch
        {
            "won" or "closedwon" => StageOutcome.Won,
            "lost" or "closedlost" => StageOutcome.Lost,
            "open" => StageOutcome.Open,
            _ when isWon == true => StageOutcome.Won,
            _ when isClosed == true => StageOutcome.Lost,
            _ => (StageOutcome?)null,
        };

        var stageName = row.Text("stage");
        var stages = StagesOf(pipeline);
        var stage = stageName is null ? null : FindStage(pipeline, stageName);
        if (outcome is StageOutcome.Won or StageOutcome.Lost && stage?.Outcome != outcome)
            stage = stages.FirstOrDefault(st => st.Outcome == outcome);
        if (stage is null && stageName is null)
            stage = existing is not null ? stages.FirstOrDefault(st => st.Id == existing.StageId) : stages.FirstOrDefault(st => st.Outcome == StageOutcome.Open);
        if (stage is not null)
        {
            report.StageMatched(stageName ?? stage.Name, stage.Name);
            return (pipeline, stage);
        }
        if (stageName is null)
        {
            row.Reject("stage", "", $"The pipeline '{pipeline.Name}' has no stages.");
            return null;
        }
        var standard = StandardStages.Find(stageName);
        decimal? probability;
        if (standard is not null)
            probability = standard.Probability;
        else if (options.CreateStages)
            probability = row.Read("probability", t => CellParser.ParsePercent(t, format)) ?? stageProbabilities.GetValueOrDefault(CellParser.Squash(stageName));
        else
        {
            row.Reject("stage", stageName, $"The pipeline '{pipeline.Name}' has no stage '{stageName}': create it, map the row to an existing stage, or import with --create-stages.");
            return null;
        }

        try
        {
            return await CreateStageAsync(pipeline, standard?.Name ?? stageName, probability, cancellationToken);
        }
        catch (InputException e)
        {
            row.Reject("stage", stageName, e.Message);
            return null;
        }
    }

    /// <summary>Adds an open stage to a pipeline in funnel order (by probability) and reloads the pipelines.</summary>
    async Task<(Pipeline, Stage)> CreateStageAsync(Pipeline pipeline, string name, decimal? probability, CancellationToken cancellationToken)
    {
        var tracked = await db.Pipelines.Include(p => p.Stages).FirstAsync(p => p.Id == pipeline.Id, cancellationToken);
        var created = await PipelineEditor.AddStageAsync(db, tracked, new StageInput
        {
            Name = name,
            Probability = probability,
            Position = StandardStages.PositionFor(tracked.Stages, probability ?? 0m),
        }, cancellationToken);
        summary.Notes.Add($"Created the stage '{created.Name}' in the pipeline '{pipeline.Name}' (probability {created.Probability:0.##}).");
        report.StagesCreated.Add(created.Name);
        await LoadPipelinesAsync(cancellationToken);
        var reloaded = pipelines.First(p => p.Id == pipeline.Id);
        return (reloaded, reloaded.Stages.First(st => st.Id == created.Id));
    }

    // Read once per load of the pipelines: the rule is a query, which over a list compiles its expression at every call.
    Pipeline? DefaultPipeline()
    {
        if (defaultPipelineOf != pipelines)
        {
            defaultPipeline = DealInput.PipelinesOf(pipelines.AsQueryable(), DealInput.DefaultChannel).FirstOrDefault() ?? pipelines.FirstOrDefault();
            defaultPipelineOf = pipelines;
        }
        return defaultPipeline;
    }

    Pipeline? defaultPipeline;
    List<Pipeline>? defaultPipelineOf;
}
