namespace Reach.Web.Pages;

/// <summary>
/// What the bulk bar of a list offers for the rows ticked: hand them to another owner (only to whom the actor may), delete
/// them (after a confirmation), and for deals a stage, for contacts a sequence.
/// </summary>
public sealed record BulkBar(string Kind, IReadOnlyList<(Guid Id, string Name)> Owners)
{
    public IReadOnlyList<(Guid Id, string Name)> Stages { get; init; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Sequences { get; init; } = [];
}
