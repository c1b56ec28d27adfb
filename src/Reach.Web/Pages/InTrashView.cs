namespace Reach.Web.Pages;

/// <summary>What <c>_InTrash</c> draws on a deleted record's page: since when it is in the trash, and its undo.</summary>
public sealed record InTrashView(string Kind, Guid Id, Guid? OwnerId, DateTime DeletedAt);
