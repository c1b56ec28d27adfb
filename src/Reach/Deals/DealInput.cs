using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Accounts;
using Reach.Contacts;
using Reach.Data;
using Reach.Pipelines;

namespace Reach.Deals;

public sealed record DealInput : IRecordInput<Deal, DealInput>
{
    [Required, StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    public Guid? AccountId { get; init; }
    public Guid? PrimaryContactId { get; init; }
    [Required, Range(typeof(decimal), "0", "1000000000000")] public decimal? Amount { get; init; }
    [Required, CurrencyCode] public string? Currency { get; init; }

    /// <summary>Chooses the pipeline when <see cref="PipelineId"/> is not given.</summary>
    public Channel? Channel { get; init; }
    public Guid? PipelineId { get; init; }

    /// <summary>Defaults to the pipeline's first stage. Moving to a won or lost stage closes the deal.</summary>
    public Guid? StageId { get; init; }
    public DateOnly? ExpectedClose { get; init; }
    public ForecastCategory? ForecastCategory { get; init; }
    public DealKind? Kind { get; init; }
    [StringLength(500)] public string? LostReason { get; init; }
    [StringLength(500)] public string? NextStep { get; init; }

    /// <summary>A competitor of the competitive matrix (any case); empty: none known.</summary>
    [StringLength(100)] public string? Competitor { get; init; }
    public Reach.Leads.LeadSource? Source { get; init; }
    [StringLength(100)] public string? Campaign { get; init; }
    public Guid? OwnerId { get; init; }
    [StringLength(100)] public string? ExternalId { get; init; }

    public static DealInput From(Deal d) => new()
    {
        Name = d.Name,
        AccountId = d.AccountId,
        PrimaryContactId = d.PrimaryContactId,
        Amount = d.Amount,
        Currency = d.Currency,
        Channel = d.Channel,
        PipelineId = d.PipelineId,
        StageId = d.StageId,
        ExpectedClose = d.ExpectedClose,
        ForecastCategory = d.ForecastCategory,
        Kind = d.Kind,
        LostReason = d.LostReason,
        NextStep = d.NextStep,
        Competitor = d.Competitor,
        Source = d.Source,
        Campaign = d.Campaign,
        OwnerId = d.OwnerId,
        ExternalId = d.ExternalId,
    };

    public Deal ToNew() => new() { Name = Name!, Currency = Currency! };

    public void ApplyTo(Deal d)
    {
        d.Name = Name!.Trim();
        d.AccountId = AccountId;
        d.PrimaryContactId = PrimaryContactId;
        d.Amount = Amount!.Value;
        d.Currency = Currency!;
        d.ExpectedClose = ExpectedClose;
        d.Kind = Kind ?? DealKind.New;
        d.NextStep = NextStep;
        d.Competitor = string.IsNullOrWhiteSpace(Competitor) ? null : Competitor.Trim();
        d.Source = Source;
        d.Campaign = Campaign;
        d.OwnerId = OwnerId;
        d.ExternalId = ExternalId;
        if (ForecastCategory is not null && d.Status == DealStatus.Open)
            d.ForecastCategory = ForecastCategory.Value;
        d.LostReason = d.Status == DealStatus.Lost ? LostReason : null;
    }

    public async Task CheckAsync(ReachDb db, CancellationToken cancellationToken)
    {
        await db.MustExistAsync<Account>(AccountId, "accountId", cancellationToken);
        await db.MustExistAsync<Contact>(PrimaryContactId, "primaryContactId", cancellationToken);
        if (PrimaryContactId is not null && !await db.Contacts.AnyAsync(c => c.Id == PrimaryContactId && c.AccountId == AccountId, cancellationToken))
            throw new InputException("primaryContactId", $"The contact {PrimaryContactId} does not belong to the deal's account {AccountId}.");
        await db.MustExistAsync<User>(OwnerId, "ownerId", cancellationToken);
    }

    /// <summary>Resolves pipeline and stage, moves the deal (recording its stage history), then the rest.</summary>
    public async Task ApplyAsync(ReachDb db, Deal deal, CancellationToken cancellationToken)
    {
        await CheckAsync(db, cancellationToken);
        var pipeline = await ResolvePipelineAsync(db, deal, cancellationToken);
        var stage = ResolveStage(pipeline, deal);
        var isNew = deal.StageId == Guid.Empty;
        var (amountBefore, reasonBefore, competitorBefore) = (deal.Amount, deal.LostReason, deal.Competitor);
        if (!isNew && db.Entry(deal).State != EntityState.Detached)
            await db.Entry(deal).Collection(d => d.LineItems).LoadAsync(cancellationToken);
        deal.PipelineId = pipeline.Id;
        deal.Channel = pipeline.Channel;
        if (isNew || deal.StageId != stage.Id)
        {
            // Whoever moves it, by whatever way (API, deal page, board): the history names them.
            var change = deal.MoveTo(stage, db.UtcNow, db.Actor?.UserId);
            if (isNew)
                change.FromStageId = null;
            db.DealStageChanges.Add(change);
        }
        ApplyTo(deal);
        if (deal.LineItems.Count > 0)
        {
            var total = deal.LineItems.Sum(i => i.Total);
            if (Amount != amountBefore && Amount != total)
                throw new InputException("amount", $"This deal's amount is the sum of its {deal.LineItems.Count} line items ({total.ToString("#,##0.##", System.Globalization.CultureInfo.InvariantCulture)}); change them, or remove them to type an amount.");
            deal.Reprice();
        }
        // A reason chosen now comes from the workspace's list; one the deal already carries (imported, or since
        // retired) stays as it is.
        if (deal.LostReason is { } reason && !string.Equals(reason, reasonBefore, StringComparison.Ordinal))
            deal.LostReason = await Reach.Deals.LostReason.ResolveAsync(db, reason, cancellationToken);
        // Likewise a competitor: a new one comes from the competitive matrix; one the deal already names stays.
        if (deal.Competitor is { } competitor && !string.Equals(competitor, competitorBefore, StringComparison.Ordinal))
            deal.Competitor = await Reach.Playbook.CompetitiveMatrix.ResolveAsync(db, competitor, cancellationToken);
    }

    /// <summary>The channel of a deal that names none (a converted lead's without an account channel, an imported row's).</summary>
    public const Channel DefaultChannel = Reach.Data.Channel.Inside;

    /// <summary>A channel's pipelines, the one its deals go to first (its oldest): the one rule for web, API, lead conversion and imports.</summary>
    public static IQueryable<Pipeline> PipelinesOf(IQueryable<Pipeline> pipelines, Channel channel) =>
        pipelines.Where(p => p.Channel == channel).OrderBy(p => p.CreatedAt);

    async Task<Pipeline> ResolvePipelineAsync(ReachDb db, Deal deal, CancellationToken cancellationToken)
    {
        var pipelines = db.Pipelines.Include(p => p.Stages);
        // On an update the input carries the deal's current pipeline and channel; a changed channel
        // with the pipeline left as it was means "move to that channel's pipeline".
        var channelChanged = Channel is not null && deal.PipelineId != Guid.Empty && Channel != deal.Channel;
        if (PipelineId is not null && !(channelChanged && PipelineId == deal.PipelineId))
        {
            var chosen = await pipelines.FirstOrDefaultAsync(p => p.Id == PipelineId, cancellationToken)
                ?? throw new InputException("pipelineId", $"No pipeline has the id {PipelineId}.");
            if (Channel is not null && Channel != chosen.Channel)
                throw new InputException("channel", $"The pipeline '{chosen.Name}' sells through {Wire(chosen.Channel)}, not {Wire(Channel.Value)}; give one of the two.");
            return chosen;
        }
        if (Channel is { } channel && (deal.PipelineId == Guid.Empty || channel != deal.Channel))
            return await PipelinesOf(pipelines, channel).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InputException("channel", $"No pipeline sells through the channel {Channel}; create one first.");
        if (deal.PipelineId != Guid.Empty)
            return await pipelines.FirstAsync(p => p.Id == deal.PipelineId, cancellationToken);
        throw new InputException("pipelineId", "Give a pipelineId or a channel to choose the deal's pipeline.");
    }

    static string Wire(Channel channel) => EnumNames.Of(channel);

    Stage ResolveStage(Pipeline pipeline, Deal deal)
    {
        var stages = pipeline.Stages.OrderBy(s => s.Position).ToList();
        var stageCameWithOldPipeline = StageId == deal.StageId && pipeline.Id != deal.PipelineId;
        if (StageId is not null && !stageCameWithOldPipeline)
            return stages.FirstOrDefault(s => s.Id == StageId)
                ?? throw new InputException("stageId", $"The stage {StageId} is not a stage of the pipeline '{pipeline.Name}'.");
        // A deal without a stage starts in the first open one, never in Won or Lost by default.
        return stages.FirstOrDefault(s => s.Id == deal.StageId)
            ?? stages.FirstOrDefault(s => s.Outcome == StageOutcome.Open)
            ?? throw new InputException("pipelineId", $"The pipeline '{pipeline.Name}' has no open stage to start a deal in; add one, or give a stageId.");
    }
}
