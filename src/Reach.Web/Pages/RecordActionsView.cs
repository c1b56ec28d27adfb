namespace Reach.Web.Pages;

/// <summary>What <c>_RecordActions</c> draws for one record: edit, reassign (when the actor may), delete.</summary>
public sealed record RecordActionsView(string Kind, Guid Id, Guid? OwnerId, IReadOnlyList<(Guid Id, string Name)> Owners, string? EditLink, string Warning);
