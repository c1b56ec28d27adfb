using Reach.Data;
using Reach.Lists;
using Reach.Routing;

namespace Reach.Web.Pages;

/// <summary>
/// The segment / channel / dead-zone filter of the lists and the pipeline (routes of the active plan), read from the
/// query string the same way on every page; the choices are the active plan's segments and channels.
/// </summary>
public sealed class RouteFilter
{
    public string? Segment { get; private init; }
    public string? Channel { get; private init; }
    public bool? DeadZone { get; private init; }
    public IReadOnlyList<string> Segments { get; private init; } = [];
    public IReadOnlyList<string> Channels { get; private init; } = [];

    public static async Task<RouteFilter> ReadAsync(ReachDb db, IQueryCollection query, CancellationToken cancellationToken)
    {
        var router = await Rerouting.ActiveAsync(db, cancellationToken);
        static string? Text(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        return new RouteFilter
        {
            Segment = Text(query["segment"]),
            Channel = Text(query["routedChannel"]),
            DeadZone = bool.TryParse(query["deadZone"], out var dead) ? dead : null,
            Segments = router is null ? [] : [.. router.Plan.Segments.Select(s => s.Name)],
            Channels = router is null ? [] : [.. router.Plan.Channels.Select(c => c.Name)],
        };
    }

    public IQueryable<T> Apply<T>(IQueryable<T> records) where T : class, IRouted =>
        new ListFilter { Segment = Segment, RoutedChannel = Channel, DeadZone = DeadZone }.ByRoute(records);
}
