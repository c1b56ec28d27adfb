using Reach.Access;
using Reach.Data;
using Reach.Metrics;
using Reach.Web.Api;

namespace Reach.Web.Pages.Dashboard;

/// <summary>
/// What a drill-down page lists: the records behind one figure of the dashboard, for the same period, scope, tier and
/// product, and one channel or all (query: metric, channel, and the dashboard's own).
/// </summary>
public sealed record DrillDown(DashboardView View, MetricDefinition Metric, string Channel, MetricQuery Query)
{
    /// <summary>How many records a drill-down of leads or touches lists, the newest; the count above the table is all of them.</summary>
    public const int Shown = 500;

    public static async Task<DrillDown> ReadAsync(ReachDb db, Actor actor, IQueryCollection query, DateTime now, MetricSource source, CancellationToken cancellationToken)
    {
        var read = new ListQuery(query);
        var id = read.Text("metric");
        var metric = MetricCatalogue.Find(id ?? "") ?? throw new InputException("metric", $"'{id}' is not a metric.");
        if (metric.Source != source)
            throw new InputException("metric", $"'{metric.Id}' is not made of {source.ToString().ToLowerInvariant()}.");
        var channel = read.Text("channel") ?? "all";
        Channel? only = null;
        if (channel != "all")
        {
            only = Enum.GetValues<Channel>().Cast<Channel?>().FirstOrDefault(c => MetricService.ChannelName(c) == channel)
                ?? throw new InputException("channel", $"'{channel}' is not a channel: self_service, inside or field.");
        }
        var view = await DashboardView.ReadAsync(db, actor, query, now, cancellationToken);
        return new DrillDown(view, metric, channel, view.Query(view.Period) with { Channel = only });
    }

    /// <summary>The figure's line under the title: whose, when, which cuts, and the formula.</summary>
    public string Caption => string.Join(" · ", new[]
    {
        View.Resolved.Label, View.Period.Name, View.Tier is { } t ? $"tier {t}" : null, View.Segment is { } s ? $"segment {s}" : null,
        View.ProductName is { } p ? $"product {p}" : null,
    }.OfType<string>());
}
