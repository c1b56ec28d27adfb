using Reach.Data;

namespace Reach.Routing;

/// <summary>
/// A routed record with an A/B/C tier (accounts and leads): given by the active plan's tier rules when it is routed
/// (<see cref="Router.TierOf"/>, written by <see cref="Rerouting"/>), or set by hand (<see cref="HandSetTier"/>) and then
/// kept through later routing.
/// </summary>
public interface ITiered : IRouted
{
    Tier? Tier { get; set; }

    /// <summary>Why the record has its tier: the plan's rule that gave it, or <see cref="HandSetTier.Reason"/>.</summary>
    string? TierReason { get; set; }

    /// <summary>The tier was set by hand: routing keeps it.</summary>
    bool TierSetByHand { get; set; }
}

/// <summary>The one rule for a tier chosen by hand, which the inputs of accounts and leads (API, web forms, imports) share.</summary>
public static class HandSetTier
{
    public const string Reason = "set by hand";

    /// <summary>The tier an input carries for <paramref name="record"/>: the one set by hand, or null while the plan decides.</summary>
    public static Tier? Of(ITiered record) => record.TierSetByHand ? record.Tier : null;

    /// <summary>
    /// A tier sets it by hand (kept over the plan's); null gives a tier set by hand back to the plan's rules, which the
    /// save's routing applies (<see cref="Rerouting"/> routes a record whose <see cref="ITiered.TierSetByHand"/> changed).
    /// </summary>
    public static void Apply(ITiered record, Tier? tier)
    {
        if (tier is { } chosen)
        {
            if (!record.TierSetByHand || record.Tier != chosen)
                record.TierReason = Reason;
            (record.Tier, record.TierSetByHand) = (chosen, true);
        }
        else if (record.TierSetByHand)
        {
            (record.Tier, record.TierReason, record.TierSetByHand) = (null, null, false);
        }
    }
}
