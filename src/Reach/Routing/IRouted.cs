namespace Reach.Routing;

/// <summary>
/// A record the active plan routes (accounts and leads): its sizing fields in, its route out. The route fields are
/// written only by <see cref="Rerouting"/>; the API returns them and ignores them on input.
/// </summary>
public interface IRouted
{
    int? Employees { get; }

    /// <summary>What the record is expected to sign per year, when known; it routes by this before its size.</summary>
    decimal? ExpectedAcv { get; }

    string? Segment { get; set; }
    string? RoutedChannel { get; set; }
    bool DeadZone { get; set; }
    string? RouteAction { get; set; }
    string? RouteReason { get; set; }
}
