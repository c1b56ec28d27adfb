namespace Reach.Web.Pages;

/// <summary>
/// What the bulk bar of a list offers for the rows ticked: hand them to another owner (only to whom the actor may), delete
/// them (after a confirmation), and for deals a stage (a lost one with its reason), for contacts a sequence.
/// </summary>
public sealed record BulkBar(string Kind, IReadOnlyList<(Guid Id, string Name)> Owners)
{
    public IReadOnlyList<(Guid Id, string Name)> Stages { get; init; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Sequences { get; init; } = [];

    /// <summary>The lost stages among <see cref="Stages"/>: a move there asks for one of <see cref="LostReasons"/>, as the board does.</summary>
    public IReadOnlySet<Guid> LostStages { get; init; } = new HashSet<Guid>();
    public IReadOnlyList<string> LostReasons { get; init; } = [];
}
